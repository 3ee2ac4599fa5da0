import { describe, expect, it } from 'vitest';
import { createLogger } from '../../src/logger.ts';
import type { JobLeadership } from '../../src/job-leadership.ts';
import { startPeriodicJob } from '../../src/periodic-job.ts';

/**
 * The scheduler alone (src/periodic-job.ts): a leadership whose answer we hold back stands for a
 * leadership check stalled on a dead connection; the database side has its own tests
 * (several-instances.test.ts, background-jobs.test.ts).
 */
function heldLeadership() {
  let release!: () => void;
  const held = new Promise<void>((resolve) => (release = resolve));
  let asked = 0;
  const leadership: JobLeadership = {
    async leads() {
      asked++;
      await held;
      return true;
    },
    async close() {},
  };
  return { leadership, release, asked: () => asked };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('a periodic job', () => {
  it('skips the ticks that come while a run is still going: after a stall it runs once, not once per missed tick', async () => {
    const { leadership, release, asked } = heldLeadership();
    let runs = 0;
    const job = startPeriodicJob(async () => void runs++, { name: 'stall', everyMs: 10, logger: createLogger('silent'), leadership, failure: 'failed' });
    await sleep(120); // about 12 ticks while the first is held
    release();
    await sleep(5);
    await job.stop();
    expect(asked()).toBeLessThanOrEqual(2);
    expect(runs).toBeLessThanOrEqual(2);
    expect(runs).toBeGreaterThanOrEqual(1);
  });

  it('goes on after a failed run, logging it', async () => {
    let runs = 0;
    const lines: string[] = [];
    const logger = createLogger('error', { write: (line: string) => void lines.push(line) });
    const leadership: JobLeadership = { leads: async () => true, close: async () => {} };
    const job = startPeriodicJob(
      async () => {
        runs++;
        if (runs === 1) throw new Error('first run fails');
      },
      { name: 'flaky', everyMs: 10, logger, leadership, failure: 'flaky job failed' },
    );
    await sleep(60);
    await job.stop();
    expect(runs).toBeGreaterThan(1);
    expect(lines.some((line) => line.includes('flaky job failed'))).toBe(true);
  });
});
