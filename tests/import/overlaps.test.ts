import { describe, expect, it } from 'vitest';
import type { MultiPolygon } from 'geojson';
import { area } from '@turf/area';
import { bboxOf, clipToBox, geometryProblems, toMultiPolygon } from '../../src/import/geometry.ts';
import { computeOverlaps, computeOverlapsWithGeos, MIN_SHARE } from '../../src/import/overlaps.ts';

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

  it('gives the same shares with GEOS as with turf: partial overlaps, containment, holes, boxes that meet without the shapes', async () => {
    const withHole: MultiPolygon = {
      type: 'MultiPolygon',
      coordinates: [[
        [[40, 10], [40.05, 10], [40.05, 10.05], [40, 10.05], [40, 10]],
        [[40.01, 10.01], [40.01, 10.03], [40.03, 10.03], [40.03, 10.01], [40.01, 10.01]],
      ]],
    };
    const triangle: MultiPolygon = { type: 'MultiPolygon', coordinates: [[[[40.06, 10], [40.1, 10], [40.1, 10.04], [40.06, 10]]]] };
    const shapes = [
      shape(1, 'COUNCIL_DISTRICT', withHole),
      shape(2, 'NEIGHBORHOOD', square(40.02, 10.02, 0.04)), // over the hole's corner and the shell's
      shape(3, 'NEIGHBORHOOD', square(40.035, 10.035, 0.005)), // inside the shell, clear of the hole
      shape(4, 'ORGANIZATION_AREA', square(40.055, 10.035, 0.01)), // its box meets the triangle's, the shapes do not
      shape(5, 'COUNCIL_DISTRICT', triangle),
      shape(6, 'ORGANIZATION_AREA', square(40.012, 10.012, 0.005)), // inside the hole
    ];
    const turf = computeOverlaps(shapes);
    const geos = await computeOverlapsWithGeos(shapes);
    expect([...geos.keys()].sort()).toEqual([...turf.keys()].sort());
    for (const [key, share] of turf) expect(geos.get(key), key).toBeCloseTo(share, 4);
    expect(geos.get('3:1')).toBe(1);
    expect(geos.has('4:5')).toBe(false);
    expect(geos.has('6:1')).toBe(false);
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
