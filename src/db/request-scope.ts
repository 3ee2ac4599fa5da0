import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * The signal of the HTTP request a statement is sent for. The HTTP server runs each request's work
 * inside `withinRequest`, and aborts the signal when it gives up on the request (its timeout): the
 * database client (resilient-client.ts) then cancels that request's statements, running or queued
 * for a connection, and refuses new ones, so no query outlives the request that asked for it.
 */
const scope = new AsyncLocalStorage<AbortSignal>();

export function withinRequest<T>(signal: AbortSignal, work: () => Promise<T>): Promise<T> {
  return scope.run(signal, work);
}

/** The current request's signal; undefined outside a request (startup, jobs, CLIs). */
export function requestSignal(): AbortSignal | undefined {
  return scope.getStore();
}

/** A statement refused because its request was already given up. */
export class RequestAbandoned extends Error {
  constructor() {
    super('The request this statement belonged to was stopped (timed out); the statement was not sent');
    this.name = 'RequestAbandoned';
  }
}
