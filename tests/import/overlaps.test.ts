import { describe, expect, it } from 'vitest';
import type { MultiPolygon } from 'geojson';
import { area } from '@turf/area';
import { bboxOf, clipToBox, geometryProblems, toMultiPolygon } from '../../src/import/geometry.ts';
import { computeOverlaps, MIN_SHARE } from '../../src/import/overlaps.ts';

const square = (x0: number, y0: number, size: number): MultiPolygon => ({
  type: 'MultiPolygon',
  coordinates: [[[[x0, y0], [x0 + size, y0], [x0 + size, y0 + size], [x0, y0 + size], [x0, y0]]]],
});
const shape = (id: number, kind: string, boundary: MultiPolygon) => ({ id, kind, boundary, bbox: bboxOf(boundary), area: area(boundary) });

describe('division overlaps', () => {
  it('computes each direction as a share of its own area', () => {
    // A small square whose left quarter lies in a large one (near the equator, so degrees are ~square).
    const big = shape(1, 'COUNCIL_DISTRICT', square(0, 0, 0.04));
    const small = shape(2, 'NEIGHBORHOOD', square(0.03, 0.01, 0.02));
    const shares = computeOverlaps([big, small]);
    expect(shares.get('2:1')).toBeCloseTo(0.5, 3);
    expect(shares.get('1:2')).toBeCloseTo(0.125, 3);
  });

  it('skips pairs of the same kind, pairs whose boxes do not meet, and shares under the threshold', () => {
    const a = shape(1, 'NEIGHBORHOOD', square(0, 0, 0.01));
    const b = shape(2, 'NEIGHBORHOOD', square(0.005, 0, 0.01));
    const far = shape(3, 'COUNCIL_DISTRICT', square(1, 1, 0.01));
    const sliver = shape(4, 'COUNCIL_DISTRICT', square(0.00999, 0, 0.01)); // 0.1% of a
    const shares = computeOverlaps([a, b, far, sliver]);
    expect(shares.has('1:2')).toBe(false);
    expect(shares.has('1:3')).toBe(false);
    expect(shares.has('1:4')).toBe(false);
    expect(MIN_SHARE).toBe(0.005);
    expect(shares.get('2:4')).toBeCloseTo(0.501, 2);
  });

  it('clips to a box without changing the area inside it', () => {
    // An L-shaped (concave) polygon with a hole, clipped to a box cutting through both.
    const l: MultiPolygon = {
      type: 'MultiPolygon',
      coordinates: [[
        [[0, 0], [0.03, 0], [0.03, 0.01], [0.01, 0.01], [0.01, 0.03], [0, 0.03], [0, 0]],
        [[0.002, 0.002], [0.002, 0.004], [0.004, 0.004], [0.004, 0.002], [0.002, 0.002]],
      ]],
    };
    const box = { minLongitude: 0.003, minLatitude: -1, maxLongitude: 1, maxLatitude: 0.02 };
    const clipped = clipToBox(l, box)!;
    expect(geometryProblems(clipped)).toEqual([]);
    // Expected: (L ∩ box) − (hole ∩ box) = 0.027*0.01 + 0.007*0.01 − 0.001*0.002 (in square degrees).
    const expected = 0.027 * 0.01 + 0.007 * 0.01 - 0.001 * 0.002;
    // Near the equator one square degree has a nearly constant area, so convert through a 0.01° square.
    const squareDegrees = (area(clipped) / area(square(0, 0, 0.01))) * 0.01 ** 2;
    expect(squareDegrees).toBeCloseTo(expected, 7);
  });

  it('validates rings and wraps a Polygon as a MultiPolygon', () => {
    expect(geometryProblems({ type: 'Polygon', coordinates: [[[0, 0], [1, 0], [1, 1], [0, 0]]] })).toEqual([]);
    expect(geometryProblems({ type: 'Polygon', coordinates: [[[0, 0], [1, 0], [1, 1], [0, 1]]] })).toEqual([
      'coordinates[0]: ring is not closed (its first and last positions differ)',
    ]);
    expect(geometryProblems({ type: 'Polygon', coordinates: [[[0, 0], [181, 0], [1, 1], [0, 0]]] })).toEqual([
      'coordinates[0][1]: longitude 181 is outside [-180, 180]',
    ]);
    expect(toMultiPolygon({ type: 'Polygon', coordinates: [[[0, 0, 5], [1, 0, 5], [1, 1, 5], [0, 0, 5]]] })).toEqual({
      type: 'MultiPolygon',
      coordinates: [[[[0, 0], [1, 0], [1, 1], [0, 0]]]],
    });
  });
});
