import { ApolloServer, type ApolloServerOptions } from '@apollo/server';
import { ApolloServerPluginCacheControl } from '@apollo/server/plugin/cacheControl';
import { ApolloServerPluginInlineTraceDisabled } from '@apollo/server/plugin/disabled';
import type { Logger } from 'pino';
import { DEFAULT_MAX_QUERY_COST } from './config.ts';
import type { GraphQLContext } from './context.ts';
import { createErrorFormatter } from './errors.ts';
import { introspectionPlugin } from './graphql/limits/introspection.plugin.ts';
import { cacheHeadersPlugin } from './graphql/caching/cache-headers.plugin.ts';
import { AnsweredDocuments, responseCachePlugin } from './graphql/caching/response-cache.plugin.ts';
import { cachedAnswers, registerCachedAnswers } from './graphql/caching/cached-answer.ts';
import type { ResponseStore } from './graphql/caching/response-store.ts';
import { ByteBoundedCache, stringBytes } from './graphql/caching/byte-bounded-cache.ts';
import { createDocumentStore } from './graphql/caching/document-store.ts';
import { queryLimits } from './graphql/limits/query-limits.ts';
import { metricsPlugin } from './graphql/metrics.plugin.ts';
import { primaryForMutationsPlugin } from './graphql/primary-for-mutations.plugin.ts';
import type { Metrics } from './http/metrics.ts';
import { buildFederatedSchema } from './graphql/federation.ts';
import type { TrustedDocuments } from './graphql/persisted/manifest.ts';
import { trustedDocumentsPlugin, type TrustedDocumentsMode } from './graphql/persisted/trusted-documents.plugin.ts';
import { compiledAwareFieldResolver } from './graphql/compiled/compiled-fields.ts';
import { compiledOperationPlugin } from './graphql/compiled/compiled-operation.plugin.ts';
import { resolvers } from './graphql/resolvers.ts';
import { inputArgumentsPlugin } from './graphql/input-arguments.plugin.ts';
import { SupportedOperationTypes } from './graphql/operation-types.rule.ts';
import { loadTypeDefs } from './graphql/type-defs.ts';

export interface ServerOptions {
  logger: Logger;
  /** Production hides introspection and schema hints from anonymous clients. */
  production: boolean;
  /** Most objects one operation may ask for (MAX_QUERY_COST); see src/graphql/limits/query-cost.ts. */
  maxQueryCost?: number;
  /** In production, partner keys may introspect too (INTROSPECTION_FOR_PARTNERS); staff always may. */
  introspectionForPartners?: boolean;
  /** Counts operations, errors and latency by operation name. */
  metrics?: Metrics;
  /** Where automatic persisted queries are kept: in memory (PERSISTED_QUERY_CACHE_BYTES) unless given (Redis). */
  persistedQueryCache?: PersistedQueryCache;
  /** The trusted-documents manifest and how strictly it applies (src/graphql/persisted). */
  trustedDocuments?: { documents: TrustedDocuments; mode: TrustedDocumentsMode };
  /** Serve the schema as an Apollo Federation subgraph (FEDERATION=on; src/graphql/federation.ts). */
  federation?: boolean;
  /** Where to cache anonymous query responses (RESPONSE_CACHE); none: every query executes. */
  responseCache?: ResponseStore | null;
}

type PersistedQueryCache = NonNullable<Exclude<ApolloServerOptions<GraphQLContext>['persistedQueries'], false>>['cache'];

/** A registered document lives a day in a shared cache (Redis); the in-memory cache evicts by size. */
export const PERSISTED_QUERY_TTL_SECONDS = 86_400;

/** The in-memory persisted-query cache's bound (without Redis): documents by hash, each ≤ MAX_DOCUMENT_BYTES. */
export const PERSISTED_QUERY_CACHE_BYTES = 8 * 1024 * 1024;

/** Objects without a cache hint are not cacheable (schema/caching.graphql). */
const CACHE_DEFAULT_MAX_AGE = 0;

