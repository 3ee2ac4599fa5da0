import type { Logger } from 'pino';

export interface PeriodicJob {
  /** Clears the timer and waits for a run in progress. */
  stop(): Promise<void>;
}

/**
 * Runs `run` at once and then every `everyMs`, never overlapping the previous run (a slow one
 * delays the next instead of piling up); a failure is logged as `failure` and the next run goes on.
 * The timer does not keep the process alive.
 */
export function startPeriodicJob(run: () => Promise<unknown>, options: { everyMs: number; logger: Logger; failure: string }): PeriodicJob {
  let running: Promise<unknown> = Promise.resolve();
  const tick = () => {
    running = running.then(run).catch((error) => options.logger.error({ err: error }, options.failure));
  };
  tick();
  const timer = setInterval(tick, options.everyMs);
  timer.unref();
  return {
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}
