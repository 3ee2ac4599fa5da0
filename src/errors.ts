import { randomUUID } from 'node:crypto';
import { unwrapResolverError } from '@apollo/server/errors';
import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import type { Logger } from 'pino';

/** Codes a client may see as-is. Anything else is a bug and reaches the client masked. */
const EXPOSED_CODES = new Set([
  'BAD_USER_INPUT',
  'BAD_REQUEST',
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'OPERATION_RESOLUTION_FAILURE',
  'PERSISTED_QUERY_NOT_FOUND',
  'PERSISTED_QUERY_NOT_SUPPORTED',
  'NOT_FOUND',
  'UNAUTHENTICATED',
  'FORBIDDEN',
  // Operations refused before execution (src/graphql/limits).
  'QUERY_TOO_COSTLY',
  'QUERY_TOO_DEEP',
  'TOO_MANY_ALIASES',
  'TOO_MANY_DIRECTIVES',
]);

/** An argument the client got wrong. `argument` names it so the client can point at it. */
export function badUserInput(message: string, argument?: string): GraphQLError {
  return new GraphQLError(message, {
    extensions: { code: 'BAD_USER_INPUT', ...(argument ? { argument } : {}) },
  });
}

export function notFound(message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: 'NOT_FOUND' } });
}

/**
 * Apollo files every error raised during validation under GRAPHQL_VALIDATION_FAILED. A query limit
 * refused there (depth, aliases, directives) raised its error with its own exposed code; keep that.
 */
function codeOf(formatted: GraphQLFormattedError, error: unknown): unknown {
  const code = formatted.extensions?.code;
  if (code !== 'GRAPHQL_VALIDATION_FAILED') return code;
  const own = (error as { originalError?: { extensions?: { code?: unknown } } } | null)?.originalError?.extensions?.code;
  return typeof own === 'string' && EXPOSED_CODES.has(own) ? own : code;
}

/**
 * What the log keeps of an error: a database failure's code, constraint and reason, never the
 * "Failed query … params:" text a query error carries, whose parameters may be personal data.
 */
export function loggableError(error: unknown): Record<string, unknown> {
  if (!(error instanceof Error)) return { value: String(error).slice(0, 200) };
  const cause = (error as { cause?: unknown }).cause;
  if (cause && typeof cause === 'object' && typeof (cause as { code?: unknown }).code === 'string') {
    const pg = cause as { code: string; message?: string; constraint?: string; constraint_name?: string; table?: string; table_name?: string };
    return {
      type: error.name,
      databaseCode: pg.code,
      constraint: pg.constraint ?? pg.constraint_name,
      table: pg.table ?? pg.table_name,
      reason: pg.message,
      stack: error.stack?.split('\n').slice(1).join('\n'),
    };
  }
  return { type: error.name, message: error.message, stack: error.stack };
}

/**
 * Apollo `formatError`: known client errors pass through; everything else is logged with an id
 * and replaced by a generic message carrying that id, so no stack trace or SQL reaches a client.
 */
export function createErrorFormatter(logger: Logger) {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const original = unwrapResolverError(error);
    const code = codeOf(formatted, error);
    // Apollo gives anything thrown without a code INTERNAL_SERVER_ERROR, so the code alone decides.
    // (No instanceof: a second copy of graphql-js, as test runners may load, would defeat it.)
    if (typeof code === 'string' && EXPOSED_CODES.has(code)) {
      // Drop the stack trace Apollo adds in development; keep code and our own fields.
      const { stacktrace: _stacktrace, ...extensions } = formatted.extensions ?? {};
      return { ...formatted, extensions: { ...extensions, code } };
    }
    const errorId = randomUUID();
    logger.error({ err: loggableError(original), errorId, path: formatted.path }, 'unexpected error while executing an operation');
    return {
      message: `Internal server error (error id ${errorId})`,
      ...(formatted.path ? { path: formatted.path } : {}),
      ...(formatted.locations ? { locations: formatted.locations } : {}),
      extensions: { code: 'INTERNAL_SERVER_ERROR', errorId },
    };
  };
}
