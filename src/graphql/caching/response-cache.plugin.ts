import { createHash } from 'node:crypto';
import { HeaderMap, type ApolloServerPlugin } from '@apollo/server';
import type { OperationDefinitionNode } from 'graphql';
import type { Logger } from 'pino';
import type { GraphQLContext } from '../../context.ts';
import { readerOf } from '../../db/replicas.ts';
import { returnedObjects } from '../limits/request-budget.ts';
import { readDataVersion } from './data-version.ts';
import type { ResponseStore } from './response-store.ts';
import { ByteBoundedCache, stringBytes } from './byte-bounded-cache.ts';

/**
 * Fifteen minutes: every time zone's offset is a multiple of it, so a cached answer never
 * outlives the local day its "today" defaults were computed for.
 */
const TIME_SLOT_MS = 15 * 60 * 1000;

/** Bumped when the stored format changes, so an entry of another format is never read. */
const FORMAT = 'v2';

/**
 * What is stored with an answer: its cache policy, the cost analysis's requested cost (null when
 * the request had no budget) and the objects it returned, so that a hit charges the rate limit and
 * reports `extensions.cost` without analysing the document or walking the data again.
 */
export interface StoredMeta {
  policy: { maxAge: number; scope: 'PUBLIC' };
  requestedCost: number | null;
  returned: number;
}

/**
 * An entry is the meta as JSON, a newline, then the answer's `data` exactly as JSON. A hit reads
 * the small meta and can send the data as it is, without parsing and serializing it again (which
 * cost more than everything else of a cached directory answer).
 */
export function encodeEntry(meta: StoredMeta, data: Record<string, unknown>): string {
  return `${JSON.stringify(meta)}\n${JSON.stringify(data)}`;
}

export function decodeEntry(stored: string): { meta: StoredMeta; dataJson: string } | null {
  const newline = stored.indexOf('\n');
  if (newline < 0) return null;
  try {
    return { meta: JSON.parse(stored.slice(0, newline)) as StoredMeta, dataJson: stored.slice(newline + 1) };
  } catch {
    return null;
  }
}

/**
 * The key of an answer: the document, the operation, the variables, the data version
 * (src/graphql/caching/data-version.ts), the time slot and the request's negotiated locale
 * (null: no preference, every text original; src/language/request-language.ts), the only
 * thing of the request besides the document an anonymous answer depends on.
 */
export function responseCacheKey(source: string, operationName: string | null, variables: Record<string, unknown>, version: string, locale: string | null): string {
  const slot = Math.floor(Date.now() / TIME_SLOT_MS);
  return createHash('sha256').update(JSON.stringify([FORMAT, source, operationName, variables, version, slot, locale])).digest('base64url');
}

/** The names of the variables an operation declares: the only ones its answer can depend on. */
export function declaredVariableNames(operation: OperationDefinitionNode): string[] {
  return (operation.variableDefinitions ?? []).map((definition) => definition.variable.name.value);
}

/**
 * The values of the declared variables alone, for a cache key. A request may send others (graphql-js
 * ignores them); keying on them would split the cache per junk value, and serializing them would let
 * a value nested past the stack fail a query that never reads it.
 */
export function declaredValues(variables: Record<string, unknown>, names: readonly string[]): Record<string, unknown> {
  const declared: Record<string, unknown> = {};
  for (const name of names) if (Object.hasOwn(variables, name)) declared[name] = variables[name];
  return declared;
}

/**
 * The data version a request has already read (by the HTTP server's cached-answer path, from the
 * request's own pinned database), so that a miss does not read it a second time.
 */
const versionsRead = new WeakMap<GraphQLContext, string>();

export function rememberDataVersion(context: GraphQLContext, version: string): void {
  versionsRead.set(context, version);
}

/**
 * The request's data version, or null when it cannot be read (a dropped connection, a timeout):
 * the cache is then a miss and stores nothing, and the request executes as without a cache.
 */
export async function dataVersionOf(context: GraphQLContext, logger?: Logger): Promise<string | null> {
  const known = versionsRead.get(context);
  if (known !== undefined) return known;
  try {
    // Read before the data, so what is stored under it is at least as new; and from the request's
    // own replica, so both are of the same state (src/db/replicas.ts).
    return await readDataVersion(readerOf(context.db));
  } catch (error) {
    logger?.warn({ err: error }, 'response cache: data version unreadable; executing without the cache');
    return null;
  }
}

/** The answered-documents map's bound: tens of thousands of documents (an entry is a hash and a name). */
export const ANSWERED_DOCUMENTS_BYTES = 1024 * 1024;

