/**
 * associationBoundarySet and the geometry it is given: bounded before anything walks it, valid by
 * the OGC rules (GEOS) before the overlap computation sees it, and stored wound by RFC 7946.
 */
import type { Position } from 'geojson';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApi, type TestApi } from '../helpers/test-api.ts';
import { startHttpInstance, staffToken } from '../helpers/http-instance.ts';
import { expectRefusal } from '../seats/appointments-support.ts';
import { createAssociation, expectNothingChanged, idOfSlug, USER_ERRORS } from './associations-support.ts';

let api: TestApi;
beforeAll(async () => {
  api = await createTestApi();
});
afterAll(() => api.dispose());

const SET = /* GraphQL */ `
  mutation Set($input: AssociationBoundarySetInput!) {
    associationBoundarySet(input: $input) { organization { id } division { id boundary overlaps { share } } ${USER_ERRORS} }
  }
`;

// Off the coast west of Portland: no council district and no neighbor to overlap.
const LON = -124.5;
const LAT = 45.5;

/** A closed square ring around a point, `d` degrees from the center to each side, counterclockwise unless asked. */
function squareRing(lon: number, lat: number, d: number, clockwise = false): Position[] {
  const ring: Position[] = [[lon - d, lat - d], [lon + d, lat - d], [lon + d, lat + d], [lon - d, lat + d], [lon - d, lat - d]];
  return clockwise ? ring.reverse() : ring;
}

/** Twice the signed area (shoelace): positive for a counterclockwise ring. */
function signedArea(ring: Position[]): number {
  return ring.slice(1).reduce((sum, [x, y], i) => sum + ring[i]![0]! * y! - x! * ring[i]![1]!, 0);
}

/** `[0, 0]` wrapped in `levels` more arrays, built without recursion. */
function nested(levels: number): unknown {
  let value: unknown = [0, 0];
  for (let i = 0; i < levels; i++) value = [value];
  return value;
}

/** A clean refusal (no top-level error, exactly this code, null objects), and no row of any table changed. */
async function expectBoundaryRefused(boundary: unknown, code: string, message: string | RegExp) {
  const organizationId = await idOfSlug(api, 'kenton');
  await expectNothingChanged(api, async () => {
    const userErrors = await expectRefusal(api, SET, { organizationId, boundary }, 'associationBoundarySet', code);
    expect(userErrors).toEqual([{ code, field: ['input', 'boundary'], message: typeof message === 'string' ? message : expect.stringMatching(message) }]);
  });
}

const shell = squareRing(LON, LAT, 0.01);

describe('associationBoundarySet: bounded before it is read', () => {
  it('refuses coordinates nested 100,000 levels deep as BOUNDARY_INVALID, without a stack overflow', async () => {
    await expectBoundaryRefused(
      { type: 'Polygon', coordinates: nested(100_000) },
      'BOUNDARY_INVALID',
      'The boundary nests more than 5 levels of arrays and objects; a GeoJSON Polygon or MultiPolygon has at most 5',
    );
  });

  it('refuses a foreign member nested 100,000 levels deep the same way', async () => {
    await expectBoundaryRefused({ type: 'Polygon', coordinates: [shell], note: nested(100_000) }, 'BOUNDARY_INVALID', /nests more than 5 levels/);
  });

  it('refuses a million positions as BOUNDARY_TOO_LARGE', async () => {
    const ring = Array.from({ length: 1_000_000 }, (_, i) => [LON + Math.cos(i) / 100, LAT + Math.sin(i) / 100]);
    await expectBoundaryRefused({ type: 'Polygon', coordinates: [[...ring, ring[0]]] }, 'BOUNDARY_TOO_LARGE', /The boundary is more than 2,000,000 bytes as JSON/);
  });

  it('refuses more than 1,000 rings as BOUNDARY_TOO_LARGE', async () => {
    const polygons = Array.from({ length: 1_001 }, (_, i) => [squareRing(LON + (i % 40) * 0.01, LAT + Math.floor(i / 40) * 0.01, 0.001)]);
    await expectBoundaryRefused({ type: 'MultiPolygon', coordinates: polygons }, 'BOUNDARY_TOO_LARGE', 'The boundary has more than 1,000 rings (shells and holes); simplify it');
  });

  it('answers a deeply nested boundary sent over HTTP with the refusal, and keeps answering', async () => {
    const http = await startHttpInstance(api.db);
    try {
      const organizationId = await idOfSlug(api, 'kenton');
      // Written by hand: JSON.stringify itself overflows the stack on such a value.
      const coordinates = `${'['.repeat(100_000)}0,0${']'.repeat(100_000)}`;
      const body = `{"query":${JSON.stringify(SET)},"variables":{"input":{"organizationId":"${organizationId}","boundary":{"type":"Polygon","coordinates":${coordinates}}}}}`;
      const response = await fetch(`${http.base}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${await staffToken()}` },
        body,
      });
      const answer = (await response.json()) as { data: any; errors?: unknown };
      expect(response.status).toBe(200);
      expect(answer.errors).toBeUndefined();
      expect(answer.data.associationBoundarySet.userErrors).toEqual([{ code: 'BOUNDARY_INVALID', field: ['input', 'boundary'], message: expect.stringMatching(/nests more than 5 levels/) }]);
      expect((await http.post('{ __typename }')).body).toEqual({ data: { __typename: 'Query' } });
    } finally {
      await http.close();
    }
  });
});

