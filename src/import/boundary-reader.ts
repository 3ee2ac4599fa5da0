/**
 * One reading of a boundary given as GeoJSON, shared by the API (associationBoundarySet) and the
 * dataset import, in an order where nothing walks the input before it is known to be bounded:
 *   1. its depth and JSON size, measured with an explicit stack (no recursion, so a value nested
 *      100,000 levels deep is refused at level 6, not by a stack overflow);
 *   2. its type and the shape of `coordinates` (fixed depth: rings of positions of numbers),
 *      counting rings and positions before each is read;
 *   3. closed rings of at least 4 positions, longitudes and latitudes in range (geometry.ts);
 *   4. OGC validity by GEOS (geos.ts): no ring crossing or touching itself, holes inside their
 *      shell and not crossing it, no polygon inside another, the interior connected;
 *   5. some area; then it is stored as a MultiPolygon wound by RFC 7946's right-hand rule.
 */
import { area } from '@turf/area';
import { rewind } from '@turf/rewind';
import type { MultiPolygon, Polygon, Position } from 'geojson';
import { geometryProblems, toMultiPolygon } from './geometry.ts';
import { loadValidityCheck, type Invalidity } from './geos.ts';

export const BOUNDARY_LIMITS = {
  /** Levels of arrays and objects: a MultiPolygon object, its coordinates, a polygon, a ring, a position. */
  depth: 5,
  bytes: 2_000_000,
  positions: 50_000,
  /** Shells and holes together. The largest real boundary seen (a New York borough) has 37. */
  rings: 1_000,
} as const;

export interface BoundaryProblem {
  code: 'BOUNDARY_INVALID' | 'BOUNDARY_TOO_LARGE';
  /** Starts with its path inside the geometry (`coordinates[0][1]: …`) when it has one. */
  message: string;
}

export type BoundaryReading = { boundary: MultiPolygon; problems: [] } | { boundary: null; problems: BoundaryProblem[] };

const format = (n: number) => n.toLocaleString('en-US');
const near = ([lon, lat]: readonly number[]) => `near (${Number(lon!.toFixed(6))}, ${Number(lat!.toFixed(6))})`;
const invalid = (...messages: string[]): BoundaryReading => ({ boundary: null, problems: messages.map((message) => ({ code: 'BOUNDARY_INVALID', message })) });
const tooLarge = (message: string): BoundaryReading => ({ boundary: null, problems: [{ code: 'BOUNDARY_TOO_LARGE', message }] });

export type BoundaryReader = (value: unknown) => BoundaryReading;

/** Loads GEOS once; the reader it returns is synchronous. */
export async function loadBoundaryReader(): Promise<BoundaryReader> {
  const invalidityOf = await loadValidityCheck();
  return (value) => readBoundary(value, invalidityOf);
}

function readBoundary(value: unknown, invalidityOf: (geometry: MultiPolygon) => Invalidity | null): BoundaryReading {
  const measured = measureJson(value, BOUNDARY_LIMITS.depth, BOUNDARY_LIMITS.bytes);
  if (measured === 'too deep') {
    return invalid(`nests more than ${BOUNDARY_LIMITS.depth} levels of arrays and objects; a GeoJSON Polygon or MultiPolygon has at most ${BOUNDARY_LIMITS.depth}`);
  }
  if (measured === 'too large') return tooLarge(`is more than ${format(BOUNDARY_LIMITS.bytes)} bytes as JSON, the limit`);
  const type = (value as { type?: unknown } | null)?.type;
  if (type !== 'Polygon' && type !== 'MultiPolygon') {
    return invalid(`must be a GeoJSON Polygon or MultiPolygon, not ${JSON.stringify(String(type).slice(0, 40))}`);
  }
  const geometry = value as Polygon | MultiPolygon;
  const prefix = (p: number) => (type === 'Polygon' ? 'coordinates' : `coordinates[${p}]`);
  const shape = checkShape(geometry, prefix);
  if (shape) return shape;
  const problems = geometryProblems(geometry);
  if (problems.length) return invalid(...problems);
  const boundary = toMultiPolygon(geometry);
  const invalidity = invalidityOf(boundary);
  if (invalidity) return invalid(describe(invalidity, boundary, prefix));
  if (!(area(boundary) > 0)) return invalid('encloses no area');
  // RFC 7946: shells counterclockwise, holes clockwise. Readers must not refuse either winding, so it is set, not checked.
  return { boundary: rewind(boundary, { mutate: true }) as MultiPolygon, problems: [] };
}

/**
 * The JSON size of a parsed JSON value, walked with an explicit stack; 'too deep' as soon as an
 * array or object lies deeper than `maxDepth`, 'too large' as soon as the size passes `maxBytes`.
 */