/**
 * Documents this process has seen answered for the public through the whole pipeline (parsed,
 * validated, within every limit, allowed by trusted documents and the introspection policy, a
 * query) and whose answer was cacheable: the cached-answer path (cached-answer.ts) answers only
 * these before Apollo runs. Keyed by the sha256 of the requested operation name and the text, never
 * the text itself; the value is the operation's own name, for metrics. Bounded in bytes (LRU).
 */
/** What the cached-answer path needs of a document it has not parsed. */
export interface AnsweredDocument {
  name: string | null;
  variables: readonly string[];
}

export class AnsweredDocuments {
  readonly cache: ByteBoundedCache<AnsweredDocument>;
  constructor(maxBytes = ANSWERED_DOCUMENTS_BYTES) {
    this.cache = new ByteBoundedCache(maxBytes, ({ name, variables }) => stringBytes(name ?? '') + variables.reduce((sum, v) => sum + stringBytes(v), 0));
  }

  private static key(source: string, operationName: string | null): string {
    return createHash('sha256').update(operationName ?? '').update('\u0000').update(source).digest('base64url');
  }

  add(source: string, requestedName: string | null, operationName: string | null, variables: readonly string[]): void {
    const key = AnsweredDocuments.key(source, requestedName);
    if (this.cache.read(key) === undefined) this.cache.write(key, { name: operationName, variables });
  }

  /** The operation's name (null for an anonymous one) and declared variables when the document is known; undefined when not. */
  lookup(source: string, requestedName: string | null): AnsweredDocument | undefined {
    return this.cache.read(AnsweredDocuments.key(source, requestedName));
  }
}

/**
 * Caches whole responses of anonymous queries, keyed by the document, variables and the data
 * version (src/graphql/caching/data-version.ts): any committed write, through the API, an import
 * or plain SQL, changes the version, so a cached answer is never older than the last commit, on
 * every instance sharing the store. Only error-free answers whose cache hints are all PUBLIC with
 * a max age are stored, for that max age. Staff, partners and mutations always execute.
 * A store that fails is logged and bypassed: the cache can slow nothing down but itself.
 */
export function responseCachePlugin(store: ResponseStore, logger: Logger, answered: AnsweredDocuments): ApolloServerPlugin<GraphQLContext> {
  return {
    async requestDidStart() {
      let key: string | null = null;
      let hit = false;
      let variableNames: string[] = [];
      return {
        async responseForOperation(request) {
          if (request.operation?.operation !== 'query' || request.contextValue.viewer.role !== 'PUBLIC') return null;
          const version = await dataVersionOf(request.contextValue, logger);
          if (version === null) return null;
          const locale = await request.contextValue.language.locale();
          variableNames = declaredVariableNames(request.operation);
          try {
            key = responseCacheKey(request.source, request.request.operationName ?? null, declaredValues(request.request.variables ?? {}, variableNames), version, locale);
          } catch (error) {
            // A value JSON cannot write (nested past the stack) is no reason to fail: execution refuses it cleanly.
            logger.warn({ err: error }, 'response cache key could not be made; executing');
            return null;
          }
          let stored: string | undefined;
          try {
            stored = await store.get(key);
          } catch (error) {
            logger.warn({ err: error }, 'response cache read failed; executing');
            return null;
          }
          const entry = stored === undefined ? null : decodeEntry(stored);
          if (!entry) return null;
          request.overallCachePolicy.replace(entry.meta.policy);
          hit = true;
          answered.add(request.source, request.request.operationName ?? null, request.operationName ?? null, variableNames);
          const data = JSON.parse(entry.dataJson) as Record<string, unknown>;
          return { body: { kind: 'single', singleResult: { data } }, http: { status: undefined, headers: new HeaderMap() } };
        },
        async willSendResponse(request) {
          if (key === null || hit || request.response.body.kind !== 'single') return;
          const { data, errors } = request.response.body.singleResult;
          const policy = request.overallCachePolicy.policyIfCacheable();
          if (errors || !data || !policy || policy.scope !== 'PUBLIC') return;
          const meta: StoredMeta = {
            policy: { maxAge: policy.maxAge, scope: 'PUBLIC' },
            requestedCost: request.contextValue.budget?.requestedCost ?? null,
            returned: returnedObjects(data),
          };
          answered.add(request.source, request.request.operationName ?? null, request.operationName ?? null, variableNames);
          // Not awaited: the answer is ready, and storing it must not delay it.
          store.set(key, encodeEntry(meta, data), policy.maxAge).catch((error: unknown) => {
            logger.warn({ err: error }, 'response cache write failed');
          });
        },
      };
    },
  };
}
