/**
 * `locate` with no city named, on the template holding the three cities: a point is answered by the
 * city whose extent holds it. Expected answers come from each city's KNOWN_POINTS.md (computed from
 * the raw GeoJSON, src/datasets/<city>/known-points.ts) and, for Portland, from city-extent.test.ts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApi, type TestApi } from '../helpers/test-api.ts';

const LOCATE = /* GraphQL */ `
  query Locate($latitude: Float!, $longitude: Float!) {
    locate(latitude: $latitude, longitude: $longitude) {
      jurisdiction { slug }
      isInJurisdiction
      councilDistrict { ocdId }
      divisions { name }
    }
  }
`;

let api: TestApi;
beforeAll(async () => {
  api = await createTestApi({ template: 'cities' });
});
afterAll(() => api.dispose());

async function locate(latitude: number, longitude: number) {
  const { data, errors } = await api.execute<{ locate: { jurisdiction: { slug: string }; isInJurisdiction: boolean; councilDistrict: { ocdId: string } | null; divisions: { name: string }[] } }>(LOCATE, { latitude, longitude });
  expect(errors).toBeUndefined();
  return data!.locate;
}

describe('locate without a city', () => {
  it('answers in the city whose extent holds the point', async () => {
    // Philadelphia City Hall: District 5 (src/datasets/philadelphia/KNOWN_POINTS.md).
    expect(await locate(39.9526, -75.1636)).toMatchObject({
      jurisdiction: { slug: 'philadelphia' },
      isInJurisdiction: true,
      councilDistrict: { ocdId: 'ocd-division/country:us/state:pa/place:philadelphia/council_district:5' },
    });
    // Brooklyn Borough Hall: council district 33 (src/datasets/nyc/KNOWN_POINTS.md).
    const brooklyn = await locate(40.6928, -73.9903);
    expect(brooklyn).toMatchObject({ jurisdiction: { slug: 'nyc' }, isInJurisdiction: true });
    expect(brooklyn.councilDistrict?.ocdId).toMatch(/council_district:33$/);
    // Buckman: Portland, District 3, as before.
    expect(await locate(45.5185, -122.655)).toMatchObject({
      jurisdiction: { slug: 'portland' },
      isInJurisdiction: true,
      councilDistrict: { ocdId: 'ocd-division/country:us/state:or/place:portland/council_district:3' },
    });
  });

  it('keeps the default city for points outside every city: empty, or straying areas only', async () => {
    // Camden, NJ and Hoboken, NJ: beside Philadelphia and New York, inside neither.
    for (const [latitude, longitude] of [[39.9448, -75.1196], [40.744, -74.0324]] as const) {
      expect(await locate(latitude, longitude)).toEqual({ jurisdiction: { slug: 'portland' }, isInJurisdiction: false, councilDistrict: null, divisions: [] });
    }
    // Milwaukie: outside Portland, inside a Portland neighborhood polygon that strays past it.
    const milwaukie = await locate(45.45, -122.63);
    expect(milwaukie).toMatchObject({ jurisdiction: { slug: 'portland' }, isInJurisdiction: false, councilDistrict: null });
    expect(milwaukie.divisions.map((d) => d.name)).toContain('Ardenwald-Johnson Creek');
  });

  it('costs no statement more for a point in the default city', async () => {
    await locate(45.5185, -122.655);
    api.statements.reset();
    await locate(45.5185, -122.655);
    const inPortland = api.statements.count();
    const extentQuery = (log: readonly string[]) => log.filter((s) => s.includes('"jurisdictions"."extent_kind"'));
    expect(extentQuery(api.statements.log)).toEqual([]);
    api.statements.reset();
    await locate(39.9526, -75.1636);
    // Outside Portland: one statement finds the city by its extent's boxes, then Philadelphia's locate.
    expect(api.statements.count()).toBeGreaterThan(inPortland);
    expect(extentQuery(api.statements.log)).toHaveLength(1);
  });

  it('a named city answers for itself only', async () => {
    const { data } = await api.execute<{ locate: { jurisdiction: { slug: string }; isInJurisdiction: boolean; divisions: unknown[] } }>(
      `{ locate(latitude: 39.9526, longitude: -75.1636, jurisdiction: "portland") { jurisdiction { slug } isInJurisdiction divisions { name } } }`,
    );
    expect(data!.locate).toEqual({ jurisdiction: { slug: 'portland' }, isInJurisdiction: false, divisions: [] });
  });
});
