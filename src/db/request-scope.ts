import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * One HTTP request's share of the database, carried to every statement it sends (AsyncLocalStorage):
 * - `signal`, aborted when the server gives up on the request (its timeout): the postgres.js client
 *   (resilient-client.ts) then cancels the request's statements, running or queued for a connection,
 *   and refuses new ones, so no query outlives the request that asked for it;
 * - `usedMs`, the statement time it has had: the embedded database's queue (fair-queue.ts) serves
 *   the waiting requests in turn and, when `budgeted`, holds each to DATABASE_STATEMENT_TIMEOUT_MS.
 *   GraphQL requests are budgeted; a streamed export is not (it sends many small statements, and a
 *   cut would truncate a file already under way), and still takes its turns.
 * The HTTP server opens one per request; startup, jobs and CLIs run outside any.
 */
export interface RequestScope {
  readonly signal: AbortSignal;
  readonly budgeted: boolean;
  usedMs: number;
}

const storage = new AsyncLocalStorage<RequestScope>();

/** Runs `work` as one request: its statements follow `signal` and share one place (and budget, if `budgeted`) in the queue. */
export function withinRequest<T>(signal: AbortSignal, work: () => T, options: { budgeted: boolean } = { budgeted: true }): T {
  return storage.run({ signal, budgeted: options.budgeted, usedMs: 0 }, work);
}

/** The current request's scope; undefined outside a request (startup, jobs, CLIs). */
export function currentRequest(): RequestScope | undefined {
  return storage.getStore();
}

/** The current request's signal; undefined outside a request. */
export function requestSignal(): AbortSignal | undefined {
  return storage.getStore()?.signal;
}

/** A statement refused because its request was already given up. */
export class RequestAbandoned extends Error {
  constructor() {
    super('The request this statement belonged to was stopped (timed out); the statement was not sent');
    this.name = 'RequestAbandoned';
  }
}
