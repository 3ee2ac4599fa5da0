import { and, asc, count, eq, getTableColumns, gte, inArray, or, sql, type SQL } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import type { Database } from '../../db/client.ts';
import { intArray, lateralParentId, selectLateral } from '../../db/lateral.ts';
import {
  divisionOverlaps,
  organizationContactChannels,
  organizationLinks,
  organizations,
  type NewOrganizationRow,
  type OrganizationContactChannelRow,
  type OrganizationLinkRow,
  type OrganizationRow,
} from '../../db/schema/index.ts';
import { containsIgnoringAccents } from '../../db/search-text.ts';
import { inEffectOn } from '../../db/temporal.ts';
import { nameKey, orderByKeys, pageClauses, plainKey, type Keyset, type PageRequest } from '../../graphql/pagination.ts';
import { rowsByIds } from '../../db/rows-by-ids.ts';

type OrganizationKind = OrganizationRow['kind'];
type OrganizationKindCategory = import('../../db/schema/index.ts').OrganizationKindCategory;
type LinkKind = OrganizationLinkRow['kind'];

/** An organization's area counts as "in" a council district from this share of its area up. */
export const DISTRICT_SHARE_THRESHOLD = 0.05;

export function organizationKeyset(direction: 'asc' | 'desc'): Keyset<OrganizationRow> {
  return {
    keys: [nameKey(organizations.name), plainKey(organizations.id, 'int')],
    direction,
    valuesOf: (row) => [row.name, row.id],
  };
}

/**
 * A parent's members in organizationKeyset's order, read from the link's copy of the member's key
 * (member_sort_name = lower(name), in "C"; migration 0027) so an index gives the order. Cursors
 * hold the same values, [name, id], so one cursor means the same position in both.
 */
export const memberKeyset: Keyset<OrganizationRow> = {
  keys: [
    { expression: sql`${organizationLinks.memberSortName}`, type: 'text', fromValue: (v) => sql`lower(${v}::text) collate "C"` },
    plainKey(organizationLinks.memberId, 'int'),
  ],
  direction: 'asc',
  valuesOf: (row) => [row.name, row.id],
};

export function organizationsByIds(db: Database, ids: readonly number[]): Promise<OrganizationRow[]> {
  return rowsByIds(db, organizations, ids);
}

export async function organizationBySlug(db: Database, jurisdictionId: number, slug: string): Promise<OrganizationRow | null> {
  const [row] = await db
    .select()
    .from(organizations)
    .where(and(eq(organizations.jurisdictionId, jurisdictionId), eq(organizations.slug, slug)));
  return row ?? null;
}

export interface OrganizationFilter {
  kind?: OrganizationKind | null;
  /** Kind codes (the service resolves kindCode / category / a fixed category into them); [] matches none. */
  kinds?: readonly string[] | null;
  /** Only kinds of these categories in the organization's jurisdiction. */
  categories?: readonly OrganizationKindCategory[] | null;
  status?: OrganizationRow['status'] | null;
  nameContains?: string | null;
  councilDistrictId?: number | null;
  coalitionId?: number | null;
  updatedSince?: Date | null;
}

function organizationFilterWhere(jurisdictionId: number, filter: OrganizationFilter, at: string): SQL | undefined {
  const text = filter.nameContains || null;
  return and(
    eq(organizations.jurisdictionId, jurisdictionId),
    filter.kind ? eq(organizations.kind, filter.kind) : undefined,
    filter.kinds != null ? (filter.kinds.length ? inArray(organizations.kind, [...filter.kinds]) : sql`false`) : undefined,
    filter.categories != null
      ? sql`${organizations.kind} = any(array(select kc.code from organization_kinds kc where kc.jurisdiction_id = ${jurisdictionId} and kc.category::text = any(${sql.param([...filter.categories])}::text[])))`
      : undefined,
    filter.status ? eq(organizations.status, filter.status) : undefined,
    text ? or(containsIgnoringAccents(organizations.name, text), containsIgnoringAccents(organizations.shortName, text)) : undefined,
    filter.councilDistrictId != null
      ? or(
          eq(organizations.divisionId, filter.councilDistrictId),
          sql`exists (select 1 from ${divisionOverlaps} where ${divisionOverlaps.divisionId} = ${organizations.divisionId}
                and ${divisionOverlaps.otherDivisionId} = ${filter.councilDistrictId} and ${divisionOverlaps.share} >= ${DISTRICT_SHARE_THRESHOLD})`,
        )
      : undefined,
    filter.coalitionId != null
      ? sql`exists (select 1 from ${organizationLinks} where ${organizationLinks.memberId} = ${organizations.id}
              and ${organizationLinks.parentId} = ${filter.coalitionId} and ${organizationLinks.kind} = 'DISTRICT_COALITION'
              and ${inEffectOn(organizationLinks.startDate, organizationLinks.endDate, at)})`
      : undefined,
    filter.updatedSince ? gte(organizations.updatedAt, filter.updatedSince) : undefined,
  );
}

