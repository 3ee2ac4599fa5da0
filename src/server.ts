import { ApolloServer } from '@apollo/server';
import type { Logger } from 'pino';
import type { GraphQLContext } from './context.ts';
import { createErrorFormatter } from './errors.ts';
import { resolvers } from './graphql/resolvers.ts';
import { loadTypeDefs } from './graphql/type-defs.ts';

export interface ServerOptions {
  logger: Logger;
  /** Production hides introspection and schema hints from anonymous clients. */
  production: boolean;
}

/** The Apollo server shared by the HTTP entry point and the tests (which call executeOperation). */
export function createApolloServer({ logger, production }: ServerOptions): ApolloServer<GraphQLContext> {
  return new ApolloServer<GraphQLContext>({
    typeDefs: loadTypeDefs(),
    resolvers,
    formatError: createErrorFormatter(logger),
    introspection: !production,
    hideSchemaDetailsFromClientErrors: production,
    includeStacktraceInErrorResponses: false,
    // Guards against pathological documents before validation runs.
    parseOptions: { maxTokens: 5000 },
    logger: {
      debug: (m) => logger.debug(m),
      info: (m) => logger.info(m),
      warn: (m) => logger.warn(m),
      error: (m) => logger.error(m),
    },
  });
}
