import { and, asc, count, eq, getTableColumns, gte, inArray, isNotNull, isNull, sql, type SQL } from 'drizzle-orm';
import { alias, type AnyPgColumn } from 'drizzle-orm/pg-core';
import type { Database } from '../../db/client.ts';
import { readerOf } from '../../db/replicas.ts';
import { divisionOverlaps, divisions, jurisdictions, organizationLinks, organizations, posts, type DivisionKindCategory, type DivisionRow, type OrganizationRow, type PostRow } from '../../db/schema/index.ts';
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
    // The area's latest version; its earlier ones (dated boundary changes) share the OCD id.
    .where(and(eq(divisions.jurisdictionId, jurisdictionId), eq(divisions.ocdId, ocdId), isNull(divisions.versionOf)));
  return row ?? null;
}

export function divisionsOfKindOn(db: Database, jurisdictionId: number, kind: DivisionKind | readonly string[], at: string): Promise<DivisionRow[]> {
  return db
    .select()
    .from(divisions)
    .where(and(eq(divisions.jurisdictionId, jurisdictionId), typeof kind === 'string' ? eq(divisions.kind, kind) : kind.length ? inArray(divisions.kind, [...kind]) : sql`false`, inEffectOn(divisions.validFrom, divisions.validUntil, at)))
    .orderBy(...orderByKeys(divisionKeyset.keys));
}

export interface DivisionFilter {
  kind?: DivisionKind | null;
  /** Kind codes (the service resolves kindCode / category / the deprecated kind into them); [] matches none. */
  kinds?: readonly string[] | null;
  nameContains?: string | null;
  updatedSince?: Date | string | null;
}

