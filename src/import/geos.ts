/**
 * GEOS (the geometry engine behind PostGIS and Shapely), compiled to WebAssembly by geos-wasm, for
 * one question: is a polygon valid by the OGC Simple Features rules, and if not, why and where.
 * GEOS's validity check stops at the first problem and is O(n log n) in the positions; see
 * README "Dependencies, and why" for why not JSTS or @turf/boolean-valid.
 */
import initGeosJs from 'geos-wasm';
import { geojsonToGeosGeom } from 'geos-wasm/helpers';
import type { MultiPolygon } from 'geojson';

export interface Invalidity {
  /** GEOS's reason, e.g. "Self-intersection", "Hole lies outside shell", "Nested shells". */
  reason: string;
  /** Where the rule is broken, [longitude, latitude]; null when GEOS gives no point. */
  location: [number, number] | null;
}

type Geos = Awaited<ReturnType<typeof initGeosJs>>;
let loading: Promise<Geos> | null = null;

/** Loads the WebAssembly module once per process (about 0.1 s), on first use. */
function geos(): Promise<Geos> {
  // A failed load is not kept: the next boundary tries again instead of failing until a restart.
  loading ??= initGeosJs().catch((error: unknown) => {
    loading = null;
    throw error;
  });
  return loading;
}

/** A synchronous validity check; awaiting this once makes GEOS ready for every later call. */
export async function loadValidityCheck(): Promise<(geometry: MultiPolygon) => Invalidity | null> {
  const g = await geos();
  return (geometry) => invalidityOf(g, geometry);
}

/**
 * The geometry must already have closed rings of at least 4 finite positions (checked by
 * geometry.ts): GEOS aborts the ring's construction otherwise, with no position to report.
 */
function invalidityOf(g: Geos, geometry: MultiPolygon): Invalidity | null {
  const { Module } = g;
  const geometryPtr = geojsonToGeosGeom(geometry, g);
  const reasonPtr = Module._malloc(4);
  const locationPtr = Module._malloc(4);
  try {
    // flags 0: the OGC rule, so a ring touching itself to enclose a hole ("inverted") is invalid too.
    const valid = g.GEOSisValidDetail(geometryPtr, 0, reasonPtr, locationPtr);
    if (valid === 1) return null;
    if (valid !== 1 && valid !== 0) throw new Error('GEOS could not check the geometry');
    const reason = Module.getValue(reasonPtr, 'i32');
    const location = Module.getValue(locationPtr, 'i32');
    const result: Invalidity = { reason: Module.UTF8ToString(reason), location: location ? pointOf(g, location) : null };
    g.GEOSFree(reason);
    if (location) g.GEOSGeom_destroy(location);
    return result;
  } finally {
    Module._free(reasonPtr);
    Module._free(locationPtr);
    g.GEOSGeom_destroy(geometryPtr);
  }
}

function pointOf(g: Geos, point: number): [number, number] {
  const { Module } = g;
  const x = Module._malloc(8);
  const y = Module._malloc(8);
  try {
    g.GEOSGeomGetX(point, x);
    g.GEOSGeomGetY(point, y);
    return [Module.getValue(x, 'double'), Module.getValue(y, 'double')];
  } finally {
    Module._free(x);
    Module._free(y);
  }
}

/**
 * Planar area ratios with GEOS (kind-overlaps.ts): for a list of shapes, a function telling the
 * common area of two of them as a share of the smaller one's area. In degrees, which at a city's
 * scale gives the same share as a geodesic area to well under a thousandth; call `free` after.
 */
export async function loadOverlapShare(shapes: readonly MultiPolygon[]): Promise<{ share(i: number, j: number): number; free(): void }> {
  const g = await geos();
  const { Module } = g;
  const out = Module._malloc(8);
  const geoms = shapes.map((s) => geojsonToGeosGeom(s, g));
  const areaOf = (ptr: number) => {
    if (g.GEOSArea(ptr, out) !== 1) throw new Error('GEOS could not measure an area');
    return Module.getValue(out, 'double');
  };
  const areas = geoms.map(areaOf);
  return {
    share(i, j) {
      const smaller = Math.min(areas[i]!, areas[j]!);
      if (smaller <= 0 || g.GEOSIntersects(geoms[i]!, geoms[j]!) !== 1) return 0;
      const common = g.GEOSIntersection(geoms[i]!, geoms[j]!);
      if (!common) throw new Error('GEOS could not intersect two boundaries');
      try {
        return areaOf(common) / smaller;
      } finally {
        g.GEOSGeom_destroy(common);
      }
    },
    free() {
      for (const p of geoms) g.GEOSGeom_destroy(p);
      Module._free(out);
    },
  };
}

/** Pairwise intersection areas of a fixed list of boundaries; `close` frees GEOS's memory. */
export interface Intersections {
  /** m² of boundaries[i] ∩ boundaries[j]; null when GEOS could not intersect them. */
  area(i: number, j: number): number | null;
  close(): void;
}

/**
 * Intersection areas by GEOS, for the import's division overlaps (hundreds of boundaries, tens of
 * thousands of pairs). Each boundary is handed to GEOS once, projected to (longitude in radians,
 * sin latitude): on those coordinates the plane area times R² is exactly @turf/area's formula (a
 * cylindrical equal-area projection), so shares agree with areas measured by turf. Each is also
 * prepared, so a pair that does not meet, or where one covers the other, needs no overlay at all.
 */
export async function openIntersections(boundaries: readonly MultiPolygon[], earthRadius: number): Promise<Intersections> {
  const g = await geos();
  const { Module } = g;
  const toRadians = Math.PI / 180;
  const geometries = boundaries.map((b) =>
    geojsonToGeosGeom(
      { type: 'MultiPolygon', coordinates: b.coordinates.map((rings) => rings.map((ring) => ring.map(([lon, lat]) => [lon! * toRadians, Math.sin(lat! * toRadians)]))) },
      g,
    ),
  );
  const prepared: number[] = [];
  const areas: number[] = [];
  const areaPtr = Module._malloc(8);
  const planeArea = (geometry: number): number | null => (g.GEOSArea(geometry, areaPtr) === 1 ? Module.getValue(areaPtr, 'double') : null);
  const scale = earthRadius * earthRadius;
  const preparedOf = (i: number) => (prepared[i] ??= g.GEOSPrepare(geometries[i]!));
  const areaOf = (i: number) => (areas[i] ??= planeArea(geometries[i]!) ?? Number.NaN);
  return {
    area(i, j) {
      const a = preparedOf(i);
      const b = preparedOf(j);
      const meets = g.GEOSPreparedIntersects(a, geometries[j]!);
      if (meets === 0) return 0;
      if (meets !== 1) return null;
      if (g.GEOSPreparedCovers(a, geometries[j]!) === 1) return areaOf(j) * scale;
      if (g.GEOSPreparedCovers(b, geometries[i]!) === 1) return areaOf(i) * scale;
      const piece = g.GEOSIntersection(geometries[i]!, geometries[j]!);
      if (!piece) return null;
      try {
        const area = planeArea(piece);
        return area === null ? null : area * scale;
      } finally {
        g.GEOSGeom_destroy(piece);
      }
    },
    close() {
      for (const p of prepared) if (p) g.GEOSPreparedGeom_destroy(p);
      for (const geometry of geometries) g.GEOSGeom_destroy(geometry);
      Module._free(areaPtr);
    },
  };
}
