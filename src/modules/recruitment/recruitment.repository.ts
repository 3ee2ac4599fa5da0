import { and, asc, count, eq, getTableColumns, inArray, lte, sql, type SQL } from 'drizzle-orm';
import type { Database } from '../../db/client.ts';
import { intArray, lateralParentId, selectLateral } from '../../db/lateral.ts';
import {
  applicationEligibility,
  applicationEvents,
  applications,
  applicationSeatPreferences,
  memberships,
  organizations,
  postingPosts,
  posts,
  vacancyPostings,
  type ApplicationEligibilityRow,
  type ApplicationEventRow,
  type ApplicationRow,
  type ApplicationSeatPreferenceRow,
  type MembershipRow,
  type NewApplicationRow,
  type NewVacancyPostingRow,
  type OrganizationRow,
  type PostRow,
  type VacancyPostingRow,
} from '../../db/schema/index.ts';
import { pageClauses, plainKey, type Keyset, type PageRequest } from '../../graphql/pagination.ts';
import { rowsByIds } from '../../db/rows-by-ids.ts';

/** SQL for vacancy postings and applications. */

export type PostingStatus = VacancyPostingRow['status'];
export type ApplicationStatus = ApplicationRow['status'];

/** States in which an application still waits for a decision (and so can expire). */
export const ACTIVE_STATUSES = ['SUBMITTED', 'UNDER_REVIEW', 'INTERVIEW_SCHEDULED', 'RECOMMENDED'] as const satisfies readonly ApplicationStatus[];

// ----- postings -------------------------------------------------------------------------------

export const postingKeyset: Keyset<VacancyPostingRow> = {
  keys: [plainKey(vacancyPostings.closesOn, 'date'), plainKey(vacancyPostings.id, 'int')],
  direction: 'asc',
  valuesOf: (row) => [row.closesOn, row.id],
};

export interface PostingFilter {
  organizationId?: number | null;
  statuses: readonly PostingStatus[];
  acceptingOn?: string | null;
}

function postingWhere(jurisdictionOrOrganization: SQL, filter: PostingFilter): SQL | undefined {
  return and(
    jurisdictionOrOrganization,
    filter.organizationId != null ? eq(vacancyPostings.organizationId, filter.organizationId) : undefined,
    inArray(vacancyPostings.status, [...filter.statuses]),
    filter.acceptingOn != null
      ? and(eq(vacancyPostings.status, 'OPEN'), lte(vacancyPostings.opensOn, filter.acceptingOn), sql`${filter.acceptingOn}::date < ${vacancyPostings.closesOn}`)
      : undefined,
  );
}

export function postingsByIds(db: Database, ids: readonly number[]): Promise<VacancyPostingRow[]> {
  return rowsByIds(db, vacancyPostings, ids);
}

export function postingsPage(db: Database, jurisdictionId: number, filter: PostingFilter, page: PageRequest): Promise<VacancyPostingRow[]> {
  const clauses = pageClauses(postingKeyset, page);
  return db
    .select()
    .from(vacancyPostings)
    .where(and(postingWhere(eq(vacancyPostings.jurisdictionId, jurisdictionId), filter), clauses.where))
    .orderBy(...clauses.orderBy)
    .limit(clauses.limit);
}

export async function postingsCount(db: Database, jurisdictionId: number, filter: PostingFilter): Promise<number> {
  const [row] = await db.select({ n: count() }).from(vacancyPostings).where(postingWhere(eq(vacancyPostings.jurisdictionId, jurisdictionId), filter));
  return row?.n ?? 0;
}

export interface PostingPageParams {
  statuses: PostingStatus[];
  page: PageRequest;
}

/** A page of postings for each organization, in one statement. */
export function postingPagesByOrganizationIds(db: Database, organizationIds: readonly number[], params: PostingPageParams): Promise<Map<number, VacancyPostingRow[]>> {
  const clauses = pageClauses(postingKeyset, params.page);
  return selectLateral(db, vacancyPostings, organizationIds, (qb) =>
    qb
      .select(getTableColumns(vacancyPostings))
      .from(vacancyPostings)
      .where(and(postingWhere(sql`${vacancyPostings.organizationId} = ${lateralParentId}`, { statuses: params.statuses }), clauses.where))
      .orderBy(...clauses.orderBy)
      .limit(clauses.limit),
  );
}

export async function postingCountsByOrganizationIds(db: Database, organizationIds: readonly number[], params: { statuses: PostingStatus[] }): Promise<Map<number, number>> {
  const rows = await db
    .select({ organizationId: vacancyPostings.organizationId, n: count() })
    .from(vacancyPostings)
    .where(postingWhere(sql`${vacancyPostings.organizationId} = any(${intArray(organizationIds)}::int[])`, { statuses: params.statuses }))
    .groupBy(vacancyPostings.organizationId);
  return new Map(rows.map((r) => [r.organizationId, r.n]));
}

