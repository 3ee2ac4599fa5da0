import type { Logger } from 'pino';
import type { Config } from './config.ts';
import type { Database } from './db/client.ts';
import { startChangeLogRetention } from './modules/changes/changes-retention.ts';
import { startDemographicsJobs } from './modules/demographics/unlink-job.ts';
import { startRecruitmentJobs } from './modules/recruitment/background-jobs.ts';
import type { NotificationSender } from './notifications/sender.ts';

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
  options.logger.info({ changesRetentionDays: config.CHANGES_RETENTION_DAYS }, 'background jobs on: notification delivery, application expiry, change log retention, demographic unlinking');
  return {
    async stop() {
      await Promise.all([recruitment.stop(), retention.stop(), demographics.stop()]);
    },
  };
}
