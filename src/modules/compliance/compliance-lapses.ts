/**
 * Compliance lapses in the change feed (issue 15). A requirement's status is derived from dates,
 * so on the day an association's annual meeting lapses nothing in the database changes by itself,
 * and the row-based change feed would say nothing. This job records each lapse once: on or after
 * the first OVERDUE day in the organization's city (the day after the last evidence's
 * `nextDueOn`), it inserts a compliance_lapses row, which touches the organization (an UPDATE in
 * the feed, and `updatedSince`). Idempotent (the row's key is the lapse); a later lapse, after new
 * evidence, is recorded when it comes. Registration renewals are left to the registration expiry
 * job, which already records each expiry; requirements never met have no lapse day.
 */
import type { Logger } from 'pino';
import { eq } from 'drizzle-orm';
import type { Database } from '../../db/client.ts';
import { complianceLapses, jurisdictions } from '../../db/schema/index.ts';
import { todayIn } from '../../graphql/dates.ts';
import { addDays } from '../../input/calendar.ts';
import type { JobLeadership } from '../../job-leadership.ts';
import { startPeriodicJob } from '../../periodic-job.ts';
import { DUE_SOON_DAYS, complianceInJurisdiction } from './compliance.service.ts';

/** Records the lapses that happened by `now` (in each city) and were not yet recorded; returns how many. */
export async function recordComplianceLapses(db: Database, options: { now?: Date; jurisdictionId?: number } = {}): Promise<number> {
  const { now = new Date(), jurisdictionId } = options;
  const cities = await db.select({ id: jurisdictions.id, timezone: jurisdictions.timezone }).from(jurisdictions).where(jurisdictionId != null ? eq(jurisdictions.id, jurisdictionId) : undefined);
  let recorded = 0;
  for (const city of cities) {
    const { statuses } = await complianceInJurisdiction(db, city.id, todayIn(city.timezone, now), DUE_SOON_DAYS);
    const lapses = statuses.flatMap((c) =>
      c.requirements
        .filter((r) => r.status === 'OVERDUE' && r.requirement.metBy === 'EVIDENCE' && r.nextDueOn != null)
        .map((r) => ({ organizationId: c.organization.id, requirementCode: r.requirement.code, lapsedOn: addDays(r.nextDueOn!, 1) })),
    );
    if (lapses.length === 0) continue;
    const inserted = await db.insert(complianceLapses).values(lapses).onConflictDoNothing().returning({ organizationId: complianceLapses.organizationId });
    recorded += inserted.length;
  }
  return recorded;
}

export interface ComplianceLapseJobOptions {
  db: Database;
  logger: Logger;
  leadership: JobLeadership;
  everyMs?: number;
}

/** Runs at start and then every 10 minutes on the instance leading it: a lapse reaches the feed within minutes of the city's midnight. */
export function startComplianceLapseJob({ db, logger, leadership, everyMs = 10 * 60_000 }: ComplianceLapseJobOptions): { stop: () => Promise<void> } {
  return startPeriodicJob(
    async () => {
      const recorded = await recordComplianceLapses(db);
      if (recorded > 0) logger.info({ recorded }, 'compliance lapses recorded');
    },
    { name: 'compliance-lapse', everyMs, logger, leadership, failure: 'compliance lapse recording failed' },
  );
}
