import type { ApolloServerPlugin } from '@apollo/server';
import { createLoaders, type GraphQLContext } from '../context.ts';
import { primaryOf } from '../db/replicas.ts';

/**
 * A mutation reads and writes on the primary database from its first statement to its payload:
 * the checks it makes before writing and the payload it reads after must not see a replica that
 * lags behind. Queries keep reading from replicas (DATABASE_REPLICA_URLS).
 */
export function primaryForMutationsPlugin(): ApolloServerPlugin<GraphQLContext> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ operation, contextValue }) {
          if (operation?.operation !== 'mutation') return;
          const primary = primaryOf(contextValue.db);
          if (primary === contextValue.db) return;
          contextValue.db = primary;
          contextValue.loaders = createLoaders(primary);
        },
      };
    },
  };
}