export function organizationsPage(
  db: Database,
  jurisdictionId: number,
  filter: OrganizationFilter,
  at: string,
  keyset: Keyset<OrganizationRow>,
  page: PageRequest,
): Promise<OrganizationRow[]> {
  const clauses = pageClauses(keyset, page);
  return db
    .select()
    .from(organizations)
    .where(and(organizationFilterWhere(jurisdictionId, filter, at), clauses.where))
    .orderBy(...clauses.orderBy)
    .limit(clauses.limit);
}

export async function organizationsCount(db: Database, jurisdictionId: number, filter: OrganizationFilter, at: string): Promise<number> {
  const [row] = await db.select({ n: count() }).from(organizations).where(organizationFilterWhere(jurisdictionId, filter, at));
  return row?.n ?? 0;
}

function existsOn(at: string): SQL {
  return inEffectOn(organizations.foundedOn, organizations.dissolvedOn, at);
}

/** Coalitions existing on `at`, by name. */
export function coalitionsOn(db: Database, jurisdictionId: number, at: string): Promise<OrganizationRow[]> {
  return db
    .select()
    .from(organizations)
    .where(and(eq(organizations.jurisdictionId, jurisdictionId), eq(organizations.kind, 'DISTRICT_COALITION'), existsOn(at)))
    .orderBy(...orderByKeys(organizationKeyset('asc').keys));
}

/** Organizations serving each division on `at` (whose own division it is), by name. */
export async function organizationsByDivisionIds(
  db: Database,
  divisionIds: readonly number[],
  params: { kinds: OrganizationKind[] | null; at: string },
): Promise<Map<number, OrganizationRow[]>> {
  const rows = await db
    .select()
    .from(organizations)
    .where(and(inArray(organizations.divisionId, [...divisionIds]), params.kinds ? (params.kinds.length ? inArray(organizations.kind, params.kinds) : sql`false`) : undefined, existsOn(params.at)))
    .orderBy(...orderByKeys(organizationKeyset('asc').keys));
  const byDivision = new Map<number, OrganizationRow[]>(divisionIds.map((id) => [id, []]));
  for (const row of rows) byDivision.get(row.divisionId!)?.push(row);
  return byDivision;
}

/** Links where each organization is the member; all of them, or those in effect on `at`. */
export async function linksByMemberIds(
  db: Database,
  memberIds: readonly number[],
  params: { kind: LinkKind | null; at: string | null },
): Promise<Map<number, OrganizationLinkRow[]>> {
  const rows = await db
    .select()
    .from(organizationLinks)
    .where(
      and(
        inArray(organizationLinks.memberId, [...memberIds]),
        params.kind ? eq(organizationLinks.kind, params.kind) : undefined,
        params.at ? inEffectOn(organizationLinks.startDate, organizationLinks.endDate, params.at) : undefined,
      ),
    )
    .orderBy(sql`${organizationLinks.startDate} asc nulls first`, organizationLinks.id);
  const byMember = new Map<number, OrganizationLinkRow[]>(memberIds.map((id) => [id, []]));
  for (const row of rows) byMember.get(row.memberId)?.push(row);
  return byMember;
}

/** The coalition of each organization on `at`: one statement for any number of organizations. */
export async function coalitionsByMemberIds(db: Database, memberIds: readonly number[], at: string): Promise<Map<number, OrganizationRow>> {
  const coalition = alias(organizations, 'coalition');
  const rows = await db
    .select({ memberId: organizationLinks.memberId, coalition: getTableColumns(coalition) })
    .from(organizationLinks)
    .innerJoin(coalition, eq(coalition.id, organizationLinks.parentId))
    .where(
      and(
        inArray(organizationLinks.memberId, [...memberIds]),
        eq(organizationLinks.kind, 'DISTRICT_COALITION'),
        inEffectOn(organizationLinks.startDate, organizationLinks.endDate, at),
      ),
    );
  return new Map(rows.map((row) => [row.memberId, row.coalition]));
}

export interface MemberPageParams {
  kind: LinkKind | null;
  at: string;
  page: PageRequest;
}

/** Pages and counts share this predicate, so totalCount always agrees with the pages. */
function memberLinkWhere(parentId: SQL, params: { kind: LinkKind | null; at: string }): SQL | undefined {
  return and(
    sql`${organizationLinks.parentId} = ${parentId}`,
    params.kind ? eq(organizationLinks.kind, params.kind) : undefined,
    inEffectOn(organizationLinks.startDate, organizationLinks.endDate, params.at),
  );
}

/** A page of member organizations for each parent, in one statement (LATERAL per parent). */
export function memberOrganizationPages(db: Database, parentIds: readonly number[], params: MemberPageParams): Promise<Map<number, OrganizationRow[]>> {
  const clauses = pageClauses(memberKeyset, params.page);
  return selectLateral(db, organizations, parentIds, (qb) =>
    qb
      .select(getTableColumns(organizations))
      .from(organizationLinks)
      .innerJoin(organizations, eq(organizations.id, organizationLinks.memberId))
      .where(and(memberLinkWhere(lateralParentId, params), clauses.where))
      .orderBy(...clauses.orderBy)
      .limit(clauses.limit),
  );
}

