/** Upserts divisions parents-first, so each row is written once with its parent id already known. */
import { eq } from 'drizzle-orm';
import { divisions } from '../db/schema/index.ts';
import type { DatasetDivision } from './read-dataset.ts';
import { addCounts, emptyCounts, type TableCounts } from './summary.ts';
import { upsertRows, type Tx } from './upsert.ts';

export async function keyToId(tx: Tx, jurisdictionId: number): Promise<Map<string, number>> {
  const rows = await tx
    .select({ id: divisions.id, key: divisions.sourceKey })
    .from(divisions)
    .where(eq(divisions.jurisdictionId, jurisdictionId));
  return new Map(rows.map((r) => [r.key, r.id]));
}

/** Depth in the parent tree (validation has ruled out cycles and missing parents). */
function depths(items: readonly DatasetDivision[]): Map<string, number> {
  const parentOf = new Map(items.map((d) => [d.properties.key, d.properties.parentKey]));
  const depth = new Map<string, number>();
  for (const key of parentOf.keys()) {
    let n = 0;
    for (let p = parentOf.get(key) ?? null; p !== null; p = parentOf.get(p) ?? null) n++;
    depth.set(key, n);
  }
  return depth;
}

export async function writeDivisions(
  tx: Tx,
  jurisdictionId: number,
  items: readonly DatasetDivision[],
): Promise<{ counts: TableCounts; ids: Map<string, number> }> {
  const depth = depths(items);
  const maxDepth = Math.max(0, ...depth.values());
  let counts = emptyCounts();
  let ids = await keyToId(tx, jurisdictionId);
  for (let level = 0; level <= maxDepth; level++) {
    const rows = items
      .filter((d) => depth.get(d.properties.key) === level)
      .map(({ properties: p, boundary, bbox }) => ({
        jurisdictionId,
        sourceKey: p.key,
        ocdId: p.ocdId,
        kind: p.kind,
        name: p.name,
        parentId: p.parentKey === null ? null : ids.get(p.parentKey)!,
        validFrom: p.validFrom,
        validUntil: p.validUntil,
        boundary,
        minLongitude: bbox?.minLongitude ?? null,
        minLatitude: bbox?.minLatitude ?? null,
        maxLongitude: bbox?.maxLongitude ?? null,
        maxLatitude: bbox?.maxLatitude ?? null,
        source: p.source,
      }));
    const levelCounts = await upsertRows(tx, divisions, rows, [divisions.jurisdictionId, divisions.sourceKey], [
      'ocdId',
      'kind',
      'name',
      'parentId',
      'validFrom',
      'validUntil',
      'boundary',
      'minLongitude',
      'minLatitude',
      'maxLongitude',
      'maxLatitude',
      'source',
    ]);
    counts = addCounts(counts, levelCounts);
    ids = await keyToId(tx, jurisdictionId);
  }
  return { counts, ids };
}
