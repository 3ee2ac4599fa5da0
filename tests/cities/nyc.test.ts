/**
 * New York through the real server: locate at the points of src/datasets/nyc/KNOWN_POINTS.md, the
 * counts of issue 13, and a community board's member seat with its nominating council members.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nycDatasetDir } from '../../src/datasets/nyc/convert.ts';
import { KNOWN_POINTS, expectedKeys } from '../../src/datasets/nyc/known-points.ts';
import { createTestApi, type TestApi } from '../helpers/test-api.ts';

/** The dataset's OCD id of each division key (the API shows OCD ids, not dataset keys). */
const ocdIdOf = new Map<string, string>(
  (JSON.parse(readFileSync(join(nycDatasetDir, 'divisions.geojson'), 'utf8')) as { features: Array<{ properties: { key: string; ocdId: string } }> }).features.map(
    (f) => [f.properties.key, f.properties.ocdId],
  ),
);
const ocd = (key: string | null) => (key === null ? null : ocdIdOf.get(key)!);

const LOCATE = /* GraphQL */ `
  query ($latitude: Float!, $longitude: Float!) {
    locate(latitude: $latitude, longitude: $longitude, jurisdiction: "nyc") {
      isInJurisdiction
      councilDistrict { ocdId }
      locatedDivisions { ocdId kindInfo { code } }
      boards: organizations(kindCode: ["COMMUNITY_BOARD"]) { slug name website }
      organizations { slug kindInfo { code } }
    }
  }
`;

interface Located {
  locate: {
    isInJurisdiction: boolean;
    councilDistrict: { ocdId: string } | null;
    locatedDivisions: Array<{ ocdId: string; kindInfo: { code: string } }>;
    boards: Array<{ slug: string; name: string; website: string | null }>;
    organizations: Array<{ slug: string; kindInfo: { code: string } }>;
  };
}

describe('New York through the server', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await createTestApi({ template: 'cities' });
  }, 120_000);
  afterAll(async () => api?.dispose());

  for (const point of KNOWN_POINTS) {
    it(`locate at ${point.label} answers as KNOWN_POINTS.md says`, async () => {
      const keys = expectedKeys(point);
      const { data, errors } = await api.execute<Located>(LOCATE, { latitude: point.latitude, longitude: point.longitude });
      expect(errors).toBeUndefined();
      const located = data!.locate;
      expect(located.isInJurisdiction).toBe(keys.borough !== null);
      expect(located.councilDistrict?.ocdId ?? null).toBe(ocd(keys.councilDistrict));
      const byKind = Object.fromEntries(located.locatedDivisions.map((d) => [d.kindInfo.code, d.ocdId]));
      const expected = Object.fromEntries(
        [
          ['BOROUGH', ocd(keys.borough)],
          ['COMMUNITY_DISTRICT', ocd(keys.communityDistrict)],
          ['JOINT_INTEREST_AREA', ocd(keys.jointInterestArea)],
          ['COUNCIL_DISTRICT', ocd(keys.councilDistrict)],
        ].filter(([, id]) => id !== null),
      );
      expect(byKind).toEqual(expected);
      expect(located.locatedDivisions).toHaveLength(Object.keys(expected).length);
      // One board, that of the point's community district; none in a park, an airport or New Jersey.
      expect(located.boards.map((b) => b.slug)).toEqual(keys.board ? [keys.board] : []);
      // Councils and commissions are not reported at a point (their kinds' locate is NONE).
      expect(located.organizations.map((o) => o.kindInfo.code)).toEqual(keys.board ? ['COMMUNITY_BOARD'] : []);
    });
  }

  it('Times Square is in Manhattan Community District 5, served by Manhattan Community Board 5', async () => {
    const { data } = await api.execute<Located>(LOCATE, { latitude: 40.758, longitude: -73.9855 });
    expect(data!.locate.boards).toEqual([{ slug: 'manhattan-community-board-5', name: 'Manhattan Community Board 5', website: 'http://www.cb5.org/' }]);
    expect(data!.locate.locatedDivisions.map((d) => d.ocdId)).toContain('ocd-division/country:us/state:ny/place:new_york/community_district:manhattan_5');
  });

  it('a Portland point asked of New York is outside it, with no error', async () => {
    const { data, errors } = await api.execute<Located>(LOCATE, { latitude: 45.5122, longitude: -122.6587 });
    expect(errors).toBeUndefined();
    expect(data!.locate).toEqual({ isInJurisdiction: false, councilDistrict: null, locatedDivisions: [], boards: [], organizations: [] });
  });

  it('has the counts of issue 13', async () => {
    const { data, errors } = await api.execute(/* GraphQL */ `
      {
        boroughs: divisions(jurisdiction: "nyc", filter: { kindCode: ["BOROUGH"] }) { totalCount }
        communityDistricts: divisions(jurisdiction: "nyc", filter: { kindCode: ["COMMUNITY_DISTRICT"] }) { totalCount }
        jointInterestAreas: divisions(jurisdiction: "nyc", filter: { kindCode: ["JOINT_INTEREST_AREA"] }) { totalCount }
        councilDistricts: divisions(jurisdiction: "nyc", filter: { kindCode: ["COUNCIL_DISTRICT"] }) { totalCount }
        boards: organizations(jurisdiction: "nyc", filter: { kindCode: ["COMMUNITY_BOARD"] }) { totalCount }
        advisoryBodies: organizations(jurisdiction: "nyc", filter: { kindCode: ["ADVISORY_BODY"] }) { totalCount }
        council: organization(slug: "city-council", jurisdiction: "nyc") { posts(first: 100) { totalCount } }
      }
    `);
    expect(errors).toBeUndefined();
    expect(data).toEqual({
      boroughs: { totalCount: 5 },
      communityDistricts: { totalCount: 59 },
      jointInterestAreas: { totalCount: 12 },
      councilDistricts: { totalCount: 51 },
      boards: { totalCount: 59 },
      advisoryBodies: { totalCount: 3 },
      council: { posts: { totalCount: 51 } },
    });
  });
});
