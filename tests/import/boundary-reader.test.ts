/** The boundary reading shared by associationBoundarySet and the import, as a pure function. */
import type { Position } from 'geojson';
import { beforeAll, describe, expect, it } from 'vitest';
import { BOUNDARY_LIMITS, loadBoundaryReader, type BoundaryReader } from '../../src/import/boundary-reader.ts';

let read: BoundaryReader;
beforeAll(async () => {
  read = await loadBoundaryReader();
});

const square = (x: number, y: number, d: number): Position[] => [[x, y], [x + d, y], [x + d, y + d], [x, y + d], [x, y]];
const invalid = (message: string) => ({ boundary: null, problems: [{ code: 'BOUNDARY_INVALID', message }] });

describe('readBoundary', () => {
  it('refuses a million levels of nesting at the sixth', () => {
    let deep: unknown = [0, 0];
    for (let i = 0; i < 1_000_000; i++) deep = [deep];
    expect(read({ type: 'MultiPolygon', coordinates: deep })).toEqual(
      invalid('nests more than 5 levels of arrays and objects; a GeoJSON Polygon or MultiPolygon has at most 5'),
    );
  });

  it('accepts a MultiPolygon at exactly the depth, ring and position limits', () => {
    const rings = Array.from({ length: BOUNDARY_LIMITS.rings }, (_, i) => [square((i % 40) * 2, Math.floor(i / 40) * 2, 1)]);
    const last = rings[rings.length - 1]![0]!;
    // Pad the last ring along its first side up to exactly 50,000 positions in all.
    const extra = BOUNDARY_LIMITS.positions - BOUNDARY_LIMITS.rings * 5;
    const [x, y] = last[0] as [number, number];
    last.splice(1, 0, ...Array.from({ length: extra }, (_, i) => [x + ((i + 1) / (extra + 1)) * 1, y]));
    const { boundary, problems } = read({ type: 'MultiPolygon', coordinates: rings });
    expect(problems).toEqual([]);
    expect(boundary!.coordinates.flat(2)).toHaveLength(BOUNDARY_LIMITS.positions);
  });

  it("names holes that cut a polygon's interior in two", () => {
    const hole: Position[] = [[2, 0], [3, 2], [2, 4], [1, 2], [2, 0]];
    expect(read({ type: 'Polygon', coordinates: [[[0, 0], [4, 0], [4, 4], [0, 4], [0, 0]], hole] })).toEqual(
      invalid("coordinates: holes cut the polygon's interior in two near (2, 4)"),
    );
  });

  it('names two holes that cross each other', () => {
    expect(read({ type: 'Polygon', coordinates: [square(0, 0, 1), square(0.2, 0.2, 0.1), square(0.25, 0.2, 0.1)] })).toEqual(
      invalid('coordinates[1] and coordinates[2]: holes cross each other near (0.25, 0.3)'),
    );
  });

  it('keeps longitude and latitude only, and winds shells counterclockwise and holes clockwise', () => {
    const clockwise = square(0, 0, 1).reverse().map(([x, y]) => [x!, y!, 12]);
    const counterclockwiseHole = square(0.2, 0.2, 0.1);
    expect(read({ type: 'Polygon', coordinates: [clockwise, counterclockwiseHole] })).toEqual({
      boundary: { type: 'MultiPolygon', coordinates: [[square(0, 0, 1), square(0.2, 0.2, 0.1).reverse()]] },
      problems: [],
    });
  });
});
