import { and, asc, count, eq, getTableColumns, inArray, lte, ne, sql, type SQL } from 'drizzle-orm';
import type { Database } from '../../db/client.ts';
import {
  memberships,
  organizations,
  postingPosts,
  posts,
  vacancyPostings,
  type MembershipRow,
  type OrganizationRow,
  type PostRow,
  type VacancyPostingRow,
} from '../../db/schema/index.ts';
import { inEffectOn } from '../../db/temporal.ts';
import { nameKey, pageClauses, plainKey, type Keyset, type PageRequest } from '../../graphql/pagination.ts';

export interface OpenSeatFilter {
  /** Seats tied to one of these divisions, or to none (open to the whole city). Null: any seat. */
  divisionIds?: readonly number[] | null;
  organizationKind?: OrganizationRow['kind'] | null;
  bodyKind?: OrganizationRow['bodyKind'];
  organizationId?: number | null;
  topic?: OrganizationRow['topics'][number] | null;
  /** A BCP-47 tag, already validated: an open posting offers interpretation in it (or a subtag of it). */
  interpretationLanguage?: string | null;
  minHoursPerMonth?: number | null;
  maxHoursPerMonth?: number | null;
}

export const openSeatKeyset: Keyset<PostRow & { organizationName: string }> = {
  keys: [nameKey(organizations.name), nameKey(posts.label), plainKey(posts.id, 'int')],
  direction: 'asc',
  valuesOf: (row) => [row.organizationName, row.label, row.id],
};

/** A posting recruiting for the seat and taking applications on `at`: OPEN, `at` in its window. */
function postingOpenOn(at: string): SQL {
  return sql`${vacancyPostings.status} = 'OPEN' and ${vacancyPostings.opensOn} <= ${at} and ${vacancyPostings.closesOn} > ${at}`;
}

/**
 * Conditions on the seat's open posting: interpretation language, and a stated time commitment
 * lying within [min, max] hours per month (a posting stating one bound counts it as both).
 */
function postingConditions(filter: OpenSeatFilter, at: string): SQL | undefined {
  const { interpretationLanguage: language, minHoursPerMonth: min, maxHoursPerMonth: max } = filter;
  if (language == null && min == null && max == null) return undefined;
  const least = sql`coalesce(${vacancyPostings.timeCommitmentMinHours}, ${vacancyPostings.timeCommitmentMaxHours})`;
  const most = sql`coalesce(${vacancyPostings.timeCommitmentMaxHours}, ${vacancyPostings.timeCommitmentMinHours})`;
  return sql`exists (select 1 from ${postingPosts} join ${vacancyPostings} on ${vacancyPostings.id} = ${postingPosts.postingId}
    where ${postingPosts.postId} = ${posts.id} and ${postingOpenOn(at)}
    ${language != null ? sql`and exists (select 1 from unnest(${vacancyPostings.interpretationLanguages}) as offered(tag)
        where lower(offered.tag) = lower(${language}) or lower(offered.tag) like lower(${language}) || '-%')` : sql``}
    ${min != null ? sql`and ${least} >= ${min}` : sql``}
    ${max != null ? sql`and ${most} <= ${max}` : sql``})`;
}

function openSeatWhere(jurisdictionId: number, filter: OpenSeatFilter, at: string): SQL | undefined {
  const divisionIds = filter.divisionIds;
  return and(
    eq(posts.jurisdictionId, jurisdictionId),
    eq(posts.takesApplications, true),
    inEffectOn(posts.createdOn, posts.abolishedOn, at),
    // INACTIVE has no date, so it counts on every date; dissolution is decided by the dates.
    ne(organizations.status, 'INACTIVE'),
    inEffectOn(organizations.foundedOn, organizations.dissolvedOn, at),
    // Unknown is not vacant: a body whose holders are not on record offers no seat.
    ne(organizations.rosterStatus, 'NOT_RECORDED'),
    sql`(select count(*) from ${memberships} where ${memberships.postId} = ${posts.id}
          and ${inEffectOn(memberships.startDate, memberships.endDate, at)}) < ${posts.maxHolders}`,
    divisionIds != null
      ? divisionIds.length > 0
        ? sql`(${posts.divisionId} is null or ${inArray(posts.divisionId, [...divisionIds])})`
        : sql`${posts.divisionId} is null`
      : undefined,
    filter.organizationKind ? eq(organizations.kind, filter.organizationKind) : undefined,
    filter.bodyKind ? eq(organizations.bodyKind, filter.bodyKind) : undefined,
    filter.organizationId != null ? eq(posts.organizationId, filter.organizationId) : undefined,
    filter.topic ? sql`${filter.topic}::organization_topic = any(${organizations.topics})` : undefined,
    postingConditions(filter, at),
  );
}

export function openSeatsPage(
  db: Database,
  jurisdictionId: number,
  filter: OpenSeatFilter,
  at: string,
  page: PageRequest,
): Promise<(PostRow & { organizationName: string })[]> {
  const clauses = pageClauses(openSeatKeyset, page);
  return db
    .select({ ...getTableColumns(posts), organizationName: organizations.name })
    .from(posts)
    .innerJoin(organizations, eq(organizations.id, posts.organizationId))
    .where(and(openSeatWhere(jurisdictionId, filter, at), clauses.where))
    .orderBy(...clauses.orderBy)
    .limit(clauses.limit);
}

export async function openSeatsCount(db: Database, jurisdictionId: number, filter: OpenSeatFilter, at: string): Promise<number> {
  const [row] = await db
    .select({ n: count() })
    .from(posts)
    .innerJoin(organizations, eq(organizations.id, posts.organizationId))
    .where(openSeatWhere(jurisdictionId, filter, at));
  return row?.n ?? 0;
}

/** Every term of each post that started by `at` (its history up to then): one statement for any number of posts. */
export async function termsUntilByPostIds(db: Database, postIds: readonly number[], at: string): Promise<Map<number, MembershipRow[]>> {
  const rows = await db
    .select()
    .from(memberships)
    .where(and(inArray(memberships.postId, [...postIds]), lte(memberships.startDate, at)))
    .orderBy(asc(memberships.startDate), asc(memberships.id));
  const byPost = new Map<number, MembershipRow[]>(postIds.map((id) => [id, []]));
  for (const row of rows) byPost.get(row.postId!)?.push(row);
  return byPost;
}

/** For each post, the posting recruiting for it that takes applications on `at` and closes soonest. */
export async function openPostingByPostIds(db: Database, postIds: readonly number[], at: string): Promise<Map<number, VacancyPostingRow | null>> {
  const rows = await db
    .selectDistinctOn([postingPosts.postId], { postId: postingPosts.postId, posting: getTableColumns(vacancyPostings) })
    .from(postingPosts)
    .innerJoin(vacancyPostings, eq(vacancyPostings.id, postingPosts.postingId))
    .where(and(inArray(postingPosts.postId, [...postIds]), postingOpenOn(at)))
    .orderBy(postingPosts.postId, asc(vacancyPostings.closesOn), asc(vacancyPostings.id));
  return new Map(rows.map((r) => [r.postId, r.posting]));
}
