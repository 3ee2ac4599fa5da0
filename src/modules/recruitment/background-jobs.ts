import type { Logger } from 'pino';
import type { Database } from '../../db/client.ts';
import type { JobLeadership } from '../../job-leadership.ts';
import { createDispatcher } from '../../notifications/dispatcher.ts';
import { startPeriodicJob } from '../../periodic-job.ts';
import { createLogSender, type NotificationSender } from '../../notifications/sender.ts';
import { expireDueApplications } from './workflow.service.ts';

export interface RecruitmentJobsOptions {
  db: Database;
  logger: Logger;
  leadership: JobLeadership;
  /** Where notifications go; the log sender unless a deployment plugs in a real one. */
  sender?: NotificationSender;
  dispatchEveryMs?: number;
  expireEveryMs?: number;
}

/**
 * What `npm start` runs beside the HTTP server, each on the instance leading it: the notification
 * dispatcher, and the sweep that stores EXPIRED on applications past their lifetime (reads already
 * show them expired).
 */
export function startRecruitmentJobs(options: RecruitmentJobsOptions): { stop: () => Promise<void> } {
  const { db, logger, leadership } = options;
  const dispatcher = createDispatcher({ db, logger, sender: options.sender ?? createLogSender(logger) });
  const dispatch = startPeriodicJob(() => dispatcher.dispatchOnce(), {
    name: 'notification-dispatch',
    everyMs: options.dispatchEveryMs ?? 5_000,
    logger,
    leadership,
    failure: 'notification dispatch round failed',
  });
  const expiry = startPeriodicJob(
    async () => {
      const expired = await expireDueApplications(db);
      if (expired > 0) logger.info({ expired }, 'applications expired');
    },
    { name: 'application-expiry', everyMs: options.expireEveryMs ?? 10 * 60_000, logger, leadership, failure: 'application expiry sweep failed' },
  );
  return {
    async stop() {
      await expiry.stop();
      await dispatch.stop();
    },
  };
}