/** The seats of each posting, by label: one statement for any number of postings. */
export async function postsByPostingIds(db: Database, postingIds: readonly number[]): Promise<Map<number, PostRow[]>> {
  const rows = await db
    .select({ postingId: postingPosts.postingId, post: posts })
    .from(postingPosts)
    .innerJoin(posts, eq(posts.id, postingPosts.postId))
    .where(inArray(postingPosts.postingId, [...postingIds]))
    .orderBy(asc(posts.label), asc(posts.id));
  const byPosting = new Map<number, PostRow[]>(postingIds.map((id) => [id, []]));
  for (const { postingId, post } of rows) byPosting.get(postingId)?.push(post);
  return byPosting;
}

export async function insertPosting(db: Database, values: NewVacancyPostingRow): Promise<VacancyPostingRow> {
  const [row] = await db.insert(vacancyPostings).values(values).returning();
  return row!;
}

export async function updatePosting(db: Database, id: number, fields: Partial<NewVacancyPostingRow>): Promise<VacancyPostingRow> {
  const [row] = await db.update(vacancyPostings).set(fields).where(eq(vacancyPostings.id, id)).returning();
  return row!;
}

/** Locks the posting (FOR NO KEY UPDATE) so its status and window hold while an application is written. */
export async function lockPosting(db: Database, id: number): Promise<VacancyPostingRow | null> {
  const [row] = await db.select().from(vacancyPostings).where(eq(vacancyPostings.id, id)).for('no key update');
  return row ?? null;
}

/** A posting's body, FOR SHARE until the transaction ends, so its status and dates hold while the posting is written. */
export async function lockBody(db: Database, organizationId: number): Promise<OrganizationRow | null> {
  const [row] = await db.select().from(organizations).where(eq(organizations.id, organizationId)).for('share');
  return row ?? null;
}

/** Posts of an organization among `ids` (to check a posting's seats belong to its body). */
export function postsOfOrganization(db: Database, organizationId: number, ids: readonly number[]): Promise<PostRow[]> {
  return db.select().from(posts).where(and(eq(posts.organizationId, organizationId), inArray(posts.id, [...ids])));
}

export async function replacePostingPosts(db: Database, posting: VacancyPostingRow, postIds: readonly number[]): Promise<void> {
  await db.delete(postingPosts).where(eq(postingPosts.postingId, posting.id));
  await db.insert(postingPosts).values(postIds.map((postId) => ({ postingId: posting.id, postId, organizationId: posting.organizationId })));
}

export async function postIdsOfPosting(db: Database, postingId: number): Promise<number[]> {
  const rows = await db.select({ postId: postingPosts.postId }).from(postingPosts).where(eq(postingPosts.postingId, postingId));
  return rows.map((r) => r.postId);
}

// ----- applications ---------------------------------------------------------------------------

/** Status as it reads now: an undecided application past its expiry is EXPIRED even before the sweep runs. */
export const effectiveStatus: SQL<ApplicationStatus> = sql`(case when ${applications.status} in ('SUBMITTED', 'UNDER_REVIEW', 'INTERVIEW_SCHEDULED', 'RECOMMENDED') and ${applications.expiresAt} <= now() then 'EXPIRED'::application_status else ${applications.status} end)`;

export const applicationKeyset: Keyset<ApplicationRow> = {
  keys: [plainKey(applications.id, 'int')],
  direction: 'desc',
  valuesOf: (row) => [row.id],
};

export interface ApplicationFilter {
  postingId?: number | null;
  statuses?: readonly ApplicationStatus[] | null;
}

export function applicationsPage(db: Database, jurisdictionId: number, filter: ApplicationFilter, page: PageRequest): Promise<ApplicationRow[]> {
  const clauses = pageClauses(applicationKeyset, page);
  return db
    .select()
    .from(applications)
    .where(
      and(
        eq(applications.jurisdictionId, jurisdictionId),
        filter.postingId != null ? eq(applications.postingId, filter.postingId) : undefined,
        filter.statuses?.length ? sql`${effectiveStatus} in (${sql.join(filter.statuses.map((s) => sql`${s}::application_status`), sql`, `)})` : undefined,
        clauses.where,
      ),
    )
    .orderBy(...clauses.orderBy)
    .limit(clauses.limit);
}

export function applicationsByIds(db: Database, ids: readonly number[]): Promise<ApplicationRow[]> {
  return rowsByIds(db, applications, ids);
}

export async function applicationByTokenHash(db: Database, tokenHash: string): Promise<ApplicationRow | null> {
  const [row] = await db.select().from(applications).where(eq(applications.tokenHash, tokenHash));
  return row ?? null;
}

