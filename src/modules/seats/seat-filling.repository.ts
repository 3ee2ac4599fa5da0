import { and, asc, eq, gt, inArray, isNull, or, sql } from 'drizzle-orm';
import type { Database } from '../../db/client.ts';
import { compositionRules, memberships, postNominators, posts, type CompositionRuleRow, type PostNominatorRow } from '../../db/schema/index.ts';

/** SQL for how seats are filled (issue 13): nominators, composition rules and the counts they limit. */

export async function nominatorsByPostIds(db: Database, postIds: readonly number[]): Promise<Map<number, PostNominatorRow[]>> {
  const rows = await db
    .select()
    .from(postNominators)
    .where(inArray(postNominators.postId, [...postIds]))
    .orderBy(asc(postNominators.postId), asc(postNominators.position));
  const byPost = new Map<number, PostNominatorRow[]>();
  for (const row of rows) byPost.set(row.postId, [...(byPost.get(row.postId) ?? []), row]);
  return byPost;
}

export async function compositionRulesByOrganizationIds(db: Database, organizationIds: readonly number[]): Promise<Map<number, CompositionRuleRow[]>> {
  const rows = await db
    .select()
    .from(compositionRules)
    .where(inArray(compositionRules.organizationId, [...organizationIds]))
    .orderBy(asc(compositionRules.organizationId), asc(compositionRules.code));
  const byOrganization = new Map<number, CompositionRuleRow[]>();
  for (const row of rows) byOrganization.set(row.organizationId, [...(byOrganization.get(row.organizationId) ?? []), row]);
  return byOrganization;
}

/**
 * Serializes appointments to one organization's seats (composition rules count across seats, so
 * the post lock alone is not enough): a transaction-scoped advisory lock on the organization,
 * taken before the post lock everywhere an appointment is made.
 */
export async function lockOrganizationSeats(db: Database, organizationId: number): Promise<void> {
  await db.execute(sql`select pg_advisory_xact_lock(hashtext('civic-graph-seats'), ${organizationId}::int)`);
}

export interface CompositionCounts {
  /** Sum of maxHolders of the organization's voting seats that exist on `at`. */
  votingPlaces: number;
  /** Voting terms in effect on or after `at` (not ended by then) whose holder was not appointed from a nominee. */
  notNominated: number;
  /** Voting terms in effect on or after `at` recorded as held by a city employee. */
  cityEmployees: number;
}

/**
 * What the composition rules count, for an appointment starting `at`: every voting term that is
 * still in effect on or after that day (a term ending later overlaps the new one).
 */
export async function compositionCounts(db: Database, organizationId: number, at: string): Promise<CompositionCounts> {
  const [places] = await db
    .select({ n: sql<number>`coalesce(sum(${posts.maxHolders}), 0)::int` })
    .from(posts)
    .where(
      and(
        eq(posts.organizationId, organizationId),
        eq(posts.voting, true),
        or(isNull(posts.createdOn), sql`${posts.createdOn} <= ${at}::date`),
        or(isNull(posts.abolishedOn), gt(posts.abolishedOn, at)),
      ),
    );
  const [terms] = await db
    .select({
      notNominated: sql<number>`count(*) filter (where ${memberships.nominatedByPostId} is null and ${memberships.nominatedByOrganizationId} is null)::int`,
      cityEmployees: sql<number>`count(*) filter (where ${memberships.isCityEmployee})::int`,
    })
    .from(memberships)
    .innerJoin(posts, eq(posts.id, memberships.postId))
    .where(and(eq(memberships.organizationId, organizationId), eq(posts.voting, true), or(isNull(memberships.endDate), gt(memberships.endDate, at))));
  return { votingPlaces: Number(places?.n ?? 0), notNominated: Number(terms?.notNominated ?? 0), cityEmployees: Number(terms?.cityEmployees ?? 0) };
}

/** Ends the seat's terms whose holdover ran out before `at` (on the day it ran out), returning them. */
export async function lapsedHoldovers(db: Database, postId: number, holdoverLimitMonths: number, at: string) {
  return db
    .select()
    .from(memberships)
    .where(
      and(
        eq(memberships.postId, postId),
        isNull(memberships.endDate),
        sql`${memberships.scheduledEndDate} is not null`,
        sql`(${memberships.scheduledEndDate} + make_interval(months => ${holdoverLimitMonths}::int))::date <= ${at}::date`,
      ),
    )
    .orderBy(asc(memberships.id))
    .for('update');
}
