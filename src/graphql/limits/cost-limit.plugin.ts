import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import { getVariableValues } from 'graphql';
import type { Viewer } from '../../auth/viewer.ts';
import { sharedCacheMaxAge } from '../caching/cache-headers.plugin.ts';
import { SCANS_PER_OPERATION } from './list-sizes.ts';
import { operationAnalysis } from './query-cost.ts';
import { queryTooCostly, tooManyScans } from './refusals.ts';
import { returnedObjects, type RequestBudget } from './request-budget.ts';

/** What the plugin reads from a context; GraphQLContext has both. */
interface Budgeted {
  viewer?: Viewer;
  budget?: RequestBudget | null;
}

/**
 * Refuses an operation whose cost (query-cost.ts) is above `maxCost`, or that selects a scanning field
 * (`search`) more often than list-sizes.ts allows, once its variables are known
 * and before anything executes. A validation rule could not do it: rules do not see variables.
 * When the request carries a rate-limit budget, the cost is charged to it here too (refused with
 * RATE_LIMITED if it cannot be covered), settled to the objects actually returned afterwards, and
 * reported in `extensions.cost` on every response (without `throttleStatus` on an answer a CDN may keep).
 * Scan costs (list-sizes.ts) are never refunded: the scan was done whatever came back.
 */
export function costLimitPlugin<TContext extends BaseContext>(maxCost: number): ApolloServerPlugin<TContext> {
  return {
    async requestDidStart() {
      // Work the operation does whatever it returns (a search's scan): charged, never refunded.
      let scanned = 0;
      return {
        async didResolveOperation({ request, document, operation, schema, contextValue }) {
          if (!operation) return;
          const variables = getVariableValues(schema, operation.variableDefinitions ?? [], request.variables ?? {}, { maxErrors: 1 });
          // Variables that do not coerce stop execution before any resolver runs, with a precise error.
          if (variables.errors) return;
          const { cost, scanCost, limitedFields } = operationAnalysis(schema, document, operation, variables.coerced);
          const { budget, viewer } = contextValue as Budgeted;
          for (const [coordinate, selected] of Object.entries(limitedFields)) {
            const max = SCANS_PER_OPERATION[coordinate]!;
            if (selected > max) {
              if (budget) budget.requestedCost = cost;
              throw tooManyScans(coordinate, selected, max);
            }
          }
          if (cost > maxCost) {
            if (budget) budget.requestedCost = cost;
            throw queryTooCostly(cost, maxCost);
          }
          if (budget && viewer) await budget.charge(viewer, cost);
          scanned = scanCost;
        },
        async willSendResponse(context) {
          const { response, contextValue } = context;
          const { budget, viewer } = contextValue as Budgeted;
          if (!budget || response.body.kind !== 'single') return;
          const result = response.body.singleResult;
          // No data at all: refused before execution (a GraphQL error result always has `data`).
          await budget.settle(returnedObjects(result.data) + (result.data !== undefined ? scanned : 0), result.data !== undefined);
          // An answer a CDN may keep is replayed to other callers: it shows the cost, not this
          // caller's remaining budget (the HTTP server likewise leaves out the RateLimit headers).
          const status = sharedCacheMaxAge(context) === null ? await budget.current(viewer ?? null) : null;
          result.extensions = { ...result.extensions, cost: budget.extension(status) };
        },
      };
    },
  };
}