export async function lockApplication(db: Database, id: number): Promise<ApplicationRow | null> {
  const [row] = await db.select().from(applications).where(eq(applications.id, id)).for('update');
  return row ?? null;
}

export async function insertApplication(db: Database, values: NewApplicationRow): Promise<ApplicationRow> {
  const [row] = await db.insert(applications).values(values).returning();
  return row!;
}

export async function updateApplication(db: Database, id: number, fields: Partial<NewApplicationRow>): Promise<ApplicationRow> {
  const [row] = await db.update(applications).set(fields).where(eq(applications.id, id)).returning();
  return row!;
}

export async function replaceSeatPreferences(db: Database, application: ApplicationRow, postIds: readonly number[]): Promise<void> {
  await db.delete(applicationSeatPreferences).where(eq(applicationSeatPreferences.applicationId, application.id));
  await db
    .insert(applicationSeatPreferences)
    .values(postIds.map((postId, i) => ({ applicationId: application.id, postingId: application.postingId, postId, rank: i + 1 })));
}

export async function preferencesByApplicationIds(db: Database, ids: readonly number[]): Promise<Map<number, ApplicationSeatPreferenceRow[]>> {
  const rows = await db
    .select()
    .from(applicationSeatPreferences)
    .where(inArray(applicationSeatPreferences.applicationId, [...ids]))
    .orderBy(asc(applicationSeatPreferences.rank));
  const byId = new Map<number, ApplicationSeatPreferenceRow[]>(ids.map((id) => [id, []]));
  for (const row of rows) byId.get(row.applicationId)?.push(row);
  return byId;
}

export type NewEligibilityCheck = Omit<ApplicationEligibilityRow, 'id' | 'applicationId' | 'evaluatedAt'>;

export async function replaceEligibility(db: Database, applicationId: number, checks: readonly NewEligibilityCheck[]): Promise<void> {
  await db.delete(applicationEligibility).where(eq(applicationEligibility.applicationId, applicationId));
  if (checks.length) await db.insert(applicationEligibility).values(checks.map((c) => ({ ...c, applicationId })));
}

/** One rule's result, replacing any earlier one for the same rule. */
export async function upsertEligibility(db: Database, applicationId: number, check: NewEligibilityCheck): Promise<void> {
  await db
    .insert(applicationEligibility)
    .values({ ...check, applicationId })
    .onConflictDoUpdate({
      target: [applicationEligibility.applicationId, applicationEligibility.ruleKey],
      set: { result: check.result, method: check.method, detail: check.detail, postId: check.postId, evaluatedAt: sql`now()` },
    });
}

export async function eligibilityByApplicationIds(db: Database, ids: readonly number[]): Promise<Map<number, ApplicationEligibilityRow[]>> {
  const rows = await db
    .select()
    .from(applicationEligibility)
    .where(inArray(applicationEligibility.applicationId, [...ids]))
    .orderBy(asc(applicationEligibility.id));
  const byId = new Map<number, ApplicationEligibilityRow[]>(ids.map((id) => [id, []]));
  for (const row of rows) byId.get(row.applicationId)?.push(row);
  return byId;
}

export async function insertApplicationEvent(db: Database, values: Omit<ApplicationEventRow, 'id' | 'occurredAt'>): Promise<void> {
  await db.insert(applicationEvents).values(values);
}

export async function eventsByApplicationIds(db: Database, ids: readonly number[]): Promise<Map<number, ApplicationEventRow[]>> {
  const rows = await db.select().from(applicationEvents).where(inArray(applicationEvents.applicationId, [...ids])).orderBy(asc(applicationEvents.id));
  const byId = new Map<number, ApplicationEventRow[]>(ids.map((id) => [id, []]));
  for (const row of rows) byId.get(row.applicationId)?.push(row);
  return byId;
}

export async function membershipsByApplicationIds(db: Database, ids: readonly number[]): Promise<MembershipRow[]> {
  return db.select().from(memberships).where(inArray(memberships.applicationId, [...ids]));
}

/** Undecided applications past their expiry, locked; rows another sweep holds are skipped. */
export function lockDueForExpiry(db: Database, now: Date, limit: number, jurisdictionId?: number): Promise<ApplicationRow[]> {
  return db
    .select()
    .from(applications)
    .where(
      and(
        inArray(applications.status, [...ACTIVE_STATUSES]),
        lte(applications.expiresAt, now),
        jurisdictionId != null ? eq(applications.jurisdictionId, jurisdictionId) : undefined,
      ),
    )
    .orderBy(asc(applications.id))
    .limit(limit)
    .for('update', { skipLocked: true });
}
