import { lt, sql } from 'drizzle-orm';
import type { Logger } from 'pino';
import type { JobLeadership } from '../../job-leadership.ts';
import { startPeriodicJob } from '../../periodic-job.ts';
import type { Database } from '../../db/client.ts';
import { demographicSurveyInvitations } from '../../db/schema/index.ts';

/**
 * A response is written in its application's transaction, so until it is rewritten a database
 * superuser could match the two by transaction id (xmin) or by their place on disk. This job
 * rewrites, in one transaction of its own and in random order with new ids, EVERY response of each
 * (jurisdiction, reporting year) that received new ones since its last run, and deletes the
 * originals: afterwards all of a year's responses share the job's xmin and are shuffled on disk
 * together, so the time of the last run narrows nothing down (rewriting only the new ones would
 * leave a lone response of a quiet quarter-hour datable). The deleted tuples stay on disk until
 * VACUUM reclaims them, which autovacuum does after the job. It also deletes expired survey
 * invitations, which name no person but need not be kept.
 */
export async function unlinkDemographicResponses(db: Database): Promise<number> {
  const result = await db.execute(sql`
    with touched as (
      select distinct jurisdiction_id, reporting_year from demographics.responses where not unlinked
    ), moved as (
      delete from demographics.responses r using touched t
      where r.jurisdiction_id = t.jurisdiction_id and r.reporting_year = t.reporting_year
      returning r.jurisdiction_id, r.organization_id, r.context, r.reporting_year, r.council_district_id, r.answers
    )
    insert into demographics.responses (jurisdiction_id, organization_id, context, reporting_year, council_district_id, answers, unlinked)
    select jurisdiction_id, organization_id, context, reporting_year, council_district_id, answers, true from moved order by random()
  `);
  return affectedRows(result);
}

export async function deleteExpiredSurveyInvitations(db: Database, now: Date = new Date()): Promise<number> {
  const deleted = await db.delete(demographicSurveyInvitations).where(lt(demographicSurveyInvitations.expiresAt, now)).returning({ tokenHash: demographicSurveyInvitations.tokenHash });
  return deleted.length;
}

/** Rows a statement wrote, from either driver's result (postgres.js: count; PGlite: affectedRows). */
function affectedRows(result: unknown): number {
  const r = result as { count?: number; affectedRows?: number };
  return Number(r.count ?? r.affectedRows ?? 0);
}

export interface DemographicsJobOptions {
  db: Database;
  logger: Logger;
  leadership: JobLeadership;
  everyMs?: number;
}

/**
 * Runs the unlink job at start and then every 15 minutes by default (the longer the interval, the
 * more responses each batch mixes), on the instance leading the job; a run never overlaps the
 * previous one. Logs counts only.
 */
export function startDemographicsJobs({ db, logger, leadership, everyMs = 15 * 60_000 }: DemographicsJobOptions): { stop: () => Promise<void> } {
  return startPeriodicJob(
    async () => {
      const done = { unlinked: await unlinkDemographicResponses(db), expiredInvitations: await deleteExpiredSurveyInvitations(db) };
      if (done.unlinked > 0 || done.expiredInvitations > 0) logger.info(done, 'demographic responses unlinked');
    },
    { name: 'demographic-unlink', everyMs, logger, leadership, failure: 'demographic unlink job failed' },
  );
}