export async function memberOrganizationCounts(
  db: Database,
  parentIds: readonly number[],
  params: { kind: LinkKind | null; at: string },
): Promise<Map<number, number>> {
  const rows = await db
    .select({ parentId: organizationLinks.parentId, n: count() })
    .from(organizationLinks)
    .where(memberLinkWhere(sql`any(${intArray(parentIds)}::int[])`, params))
    .groupBy(organizationLinks.parentId);
  return new Map(rows.map((r) => [r.parentId, r.n]));
}


// ── Writes (staff mutations) ──────────────────────────────────────────────────────────────────

/**
 * Reads an organization and locks its row until the transaction ends, so concurrent changes to it
 * (recognition, coalition, boundary) run one after the other. FOR NO KEY UPDATE rather than FOR
 * UPDATE: it serializes those changes just the same, without blocking inserts elsewhere whose
 * foreign keys take FOR KEY SHARE on the row (a membership, a link to this coalition).
 */
export async function organizationForUpdate(tx: Database, id: number): Promise<OrganizationRow | null> {
  const [row] = await tx.select().from(organizations).where(eq(organizations.id, id)).for('no key update');
  return row ?? null;
}

export async function organizationRow(tx: Database, id: number): Promise<OrganizationRow | null> {
  const [row] = await tx.select().from(organizations).where(eq(organizations.id, id));
  return row ?? null;
}

export async function insertOrganization(tx: Database, values: NewOrganizationRow): Promise<OrganizationRow> {
  const [row] = await tx.insert(organizations).values(values).returning();
  return row!;
}

export async function updateOrganization(tx: Database, id: number, fields: Partial<NewOrganizationRow>): Promise<OrganizationRow> {
  // Edited by staff: a later dataset import leaves this organization as staff made it.
  const [row] = await tx.update(organizations).set({ ...fields, origin: 'STAFF' }).where(eq(organizations.id, id)).returning();
  return row!;
}

/** An organization's district coalition links, oldest first (a link with no start date first). */
export function coalitionLinksOf(tx: Database, memberId: number): Promise<OrganizationLinkRow[]> {
  return tx
    .select()
    .from(organizationLinks)
    .where(and(eq(organizationLinks.memberId, memberId), eq(organizationLinks.kind, 'DISTRICT_COALITION')))
    .orderBy(sql`${organizationLinks.startDate} asc nulls first`, organizationLinks.id);
}

/**
 * Ends a link. It becomes staff-owned: a later dataset import must not reopen it silently, and
 * reports a conflict instead until the dataset agrees.
 */
export async function endLink(tx: Database, id: number, endDate: string): Promise<OrganizationLinkRow> {
  const [row] = await tx.update(organizationLinks).set({ endDate, origin: 'STAFF' }).where(eq(organizationLinks.id, id)).returning();
  return row!;
}

export async function insertLink(tx: Database, values: typeof organizationLinks.$inferInsert): Promise<OrganizationLinkRow> {
  const [row] = await tx.insert(organizationLinks).values(values).returning();
  return row!;
}

/** Office channels of these organizations on `at`, by kind then value (the loader's batch: one statement). */
export async function contactChannelsByOrganizationIds(db: Database, organizationIds: readonly number[], at: string): Promise<Map<number, OrganizationContactChannelRow[]>> {
  const rows = await db
    .select()
    .from(organizationContactChannels)
    .where(and(inArray(organizationContactChannels.organizationId, [...organizationIds]), inEffectOn(organizationContactChannels.validFrom, organizationContactChannels.validUntil, at)))
    .orderBy(asc(organizationContactChannels.organizationId), asc(organizationContactChannels.kind), asc(organizationContactChannels.value), asc(organizationContactChannels.id));
  const byOrganization = new Map<number, OrganizationContactChannelRow[]>(organizationIds.map((id) => [id, []]));
  for (const row of rows) byOrganization.get(row.organizationId)?.push(row);
  return byOrganization;
}

/**
 * Organizations whose registration expires (its first day no longer registered) on or after `from`
 * and before `before`: soonest first, then by name. Uses the partial index on registration_expires_on.
 */
export function organizationsWithRegistrationExpiring(db: Database, jurisdictionId: number, from: string, before: string, limit: number): Promise<OrganizationRow[]> {
  return db
    .select()
    .from(organizations)
    .where(
      and(
        eq(organizations.jurisdictionId, jurisdictionId),
        sql`${organizations.registrationExpiresOn} >= ${from}::date`,
        sql`${organizations.registrationExpiresOn} < ${before}::date`,
      ),
    )
    .orderBy(asc(organizations.registrationExpiresOn), asc(organizations.name), asc(organizations.id))
    .limit(limit);
}
