import type { Logger } from 'pino';
import type { JobLeadership } from './job-leadership.ts';

export interface PeriodicJob {
  /** Clears the timer and waits for a run in progress. */
  stop(): Promise<void>;
}

export interface PeriodicJobOptions {
  /** Names the job across instances: of all instances running it, the one leading this name runs it. */
  name: string;
  everyMs: number;
  logger: Logger;
  /** Decides whether this instance runs the job at a tick (job-leadership.ts). */
  leadership: JobLeadership;
  /** The log message of a failed run. */
  failure: string;
}

/**
 * Runs `run` at once and then every `everyMs`, on the instance that leads the job (see
 * job-leadership.ts; the others skip their ticks), never overlapping the previous run (a slow one
 * delays the next instead of piling up); a failure is logged as `failure` and the next run goes
 * on. The timer does not keep the process alive.
 */
export function startPeriodicJob(run: () => Promise<unknown>, options: PeriodicJobOptions): PeriodicJob {
  let running: Promise<unknown> = Promise.resolve();
  const tick = () => {
    running = running
      .then(async () => {
        if (await options.leadership.leads(options.name)) await run();
      })
      .catch((error) => options.logger.error({ err: error, job: options.name }, options.failure));
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
