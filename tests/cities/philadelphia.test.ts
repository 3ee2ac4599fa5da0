/**
 * Philadelphia through the real server, on the database template holding every vendored city:
 * `locate` at the known points of src/datasets/philadelphia/KNOWN_POINTS.md (each expected answer
 * computed from the raw GeoJSON there, not from this database), and the counts the sources state.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VENDORED_CITIES } from '../../src/datasets/vendored.ts';
import { createTestApi, type TestApi } from '../helpers/test-api.ts';


const PLACE = 'ocd-division/country:us/state:pa/place:philadelphia';

/** KNOWN_POINTS.md: council district, and the lni_id of every RCO whose boundary contains the point. */
const KNOWN_POINTS = [
  { name: 'Philadelphia City Hall', latitude: 39.9526, longitude: -75.1636, district: 5, rcos: [142, 143], neighborhood: 'Center City East' },
  { name: 'Independence Hall', latitude: 39.9489, longitude: -75.15, district: 1, rcos: [272], neighborhood: 'Old City' },
  { name: 'Philadelphia Museum of Art', latitude: 39.9656, longitude: -75.181, district: 4, rcos: [], neighborhood: 'East Park' },
  { name: 'Frankford Ave & Girard Ave', latitude: 39.9697, longitude: -75.1347, district: 5, rcos: [185, 379, 405], neighborhood: 'Fishtown - Lower Kensington' },
  { name: 'Germantown Ave & Highland Ave', latitude: 40.0763, longitude: -75.2083, district: 8, rcos: [147, 148, 197, 451, 530], neighborhood: 'Chestnut Hill' },
] as const;
const CAMDEN = { latitude: 39.9448, longitude: -75.1196 };

const LOCATE = /* GraphQL */ `
  query Locate($latitude: Float!, $longitude: Float!, $on: Date = "2026-12-07") {
    locate(latitude: $latitude, longitude: $longitude, jurisdiction: "philadelphia") {
      isInJurisdiction
      councilDistrict { ocdId name }
      neighborhoods { name }
      divisions {
        ocdId
        kindInfo { code }
        organizations { slug kindInfo { code } registration(at: $on) { status expiresOn } }
      }
    }
  }
`;

/** The RCOs at a point, by the lni_id in their area's OCD id, with their registration on `on`. */
async function rcosAt(point: { latitude: number; longitude: number }, on: string) {
  const { data, errors } = await api.execute(LOCATE, { ...point, on });
  expect(errors).toBeUndefined();
  return Object.fromEntries(
    data!.locate.divisions
      .filter((d: any) => d.kindInfo.code === 'RCO_AREA')
      .map((d: any) => [Number(d.ocdId.split(':').pop()), d.organizations[0].registration]),
  );
}

let api: TestApi;
beforeAll(async () => {
  api = await createTestApi({ template: 'cities' });
});
afterAll(() => api?.dispose());

const rcoAreaId = (lniId: number) => `${PLACE}/rco_area:${lniId}`;

describe('Philadelphia: locate at the known points', () => {
  it('Philadelphia is a vendored city (the cities template holds it)', () => {
    expect(VENDORED_CITIES).toContain('philadelphia');
  });

  for (const point of KNOWN_POINTS) {
    it(`${point.name}: council district ${point.district} and RCOs ${point.rcos.join(', ') || 'none'}`, async () => {
      const { data, errors } = await api.execute(LOCATE, { latitude: point.latitude, longitude: point.longitude });
      expect(errors).toBeUndefined();
      const location = data!.locate;
      expect(location.isInJurisdiction).toBe(true);
      expect(location.councilDistrict.ocdId).toBe(`${PLACE}/council_district:${point.district}`);
      expect(location.neighborhoods.map((n: { name: string }) => n.name)).toEqual([point.neighborhood]);
      const areas = location.divisions.filter((d: any) => d.kindInfo.code === 'RCO_AREA');
      expect(areas.map((d: any) => d.ocdId).sort()).toEqual(point.rcos.map(rcoAreaId).sort());
      // Each RCO area is the area of exactly one registered community organization.
      for (const area of areas) {
        expect(area.organizations.map((o: any) => o.kindInfo.code)).toEqual(['REGISTERED_COMMUNITY_ORGANIZATION']);
      }
    });
  }

  it('gives each RCO its registration status: registered until June 30 of its expiry year, expired from July 1', async () => {
    const fishtown = KNOWN_POINTS[3];
    // lni_id 405 (Fishtown Kensington Area BID) expires in 2026, 185 and 379 in 2027 (KNOWN_POINTS.md).
    expect(await rcosAt(fishtown, '2026-06-30')).toEqual({
      185: { status: 'REGISTERED', expiresOn: '2027-07-01' },
      379: { status: 'REGISTERED', expiresOn: '2027-07-01' },
      405: { status: 'REGISTERED', expiresOn: '2026-07-01' },
    });
    expect(await rcosAt(fishtown, '2026-07-01')).toMatchObject({ 185: { status: 'REGISTERED' }, 405: { status: 'EXPIRED' } });
    expect(await rcosAt(KNOWN_POINTS[0], '2026-12-07')).toEqual({
      142: { status: 'REGISTERED', expiresOn: '2027-07-01' },
      143: { status: 'REGISTERED', expiresOn: '2027-07-01' },
    });
  });

  it('answers empty, with no error, outside the city (Camden, New Jersey)', async () => {
    const { data, errors } = await api.execute(LOCATE, CAMDEN);
    expect(errors).toBeUndefined();
    expect(data!.locate).toEqual({ isInJurisdiction: false, councilDistrict: null, neighborhoods: [], divisions: [] });
  });
});

