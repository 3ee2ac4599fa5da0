import { randomUUID } from 'node:crypto';
import { unwrapResolverError } from '@apollo/server/errors';
import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import type { Logger } from 'pino';
import { isConnectionLost } from './db/resilient-client.ts';

/** Codes a client may see as-is. Anything else is a bug and reaches the client masked. */
const EXPOSED_CODES = new Set([
  'BAD_USER_INPUT',
  'BAD_REQUEST',
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'OPERATION_RESOLUTION_FAILURE',
  'PERSISTED_QUERY_NOT_FOUND',
  'PERSISTED_QUERY_NOT_SUPPORTED',
  'TRUSTED_DOCUMENT_REQUIRED',
  'NOT_FOUND',
  'UNAUTHENTICATED',
  'FORBIDDEN',
  // Operations refused before execution (src/graphql/limits).
  'DOCUMENT_TOO_LARGE',
  'QUERY_TOO_COSTLY',
  'QUERY_TOO_DEEP',
  'TOO_MANY_ALIASES',
  'TOO_MANY_DIRECTIVES',
  // Operations refused for who is asking or how much they asked lately (src/graphql/limits).
  'RATE_LIMITED',
  'INTROSPECTION_DISABLED',
  // A statement PostgreSQL cancelled at DATABASE_STATEMENT_TIMEOUT_MS.
  'QUERY_TIMEOUT',
  // A changes(since:) cursor older than the change log keeps (src/modules/changes).
  'CURSOR_EXPIRED',
  // The database connection dropped under a write (or under a read twice): retry, with the same Idempotency-Key.
  'DATABASE_CONNECTION_LOST',
]);

/** PostgreSQL's query_canceled: statement_timeout fired (or the statement was cancelled). */
const QUERY_CANCELED = '57014';

export function isStatementTimeout(error: unknown): boolean {
  const cause = (error as { cause?: { code?: unknown } } | null)?.cause ?? error;
  return (cause as { code?: unknown } | null)?.code === QUERY_CANCELED;
}

/** An argument the client got wrong. `argument` names it so the client can point at it. */
export function badUserInput(message: string, argument?: string): GraphQLError {
  return new GraphQLError(message, {
    extensions: { code: 'BAD_USER_INPUT', ...(argument ? { argument } : {}) },
  });
}

export function notFound(message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: 'NOT_FOUND' } });
}

/** A service's refusal (badUserInput, notFound) as an HTTP status and a message safe to show; null for anything else. */
export function refusalAsHttp(error: unknown): { status: 400 | 404; message: string } | null {
  if (!(error instanceof GraphQLError)) return null;
  if (error.extensions.code === 'NOT_FOUND') return { status: 404, message: error.message };
  if (error.extensions.code === 'BAD_USER_INPUT') return { status: 400, message: error.message };
  return null;
}

function isApolloRequestRefusal(error: unknown): boolean {
  if (!error || typeof error !== 'object') return false;
  const { originalError, extensions } = error as { originalError?: unknown; extensions?: { http?: { status?: unknown }; code?: unknown } };
  const status = extensions?.http?.status;
  // A wrapped error (originalError) was thrown by our code or a library, not raised by Apollo itself.
  return !originalError && extensions?.code === undefined && typeof status === 'number' && status >= 400 && status < 500;
}

/**
 * Apollo files every error raised during validation under GRAPHQL_VALIDATION_FAILED. A query limit
 * refused there (depth, aliases, directives) raised its error with its own exposed code; keep that.
 */
function codeOf(formatted: GraphQLFormattedError, error: unknown): unknown {
  const code = formatted.extensions?.code;
  // Apollo's own refusals of a request's shape carry an HTTP 4xx and no code ("provided sha does not
  // match query", "Unsupported persisted query version"): the client's mistake, shown as BAD_REQUEST.
  if (code === 'INTERNAL_SERVER_ERROR' && isApolloRequestRefusal(error)) return 'BAD_REQUEST';
  if (code !== 'GRAPHQL_VALIDATION_FAILED') return code;
  const own = (error as { originalError?: { extensions?: { code?: unknown } } } | null)?.originalError?.extensions?.code;
  return typeof own === 'string' && EXPOSED_CODES.has(own) ? own : code;
}

/**
 * Apollo `formatError`: known client errors pass through; everything else is logged with an id
 * and replaced by a generic message carrying that id, so no stack trace or SQL reaches a client.
 * The logger (src/logger.ts) keeps the error's class and SQLSTATE code, never its statement's data.
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
    if (isStatementTimeout(original)) {
      logger.warn({ err: original, errorId, path: formatted.path }, 'statement cancelled by statement_timeout');
      return {
        message: `The database took too long to answer and the query was cancelled; ask for less (error id ${errorId})`,
        ...(formatted.path ? { path: formatted.path } : {}),
        extensions: { code: 'QUERY_TIMEOUT', errorId },
      };
    }
    if (isConnectionLost((original as { cause?: unknown } | null)?.cause ?? original)) {
      logger.warn({ err: original, errorId, path: formatted.path }, 'database connection lost during an operation');
      return {
        message: `The database connection was lost; a change asked for may or may not have been made. Retry (with the same Idempotency-Key, so a change is made once) (error id ${errorId})`,
        ...(formatted.path ? { path: formatted.path } : {}),
        extensions: { code: 'DATABASE_CONNECTION_LOST', errorId },
      };
    }
    logger.error({ err: original, errorId, path: formatted.path }, 'unexpected error while executing an operation');
    return {
      message: `Internal server error (error id ${errorId})`,
      ...(formatted.path ? { path: formatted.path } : {}),
      ...(formatted.locations ? { locations: formatted.locations } : {}),
      extensions: { code: 'INTERNAL_SERVER_ERROR', errorId },
    };
  };
}
