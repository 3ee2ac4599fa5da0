import type postgres from 'postgres';
import { RequestAbandoned, requestSignal } from './request-scope.ts';

/**
 * Errors that mean the connection went away under the statement, not that the statement failed:
 * postgres.js's own CONNECTION_CLOSED and socket errors, and PostgreSQL's admin_shutdown and
 * crash_shutdown (57P01, 57P02, e.g. pg_terminate_backend or a restart), cannot_connect_now (57P03)
 * and the connection_exception class (08000, 08003, 08006).
 */
const CONNECTION_LOST = new Set(['CONNECTION_CLOSED', 'ECONNRESET', 'EPIPE', '57P01', '57P02', '57P03', '08000', '08003', '08006']);

export function isConnectionLost(error: unknown): boolean {
  // Drizzle wraps the driver's error ("Failed query: …") with the driver's as its cause.
  const code = (error as { code?: unknown } | null)?.code ?? (error as { cause?: { code?: unknown } } | null)?.cause?.code;
  return typeof code === 'string' && CONNECTION_LOST.has(code);
}

const STARTS_AS_READ = /^\s*(select|with)\b/i;
/** Words that can make a SELECT change something; a statement naming one is never retried. */
const MAY_WRITE = /\b(insert|update|delete|merge|nextval|setval|advisory|lock|notify|set_config)\b/i;

/** A statement that only reads, so that sending it again cannot change anything twice. */
export function isReadStatement(text: string): boolean {
  return STARTS_AS_READ.test(text) && !MAY_WRITE.test(text);
}

type Unsafe = postgres.Sql['unsafe'];

/**
 * A statement as Drizzle uses one (awaited, or `.values()` awaited), sent when first awaited:
 * - with the current request's signal, cancelled (running: a cancel request; queued for a
 *   connection: removed) when the request is given up, and refused once it has been;
 * - outside a transaction, a read whose connection was lost is sent once more, on another
 *   connection of the pool; a write never is (it may have committed), nor anything in a transaction.
 */
function statement(target: postgres.Sql, retryReads: boolean, text: string, params?: unknown[], options?: object) {
  const signal = requestSignal();
  const attempt = (values: boolean): Promise<unknown> => {
    if (signal?.aborted) return Promise.reject(new RequestAbandoned());
    const pending = (target.unsafe as Unsafe)(text, params as never, options as never);
    const result: Promise<unknown> = values ? pending.values() : pending;
    if (!signal) return result;
    const cancel = () => void Promise.resolve(pending.cancel()).catch(() => {});
    signal.addEventListener('abort', cancel, { once: true });
    return result.finally(() => signal.removeEventListener('abort', cancel));
  };
  const run = (values: boolean) =>
    attempt(values).catch((error: unknown) => (retryReads && isConnectionLost(error) && isReadStatement(text) ? attempt(values) : Promise.reject(error)));
  let sent: Promise<unknown> | undefined;
  return {
    values: () => run(true),
    then: <A, B>(ok?: (value: unknown) => A, fail?: (error: unknown) => B) => (sent ??= run(false)).then(ok, fail),
  };
}

/**
 * The postgres.js client as the app's Drizzle uses it: every statement follows its request (see
 * `statement`), and reads outside a transaction survive one lost connection. Transactions get the
 * same treatment for their statements except the retry: a transaction whose connection dropped is
 * lost as a whole, and the error reaches the caller (a write is reported, never sent twice).
 */
export function resilientClient(sql: postgres.Sql, retryReads = true): postgres.Sql {
  return new Proxy(sql, {
    get(target, property, receiver) {
      if (property === 'unsafe') return (text: string, params?: unknown[], options?: object) => statement(target, retryReads, text, params, options);
      if (property === 'begin') {
        return (...args: unknown[]) => {
          const work = args.pop() as (tx: postgres.TransactionSql) => unknown;
          return (target.begin as (...a: unknown[]) => unknown)(...args, (tx: postgres.TransactionSql) =>
            Promise.resolve(work(resilientClient(tx as unknown as postgres.Sql, false) as unknown as postgres.TransactionSql)).catch((error: unknown) =>
              // The server already ended a transaction whose connection is gone. Rejecting here would
              // make postgres.js send ROLLBACK on the dead socket, which throws outside any promise
              // and ends the process (postgres.js 3.4.x, issues #1154 and #1208). Left unsettled,
              // begin() still rejects: it races this against the connection's close.
              isConnectionLost(error) ? new Promise<never>(() => {}) : Promise.reject(error),
            ),
          );
        };
      }
      return Reflect.get(target, property, receiver);
    },
  });
}