/** The Apollo server shared by the HTTP entry point and the tests (which call executeOperation). */
export function createApolloServer({
  logger,
  production,
  maxQueryCost = DEFAULT_MAX_QUERY_COST,
  introspectionForPartners = false,
  metrics,
  persistedQueryCache,
  trustedDocuments,
  federation = false,
  responseCache = null,
}: ServerOptions): ApolloServer<GraphQLContext> {
  // Tokens, depth, aliases, directives and cost: refused before execution (src/graphql/limits).
  const limits = queryLimits<GraphQLContext>({ production, maxQueryCost });
  // Documents answered from the response cache; their hits are answered before Apollo (cached-answer.ts).
  const answered = new AnsweredDocuments();
  // Every in-process cache is bounded in bytes (src/graphql/caching/byte-bounded-cache.ts), Apollo's too.
  const documentStore = createDocumentStore();
  const persisted = persistedQueryCache ?? new ByteBoundedCache<string>(PERSISTED_QUERY_CACHE_BYTES, stringBytes);
  metrics?.observeCacheBytes({
    documents: () => documentStore.bytes,
    answered_documents: () => answered.cache.bytes,
    ...(persisted instanceof ByteBoundedCache ? { persisted_queries: () => persisted.bytes } : {}),
    ...(responseCache?.bytes ? { responses: responseCache.bytes } : {}),
  });
  const formatError = createErrorFormatter(logger);
  const apollo = new ApolloServer<GraphQLContext>({
    ...(federation ? { schema: buildFederatedSchema(loadTypeDefs(), resolvers) } : { typeDefs: loadTypeDefs(), resolvers }),
    // Reads fields of objects the compiled directory built in SQL (src/graphql/compiled).
    fieldResolver: compiledAwareFieldResolver,
    // src/index.ts drains in-flight requests on SIGTERM/SIGINT, then stops Apollo itself. Apollo's
    // own handlers would stop it at once and re-raise the signal, killing the process mid-request.
    stopOnTerminationSignals: false,
    formatError,
    // Decided per caller by introspectionPlugin: staff always, the public only outside production.
    introspection: true,
    // No "Did you mean …?" in production: suggestions would map the schema with introspection off.
    hideSchemaDetailsFromClientErrors: production,
    includeStacktraceInErrorResponses: false,
    parseOptions: limits.parseOptions,
    documentStore,
    maxRecursiveSelections: limits.maxRecursiveSelections,
    // Subscriptions are refused while validating (no root type for them).
    validationRules: [...limits.validationRules, SupportedOperationTypes],
    plugins: [
      ...(metrics ? [metricsPlugin<GraphQLContext>(metrics)] : []),
      introspectionPlugin<GraphQLContext>({ production, forPartners: introspectionForPartners }),
      primaryForMutationsPlugin(),
      // Every String/ID argument checked before anything reads it (src/input/text-rules.ts).
      inputArgumentsPlugin<GraphQLContext>(),
      ...limits.plugins,
      // A federated schema would otherwise return resolver timings and errors to any client that
      // sends the ftv1 header; this server reports no usage to Apollo, so traces are never needed.
      ...(federation ? [ApolloServerPluginInlineTraceDisabled()] : []),
      // Before the response cache: in `require` mode an unlisted document is refused, cached or not.
      ...(trustedDocuments && trustedDocuments.mode !== 'off' ? [trustedDocumentsPlugin(trustedDocuments.documents, trustedDocuments.mode)] : []),
      // Cache hints come from @cacheControl in the SDL (schema/caching.graphql); unhinted objects are
      // uncacheable. The headers plugin writes Cache-Control itself, by who asked and how.
      ApolloServerPluginCacheControl({ defaultMaxAge: CACHE_DEFAULT_MAX_AGE, calculateHttpHeaders: false }),
      cacheHeadersPlugin(),
      ...(responseCache ? [responseCachePlugin(responseCache, logger, answered)] : []),
      // After the response cache (a hit is cheaper still): a query made only of compiled root
      // fields is answered by their statements' JSON, without graphql-js execution (src/graphql/compiled).
      compiledOperationPlugin({
        defaultMaxAge: CACHE_DEFAULT_MAX_AGE,
        onFallback: (error) => logger.warn({ err: error }, 'compiled operation failed; executing it instead'),
        formatError,
      }),
    ],
    // Automatic persisted queries: a client sends a document's sha256 and, on a miss, the document once.
    persistedQueries: { cache: persisted, ttl: PERSISTED_QUERY_TTL_SECONDS },
    // One operation per request, so that the limits above bound a request (OWASP batching attacks).
    allowBatchedHttpRequests: false,
    logger: {
      debug: (m) => logger.debug(m),
      info: (m) => logger.info(m),
      warn: (m) => logger.warn(m),
      error: (m) => logger.error(m),
    },
  });
  if (responseCache) registerCachedAnswers(apollo, cachedAnswers({ store: responseCache, answered, maxQueryCost, metrics, logger }));
  return apollo;
}
