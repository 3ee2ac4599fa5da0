import { and, asc, eq, inArray, isNotNull, isNull, ne, or, sql, type SQL } from 'drizzle-orm';
import type { Database } from '../../db/client.ts';
import {
  boundaryAgreements,
  divisionKinds,
  divisionOverlaps,
  divisions,
  organizationKinds,
  organizations,
  type DivisionKindCategory,
  type DivisionKindRow,
  type BoundaryAgreementRow,
  type DivisionOverlapRow,
  type DivisionRow,
  type NewDivisionRow,
  type OrganizationRow,
} from '../../db/schema/index.ts';
import type { BBox } from '../../import/geometry.ts';

/** First key of the advisory locks that serialize boundary changes, one lock per jurisdiction. */
const BOUNDARY_LOCK_NAMESPACE = 0x6e62_6479; // "nbdy"

/**
 * Serializes boundary changes in a jurisdiction until the transaction ends. Row locks cannot do
 * it: two associations moving their boundaries into each other would each check the other's old
 * shape (write skew) and both pass.
 */
export async function lockBoundaries(tx: Database, jurisdictionId: number): Promise<void> {
  await tx.execute(sql`select pg_advisory_xact_lock(${BOUNDARY_LOCK_NAMESPACE}::int4, ${jurisdictionId}::int4)`);
}

export async function divisionForUpdate(tx: Database, id: number): Promise<DivisionRow | null> {
  const [row] = await tx.select().from(divisions).where(eq(divisions.id, id)).for('no key update');
  return row ?? null;
}

export async function divisionByOcdIdIn(tx: Database, jurisdictionId: number, ocdId: string): Promise<DivisionRow | null> {
  const [row] = await tx
    .select()
    .from(divisions)
    .where(and(eq(divisions.jurisdictionId, jurisdictionId), eq(divisions.ocdId, ocdId), isNull(divisions.versionOf)));
  return row ?? null;
}

/** The same expression as the divisions_bbox_idx GiST index, so the prefilter uses it. */
function boxMeets(box: BBox): SQL {
  return sql`box(point(${divisions.minLongitude}, ${divisions.minLatitude}), point(${divisions.maxLongitude}, ${divisions.maxLatitude}))
    && box(point(${box.minLongitude}, ${box.minLatitude}), point(${box.maxLongitude}, ${box.maxLatitude}))`;
}

/**
 * Neighborhoods other than the area `excludeId` (and its earlier versions) whose box meets `box` and whose validity overlaps
 * [validFrom, validUntil): the candidates for an overlap between associations of the same period.
 */
export function neighborhoodsMeeting(
  tx: Database,
  jurisdictionId: number,
  box: BBox,
  options: { kind: string; excludeId: number | null; validFrom: string | null; validUntil: string | null },
): Promise<DivisionRow[]> {
  return tx
    .select()
    .from(divisions)
    .where(
      and(
        eq(divisions.jurisdictionId, jurisdictionId),
        eq(divisions.kind, options.kind),
        isNotNull(divisions.boundary),
        // The area itself and its earlier versions (dated boundary changes) are not its neighbors.
        options.excludeId != null ? sql`coalesce(${divisions.versionOf}, ${divisions.id}) <> ${options.excludeId}` : undefined,
        boxMeets(box),
        sql`daterange(${divisions.validFrom}, ${divisions.validUntil}, '[)') && daterange(${options.validFrom}::date, ${options.validUntil}::date, '[)')`,
      ),
    )
    .orderBy(asc(divisions.name), asc(divisions.id));
}

/** Divisions of other kinds whose box meets `box` (the import's overlap rule ignores dates). */
export function otherKindsMeeting(tx: Database, jurisdictionId: number, kind: DivisionRow['kind'], box: BBox): Promise<DivisionRow[]> {
  return tx
    .select()
    .from(divisions)
    .where(and(eq(divisions.jurisdictionId, jurisdictionId), ne(divisions.kind, kind), isNotNull(divisions.boundary), boxMeets(box)));
}

/** Organizations whose area is one of these divisions (or the area they are an earlier version of), by name. */
export function associationsOfDivisions(tx: Database, areas: readonly Pick<DivisionRow, 'id' | 'versionOf'>[]): Promise<OrganizationRow[]> {
  if (areas.length === 0) return Promise.resolve([]);
  return tx
    .select()
    .from(organizations)
    .where(inArray(organizations.divisionId, [...new Set(areas.map((d) => d.versionOf ?? d.id))]))
    .orderBy(asc(organizations.name), asc(organizations.id));
}

export async function insertDivision(tx: Database, values: NewDivisionRow): Promise<DivisionRow> {
  const [row] = await tx.insert(divisions).values(values).returning();
  return row!;
}

export async function updateDivision(tx: Database, id: number, fields: Partial<NewDivisionRow>): Promise<DivisionRow> {
  // Edited by staff: a later dataset import leaves this division as staff made it.
  const [row] = await tx.update(divisions).set({ ...fields, origin: 'STAFF' }).where(eq(divisions.id, id)).returning();
  return row!;
}

/** Agreements involving a division, whichever side of the pair it is stored on. */
export function agreementsOf(tx: Database, divisionId: number): Promise<BoundaryAgreementRow[]> {
  return tx
    .select()
    .from(boundaryAgreements)
    .where(or(eq(boundaryAgreements.divisionId, divisionId), eq(boundaryAgreements.otherDivisionId, divisionId)));
}

export async function insertAgreement(tx: Database, values: typeof boundaryAgreements.$inferInsert): Promise<BoundaryAgreementRow> {
  const [row] = await tx.insert(boundaryAgreements).values(values).returning();
  return row!;
}

