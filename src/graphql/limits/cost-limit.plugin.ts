import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import { getVariableValues } from 'graphql';
import { operationCost } from './query-cost.ts';
import { queryTooCostly } from './refusals.ts';

/**
 * Refuses an operation whose cost (query-cost.ts) is above `maxCost`, once its variables are known
 * and before anything executes. A validation rule could not do it: rules do not see variables.
 */
export function costLimitPlugin<TContext extends BaseContext>(maxCost: number): ApolloServerPlugin<TContext> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ request, document, operation, schema }) {
          if (!operation) return;
          const variables = getVariableValues(schema, operation.variableDefinitions ?? [], request.variables ?? {}, { maxErrors: 1 });
          // Variables that do not coerce stop execution before any resolver runs, with a precise error.
          if (variables.errors) return;
          const cost = operationCost(schema, document, operation, variables.coerced);
          if (cost > maxCost) throw queryTooCostly(cost, maxCost);
        },
      };
    },
  };
}
