import type { Logger } from 'pino';
import type { Database } from '../../db/client.ts';
import { pruneChangesBefore } from './changes.repository.ts';

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
  everyMs?: number;
}

/** Prunes the change log at start and then hourly; a run never overlaps the previous one. */
export function startChangeLogRetention({ db, logger, retentionDays, everyMs = 3600_000 }: ChangeLogRetentionOptions): { stop: () => Promise<void> } {
  if (retentionDays <= 0) return { stop: async () => {} };
  let running: Promise<unknown> = Promise.resolve();
  const sweep = () => {
    running = running
      .then(() => pruneChangeLog(db, retentionDays))
      .then((pruned) => pruned > 0 && logger.info({ pruned, retentionDays }, 'change log pruned'))
      .catch((error) => logger.error({ err: error }, 'change log pruning failed'));
  };
  sweep();
  const timer = setInterval(sweep, everyMs);
  timer.unref();
  return {
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}
