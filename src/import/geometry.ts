/** Boundary checks and normalization: every stored boundary is a valid WGS84 MultiPolygon with a bbox. */
import type { MultiPolygon, Polygon, Position } from 'geojson';

export interface BBox {
  minLongitude: number;
  minLatitude: number;
  maxLongitude: number;
  maxLatitude: number;
}

/** Problems with a polygon's rings, each prefixed by its path inside `coordinates`. */
export function geometryProblems(geometry: Polygon | MultiPolygon): string[] {
  const polygons = geometry.type === 'Polygon' ? [geometry.coordinates] : geometry.coordinates;
  const prefix = (p: number) => (geometry.type === 'Polygon' ? 'coordinates' : `coordinates[${p}]`);
  const problems: string[] = [];
  if (polygons.length === 0) problems.push('coordinates: no polygon');
  polygons.forEach((rings, p) => {
    if (rings.length === 0) problems.push(`${prefix(p)}: polygon has no ring`);
    rings.forEach((ring, r) => {
      const at = `${prefix(p)}[${r}]`;
      if (ring.length < 4) problems.push(`${at}: ring has ${ring.length} positions; at least 4 are needed`);
      ring.forEach((pos, i) => {
        const [lon, lat] = pos as [number, number];
        if (!(lon >= -180 && lon <= 180)) problems.push(`${at}[${i}]: longitude ${lon} is outside [-180, 180]`);
        if (!(lat >= -90 && lat <= 90)) problems.push(`${at}[${i}]: latitude ${lat} is outside [-90, 90]`);
      });
      const first = ring[0];
      const last = ring[ring.length - 1];
      if (first && last && (first[0] !== last[0] || first[1] !== last[1])) {
        problems.push(`${at}: ring is not closed (its first and last positions differ)`);
      }
    });
  });
  return problems;
}

/** Keeps longitude and latitude only, so equal shapes compare equal in the database. */
function position2d(p: Position): Position {
  return [p[0]!, p[1]!];
}

export function toMultiPolygon(geometry: Polygon | MultiPolygon): MultiPolygon {
  const polygons = geometry.type === 'Polygon' ? [geometry.coordinates] : geometry.coordinates;
  return { type: 'MultiPolygon', coordinates: polygons.map((rings) => rings.map((ring) => ring.map(position2d))) };
}

export function bboxOf(geometry: MultiPolygon): BBox {
  const box = { minLongitude: Infinity, minLatitude: Infinity, maxLongitude: -Infinity, maxLatitude: -Infinity };
  for (const rings of geometry.coordinates) {
    // Outer rings bound the polygon; holes lie inside them.
    for (const [lon, lat] of rings[0] ?? []) {
      box.minLongitude = Math.min(box.minLongitude, lon!);
      box.maxLongitude = Math.max(box.maxLongitude, lon!);
      box.minLatitude = Math.min(box.minLatitude, lat!);
      box.maxLatitude = Math.max(box.maxLatitude, lat!);
    }
  }
  return box;
}

export function bboxesIntersect(a: BBox, b: BBox): boolean {
  return (
    a.minLongitude <= b.maxLongitude &&
    b.minLongitude <= a.maxLongitude &&
    a.minLatitude <= b.maxLatitude &&
    b.minLatitude <= a.maxLatitude
  );
}

/** The intersection of two boxes grown by `margin` degrees on every side (callers know they meet). */
export function commonBox(a: BBox, b: BBox, margin: number): BBox {
  return {
    minLongitude: Math.max(a.minLongitude, b.minLongitude) - margin,
    minLatitude: Math.max(a.minLatitude, b.minLatitude) - margin,
    maxLongitude: Math.min(a.maxLongitude, b.maxLongitude) + margin,
    maxLatitude: Math.min(a.maxLatitude, b.maxLatitude) + margin,
  };
}

type Position2 = [number, number];

/** Sutherland–Hodgman clip of one ring to a box; null when nothing is left. */
function clipRing(ring: Position[], box: BBox): Position[] | null {
  const sides: Array<{ inside: (p: Position2) => boolean; cut: (p: Position2, q: Position2) => Position2 }> = [
    { inside: (p) => p[0] >= box.minLongitude, cut: (p, q) => atLongitude(p, q, box.minLongitude) },
    { inside: (p) => p[0] <= box.maxLongitude, cut: (p, q) => atLongitude(p, q, box.maxLongitude) },
    { inside: (p) => p[1] >= box.minLatitude, cut: (p, q) => atLatitude(p, q, box.minLatitude) },
    { inside: (p) => p[1] <= box.maxLatitude, cut: (p, q) => atLatitude(p, q, box.maxLatitude) },
  ];
  let points = ring.slice(0, -1) as Position2[];
  for (const side of sides) {
    const out: Position2[] = [];
    points.forEach((current, i) => {
      const previous = points[(i + points.length - 1) % points.length]!;
      if (side.inside(current)) {
        if (!side.inside(previous)) out.push(side.cut(previous, current));
        out.push(current);
      } else if (side.inside(previous)) {
        out.push(side.cut(previous, current));
      }
    });
    points = out;
    if (points.length < 3) return null;
  }
  return [...points, points[0]!];
}

function atLongitude(p: Position2, q: Position2, x: number): Position2 {
  return [x, p[1] + ((x - p[0]) / (q[0] - p[0])) * (q[1] - p[1])];
}
function atLatitude(p: Position2, q: Position2, y: number): Position2 {
  return [p[0] + ((y - p[1]) / (q[1] - p[1])) * (q[0] - p[0]), y];
}

/**
 * The part of a MultiPolygon inside a box. The result may have zero-width edges along the box
 * sides, which do not change areas; it only serves to make intersections cheaper.
 */
export function clipToBox(geometry: MultiPolygon, box: BBox): MultiPolygon | null {
  const polygons: Position[][][] = [];
  for (const [outer, ...holes] of geometry.coordinates) {
    const clipped = outer && clipRing(outer, box);
    if (!clipped) continue;
    polygons.push([clipped, ...holes.map((h) => clipRing(h, box)).filter((h): h is Position[] => h !== null)]);
  }
  return polygons.length ? { type: 'MultiPolygon', coordinates: polygons } : null;
}
