import { currentRequest, RequestAbandoned, type RequestScope } from './request-scope.ts';

/**
 * The embedded database (PGlite) runs one statement at a time and its WebAssembly build does not
 * enforce statement_timeout, so one client's request of many costly statements (30 aliased
 * searches) used to hold every other request behind it, first in first out. Statements now go
 * through this queue: it serves the waiting requests in turn (round robin, one statement each), and
 * refuses a request's next statement once its statements have run for its budget
 * (DATABASE_STATEMENT_TIMEOUT_MS) with PostgreSQL's own query_canceled, which the error formatter
 * answers as QUERY_TIMEOUT, as it does for a statement PostgreSQL cancels.
 */

/** Work outside any request (startup, background jobs) queues as one more participant. */
const UNSCOPED: RequestScope = { signal: new AbortController().signal, budgeted: false, usedMs: 0 };

/** PostgreSQL's query_canceled, raised here so that every layer treats it as a statement timeout. */
export class DatabaseBudgetExceeded extends Error {
  readonly code = '57014';
  constructor(
    readonly usedMs: number,
    readonly budgetMs: number,
  ) {
    super(`canceling statement: this request's statements already ran ${Math.round(usedMs)} ms of its ${budgetMs} ms`);
  }
}

interface Job {
  run: () => void;
}

export class FairQueue {
  /** Waiting statements by request, in the order the requests will be served next. */
  private readonly waiting = new Map<RequestScope, Job[]>();
  private busy = false;

  /** @param budgetMs the most time one request's statements may run; 0: no budget. */
  constructor(private readonly budgetMs: number) {}

  run<T>(work: () => Promise<T>): Promise<T> {
    const scope = currentRequest() ?? UNSCOPED;
    return new Promise<T>((resolve, reject) => {
      const job: Job = {
        run: () => {
          if (scope.signal.aborted) {
            // The server gave up on this request (its timeout): what it would still send is dropped.
            reject(new RequestAbandoned());
            this.next();
            return;
          }
          if (this.budgetMs > 0 && scope.budgeted && scope.usedMs >= this.budgetMs) {
            reject(new DatabaseBudgetExceeded(scope.usedMs, this.budgetMs));
            this.next();
            return;
          }
          const started = performance.now();
          work()
            .then(resolve, reject)
            .finally(() => {
              scope.usedMs += performance.now() - started;
              this.next();
            });
        },
      };
      const queue = this.waiting.get(scope);
      if (queue) queue.push(job);
      else this.waiting.set(scope, [job]);
      if (!this.busy) this.next();
    });
  }

  /** Starts the first waiting request's next statement and moves that request to the back. */
  private next(): void {
    const first = this.waiting.entries().next();
    if (first.done) {
      this.busy = false;
      return;
    }
    const [scope, jobs] = first.value;
    const job = jobs.shift()!;
    this.waiting.delete(scope);
    if (jobs.length > 0) this.waiting.set(scope, jobs);
    this.busy = true;
    job.run();
  }
}
