import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import type { Metrics, OperationOutcome } from '../http/metrics.ts';

/** Failures of the server (counted as `error`); every other error code is the client's (`refused`). */
const SERVER_FAULTS = new Set(['INTERNAL_SERVER_ERROR', 'QUERY_TIMEOUT']);

/** Counts every GraphQL operation by name and outcome, its errors by code, and its latency. */
export function metricsPlugin<TContext extends BaseContext>(metrics: Metrics): ApolloServerPlugin<TContext> {
  return {
    async requestDidStart({ request }) {
      const started = process.hrtime.bigint();
      return {
        async willSendResponse({ response, operation, operationName }) {
          if (response.body.kind !== 'single') return;
          const { data, errors } = response.body.singleResult;
          const codes = (errors ?? []).map((e) => String(e.extensions?.code ?? 'UNKNOWN'));
          for (const code of codes) metrics.errors.inc({ code });
          let outcome: OperationOutcome = 'success';
          if (codes.includes('RATE_LIMITED')) outcome = 'rate_limited';
          else if (codes.length > 0 && data != null) outcome = 'partial';
          else if (codes.some((code) => SERVER_FAULTS.has(code))) outcome = 'error';
          else if (codes.length > 0) outcome = 'refused';
          // The resolved operation's name; before resolution (syntax errors) only a well-formed requested name.
          const label = metrics.operationLabel(operationName ?? request.operationName);
          metrics.operations.inc({ operation: label, type: operation?.operation ?? 'unknown', outcome });
          metrics.operationDuration.observe({ operation: label }, Number(process.hrtime.bigint() - started) / 1e9);
        },
      };
    },
  };
}