export async function updateAgreement(tx: Database, id: number, fields: { signedOn: string; documentUrl: string | null }): Promise<BoundaryAgreementRow> {
  const [row] = await tx.update(boundaryAgreements).set(fields).where(eq(boundaryAgreements.id, id)).returning();
  return row!;
}

/** Agreements of each division (either side of the pair), by signing date: one statement. */
export async function agreementsByDivisionIds(db: Database, divisionIds: readonly number[]): Promise<Map<number, BoundaryAgreementRow[]>> {
  const ids = [...divisionIds];
  const rows = await db
    .select()
    .from(boundaryAgreements)
    .where(or(inArray(boundaryAgreements.divisionId, ids), inArray(boundaryAgreements.otherDivisionId, ids)))
    .orderBy(asc(boundaryAgreements.signedOn), asc(boundaryAgreements.id));
  const byDivision = new Map<number, BoundaryAgreementRow[]>(ids.map((id) => [id, []]));
  for (const row of rows) {
    byDivision.get(row.divisionId)?.push(row);
    byDivision.get(row.otherDivisionId)?.push(row);
  }
  return byDivision;
}

/** division_overlaps rows with the division on either side. */
export function overlapRowsOf(tx: Database, divisionId: number): Promise<DivisionOverlapRow[]> {
  return tx
    .select()
    .from(divisionOverlaps)
    .where(or(eq(divisionOverlaps.divisionId, divisionId), eq(divisionOverlaps.otherDivisionId, divisionId)))
    .orderBy(asc(divisionOverlaps.divisionId), asc(divisionOverlaps.otherDivisionId));
}

/**
 * Gives an earlier version of an area the overlap rows its area had (either side of each pair),
 * so the version answers `overlaps` as the boundary it keeps did.
 */
export async function copyOverlapRows(tx: Database, rows: readonly DivisionOverlapRow[], fromId: number, toId: number): Promise<DivisionOverlapRow[]> {
  if (rows.length === 0) return [];
  const swap = (id: number) => (id === fromId ? toId : id);
  return tx
    .insert(divisionOverlaps)
    .values(rows.map((r) => ({ divisionId: swap(r.divisionId), otherDivisionId: swap(r.otherDivisionId), share: r.share })))
    .returning();
}

/** Shares are `real` and rounded to 5 decimals, as the import writes them. */
const SHARE_EPSILON = 0.5e-5;

/** Makes the division's overlap rows equal `wanted` (keyed `divisionId:otherDivisionId`), touching only what differs. */
export async function writeOverlapRows(tx: Database, existing: readonly DivisionOverlapRow[], wanted: ReadonlyMap<string, number>): Promise<void> {
  const remaining = new Map(wanted);
  for (const row of existing) {
    const key = `${row.divisionId}:${row.otherDivisionId}`;
    const share = remaining.get(key);
    const where = and(eq(divisionOverlaps.divisionId, row.divisionId), eq(divisionOverlaps.otherDivisionId, row.otherDivisionId));
    if (share === undefined) await tx.delete(divisionOverlaps).where(where);
    else if (Math.abs(share - row.share) > SHARE_EPSILON) await tx.update(divisionOverlaps).set({ share }).where(where);
    remaining.delete(key);
  }
  const fresh = [...remaining].map(([key, share]) => {
    const [divisionId, otherDivisionId] = key.split(':').map(Number) as [number, number];
    return { divisionId, otherDivisionId, share };
  });
  if (fresh.length) await tx.insert(divisionOverlaps).values(fresh);
}

/**
 * The category of division an organization draws as its own area, from its kind's category: a
 * neighborhood association's NEIGHBORHOOD, a community organization's ORGANIZATION_AREA; null otherwise.
 */
export async function ownAreaCategory(tx: Database, organization: Pick<OrganizationRow, 'jurisdictionId' | 'kind'>): Promise<'NEIGHBORHOOD' | 'ORGANIZATION_AREA' | null> {
  const [row] = await tx
    .select({ category: organizationKinds.category })
    .from(organizationKinds)
    .where(and(eq(organizationKinds.jurisdictionId, organization.jurisdictionId), eq(organizationKinds.code, organization.kind)));
  if (row?.category === 'NEIGHBORHOOD_ASSOCIATION') return 'NEIGHBORHOOD';
  if (row?.category === 'COMMUNITY_ORGANIZATION') return 'ORGANIZATION_AREA';
  return null;
}

/** The first division kind (display order) of a category in a jurisdiction. */
export async function areaKindOf(tx: Database, jurisdictionId: number, category: DivisionKindCategory): Promise<DivisionKindRow | null> {
  const [row] = await tx
    .select()
    .from(divisionKinds)
    .where(and(eq(divisionKinds.jurisdictionId, jurisdictionId), eq(divisionKinds.category, category)))
    .orderBy(asc(divisionKinds.sortOrder), asc(divisionKinds.code))
    .limit(1);
  return row ?? null;
}

export async function divisionKindCategoryOf(tx: Database, division: Pick<DivisionRow, 'jurisdictionId' | 'kind'>): Promise<DivisionKindCategory | null> {
  const [row] = await tx
    .select({ category: divisionKinds.category })
    .from(divisionKinds)
    .where(and(eq(divisionKinds.jurisdictionId, division.jurisdictionId), eq(divisionKinds.code, division.kind)));
  return row?.category ?? null;
}

export async function divisionKindPolicy(tx: Database, division: Pick<DivisionRow, 'jurisdictionId' | 'kind'>): Promise<DivisionKindRow['overlapPolicy'] | null> {
  const [row] = await tx
    .select({ policy: divisionKinds.overlapPolicy })
    .from(divisionKinds)
    .where(and(eq(divisionKinds.jurisdictionId, division.jurisdictionId), eq(divisionKinds.code, division.kind)));
  return row?.policy ?? null;
}
