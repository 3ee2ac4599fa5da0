import { pino, type DestinationStream, type Logger } from 'pino';
import { sanitizeLogArguments, serializeError } from './log-safety.ts';

/**
 * Keys that hold a person's data or a secret wherever a log object carries them (top level or one
 * level down): censored by pino's redact before the line is written.
 */
const PRIVATE_KEYS = ['email', 'phone', 'answers', 'address', 'password', 'token', 'authorization', 'cookie', 'variables', 'params', 'parameters', 'detail', 'where'];
export const REDACTED_PATHS = [...PRIVATE_KEYS, ...PRIVATE_KEYS.map((key) => `*.${key}`), 'headers.authorization', 'req.headers.authorization', 'req.headers.cookie'];

/**
 * The one way to make a logger (the server, jobs, CLIs and tests alike): structured JSON whose every
 * line, at every level and in every child, passes through src/log-safety.ts first. Errors anywhere
 * in a line (`err`, `error`, a cause, an AggregateError's errors) keep their class, SQLSTATE code,
 * constraint, table, column and routine, never the statement's parameters or a `detail` quoting a
 * value; strings lose any text a failed statement quoted. Log ids, not values.
 */
export function createLogger(level: string, destination?: DestinationStream): Logger {
  const options = {
    level,
    base: { service: 'civic-graph' },
    redact: { paths: REDACTED_PATHS, censor: '[private]' },
    // pino applies serializers to top-level keys only; hooks.logMethod below covers every depth.
    serializers: { err: (error: unknown) => serializeError(error), error: (error: unknown) => serializeError(error) },
    hooks: {
      logMethod(this: Logger, args: unknown[], method: (...args: unknown[]) => void) {
        method.apply(this, sanitizeLogArguments(args));
      },
    },
  };
  return destination ? pino(options, destination) : pino(options);
}
