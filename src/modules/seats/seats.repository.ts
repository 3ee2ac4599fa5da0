import { and, asc, count, eq, getTableColumns, gte, inArray, sql, type SQL } from 'drizzle-orm';
import type { AnyPgColumn } from 'drizzle-orm/pg-core';
import type { Database } from '../../db/client.ts';
import { intArray, lateralParentId, selectLateral } from '../../db/lateral.ts';
import {
  memberships,
  people,
  posts,
  type MembershipRow,
  type PersonRow,
  type PostRow,
} from '../../db/schema/index.ts';
import { inEffectOn } from '../../db/temporal.ts';
import { nameKey, pageClauses, plainKey, type Keyset, type PageRequest } from '../../graphql/pagination.ts';
import { rowsByIds } from '../../db/rows-by-ids.ts';

export type MembershipStatus = 'CURRENT' | 'PAST' | 'ALL';

export const postKeyset: Keyset<PostRow> = {
  keys: [nameKey(posts.label), plainKey(posts.id, 'int')],
  direction: 'asc',
  valuesOf: (row) => [row.label, row.id],
};

export const membershipKeyset: Keyset<MembershipRow> = {
  keys: [plainKey(memberships.startDate, 'date'), plainKey(memberships.id, 'int')],
  direction: 'asc',
  valuesOf: (row) => [row.startDate, row.id],
};

export function postsByIds(db: Database, ids: readonly number[]): Promise<PostRow[]> {
  return rowsByIds(db, posts, ids);
}

export function membershipsByIds(db: Database, ids: readonly number[]): Promise<MembershipRow[]> {
  return rowsByIds(db, memberships, ids);
}

/** Public roster columns only: private details live in another table this module never reads. */
export function peopleByIds(db: Database, ids: readonly number[]): Promise<PersonRow[]> {
  return rowsByIds(db, people, ids);
}

/** Which of these people have ever held a membership, that is, appear on a public roster. */
export async function peopleOnRosters(db: Database, ids: readonly number[]): Promise<Set<number>> {
  const rows = await db.selectDistinct({ personId: memberships.personId }).from(memberships).where(inArray(memberships.personId, [...ids]));
  return new Set(rows.map((r) => r.personId));
}

/** Holders of each post on `at`, by start date: one statement for any number of posts. */
export async function holdersByPostIds(db: Database, postIds: readonly number[], at: string): Promise<Map<number, MembershipRow[]>> {
  const rows = await db
    .select()
    .from(memberships)
    .where(and(inArray(memberships.postId, [...postIds]), inEffectOn(memberships.startDate, memberships.endDate, at)))
    .orderBy(asc(memberships.startDate), asc(memberships.id));
  const byPost = new Map<number, MembershipRow[]>(postIds.map((id) => [id, []]));
  for (const row of rows) byPost.get(row.postId!)?.push(row);
  return byPost;
}

export interface PostPageParams {
  includeAbolished: boolean;
  at: string;
  page: PageRequest;
}

/** Pages and counts share this predicate, so totalCount always agrees with the pages. */
function postsOfWhere(organizationId: SQL, params: { includeAbolished: boolean; at: string }): SQL | undefined {
  return and(
    sql`${posts.organizationId} = ${organizationId}`,
    params.includeAbolished ? undefined : sql`(${posts.abolishedOn} is null or ${posts.abolishedOn} > ${params.at})`,
  );
}

export function postPagesByOrganizationIds(db: Database, organizationIds: readonly number[], params: PostPageParams): Promise<Map<number, PostRow[]>> {
  const clauses = pageClauses(postKeyset, params.page);
  return selectLateral(db, posts, organizationIds, (qb) =>
    qb
      .select(getTableColumns(posts))
      .from(posts)
      .where(and(postsOfWhere(lateralParentId, params), clauses.where))
      .orderBy(...clauses.orderBy)
      .limit(clauses.limit),
  );
}

export async function postCountsByOrganizationIds(
  db: Database,
  organizationIds: readonly number[],
  params: { includeAbolished: boolean; at: string },
): Promise<Map<number, number>> {
  const rows = await db
    .select({ organizationId: posts.organizationId, n: count() })
    .from(posts)
    .where(postsOfWhere(sql`any(${intArray(organizationIds)}::int[])`, params))
    .groupBy(posts.organizationId);
  return new Map(rows.map((r) => [r.organizationId, r.n]));
}

