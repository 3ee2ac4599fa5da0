/**
 * Registration expiry in the change feed (issue 13). A registration's status is derived from the
 * city's local date, so on its expiry day nothing in the database changes by itself, and the
 * row-based change feed would say nothing. This job records each expiry once: on or after the
 * expiry day in the organization's city, it sets registration_expiry_recorded_on to the expiry date,
 * an ordinary UPDATE that the change triggers report (and that moves updated_at for `updatedSince`).
 * Idempotent: a recorded expiry is not recorded again; a renewal (a later expiry) is recorded when
 * it comes. Concurrent runs do no harm (a row's second update finds it already recorded).
 */
import { and, eq, isNotNull, sql } from 'drizzle-orm';
import type { Logger } from 'pino';
import type { Database } from '../../db/client.ts';
import { jurisdictions, organizations } from '../../db/schema/index.ts';
import type { JobLeadership } from '../../job-leadership.ts';
import { startPeriodicJob } from '../../periodic-job.ts';

/** Records the registrations that expired by `now` (in each organization's city) and were not yet recorded; returns how many. */
export async function recordRegistrationExpiries(db: Database, options: { now?: Date; jurisdictionId?: number } = {}): Promise<number> {
  const { now = new Date(), jurisdictionId } = options;
  const rows = await db
    .update(organizations)
    .set({ registrationExpiryRecordedOn: sql`${organizations.registrationExpiresOn}` })
    .from(jurisdictions)
    .where(
      and(
        eq(jurisdictions.id, organizations.jurisdictionId),
        jurisdictionId != null ? eq(organizations.jurisdictionId, jurisdictionId) : undefined,
        isNotNull(organizations.registrationExpiresOn),
        sql`${organizations.registrationExpiresOn} <= (${now.toISOString()}::timestamptz at time zone ${jurisdictions.timezone})::date`,
        sql`${organizations.registrationExpiryRecordedOn} is distinct from ${organizations.registrationExpiresOn}`,
      ),
    )
    .returning({ id: organizations.id });
  return rows.length;
}

export interface RegistrationExpiryJobOptions {
  db: Database;
  logger: Logger;
  leadership: JobLeadership;
  everyMs?: number;
}

/** Runs at start and then every 10 minutes on the instance leading it: an expiry reaches the feed within minutes of the city's midnight. */
export function startRegistrationExpiryJob({ db, logger, leadership, everyMs = 10 * 60_000 }: RegistrationExpiryJobOptions): { stop: () => Promise<void> } {
  return startPeriodicJob(
    async () => {
      const recorded = await recordRegistrationExpiries(db);
      if (recorded > 0) logger.info({ recorded }, 'registration expiries recorded');
    },
    { name: 'registration-expiry', everyMs, logger, leadership, failure: 'registration expiry recording failed' },
  );
}
