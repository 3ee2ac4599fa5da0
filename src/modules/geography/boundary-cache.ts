import type { Database } from '../../db/client.ts';
import type { DivisionRow } from '../../db/schema/index.ts';
import { boundariesByIds } from './geography.repository.ts';

type Boundary = NonNullable<DivisionRow['boundary']>;

/**
 * Parsed division boundaries, kept across requests so `locate` neither ships nor parses the
 * GeoJSON (the largest part of its cost) on every call. A boundary is immutable per row version:
 * entries are keyed by the row's version (`xmin`, which changes with every update of the row, and
 * updated_at), so an edited boundary is fetched again the first time its new version is seen.
 * One map per database (tests run many), bounded by the number of divisions with a boundary.
 */
const caches = new WeakMap<Database, Map<number, { version: string; boundary: Boundary }>>();

export interface VersionedDivision {
  id: number;
  /** The row version the candidate was read at (see divisionsWhoseBoxContains). */
  version: string;
}

/**
 * The boundaries of `rows` at the versions given; one statement for the ones not cached yet (none
 * once warm). The returned objects are shared between requests and must not be modified.
 */
export async function boundariesOf(db: Database, rows: readonly VersionedDivision[]): Promise<Map<number, Boundary>> {
  let cache = caches.get(db);
  if (!cache) caches.set(db, (cache = new Map()));
  const missing = rows.filter((r) => cache.get(r.id)?.version !== r.version).map((r) => r.id);
  if (missing.length) {
    for (const fetched of await boundariesByIds(db, missing)) {
      if (fetched.boundary) cache.set(fetched.id, { version: fetched.version, boundary: fetched.boundary });
    }
  }
  const found = new Map<number, Boundary>();
  for (const r of rows) {
    const entry = cache.get(r.id);
    // A row edited between the two reads comes back at a newer version: use what was fetched,
    // it is the current boundary (the candidate's other columns are at most a moment older).
    if (entry) found.set(r.id, entry.boundary);
  }
  return found;
}