/** Which column a membership list hangs off. */
export type MembershipParent = 'organization' | 'post' | 'person';

const membershipParentColumn: Record<MembershipParent, AnyPgColumn> = {
  organization: memberships.organizationId,
  post: memberships.postId,
  person: memberships.personId,
};

export interface MembershipPageParams {
  status: MembershipStatus;
  at: string;
  page: PageRequest;
}

function statusWhere(status: MembershipStatus, at: string): SQL | undefined {
  if (status === 'CURRENT') return inEffectOn(memberships.startDate, memberships.endDate, at);
  if (status === 'PAST') return sql`${memberships.endDate} is not null and ${memberships.endDate} <= ${at}`;
  return undefined;
}

export function membershipPages(
  db: Database,
  parent: MembershipParent,
  parentIds: readonly number[],
  params: MembershipPageParams,
): Promise<Map<number, MembershipRow[]>> {
  const clauses = pageClauses(membershipKeyset, params.page);
  const column = membershipParentColumn[parent];
  return selectLateral(db, memberships, parentIds, (qb) =>
    qb
      .select(getTableColumns(memberships))
      .from(memberships)
      .where(and(sql`${column} = ${lateralParentId}`, statusWhere(params.status, params.at), clauses.where))
      .orderBy(...clauses.orderBy)
      .limit(clauses.limit),
  );
}

export async function membershipCounts(
  db: Database,
  parent: MembershipParent,
  parentIds: readonly number[],
  params: { status: MembershipStatus; at: string },
): Promise<Map<number, number>> {
  const column = membershipParentColumn[parent];
  const rows = await db
    .select({ parentId: sql<number>`${column}`, n: count() })
    .from(memberships)
    .where(and(inArray(column, [...parentIds]), statusWhere(params.status, params.at)))
    .groupBy(column);
  return new Map(rows.map((r) => [r.parentId, r.n]));
}

/** The jurisdiction-wide lists (`posts`, `memberships`): by id, the order rows were created in. */
export const postByIdKeyset: Keyset<PostRow> = { keys: [plainKey(posts.id, 'int')], direction: 'asc', valuesOf: (row) => [row.id] };
export const membershipByIdKeyset: Keyset<MembershipRow> = { keys: [plainKey(memberships.id, 'int')], direction: 'asc', valuesOf: (row) => [row.id] };

export interface ChangedSinceFilter {
  updatedSince: Date | null;
}

function postsWhere(jurisdictionId: number, filter: ChangedSinceFilter): SQL | undefined {
  return and(eq(posts.jurisdictionId, jurisdictionId), filter.updatedSince ? gte(posts.updatedAt, filter.updatedSince) : undefined);
}

function membershipsWhere(jurisdictionId: number, filter: ChangedSinceFilter): SQL | undefined {
  return and(eq(memberships.jurisdictionId, jurisdictionId), filter.updatedSince ? gte(memberships.updatedAt, filter.updatedSince) : undefined);
}

export function jurisdictionPostsPage(db: Database, jurisdictionId: number, filter: ChangedSinceFilter, page: PageRequest): Promise<PostRow[]> {
  const clauses = pageClauses(postByIdKeyset, page);
  return db.select().from(posts).where(and(postsWhere(jurisdictionId, filter), clauses.where)).orderBy(...clauses.orderBy).limit(clauses.limit);
}

export async function jurisdictionPostsCount(db: Database, jurisdictionId: number, filter: ChangedSinceFilter): Promise<number> {
  const [row] = await db.select({ n: count() }).from(posts).where(postsWhere(jurisdictionId, filter));
  return row?.n ?? 0;
}

export function jurisdictionMembershipsPage(db: Database, jurisdictionId: number, filter: ChangedSinceFilter, page: PageRequest): Promise<MembershipRow[]> {
  const clauses = pageClauses(membershipByIdKeyset, page);
  return db
    .select()
    .from(memberships)
    .where(and(membershipsWhere(jurisdictionId, filter), clauses.where))
    .orderBy(...clauses.orderBy)
    .limit(clauses.limit);
}

export async function jurisdictionMembershipsCount(db: Database, jurisdictionId: number, filter: ChangedSinceFilter): Promise<number> {
  const [row] = await db.select({ n: count() }).from(memberships).where(membershipsWhere(jurisdictionId, filter));
  return row?.n ?? 0;
}