describe('Philadelphia: what was imported', () => {
  it('has the 10 council districts, 239 RCO areas and 159 neighborhoods, with OCD ids', async () => {
    const { data, errors } = await api.execute(`{
      districts: divisions(jurisdiction: "philadelphia", filter: { kindCode: ["COUNCIL_DISTRICT"] }) { totalCount }
      rcoAreas: divisions(jurisdiction: "philadelphia", filter: { kindCode: ["RCO_AREA"] }) { totalCount }
      neighborhoods: divisions(jurisdiction: "philadelphia", filter: { kindCode: ["NEIGHBORHOOD"] }) { totalCount }
      district: division(jurisdiction: "philadelphia", ocdId: "${PLACE}/council_district:5") { name }
    }`);
    expect(errors).toBeUndefined();
    expect([data!.districts.totalCount, data!.rcoAreas.totalCount, data!.neighborhoods.totalCount]).toEqual([10, 239, 159]);
    expect(data!.district.name).toBe('Council District 5');
  });

  it('has 239 RCOs, the council with 17 seats (10 districts of one, 7 at large) and 5 boards', async () => {
    const { data, errors } = await api.execute(`{
      rcos: organizations(jurisdiction: "philadelphia", filter: { kindCode: ["REGISTERED_COMMUNITY_ORGANIZATION"] }) { totalCount }
      bodies: organizations(jurisdiction: "philadelphia", filter: { kindCode: ["ADVISORY_BODY"] }) { totalCount }
      council: organization(jurisdiction: "philadelphia", slug: "city-council") { posts(first: 50) { nodes { label maxHolders division { ocdId } } } }
    }`);
    expect(errors).toBeUndefined();
    expect(data!.rcos.totalCount).toBe(239);
    expect(data!.bodies.totalCount).toBe(5);
    const posts = data!.council.posts.nodes as Array<{ label: string; maxHolders: number; division: { ocdId: string } | null }>;
    expect(posts.reduce((n, p) => n + p.maxHolders, 0)).toBe(17);
    const districts = posts.filter((p) => p.division !== null);
    expect(districts.map((p) => p.division!.ocdId).sort()).toEqual(Array.from({ length: 10 }, (_, i) => `${PLACE}/council_district:${i + 1}`).sort());
    expect(districts.every((p) => p.maxHolders === 1)).toBe(true);
    expect(posts.filter((p) => p.division === null)).toEqual([{ label: 'At large', maxHolders: 7, division: null }]);
  });

  it('records no roster for the council and the boards: their seats are unknown, never vacant', async () => {
    const { data, errors } = await api.execute(`{
      organizations(jurisdiction: "philadelphia", filter: { kindCode: ["COUNCIL", "ADVISORY_BODY"] }, first: 10) {
        nodes { slug roster { status } registration { status } posts(first: 20) { nodes { knownVacancies vacancyStatus } } }
      }
    }`);
    expect(errors).toBeUndefined();
    const bodies = data!.organizations.nodes as any[];
    expect(bodies.map((b) => b.slug).sort()).toEqual([
      'art-commission',
      'board-of-ethics',
      'citizens-police-oversight-commission',
      'city-council',
      'city-planning-commission',
      'zoning-board-of-adjustment',
    ]);
    for (const body of bodies) {
      expect(body.roster.status).toBe('NOT_RECORDED');
      expect(body.registration).toBeNull();
      for (const post of body.posts.nodes) expect(post).toEqual({ knownVacancies: null, vacancyStatus: 'UNKNOWN' });
    }
  });
});