function measureJson(value: unknown, maxDepth: number, maxBytes: number): number | 'too deep' | 'too large' {
  let bytes = 0;
  const stack: Array<[unknown, number]> = [[value, 1]];
  while (stack.length) {
    const [item, depth] = stack.pop()!;
    if (item !== null && typeof item === 'object') {
      if (depth > maxDepth) return 'too deep';
      const entries = Array.isArray(item) ? item.map((v) => ['', v] as const) : Object.entries(item);
      bytes += 2 + Math.max(entries.length - 1, 0); // brackets and commas
      for (const [key, child] of entries) {
        if (!Array.isArray(item)) bytes += Buffer.byteLength(JSON.stringify(key), 'utf8') + 1;
        stack.push([child, depth + 1]);
      }
    } else {
      bytes += typeof item === 'string' ? Buffer.byteLength(JSON.stringify(item), 'utf8') : String(JSON.stringify(item) ?? null).length;
    }
    if (bytes > maxBytes) return 'too large';
  }
  return bytes;
}

function isPosition(value: unknown): boolean {
  return Array.isArray(value) && (value.length === 2 || value.length === 3) && value.every((n) => typeof n === 'number' && Number.isFinite(n));
}

/** Arrays of rings of positions, at most BOUNDARY_LIMITS rings and positions, each counted before it is read. */
function checkShape(geometry: { type: string; coordinates?: unknown }, prefix: (p: number) => string): BoundaryReading | null {
  const coordinates = geometry.coordinates;
  if (!Array.isArray(coordinates)) return invalid('has no coordinates array');
  const polygons: unknown[] = geometry.type === 'Polygon' ? [coordinates] : coordinates;
  let rings = 0;
  let positions = 0;
  for (const [p, polygon] of polygons.entries()) {
    if (!Array.isArray(polygon)) return invalid(`${prefix(p)}: must be an array of rings`);
    rings += polygon.length;
    if (rings > BOUNDARY_LIMITS.rings) return tooLarge(`has more than ${format(BOUNDARY_LIMITS.rings)} rings (shells and holes); simplify it`);
    for (const [r, ring] of polygon.entries()) {
      if (!Array.isArray(ring)) return invalid(`${prefix(p)}[${r}]: must be an array of positions`);
      positions += ring.length;
      if (positions > BOUNDARY_LIMITS.positions) return tooLarge(`has more than ${format(BOUNDARY_LIMITS.positions)} positions; simplify it`);
      const bad = ring.findIndex((position) => !isPosition(position));
      if (bad >= 0) return invalid(`${prefix(p)}[${r}][${bad}]: a position must be [longitude, latitude] in numbers`);
    }
  }
  return null;
}

/** GEOS's finding in plain words, naming the ring or rings at its location. */
function describe({ reason, location }: Invalidity, boundary: MultiPolygon, prefix: (p: number) => string): string {
  const where = location ? ` ${near(location)}` : '';
  const [first, second] = location ? ringsThrough(boundary, location) : [];
  if (!first) return `is not valid: ${reason}${where}`; // GEOS named no position on a ring
  const path = ([p, r]: [number, number]) => `${prefix(p)}[${r}]`;
  switch (reason) {
    case 'Self-intersection':
    case 'Ring Self-intersection': {
      const [verb, plural] = reason === 'Self-intersection' ? ['crosses', 'cross'] : ['touches', 'touch'];
      if (!second) return `${path(first)}: ring ${verb} itself${where}`;
      if (first[0] !== second[0]) return `${path(first)} and ${path(second)}: polygons overlap${where}`;
      if (first[1] === 0) return `${path(second)}: hole ${verb} its shell${where}`;
      return `${path(first)} and ${path(second)}: holes ${plural} each other${where}`;
    }
    case 'Hole lies outside shell':
      return `${path(first)}: hole lies outside its shell${where}`;
    case 'Holes are nested':
      return `${path(first)}: hole lies inside another hole${where}`;
    case 'Nested shells':
      return `${path(first)}: polygon lies inside another polygon of the MultiPolygon${where}`;
    case 'Interior is disconnected':
      return `${prefix(first[0])}: holes cut the polygon's interior in two${where}`;
    case 'Too few points in geometry component': // GEOS counts distinct points
      return `${path(first)}: ring has fewer than 3 distinct positions${where}`;
    case 'Duplicate Rings':
      return `${path(first)}: ring repeats another ring${where}`;
    default:
      return `${path(first)}: ${reason}${where}`;
  }
}

/** Rings (polygon index, ring index) with a side within about a centimetre of the point. */
function ringsThrough(boundary: MultiPolygon, point: [number, number]): Array<[number, number]> {
  const found: Array<[number, number]> = [];
  boundary.coordinates.forEach((polygon, p) =>
    polygon.forEach((ring, r) => {
      if (ring.some((a, i) => i > 0 && distanceToSide(point, ring[i - 1]!, a) < 1e-7)) found.push([p, r]);
    }),
  );
  return found;
}

function distanceToSide([x, y]: [number, number], a: Position, b: Position): number {
  const [ax, ay] = a as [number, number];
  const [bx, by] = b as [number, number];
  const dx = bx - ax;
  const dy = by - ay;
  const lengthSquared = dx * dx + dy * dy;
  const t = lengthSquared === 0 ? 0 : Math.max(0, Math.min(1, ((x - ax) * dx + (y - ay) * dy) / lengthSquared));
  return Math.hypot(x - (ax + t * dx), y - (ay + t * dy));
}
