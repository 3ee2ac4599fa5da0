/**
 * The overlap policy of a division kind (kinds.csv `overlap_policy`), one rule for the import and
 * for staff boundary edits (associationBoundarySet): two divisions of one kind whose validity
 * periods meet may overlap FREELY; WITH_AGREEMENT only where a boundary agreement between them is
 * on record; NEVER not at all. Overlap means a common area of at least SLIVER_TOLERANCE of the
 * smaller one: below it is a digitizing sliver (Portland's own layer has shared edges off by 0.01%).
 */
import type { MultiPolygon } from 'geojson';
import type { OverlapPolicy } from '../db/schema/index.ts';
import { bboxesIntersect, type BBox } from './geometry.ts';
import { loadOverlapShare } from './geos.ts';

export const SLIVER_TOLERANCE = 0.001;

export interface PolicedDivision {
  key: string;
  kind: string;
  validFrom: string | null;
  validUntil: string | null;
  boundary: MultiPolygon;
  bbox: BBox;
}

export interface SameKindOverlap {
  a: string;
  b: string;
  kind: string;
  policy: Exclude<OverlapPolicy, 'FREELY'>;
}

const periodsMeet = (a: PolicedDivision, b: PolicedDivision) =>
  (a.validUntil === null || b.validFrom === null || b.validFrom < a.validUntil) && (b.validUntil === null || a.validFrom === null || a.validFrom < b.validUntil);

/** Pairs of divisions of one kind, whose kind's policy is not FREELY, that overlap in a common period. */
export async function sameKindOverlaps(items: readonly PolicedDivision[], policyOf: (kind: string) => OverlapPolicy | undefined): Promise<SameKindOverlap[]> {
  const policed = items.filter((d) => {
    const policy = policyOf(d.kind);
    return policy !== undefined && policy !== 'FREELY';
  });
  const found: SameKindOverlap[] = [];
  const candidates: Array<[number, number]> = [];
  for (let i = 0; i < policed.length; i++) {
    for (let j = i + 1; j < policed.length; j++) {
      const x = policed[i]!;
      const y = policed[j]!;
      if (x.kind === y.kind && periodsMeet(x, y) && bboxesIntersect(x.bbox, y.bbox)) candidates.push([i, j]);
    }
  }
  if (candidates.length === 0) return found;
  const geometry = await loadOverlapShare(policed.map((d) => d.boundary));
  try {
    for (const [i, j] of candidates) {
      if (geometry.share(i, j) < SLIVER_TOLERANCE) continue;
      const x = policed[i]!;
      found.push({ a: x.key, b: policed[j]!.key, kind: x.kind, policy: policyOf(x.kind) as Exclude<OverlapPolicy, 'FREELY'> });
    }
  } finally {
    geometry.free();
  }
  return found;
}
