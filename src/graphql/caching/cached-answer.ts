import type { ApolloServer, HeaderMap } from '@apollo/server';
import type { Logger } from 'pino';
import type { GraphQLContext } from '../../context.ts';
import type { Metrics } from '../../http/metrics.ts';
import { dataVersionOf, declaredValues, decodeEntry, rememberDataVersion, responseCacheKey, type AnsweredDocuments } from './response-cache.plugin.ts';
import type { ResponseStore } from './response-store.ts';

/** An answer the HTTP server sends as it is. */
export interface HttpAnswer {
  status: number;
  headers: Record<string, string>;
  body: string;
}

export interface CachedAnswerRequest {
  method: string;
  headers: HeaderMap;
  /** The parsed body (POST). */
  body: unknown;
  /** The request's context, made once and shared with Apollo if the request goes on to it. */
  context: () => Promise<GraphQLContext>;
}

/** Answers a request from the response cache before Apollo runs, or says null (let Apollo answer). */
export type CachedAnswers = (request: CachedAnswerRequest) => Promise<HttpAnswer | null>;

const JSON_TYPE = 'application/json; charset=utf-8';
const GRAPHQL_RESPONSE_TYPE = 'application/graphql-response+json; charset=utf-8';

/**
 * The media type Apollo would answer with, for the Accept headers clients send in practice; any
 * other Accept (quality values, lists) goes through Apollo's own negotiation instead.
 */
function mediaTypeFor(accept: string | undefined): string | null {
  if (accept === undefined || accept === '' || accept === '*/*' || accept === 'application/json') return JSON_TYPE;
  if (accept === 'application/graphql-response+json') return GRAPHQL_RESPONSE_TYPE;
  return null;
}

const isPlainObject = (value: unknown): value is Record<string, unknown> => value !== null && typeof value === 'object' && !Array.isArray(value);

/**
 * The response cache's hit path, taken before Apollo: an anonymous POST of a document this process
 * has already answered through the whole pipeline (AnsweredDocuments) is looked up in the store,
 * and a hit is sent as stored, after charging its cost to the caller's rate-limit budget. It skips
 * body validation, document resolution, every plugin hook and the parse and serialization of the
 * stored data, which made a cached directory answer cost 5× a `{ __typename }`.
 *
 * It keeps what Apollo and the plugins would do for the same request: the media type, `Cache-Control:
 * no-store` (POST is never shared-cacheable), `extensions.cost` with the budget (and the RateLimit
 * headers the HTTP server adds), and the operation metrics. Everything else goes on to Apollo: GET
 * (CSRF rules, shared-cache headers), credentials, APQ and other extensions, unusual Accept headers,
 * unknown documents, a miss (which reuses the data version read here), a budget that cannot cover
 * the cost (Apollo refuses it with RATE_LIMITED), and an entry stored under a higher cost limit.
 */
export function cachedAnswers({
  store,
  answered,
  maxQueryCost,
  metrics,
  logger,
}: {
  store: ResponseStore;
  answered: AnsweredDocuments;
  maxQueryCost: number;
  metrics?: Metrics;
  logger: Logger;
}): CachedAnswers {
  return async ({ method, headers, body, context }) => {
    const started = process.hrtime.bigint();
    if (method !== 'POST' || headers.has('authorization') || !isPlainObject(body)) return null;
    const contentType = headers.get('content-type');
    if (!contentType || !/^application\/json\s*(;|$)/i.test(contentType)) return null;
    const mediaType = mediaTypeFor(headers.get('accept'));
    if (!mediaType) return null;
    const { query, operationName = null, variables = null, extensions = null } = body;
    if (typeof query !== 'string' || extensions !== null || (operationName !== null && typeof operationName !== 'string')) return null;
    if (variables !== null && !isPlainObject(variables)) return null;
    for (const field of Object.keys(body)) if (field !== 'query' && field !== 'operationName' && field !== 'variables') return null;
    const known = answered.lookup(query, operationName);
    if (known === undefined) return null;
    const { name } = known;

    let contextValue: GraphQLContext;
    try {
      contextValue = await context();
    } catch {
      return null; // Apollo reports it
    }
    const { viewer, budget } = contextValue;
    if (viewer.role !== 'PUBLIC') return null;
    const version = await dataVersionOf(contextValue, logger);
    if (version === null) return null;
    rememberDataVersion(contextValue, version);
    let stored: string | undefined;
    try {
      stored = await store.get(responseCacheKey(query, operationName, declaredValues(variables ?? {}, known.variables), version, await contextValue.language.locale()));
    } catch (error) {
      logger.warn({ err: error }, 'response cache read failed; executing');
      return null;
    }
    const entry = stored === undefined ? null : decodeEntry(stored);
    if (!entry) return null;
    const { requestedCost, returned } = entry.meta;

    let cost = '';
    if (budget) {
      if (requestedCost === null || requestedCost > maxQueryCost) return null;
      if (!(await budget.tryCharge(viewer, requestedCost))) return null;
      await budget.settle(returned, true);
      cost = `,"extensions":${JSON.stringify({ cost: budget.extension(await budget.current(viewer)) })}`;
    }
    if (metrics) {
      const label = metrics.operationLabel(name ?? operationName);
      metrics.operations.inc({ operation: label, type: 'query', outcome: 'success' });
      metrics.operationDuration.observe({ operation: label }, Number(process.hrtime.bigint() - started) / 1e9);
    }
    // Apollo's own serialization: errors, data, extensions, then a newline.
    return { status: 200, headers: { 'content-type': mediaType, 'cache-control': 'no-store' }, body: `{"data":${entry.dataJson}${cost}}\n` };
  };
}

/**
 * The cached-answer path of an Apollo server, registered by createApolloServer when it has a
 * response cache, so that every HTTP server in front of it (src/index.ts and the tests) uses it.
 */
const byServer = new WeakMap<ApolloServer<GraphQLContext>, CachedAnswers>();

export function registerCachedAnswers(apollo: ApolloServer<GraphQLContext>, answers: CachedAnswers): void {
  byServer.set(apollo, answers);
}

export function cachedAnswersOf(apollo: ApolloServer<GraphQLContext>): CachedAnswers | undefined {
  return byServer.get(apollo);
}
