import type { Logger } from 'pino';
import type { Database } from '../../db/client.ts';
import { createDispatcher } from '../../notifications/dispatcher.ts';
import { startPeriodicJob } from '../../periodic-job.ts';
import { createLogSender, type NotificationSender } from '../../notifications/sender.ts';
import { expireDueApplications } from './workflow.service.ts';

export interface RecruitmentJobsOptions {
  db: Database;
  logger: Logger;
  /** Where notifications go; the log sender unless a deployment plugs in a real one. */
  sender?: NotificationSender;
  dispatchEveryMs?: number;
  expireEveryMs?: number;
}

/**
 * What `npm start` runs beside the HTTP server: the notification dispatcher, and the sweep that
 * stores EXPIRED on applications past their lifetime (reads already show them expired).
 */
export function startRecruitmentJobs(options: RecruitmentJobsOptions): { stop: () => Promise<void> } {
  const { db, logger } = options;
  const dispatcher = createDispatcher({ db, logger, sender: options.sender ?? createLogSender(logger) });
  dispatcher.start(options.dispatchEveryMs ?? 5_000);
  const expiry = startPeriodicJob(
    async () => {
      const expired = await expireDueApplications(db);
      if (expired > 0) logger.info({ expired }, 'applications expired');
    },
    { everyMs: options.expireEveryMs ?? 10 * 60_000, logger, failure: 'application expiry sweep failed' },
  );
  return {
    async stop() {
      await expiry.stop();
      await dispatcher.stop();
    },
  };
}
