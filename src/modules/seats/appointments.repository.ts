import { and, asc, count, desc, eq, getTableColumns, sql, type SQL } from 'drizzle-orm';
import type { Database } from '../../db/client.ts';
import {
  divisions,
  memberships,
  organizations,
  people,
  personPrivateDetails,
  posts,
  type DivisionRow,
  type MembershipRow,
  type NewMembershipRow,
  type NewPostRow,
  type OrganizationRow,
  type PersonRow,
  type PostRow,
} from '../../db/schema/index.ts';
import { inEffectOn } from '../../db/temporal.ts';
import { pageClauses, plainKey, type Keyset, type PageRequest } from '../../graphql/pagination.ts';

/** SQL for staff mutations on seats and terms, and the staff-only look-ahead queries. */

// Lock order, everywhere: the post's organization where a new term needs it (lockBodyOfPost), then
// the post (FOR NO KEY UPDATE, like the capacity trigger, which stays compatible with the FOR KEY
// SHARE of concurrent foreign-key checks), then its terms.
export async function lockPost(db: Database, id: number): Promise<PostRow | null> {
  const [row] = await db.select().from(posts).where(eq(posts.id, id)).for('no key update');
  return row ?? null;
}

/**
 * The organization of a post, FOR SHARE until the transaction ends, so its status and dates cannot
 * change under a new term (a dataset import or organizationUpdate waits). Taken before lockPost: an
 * import writes organizations before posts, so the same order cannot deadlock with it. Null when the
 * post does not exist.
 */
export async function lockBodyOfPost(db: Database, postId: number): Promise<OrganizationRow | null> {
  const [row] = await db
    .select({ body: organizations })
    .from(posts)
    .innerJoin(organizations, eq(organizations.id, posts.organizationId))
    .where(eq(posts.id, postId))
    .for('share', { of: organizations });
  return row?.body ?? null;
}

/** An organization's row, share-locked: its status and dates cannot change until the transaction ends. */
export async function lockOrganization(db: Database, organizationId: number): Promise<OrganizationRow | null> {
  const [row] = await db.select().from(organizations).where(eq(organizations.id, organizationId)).for('share');
  return row ?? null;
}

export async function lockMembership(db: Database, id: number): Promise<MembershipRow | null> {
  const [row] = await db.select().from(memberships).where(eq(memberships.id, id)).for('update');
  return row ?? null;
}

export async function insertPost(db: Database, values: NewPostRow): Promise<PostRow> {
  const [row] = await db.insert(posts).values(values).returning();
  return row!;
}

export async function updatePost(db: Database, id: number, fields: Partial<NewPostRow>): Promise<PostRow> {
  // Edited by staff: a later dataset import leaves this seat as staff made it.
  const [row] = await db.update(posts).set({ ...fields, origin: 'STAFF' }).where(eq(posts.id, id)).returning();
  return row!;
}

export async function insertMembership(db: Database, values: NewMembershipRow): Promise<MembershipRow> {
  const [row] = await db.insert(memberships).values(values).returning();
  return row!;
}

export async function endMembership(db: Database, id: number, endDate: string, endReason: NonNullable<MembershipRow['endReason']>): Promise<MembershipRow> {
  // Ended by staff: a later dataset import leaves this term as staff recorded it.
  const [row] = await db.update(memberships).set({ endDate, endReason, origin: 'STAFF' }).where(eq(memberships.id, id)).returning();
  return row!;
}

export async function divisionOf(db: Database, id: number): Promise<DivisionRow | null> {
  const [row] = await db.select().from(divisions).where(eq(divisions.id, id));
  return row ?? null;
}

/** Locks the person (FOR SHARE) so a concurrent personUpdate cannot move their home mid-appointment. */
export async function personOf(db: Database, id: number): Promise<PersonRow | null> {
  const [row] = await db.select().from(people).where(eq(people.id, id)).for('share');
  return row ?? null;
}

/** Staff-only: the home location used for the district residence rule, and nothing else private. */
export async function homeLocationOf(db: Database, personId: number): Promise<{ latitude: number; longitude: number } | null> {
  const [row] = await db
    .select({ latitude: personPrivateDetails.homeLatitude, longitude: personPrivateDetails.homeLongitude })
    .from(personPrivateDetails)
    .where(eq(personPrivateDetails.personId, personId));
  return row?.latitude != null && row.longitude != null ? { latitude: row.latitude, longitude: row.longitude } : null;
}

/**
 * Most holders the post has at once on any day of [from, until) (null bounds are open), the same
 * count the capacity trigger makes: the peak is reached at the start of some overlapping term.
 */
export async function peakHolders(db: Database, postId: number, from: string | null, until: string | null, exceptMembershipId?: number): Promise<number> {
  const except = exceptMembershipId != null ? sql`and m.id <> ${exceptMembershipId}` : sql``;
  const exceptInner = exceptMembershipId != null ? sql`and m2.id <> ${exceptMembershipId}` : sql``;
  const [row] = await db
    .select({
      peak: sql<number>`coalesce(max((
        select count(*) from ${memberships} m2
        where m2.post_id = ${postId} ${exceptInner}
          and daterange(m2.start_date, m2.end_date, '[)') @> p.at
      )), 0)::int`,
    })
    .from(
      sql`(
        select greatest(m.start_date, ${from}::date) as at from ${memberships} m
        where m.post_id = ${postId} ${except}
          and daterange(m.start_date, m.end_date, '[)') && daterange(${from}::date, ${until}::date, '[)')
      ) p`,
    );
  return Number(row?.peak ?? 0);
}