function divisionFilterWhere(jurisdictionId: number, filter: DivisionFilter): SQL | undefined {
  return and(
    eq(divisions.jurisdictionId, jurisdictionId),
    filter.kind ? eq(divisions.kind, filter.kind) : undefined,
    filter.kinds != null ? (filter.kinds.length ? inArray(divisions.kind, [...filter.kinds]) : sql`false`) : undefined,
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

/**
 * The area a division row belongs to: itself, or for an earlier version of an area (a dated
 * boundary change) the area's latest version, which organizations point at. Readers "as of" a
 * date join organizations on this, so the version in effect on that date finds its association.
 */
export const areaId = sql<number>`coalesce(${divisions.versionOf}, ${divisions.id})`;

/** A row's version: changes with every update of the row (xmin) and carries its updated_at. */
export const rowVersion = sql<string>`${divisions.updatedAt}::text || '/' || ${divisions}.xmin::text`;

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

/**
 * The boundaries of the jurisdiction's divisions of `kind` (compared as text: kinds are per-city
 * codes) in effect on `at` whose bounding box holds the point; the exact test is the caller's.
 * For the city's extent outside `locate` (residence of an applicant).
 */
export function boundariesOfKindAround(
  db: Database,
  jurisdictionId: number,
  kind: string,
  longitude: number,
  latitude: number,
  at: string,
): Promise<Array<{ id: number; boundary: DivisionRow['boundary'] }>> {
  return db
    .select({ id: divisions.id, boundary: divisions.boundary })
    .from(divisions)
    .where(
      and(
        eq(divisions.jurisdictionId, jurisdictionId),
        sql`${divisions.kind}::text = ${kind}`,
        isNotNull(divisions.boundary),
        sql`box(point(${divisions.minLongitude}, ${divisions.minLatitude}), point(${divisions.maxLongitude}, ${divisions.maxLatitude})) @> point(${longitude}, ${latitude})`,
        inEffectOn(divisions.validFrom, divisions.validUntil, at),
      ),
    );
}

export type BoxCandidate = Omit<DivisionRow, 'boundary'> & { version: string };

/** A candidate of `locate`, with what `locate` answers about it should its boundary hold the point. */
export interface LocateCandidate {
  division: BoxCandidate;
  /** Its organizations existing on `at`, by name (as organizationsByDivisionIds), each with its coalition on `at` if it is a neighborhood association (as coalitionsByMemberIds). */
  organizations: Array<{ organization: OrganizationRow; coalition: OrganizationRow | null }>;
}

/**
 * `locate`'s one statement: the candidates of divisionsWhoseBoxContains, joined with their
 * organizations and those organizations' coalitions (left joins: a few rows per candidate). The
 * organizations of candidates whose boundary turns out not to hold the point are read for
 * nothing, which is cheaper than two more round trips for the ones that do.
 * Built once per database and prepared (placeholders): building this select of ~70 columns with
 * Drizzle cost more CPU per request than running it.
 */
function buildLocateQuery(db: Database) {
  const { boundary: _boundary, ...columns } = getTableColumns(divisions);
  const coalition = alias(organizations, 'coalition');
  const at = sql.placeholder('at');
  const inEffect = (start: AnyPgColumn, end: AnyPgColumn) => sql`(${start} is null or ${start} <= ${at}::date) and (${end} is null or ${end} > ${at}::date)`;
  return db
    .select({ division: { ...columns, version: rowVersion }, organization: getTableColumns(organizations), coalition: getTableColumns(coalition) })
    .from(divisions)
    .leftJoin(organizations, and(eq(organizations.divisionId, areaId), inEffect(organizations.foundedOn, organizations.dissolvedOn)))
    .leftJoin(
      organizationLinks,
      and(
        eq(organizationLinks.memberId, organizations.id),
        // Only associations are members of a district coalition (its link kind), whatever their kind's code.
        eq(organizationLinks.kind, 'DISTRICT_COALITION'),
        inEffect(organizationLinks.startDate, organizationLinks.endDate),
      ),
    )
    .leftJoin(coalition, eq(coalition.id, organizationLinks.parentId))
    .where(
      and(
        sql`${divisions.jurisdictionId} = ${sql.placeholder('jurisdictionId')}::int`,
        isNotNull(divisions.boundary),
        sql`box(point(${divisions.minLongitude}, ${divisions.minLatitude}), point(${divisions.maxLongitude}, ${divisions.maxLatitude})) @> point(${sql.placeholder('longitude')}::float8, ${sql.placeholder('latitude')}::float8)`,
        inEffect(divisions.validFrom, divisions.validUntil),
      ),
    )
    .orderBy(asc(divisions.kind), ...orderByKeys(divisionKeyset.keys), ...orderByKeys([nameKey(organizations.name), plainKey(organizations.id, 'int')]))
    .prepare('locate_candidates');
}

const locateQueries = new WeakMap<Database, ReturnType<typeof buildLocateQuery>>();

export async function locateCandidates(db: Database, jurisdictionId: number, longitude: number, latitude: number, at: string): Promise<LocateCandidate[]> {
  // The request's reader (src/db/replicas.ts): one prepared query per database it can be.
  const reader = readerOf(db);
  let query = locateQueries.get(reader);
  if (!query) locateQueries.set(reader, (query = buildLocateQuery(reader)));
  const rows = await query.execute({ jurisdictionId, longitude, latitude, at });
  const candidates: LocateCandidate[] = [];
  let current: LocateCandidate | undefined;
  for (const row of rows) {
    if (current?.division.id !== row.division.id) candidates.push((current = { division: row.division, organizations: [] }));
    if (!row.organization) continue;
    const last = current.organizations.at(-1);
    // An association linked to two coalitions at once comes twice: keep one (as the loader's map does).
    if (last?.organization.id === row.organization.id) last.coalition = row.coalition ?? last.coalition;
    else current.organizations.push({ organization: row.organization, coalition: row.coalition });
  }
  return candidates;
}

/**
 * Boundaries with their row versions (see divisionsWhoseBoxContains): of the divisions `ids`, and
 * of every other division with a boundary in their jurisdictions except `except` (those already
 * held). A city's boundaries are a few hundred kilobytes (Portland: 102, 428 KB of GeoJSON), so the
 * first `locate` loads them all and the next ones, at any point, need no second statement.
 */
export function boundariesOfJurisdictions(
  db: Database,
  ids: readonly number[],
  except: readonly number[],
): Promise<Array<{ id: number; version: string; boundary: DivisionRow['boundary'] }>> {
  const asked = sql`(${divisions.id} = any(${sql.param([...ids])}::int[]))`;
  return db
    .select({ id: divisions.id, version: rowVersion, boundary: divisions.boundary })
    .from(divisions)
    .where(
      and(
        isNotNull(divisions.boundary),
        sql`${divisions.jurisdictionId} in (select d.jurisdiction_id from divisions d where d.id = any(${sql.param([...ids])}::int[]))`,
        sql`(${asked} or not (${divisions.id} = any(${sql.param([...except])}::int[])))`,
      ),
    );
}

/**
 * Overlaps of each division with divisions of these kind codes (any kind when null) or of kinds of
 * this category, largest share first. With `selfOfCategory`, a division whose own kind has the
 * category is listed as wholly inside itself (a coalition office whose area is a council district).
 */
export async function overlapsByDivisionIds(
  db: Database,
  ids: readonly number[],
  kinds: readonly DivisionKind[] | null,
  category: DivisionKindCategory | null = null,
  selfOfCategory = false,
): Promise<Map<number, { division: DivisionRow; share: number }[]>> {
  const other = alias(divisions, 'other');
  const hasCategory = (row: typeof divisions | typeof other) =>
    sql`exists (select 1 from division_kinds kc where kc.jurisdiction_id = ${row.jurisdictionId} and kc.code = ${row.kind} and kc.category = ${category})`;
  const overlaps = db
    .select({ divisionId: divisionOverlaps.divisionId, share: divisionOverlaps.share, division: getTableColumns(other) })
    .from(divisionOverlaps)
    .innerJoin(other, eq(other.id, divisionOverlaps.otherDivisionId))
    .where(
      and(
        inArray(divisionOverlaps.divisionId, [...ids]),
        kinds ? (kinds.length ? inArray(other.kind, [...kinds]) : sql`false`) : undefined,
        category ? hasCategory(other) : undefined,
      ),
    );
  const rows =
    category && selfOfCategory
      ? await db
          .select({ divisionId: divisions.id, share: sql<number>`1::real`.as('share'), division: getTableColumns(divisions) })
          .from(divisions)
          .where(and(inArray(divisions.id, [...ids]), hasCategory(divisions)))
          .unionAll(overlaps)
      : await overlaps;
  rows.sort((a, b) => b.share - a.share || a.division.id - b.division.id);
  const byId = new Map<number, { division: DivisionRow; share: number }[]>(ids.map((id) => [id, []]));
  for (const row of rows) byId.get(row.divisionId)?.push({ division: row.division, share: row.share });
  // A division that is itself of the category lies in no other of it: only itself is kept.
  if (selfOfCategory) for (const [id, list] of byId) if (list.some((r) => r.division.id === id)) byId.set(id, list.filter((r) => r.division.id === id));
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

/**
 * Slugs of the cities, other than `except`, with a division of their extent kind whose bounding box
 * holds the point (the GiST box index): the cities `locate` may try when no city is named.
 */
export async function citiesWhoseExtentBoxHolds(db: Database, longitude: number, latitude: number, except: number): Promise<string[]> {
  const rows = await readerOf(db)
    .selectDistinct({ slug: jurisdictions.slug })
    .from(divisions)
    .innerJoin(jurisdictions, and(eq(jurisdictions.id, divisions.jurisdictionId), eq(divisions.kind, jurisdictions.extentKind)))
    .where(
      and(
        sql`${jurisdictions.id} <> ${except}`,
        isNotNull(divisions.boundary),
        sql`box(point(${divisions.minLongitude}, ${divisions.minLatitude}), point(${divisions.maxLongitude}, ${divisions.maxLatitude})) @> point(${longitude}, ${latitude})`,
      ),
    )
    .orderBy(jurisdictions.slug);
  return rows.map((r) => r.slug);
}
