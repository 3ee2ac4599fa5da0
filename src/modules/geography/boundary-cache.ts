import booleanPointInPolygon from '@turf/boolean-point-in-polygon';
import type { Polygon } from 'geojson';
import { readerOf } from '../../db/replicas.ts';
import type { Database } from '../../db/client.ts';
import type { DivisionRow } from '../../db/schema/index.ts';
import { boundariesOfJurisdictions } from './geography.repository.ts';

type Boundary = NonNullable<DivisionRow['boundary']>;

/**
 * A boundary ready for point tests, built once per row version: each polygon of the MultiPolygon
 * with the bounding box of its outer ring, so a point is tested against the rings (turf) only of
 * the polygons whose box holds it. Same answer as turf's booleanPointInPolygon on the whole
 * MultiPolygon: a point outside a ring's box is outside the ring, and a point on an edge is inside.
 */
export class PreparedBoundary {
  private readonly parts: Array<{ minX: number; minY: number; maxX: number; maxY: number; polygon: Polygon }>;

  constructor(readonly geometry: Boundary) {
    this.parts = geometry.coordinates.map((rings) => {
      let minX = Infinity;
      let minY = Infinity;
      let maxX = -Infinity;
      let maxY = -Infinity;
      for (const [x, y] of rings[0] ?? []) {
        if (x! < minX) minX = x!;
        if (x! > maxX) maxX = x!;
        if (y! < minY) minY = y!;
        if (y! > maxY) maxY = y!;
      }
      return { minX, minY, maxX, maxY, polygon: { type: 'Polygon', coordinates: rings } };
    });
  }

  contains(longitude: number, latitude: number): boolean {
    const point = [longitude, latitude];
    for (const part of this.parts) {
      if (longitude < part.minX || longitude > part.maxX || latitude < part.minY || latitude > part.maxY) continue;
      if (booleanPointInPolygon(point, part.polygon)) return true;
    }
    return false;
  }
}

/**
 * Prepared division boundaries, kept across requests so `locate` neither ships nor parses the
 * GeoJSON (the largest part of its cost) on every call. A boundary is immutable per row version:
 * entries are keyed by the row's version (`xmin`, which changes with every update of the row, and
 * updated_at), so an edited boundary is fetched again the first time its new version is seen.
 * One map per database (tests run many), bounded by the number of divisions with a boundary.
 */
const caches = new WeakMap<Database, Map<number, { version: string; boundary: PreparedBoundary }>>();
/** The boundary load in flight for each database, which concurrent misses wait for (single flight). */
const loading = new WeakMap<Database, Promise<void>>();

export interface VersionedDivision {
  id: number;
  /** The row version the candidate was read at (see divisionsWhoseBoxContains). */
  version: string;
}

/**
 * The boundaries of `rows` at the versions given; one statement for the ones not cached yet (none
 * once warm), which also loads the other boundaries of their jurisdictions not held yet. The
 * returned objects are shared between requests and must not be modified.
 */
export async function boundariesOf(db: Database, rows: readonly VersionedDivision[]): Promise<Map<number, PreparedBoundary>> {
  // Keyed by the database the request reads from, not by `db`: with several replicas every request
  // gets its own pinned view (src/db/replicas.ts), and a cache per view would last one request.
  const reader = readerOf(db);
  let cache = caches.get(reader);
  if (!cache) caches.set(reader, (cache = new Map()));
  const missingOf = () => rows.filter((r) => cache.get(r.id)?.version !== r.version).map((r) => r.id);
  let missing = missingOf();
  // Requests that miss together wait for the one load in flight, then fetch only what it did not
  // bring: fifty first `locate`s in a city would otherwise each read and parse all its boundaries
  // (New York's are 5 MB of GeoJSON), a burst of hundreds of megabytes.
  for (let running = loading.get(reader); missing.length && running; running = loading.get(reader)) {
    await running;
    missing = missingOf();
  }
  if (missing.length) {
    const load = (async () => {
      // The rest of the city's boundaries come along (those not held yet), once.
      for (const fetched of await boundariesOfJurisdictions(reader, missing, [...cache.keys()])) {
        if (fetched.boundary) cache.set(fetched.id, { version: fetched.version, boundary: new PreparedBoundary(fetched.boundary) });
      }
    })();
    loading.set(reader, load);
    try {
      await load;
    } finally {
      if (loading.get(reader) === load) loading.delete(reader);
    }
  }
  const found = new Map<number, PreparedBoundary>();
  for (const r of rows) {
    const entry = cache.get(r.id);
    // A row edited between the two reads comes back at a newer version: use what was fetched,
    // it is the current boundary (the candidate's other columns are at most a moment older).
    if (entry) found.set(r.id, entry.boundary);
  }
  return found;
}
