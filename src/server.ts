import { ApolloServer } from '@apollo/server';
import type { Logger } from 'pino';
import { DEFAULT_MAX_QUERY_COST } from './config.ts';
import type { GraphQLContext } from './context.ts';
import { createErrorFormatter } from './errors.ts';
import { queryLimits } from './graphql/limits/query-limits.ts';
import { resolvers } from './graphql/resolvers.ts';
import { loadTypeDefs } from './graphql/type-defs.ts';

export interface ServerOptions {
  logger: Logger;
  /** Production hides introspection and schema hints from anonymous clients. */
  production: boolean;
  /** Most objects one operation may ask for (MAX_QUERY_COST); see src/graphql/limits/query-cost.ts. */
  maxQueryCost?: number;
}

/** The Apollo server shared by the HTTP entry point and the tests (which call executeOperation). */
export function createApolloServer({ logger, production, maxQueryCost = DEFAULT_MAX_QUERY_COST }: ServerOptions): ApolloServer<GraphQLContext> {
  // Tokens, depth, aliases, directives and cost: refused before execution (src/graphql/limits).
  const limits = queryLimits<GraphQLContext>({ production, maxQueryCost });
  return new ApolloServer<GraphQLContext>({
    typeDefs: loadTypeDefs(),
    resolvers,
    formatError: createErrorFormatter(logger),
    introspection: !production,
    hideSchemaDetailsFromClientErrors: production,
    includeStacktraceInErrorResponses: false,
    parseOptions: limits.parseOptions,
    maxRecursiveSelections: limits.maxRecursiveSelections,
    validationRules: limits.validationRules,
    plugins: limits.plugins,
    // One operation per request, so that the limits above bound a request (OWASP batching attacks).
    allowBatchedHttpRequests: false,
    logger: {
      debug: (m) => logger.debug(m),
      info: (m) => logger.info(m),
      warn: (m) => logger.warn(m),
      error: (m) => logger.error(m),
    },
  });
}
