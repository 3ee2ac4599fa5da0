/**
 * Which council districts cover each community district, from the geometries: the council members
 * of those districts nominate to the district's community board and sit on it without a vote
 * (Charter §2800). Areas are the importer's own (src/import/overlaps.ts), so the nominators agree
 * with the stored division_overlaps; the source's overlay (computed in EPSG:2263) cross-checks them.
 */
import { area } from '@turf/area';
import { bboxOf, bboxesIntersect, toMultiPolygon } from '../../import/geometry.ts';
import { intersectionArea, type Shape } from '../../import/overlaps.ts';
import { MIN_NOMINATOR_SHARE } from './constants.ts';
import type { NycDivision } from './records.ts';

export interface CouncilShare {
  district: number;
  /** Share of the community district's area inside the council district, 0 to 1. */
  share: number;
}

function shapeOf(d: NycDivision, id: number): Shape {
  const boundary = toMultiPolygon(d.geometry);
  return { id, kind: d.properties.kind, boundary, bbox: bboxOf(boundary), area: area(boundary) };
}

/** Council district number of a council-district division key. */
function districtNumber(key: string): number {
  const m = /^council-district-(\d+)$/.exec(key);
  if (!m) throw new Error(`not a council district key: ${key}`);
  return Number(m[1]);
}

/**
 * For every community district key, the council districts covering at least MIN_NOMINATOR_SHARE of
 * its area, largest share first; `dropped` holds the smaller slivers (reported in SOURCES.md).
 */
export function councilShares(divisions: readonly NycDivision[]) {
  const council = divisions.filter((d) => d.properties.kind === 'COUNCIL_DISTRICT').map((d, i) => ({ d, shape: shapeOf(d, i) }));
  const kept = new Map<string, CouncilShare[]>();
  const dropped: Array<{ communityDistrict: string } & CouncilShare> = [];
  for (const [i, cd] of divisions.filter((d) => d.properties.kind === 'COMMUNITY_DISTRICT').entries()) {
    const shape = shapeOf(cd, council.length + i);
    const shares: CouncilShare[] = [];
    for (const c of council) {
      if (!bboxesIntersect(shape.bbox, c.shape.bbox)) continue;
      const share = intersectionArea(shape, c.shape) / shape.area;
      if (share <= 0) continue;
      const entry = { district: districtNumber(c.d.properties.key), share };
      if (share >= MIN_NOMINATOR_SHARE) shares.push(entry);
      else dropped.push({ communityDistrict: cd.properties.key, ...entry });
    }
    if (shares.length === 0) throw new Error(`${cd.properties.key}: no council district covers it`);
    shares.sort((a, b) => b.share - a.share || a.district - b.district);
    kept.set(cd.properties.key, shares);
  }
  dropped.sort((a, b) => b.share - a.share);
  return { kept, dropped };
}

/** "1:27.3;2:28.1;3:44.6" → [[1, 0.273], …] (the source's `council_district_area_shares`). */
export function parseAreaShares(text: string): Array<[number, number]> {
  return text.split(';').map((part) => {
    const m = /^(\d+):(\d+(?:\.\d+)?)$/.exec(part);
    if (!m) throw new Error(`unrecognized council_district_area_shares entry ${JSON.stringify(part)}`);
    return [Number(m[1]), Number(m[2]) / 100];
  });
}

/** Percentage points the geodesic shares may differ from the source's planar (EPSG:2263) ones. */
export const SHARE_TOLERANCE = 0.002;

/**
 * Cross-checks computed shares against the source's listed shares (≥ 0.5 %, one decimal): the
 * same districts, each within SHARE_TOLERANCE, except a district within the tolerance of the
 * threshold, which either side may have rounded across it.
 */
export function disagreements(label: string, computed: readonly CouncilShare[], listed: ReadonlyArray<[number, number]>): string[] {
  const problems: string[] = [];
  const ours = new Map(computed.map((s) => [s.district, s.share]));
  const theirs = new Map(listed);
  const nearThreshold = (share: number) => Math.abs(share - MIN_NOMINATOR_SHARE) <= SHARE_TOLERANCE;
  for (const district of new Set([...ours.keys(), ...theirs.keys()])) {
    const a = ours.get(district);
    const b = theirs.get(district);
    if (a !== undefined && b !== undefined) {
      if (Math.abs(a - b) > SHARE_TOLERANCE) problems.push(`${label}: district ${district} covers ${(a * 100).toFixed(2)} %, the source says ${(b * 100).toFixed(1)} %`);
    } else if (!nearThreshold((a ?? b)!)) {
      problems.push(`${label}: district ${district} (${(((a ?? b)!) * 100).toFixed(2)} %) is only in ${a === undefined ? 'the source' : 'the geometry'}`);
    }
  }
  return problems;
}