describe('associationBoundarySet: valid by the OGC rules', () => {
  const cases: [string, unknown, string][] = [
    [
      'a ring that crosses itself (a bowtie)',
      { type: 'Polygon', coordinates: [[[LON, LAT], [LON + 0.1, LAT + 0.1], [LON + 0.1, LAT], [LON, LAT + 0.1], [LON, LAT]]] },
      'The boundary is not valid: coordinates[0]: ring crosses itself near (-124.45, 45.55)',
    ],
    [
      'a ring that touches itself (a spike)',
      { type: 'Polygon', coordinates: [[[LON, LAT], [LON + 0.1, LAT], [LON + 0.1, LAT + 0.1], [LON + 0.1, LAT + 0.2], [LON + 0.1, LAT + 0.1], [LON, LAT + 0.1], [LON, LAT]]] },
      'The boundary is not valid: coordinates[0]: ring touches itself near (-124.4, 45.6)',
    ],
    [
      'a hole outside its shell',
      { type: 'Polygon', coordinates: [shell, squareRing(LON + 0.1, LAT, 0.001, true)] },
      'The boundary is not valid: coordinates[1]: hole lies outside its shell near (-124.401, 45.499)',
    ],
    [
      'a hole crossing its shell',
      { type: 'Polygon', coordinates: [shell, squareRing(LON + 0.01, LAT, 0.002, true)] },
      'The boundary is not valid: coordinates[1]: hole crosses its shell near (-124.49, 45.502)',
    ],
    [
      'a hole inside another hole',
      { type: 'Polygon', coordinates: [shell, squareRing(LON, LAT, 0.005, true), squareRing(LON, LAT, 0.001, true)] },
      'The boundary is not valid: coordinates[2]: hole lies inside another hole near (-124.501, 45.499)',
    ],
    [
      'two polygons of a MultiPolygon that overlap',
      { type: 'MultiPolygon', coordinates: [[shell], [squareRing(LON + 0.015, LAT, 0.01)]] },
      'The boundary is not valid: coordinates[0][0] and coordinates[1][0]: polygons overlap near (-124.495, 45.51)',
    ],
    [
      'a polygon inside another polygon of the MultiPolygon',
      { type: 'MultiPolygon', coordinates: [[shell], [squareRing(LON, LAT, 0.001)]] },
      'The boundary is not valid: coordinates[1][0]: polygon lies inside another polygon of the MultiPolygon near (-124.501, 45.499)',
    ],
  ];

  it.each(cases)('refuses %s as BOUNDARY_INVALID, naming the ring and where', async (_title, boundary, message) => {
    await expectBoundaryRefused(boundary, 'BOUNDARY_INVALID', message);
  });

  it('accepts a polygon with a hole inside its shell, and stores it wound by RFC 7946 (shell counterclockwise, hole clockwise)', async () => {
    const organizationId = await createAssociation(api, 'Ring Harbor Commons');
    // Given the other way round: shell clockwise, hole counterclockwise.
    const boundary = { type: 'Polygon', coordinates: [squareRing(LON, LAT, 0.01, true), squareRing(LON, LAT, 0.002)] };
    const { data, errors } = await api.execute(SET, { input: { organizationId, boundary } }, { viewer: api.staff() });
    expect(errors).toBeUndefined();
    expect(data!.associationBoundarySet.userErrors).toEqual([]);
    const [stored, hole] = (data!.associationBoundarySet.division.boundary.coordinates as Position[][][])[0]!;
    expect(signedArea(stored!)).toBeGreaterThan(0);
    expect(signedArea(hole!)).toBeLessThan(0);
    expect(stored).toEqual(squareRing(LON, LAT, 0.01)); // the same positions, in the other order
    expect(hole).toEqual(squareRing(LON, LAT, 0.002, true));
  });

  it('accepts a clockwise shell (RFC 7946 asks readers not to refuse it) and stores it counterclockwise', async () => {
    const organizationId = await createAssociation(api, 'Clockwise Cove');
    const boundary = { type: 'MultiPolygon', coordinates: [[squareRing(LON - 0.1, LAT, 0.01, true)]] };
    const { data, errors } = await api.execute(SET, { input: { organizationId, boundary } }, { viewer: api.staff() });
    expect(errors).toBeUndefined();
    expect(data!.associationBoundarySet.userErrors).toEqual([]);
    expect(data!.associationBoundarySet.division.boundary).toEqual({ type: 'MultiPolygon', coordinates: [[squareRing(LON - 0.1, LAT, 0.01)]] });
  });
});
