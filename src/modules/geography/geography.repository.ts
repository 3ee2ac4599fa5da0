import { and, asc, count, eq, getTableColumns, gte, inArray, isNotNull, sql, type SQL } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import type { Database } from '../../db/client.ts';
import { divisionOverlaps, divisions, organizations, posts, type DivisionRow, type PostRow } from '../../db/schema/index.ts';
import { containsIgnoringAccents } from '../../db/search-text.ts';
import { inEffectOn } from '../../db/temporal.ts';
import { nameKey, orderByKeys, pageClauses, plainKey, type Keyset, type PageRequest } from '../../graphql/pagination.ts';

type DivisionKind = DivisionRow['kind'];

export const divisionKeyset: Keyset<DivisionRow> = {
  keys: [nameKey(divisions.name), plainKey(divisions.id, 'int')],
  direction: 'asc',
  valuesOf: (row) => [row.name, row.id],
};

export function divisionsByIds(db: Database, ids: readonly number[]): Promise<DivisionRow[]> {
  return db.select().from(divisions).where(inArray(divisions.id, [...ids]));
}

export async function divisionByOcdId(db: Database, jurisdictionId: number, ocdId: string): Promise<DivisionRow | null> {
  const [row] = await db
    .select()
    .from(divisions)
    .where(and(eq(divisions.jurisdictionId, jurisdictionId), eq(divisions.ocdId, ocdId)));
  return row ?? null;
}

export function divisionsOfKindOn(db: Database, jurisdictionId: number, kind: DivisionKind, at: string): Promise<DivisionRow[]> {
  return db
    .select()
    .from(divisions)
    .where(and(eq(divisions.jurisdictionId, jurisdictionId), eq(divisions.kind, kind), inEffectOn(divisions.validFrom, divisions.validUntil, at)))
    .orderBy(...orderByKeys(divisionKeyset.keys));
}

export interface DivisionFilter {
  kind?: DivisionKind | null;
  nameContains?: string | null;
  updatedSince?: Date | string | null;
}

function divisionFilterWhere(jurisdictionId: number, filter: DivisionFilter): SQL | undefined {
  return and(
    eq(divisions.jurisdictionId, jurisdictionId),
    filter.kind ? eq(divisions.kind, filter.kind) : undefined,
    filter.nameContains ? containsIgnoringAccents(divisions.name, filter.nameContains) : undefined,
    filter.updatedSince != null ? gte(divisions.updatedAt, new Date(filter.updatedSince)) : undefined,
  );
}

export function divisionsPage(db: Database, jurisdictionId: number, filter: DivisionFilter, page: PageRequest): Promise<DivisionRow[]> {
  const clauses = pageClauses(divisionKeyset, page);
  return db
    .select()
    .from(divisions)
    .where(and(divisionFilterWhere(jurisdictionId, filter), clauses.where))
    .orderBy(...clauses.orderBy)
    .limit(clauses.limit);
}

export async function divisionsCount(db: Database, jurisdictionId: number, filter: DivisionFilter): Promise<number> {
  const [row] = await db.select({ n: count() }).from(divisions).where(divisionFilterWhere(jurisdictionId, filter));
  return row?.n ?? 0;
}

/** A row's version: changes with every update of the row (xmin) and carries its updated_at. */
const rowVersion = sql<string>`${divisions.updatedAt}::text || '/' || ${divisions}.xmin::text`;

/**
 * Divisions in effect on `at` whose bounding box contains the point, without their boundary (the
 * caller takes parsed boundaries from its cache, boundary-cache.ts) but with the row version the
 * cache is keyed by. The expression matches the divisions_bbox_idx GiST index; the exact
 * point-in-polygon test is the caller's.
 */
export async function divisionsWhoseBoxContains(
  db: Database,
  jurisdictionId: number,
  longitude: number,
  latitude: number,
  at: string,
): Promise<Array<Omit<DivisionRow, 'boundary'> & { version: string }>> {
  const { boundary: _boundary, ...columns } = getTableColumns(divisions);
  return db
    .select({ ...columns, version: rowVersion })
    .from(divisions)
    .where(
      and(
        eq(divisions.jurisdictionId, jurisdictionId),
        isNotNull(divisions.boundary),
        sql`box(point(${divisions.minLongitude}, ${divisions.minLatitude}), point(${divisions.maxLongitude}, ${divisions.maxLatitude})) @> point(${longitude}, ${latitude})`,
        inEffectOn(divisions.validFrom, divisions.validUntil, at),
      ),
    )
    .orderBy(asc(divisions.kind), ...orderByKeys(divisionKeyset.keys));
}

/** Boundaries of divisions by id, with their row versions (see divisionsWhoseBoxContains). */
export function boundariesByIds(db: Database, ids: readonly number[]): Promise<Array<{ id: number; version: string; boundary: DivisionRow['boundary'] }>> {
  return db.select({ id: divisions.id, version: rowVersion, boundary: divisions.boundary }).from(divisions).where(inArray(divisions.id, [...ids]));
}

/** Overlaps of each division with divisions of `kind` (any kind when null), largest share first. */
export async function overlapsByDivisionIds(
  db: Database,
  ids: readonly number[],
  kind: DivisionKind | null,
): Promise<Map<number, { division: DivisionRow; share: number }[]>> {
  const other = alias(divisions, 'other');
  const rows = await db
    .select({ divisionId: divisionOverlaps.divisionId, share: divisionOverlaps.share, division: getTableColumns(other) })
    .from(divisionOverlaps)
    .innerJoin(other, eq(other.id, divisionOverlaps.otherDivisionId))
    .where(and(inArray(divisionOverlaps.divisionId, [...ids]), kind ? eq(other.kind, kind) : undefined))
    .orderBy(sql`${divisionOverlaps.share} desc`, other.id);
  const byId = new Map<number, { division: DivisionRow; share: number }[]>(ids.map((id) => [id, []]));
  for (const row of rows) byId.get(row.divisionId)?.push({ division: row.division, share: row.share });
  return byId;
}

/** The council's seat for each council district (a post of a COUNCIL organization on that division). */
export async function councilPostsByDivisionIds(db: Database, ids: readonly number[]): Promise<Map<number, PostRow>> {
  const rows = await db
    .select(getTableColumns(posts))
    .from(posts)
    .innerJoin(organizations, eq(organizations.id, posts.organizationId))
    .where(and(inArray(posts.divisionId, [...ids]), eq(organizations.kind, 'COUNCIL'), sql`${posts.abolishedOn} is null`))
    .orderBy(posts.id);
  const byDivision = new Map<number, PostRow>();
  for (const row of rows) if (row.divisionId != null && !byDivision.has(row.divisionId)) byDivision.set(row.divisionId, row);
  return byDivision;
}
