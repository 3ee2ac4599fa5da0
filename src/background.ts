import type { Logger } from 'pino';
import type { Config } from './config.ts';
import type { Database } from './db/client.ts';
import { startChangeLogRetention } from './modules/changes/changes-retention.ts';
import { startDemographicsJobs } from './modules/demographics/unlink-job.ts';
import { startRecruitmentJobs } from './modules/recruitment/background-jobs.ts';
import type { NotificationSender } from './notifications/sender.ts';
import { IDEMPOTENCY_KEY_RETENTION_HOURS, pruneIdempotencyKeys } from './graphql/idempotency.ts';
import { startPeriodicJob } from './periodic-job.ts';

export interface BackgroundJobs {
  stop(): Promise<void>;
}

export interface BackgroundJobsOptions {
  db: Database;
  logger: Logger;
  /** Where notifications go (the log sender by default). */
  sender?: NotificationSender;
  /** Tests shorten the intervals; production uses the jobs' defaults. */
  dispatchEveryMs?: number;
  retentionEveryMs?: number;
  unlinkEveryMs?: number;
}

/**
 * The work an instance does beside answering HTTP: notification delivery, application expiry,
 * pruning the change log past CHANGES_RETENTION_DAYS, and unlinking demographic responses.
 * With BACKGROUND_JOBS=off nothing starts (the instance serves HTTP only; another does this work)
 * and null is returned. Safe on several instances at once: rows are claimed with SKIP LOCKED.
 */
export function startBackgroundJobs(config: Pick<Config, 'BACKGROUND_JOBS' | 'CHANGES_RETENTION_DAYS'>, options: BackgroundJobsOptions): BackgroundJobs | null {
  if (!config.BACKGROUND_JOBS) {
    options.logger.info('background jobs off: this instance serves HTTP only');
    return null;
  }
  const recruitment = startRecruitmentJobs(options);
  const retention = startChangeLogRetention({ db: options.db, logger: options.logger, retentionDays: config.CHANGES_RETENTION_DAYS, everyMs: options.retentionEveryMs });
  const demographics = startDemographicsJobs({ db: options.db, logger: options.logger, everyMs: options.unlinkEveryMs });
  // Idempotency keys are honoured for a day; the sweep runs hourly.
  const idempotency = startPeriodicJob(
    async () => {
      const pruned = await pruneIdempotencyKeys(options.db);
      if (pruned > 0) options.logger.info({ pruned, retentionHours: IDEMPOTENCY_KEY_RETENTION_HOURS }, 'idempotency keys pruned');
    },
    { everyMs: options.retentionEveryMs ?? 3600_000, logger: options.logger, failure: 'idempotency key pruning failed' },
  );
  options.logger.info({ changesRetentionDays: config.CHANGES_RETENTION_DAYS }, 'background jobs on: notification delivery, application expiry, change log retention, demographic unlinking, idempotency key retention');
  return {
    async stop() {
      await Promise.all([recruitment.stop(), retention.stop(), demographics.stop(), idempotency.stop()]);
    },
  };
}