/** Earliest start of any term on the post (for moving `createdOn`). */
export async function firstTermStart(db: Database, postId: number): Promise<string | null> {
  const [row] = await db
    .select({ start: sql<string | null>`min(${memberships.startDate})` })
    .from(memberships)
    .where(eq(memberships.postId, postId));
  return row?.start ?? null;
}

/** The person's terms on the post, latest first (few rows: one person, one seat). */
export function termsOfPersonOnPost(db: Database, personId: number, postId: number): Promise<MembershipRow[]> {
  return db
    .select()
    .from(memberships)
    .where(and(eq(memberships.personId, personId), eq(memberships.postId, postId)))
    .orderBy(desc(memberships.startDate), desc(memberships.id));
}

/** Terms on the post in effect on `at` (to end them when it is abolished). */
export function termsInEffectOn(db: Database, postId: number, at: string): Promise<MembershipRow[]> {
  return db
    .select()
    .from(memberships)
    .where(and(eq(memberships.postId, postId), inEffectOn(memberships.startDate, memberships.endDate, at)))
    .orderBy(asc(memberships.startDate), asc(memberships.id));
}

export async function termsStartingOnOrAfter(db: Database, postId: number, at: string): Promise<number> {
  const [row] = await db
    .select({ n: count() })
    .from(memberships)
    .where(and(eq(memberships.postId, postId), sql`${memberships.startDate} >= ${at}`));
  return row?.n ?? 0;
}

// ----- look-ahead queries ---------------------------------------------------------------------

export interface Window {
  jurisdictionId: number;
  /** First day of the window, the "today" of the question. */
  at: string;
  /** Days in the window: [at, at + within). */
  within: number;
}

/** Terms in effect on `at`, due to end within the window, and not yet continued by a reappointment. */
function expiringWhere(window: Window): SQL | undefined {
  return and(
    eq(memberships.jurisdictionId, window.jurisdictionId),
    inEffectOn(memberships.startDate, memberships.endDate, window.at),
    sql`${memberships.scheduledEndDate} >= ${window.at}::date`,
    sql`${memberships.scheduledEndDate} < ${window.at}::date + ${window.within}::int`,
    sql`not exists (
      select 1 from ${memberships} successor
      where successor.post_id = ${memberships.postId}
        and successor.person_id = ${memberships.personId}
        and successor.start_date = ${memberships.endDate}
    )`,
  );
}

export const expiringKeyset: Keyset<MembershipRow> = {
  keys: [plainKey(memberships.scheduledEndDate, 'date'), plainKey(memberships.id, 'int')],
  direction: 'asc',
  valuesOf: (row) => [row.scheduledEndDate!, row.id],
};

export function expiringMembershipsPage(db: Database, window: Window, page: PageRequest): Promise<MembershipRow[]> {
  const clauses = pageClauses(expiringKeyset, page);
  return db
    .select()
    .from(memberships)
    .where(and(expiringWhere(window), clauses.where))
    .orderBy(...clauses.orderBy)
    .limit(clauses.limit);
}

export async function expiringMembershipsCount(db: Database, window: Window): Promise<number> {
  const [row] = await db.select({ n: count() }).from(memberships).where(expiringWhere(window));
  return row?.n ?? 0;
}

export type FallingVacantRow = PostRow & { fallsVacantOn: string };

/** The earliest expiring term of each post, as a derived table joined to posts. */
function fallingVacant(db: Database, window: Window) {
  return db.$with('falling_vacant').as(
    db
      .select({ postId: sql<number>`${memberships.postId}`.as('post_id'), fallsVacantOn: sql<string>`min(${memberships.scheduledEndDate})`.as('falls_vacant_on') })
      .from(memberships)
      .where(and(expiringWhere(window), sql`${memberships.postId} is not null`))
      .groupBy(memberships.postId),
  );
}

const FALLS_VACANT_ON = sql.raw('"falling_vacant"."falls_vacant_on"');
const FALLING_VACANT_POST_ID = sql.raw('"falling_vacant"."post_id"');

export const fallingVacantKeyset: Keyset<FallingVacantRow> = {
  keys: [plainKey(FALLS_VACANT_ON, 'date'), plainKey(posts.id, 'int')],
  direction: 'asc',
  valuesOf: (row) => [row.fallsVacantOn, row.id],
};

function fallingVacantWhere(window: Window): SQL | undefined {
  return and(
    eq(posts.jurisdictionId, window.jurisdictionId),
    inEffectOn(posts.createdOn, posts.abolishedOn, window.at),
    // A seat abolished by the time its holder leaves does not fall vacant.
    sql`(${posts.abolishedOn} is null or ${posts.abolishedOn} > ${FALLS_VACANT_ON})`,
  );
}

export function postsFallingVacantPage(db: Database, window: Window, page: PageRequest): Promise<FallingVacantRow[]> {
  const clauses = pageClauses(fallingVacantKeyset, page);
  const cte = fallingVacant(db, window);
  return db
    .with(cte)
    .select({ ...getTableColumns(posts), fallsVacantOn: sql<string>`${FALLS_VACANT_ON}` })
    .from(posts)
    .innerJoin(cte, sql`${FALLING_VACANT_POST_ID} = ${posts.id}`)
    .where(and(fallingVacantWhere(window), clauses.where))
    .orderBy(...clauses.orderBy)
    .limit(clauses.limit);
}

export async function postsFallingVacantCount(db: Database, window: Window): Promise<number> {
  const cte = fallingVacant(db, window);
  const [row] = await db
    .with(cte)
    .select({ n: count() })
    .from(posts)
    .innerJoin(cte, sql`${FALLING_VACANT_POST_ID} = ${posts.id}`)
    .where(fallingVacantWhere(window));
  return row?.n ?? 0;
}
