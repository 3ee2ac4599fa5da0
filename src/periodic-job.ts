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
 * job-leadership.ts; the others skip their ticks). A tick that comes while the previous one is
 * still going (a slow run, or a leadership check waiting on a stalled connection) is skipped, not
 * queued: after a stall the job runs once, not once per missed tick. A failure is logged as
 * `failure` and the next tick goes on. The timer does not keep the process alive.
 */
export function startPeriodicJob(run: () => Promise<unknown>, options: PeriodicJobOptions): PeriodicJob {
  let running: Promise<void> | null = null;
  const tick = () => {
    if (running) return;
    running = (async () => {
      try {
        if (await options.leadership.leads(options.name)) await run();
      } catch (error) {
        options.logger.error({ err: error, job: options.name }, options.failure);
      } finally {
        running = null;
      }
    })();
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
