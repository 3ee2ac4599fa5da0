import type { Logger } from 'pino';
import type { Config } from './config.ts';
import type { DatabaseHandle } from './db/client.ts';
import { createJobLeadership } from './job-leadership.ts';
import { startChangeLogRetention } from './modules/changes/changes-retention.ts';
import { startDemographicsJobs } from './modules/demographics/unlink-job.ts';
import { startRegistrationExpiryJob } from './modules/organizations/registration-expiry.ts';
import { startComplianceLapseJob } from './modules/compliance/compliance-lapses.ts';
import { startRecruitmentJobs } from './modules/recruitment/background-jobs.ts';
import type { NotificationSender } from './notifications/sender.ts';
import { IDEMPOTENCY_KEY_RETENTION_HOURS, pruneIdempotencyKeys } from './graphql/idempotency.ts';
import { startPeriodicJob } from './periodic-job.ts';

export interface BackgroundJobs {
  stop(): Promise<void>;
}

export interface BackgroundJobsOptions {
  /** The database the jobs work on; its sessions hold the jobs' leads (job-leadership.ts). */
  database: Pick<DatabaseHandle, 'db' | 'openSession'>;
  logger: Logger;
  /** Where notifications go (the log sender by default). */
  sender?: NotificationSender;
  /** Tests shorten the intervals; production uses the jobs' defaults. */
  dispatchEveryMs?: number;
  expireEveryMs?: number;
  retentionEveryMs?: number;
  unlinkEveryMs?: number;
  registrationExpiryEveryMs?: number;
}

/**
 * The work an instance does beside answering HTTP: notification delivery, application expiry,
 * pruning the change log past CHANGES_RETENTION_DAYS, unlinking demographic responses, and
 * recording registration expiries and compliance lapses in the change feed.
 * With BACKGROUND_JOBS=off nothing starts (the instance serves HTTP only; another does this work)
 * and null is returned. On several instances, each job runs on the one leading it
 * (job-leadership.ts); the jobs claim their rows besides (SKIP LOCKED), so an overlap is harmless.
 */
export function startBackgroundJobs(config: Pick<Config, 'BACKGROUND_JOBS' | 'CHANGES_RETENTION_DAYS'>, options: BackgroundJobsOptions): BackgroundJobs | null {
  if (!config.BACKGROUND_JOBS) {
    options.logger.info('background jobs off: this instance serves HTTP only');
    return null;
  }
  const { db } = options.database;
  const { logger } = options;
  const leadership = createJobLeadership(options.database);
  const recruitment = startRecruitmentJobs({ db, logger, leadership, sender: options.sender, dispatchEveryMs: options.dispatchEveryMs, expireEveryMs: options.expireEveryMs });
  const retention = startChangeLogRetention({ db, logger, leadership, retentionDays: config.CHANGES_RETENTION_DAYS, everyMs: options.retentionEveryMs });
  const demographics = startDemographicsJobs({ db, logger, leadership, everyMs: options.unlinkEveryMs });
  // Registration expiries (issue 13) reach the change feed on the city's expiry day.
  const registrations = startRegistrationExpiryJob({ db, logger, leadership, everyMs: options.registrationExpiryEveryMs });
  // Compliance lapses (issue 15) reach the change feed on the day a requirement lapses, the same way.
  const lapses = startComplianceLapseJob({ db, logger, leadership, everyMs: options.registrationExpiryEveryMs });
  // Idempotency keys are honoured for a day; the sweep runs hourly.
  const idempotency = startPeriodicJob(
    async () => {
      const pruned = await pruneIdempotencyKeys(db);
      if (pruned > 0) logger.info({ pruned, retentionHours: IDEMPOTENCY_KEY_RETENTION_HOURS }, 'idempotency keys pruned');
    },
    { name: 'idempotency-key-retention', everyMs: options.retentionEveryMs ?? 3600_000, logger, leadership, failure: 'idempotency key pruning failed' },
  );
  logger.info({ changesRetentionDays: config.CHANGES_RETENTION_DAYS }, 'background jobs on: notification delivery, application expiry, change log retention, demographic unlinking, idempotency key retention, registration expiry, compliance lapses');
  return {
    async stop() {
      await Promise.all([recruitment.stop(), retention.stop(), demographics.stop(), idempotency.stop(), registrations.stop(), lapses.stop()]);
      await leadership.close();
    },
  };
}
