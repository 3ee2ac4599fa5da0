/**
 * Recomputes division_overlaps for a jurisdiction from the stored boundaries: for divisions of
 * different kinds whose boxes meet, share = area(a ∩ b) / area(a), kept when at least MIN_SHARE.
 * Written as a diff (insert / update / delete), so an unchanged dataset changes no row.
 */
import { area } from '@turf/area';
import { earthRadius, feature, featureCollection } from '@turf/helpers';
import { intersect } from '@turf/intersect';
import { and, eq, inArray, isNotNull } from 'drizzle-orm';
import type { MultiPolygon } from 'geojson';
import { divisionOverlaps, divisions } from '../db/schema/index.ts';
import { bboxesIntersect, clipToBox, commonBox, type BBox } from './geometry.ts';
import { openIntersections } from './geos.ts';
import type { OverlapCounts } from './summary.ts';
import type { Tx } from './upsert.ts';

export const MIN_SHARE = 0.005;
/** Shares are stored as `real`; rounding keeps repeated runs byte-stable and comparisons exact enough. */
const PRECISION = 1e5;
const round = (share: number) => Math.round(Math.min(share, 1) * PRECISION) / PRECISION;

export interface Shape {
  id: number;
  kind: string;
  boundary: MultiPolygon;
  bbox: BBox;
  area: number;
}

function areaOfIntersection(a: MultiPolygon, b: MultiPolygon): number {
  const piece = intersect(featureCollection([feature(a), feature(b)]));
  return piece ? area(piece) : 0;
}

/**
 * Both shapes are first cut to their common box (grown by ~0.1 m, beyond either shape's edge
 * there): @turf/intersect is exact but slow on big polygons, and this makes it about 5× faster.
 */
export function intersectionArea(a: Shape, b: Shape): number {
  const box = commonBox(a.bbox, b.bbox, 1e-6);
  const ca = clipToBox(a.boundary, box);
  const cb = clipToBox(b.boundary, box);
  if (!ca || !cb) return 0;
  try {
    return areaOfIntersection(ca, cb);
  } catch {
    try {
      return areaOfIntersection(a.boundary, b.boundary); // the clipped shapes tripped the clipper
    } catch (error) {
      throw new Error(`cannot intersect divisions ${a.id} and ${b.id}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
}

/** `areaOf` measures a ∩ b in m²: turf by default (one boundary set through the API), GEOS for a whole import. */
export function computeOverlaps(shapes: readonly Shape[], areaOf: (a: Shape, b: Shape) => number = intersectionArea): Map<string, number> {
  const shares = new Map<string, number>();
  for (let i = 0; i < shapes.length; i++) {
    for (let j = i + 1; j < shapes.length; j++) {
      const a = shapes[i]!;
      const b = shapes[j]!;
      if (a.kind === b.kind || !bboxesIntersect(a.bbox, b.bbox)) continue;
      const common = areaOf(a, b);
      if (common <= 0) continue;
      const ab = round(common / a.area);
      const ba = round(common / b.area);
      if (ab >= MIN_SHARE) shares.set(`${a.id}:${b.id}`, ab);
      if (ba >= MIN_SHARE) shares.set(`${b.id}:${a.id}`, ba);
    }
  }
  return shares;
}

/**
 * computeOverlaps for many shapes at once (an import: Philadelphia's 239 RCO areas × 159
 * neighborhoods), intersecting with GEOS on prepared geometries (geos.ts); a pair GEOS cannot
 * intersect falls back to turf.
 */
export async function computeOverlapsWithGeos(shapes: readonly Shape[]): Promise<Map<string, number>> {
  const intersections = await openIntersections(shapes.map((s) => s.boundary), earthRadius);
  try {
    const index = new Map(shapes.map((s, i) => [s, i]));
    return computeOverlaps(shapes, (a, b) => intersections.area(index.get(a)!, index.get(b)!) ?? intersectionArea(a, b));
  } finally {
    intersections.close();
  }
}

export async function recomputeOverlaps(tx: Tx, jurisdictionId: number): Promise<OverlapCounts> {
  const rows = await tx
    .select()
    .from(divisions)
    .where(and(eq(divisions.jurisdictionId, jurisdictionId), isNotNull(divisions.boundary)));
  const shapes: Shape[] = rows.map((d) => ({
    id: d.id,
    kind: d.kind,
    boundary: d.boundary!,
    bbox: { minLongitude: d.minLongitude!, minLatitude: d.minLatitude!, maxLongitude: d.maxLongitude!, maxLatitude: d.maxLatitude! },
    area: area(d.boundary!),
  }));
  const wanted = await computeOverlapsWithGeos(shapes.filter((s) => s.area > 0));

  const allIds = (await tx.select({ id: divisions.id }).from(divisions).where(eq(divisions.jurisdictionId, jurisdictionId))).map((r) => r.id);
  const existing = allIds.length
    ? await tx.select().from(divisionOverlaps).where(inArray(divisionOverlaps.divisionId, allIds))
    : [];

  const counts: OverlapCounts = { inserted: 0, updated: 0, unchanged: 0, deleted: 0 };
  for (const row of existing) {
    const key = `${row.divisionId}:${row.otherDivisionId}`;
    const share = wanted.get(key);
    const where = and(eq(divisionOverlaps.divisionId, row.divisionId), eq(divisionOverlaps.otherDivisionId, row.otherDivisionId));
    if (share === undefined) {
      await tx.delete(divisionOverlaps).where(where);
      counts.deleted++;
    } else if (Math.abs(share - row.share) > 1 / PRECISION / 2) {
      await tx.update(divisionOverlaps).set({ share }).where(where);
      counts.updated++;
    } else {
      counts.unchanged++;
    }
    wanted.delete(key);
  }
  const fresh = [...wanted].map(([key, share]) => {
    const [divisionId, otherDivisionId] = key.split(':').map(Number) as [number, number];
    return { divisionId, otherDivisionId, share };
  });
  for (let i = 0; i < fresh.length; i += 500) await tx.insert(divisionOverlaps).values(fresh.slice(i, i + 500));
  counts.inserted = fresh.length;
  return counts;
}
