import type { Logger } from 'pino';
import type { Database } from '../../db/client.ts';
import { pruneChangesBefore } from './changes.repository.ts';
import type { JobLeadership } from '../../job-leadership.ts';
import { startPeriodicJob } from '../../periodic-job.ts';

/** Rows deleted per statement: short transactions that never hold many locks at once. */
const BATCH = 5_000;
const DAY_MS = 24 * 3600_000;

/** Deletes the changes older than `retentionDays`, in batches; returns how many went. */
export async function pruneChangeLog(db: Database, retentionDays: number, now: Date = new Date()): Promise<number> {
  const cutoff = new Date(now.getTime() - retentionDays * DAY_MS);
  let total = 0;
  for (;;) {
    const pruned = await pruneChangesBefore(db, cutoff, BATCH);
    total += pruned;
    if (pruned < BATCH) return total;
  }
}

export interface ChangeLogRetentionOptions {
  db: Database;
  logger: Logger;
  /** CHANGES_RETENTION_DAYS; 0 keeps every change forever (nothing starts). */
  retentionDays: number;
  leadership: JobLeadership;
  everyMs?: number;
}

/** Prunes the change log at start and then hourly, on the instance leading the job; a run never overlaps the previous one. */
export function startChangeLogRetention({ db, logger, retentionDays, leadership, everyMs = 3600_000 }: ChangeLogRetentionOptions): { stop: () => Promise<void> } {
  if (retentionDays <= 0) return { stop: async () => {} };
  return startPeriodicJob(
    async () => {
      const pruned = await pruneChangeLog(db, retentionDays);
      if (pruned > 0) logger.info({ pruned, retentionDays }, 'change log pruned');
    },
    { name: 'change-log-retention', everyMs, logger, leadership, failure: 'change log pruning failed' },
  );
}
