/**
 * New York through the real server: locate at the points of src/datasets/nyc/KNOWN_POINTS.md, the
 * counts of issue 13, and a community board's member seat with its nominating council members.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nycDatasetDir } from '../../src/datasets/nyc/convert.ts';
import { VENDORED_CITIES } from '../../src/datasets/vendored.ts';
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
      divisions {
        ocdId
        kindInfo { code }
        boards: organizations(kindCode: ["COMMUNITY_BOARD"]) { slug name website roster { status } }
      }
    }
  }
`;

interface Located {
  locate: {
    isInJurisdiction: boolean;
    councilDistrict: { ocdId: string } | null;
    divisions: Array<{
      ocdId: string;
      kindInfo: { code: string };
      boards: Array<{ slug: string; name: string; website: string | null; roster: { status: string } }>;
    }>;
  };
}

const boardsOf = (located: Located['locate']) => located.divisions.flatMap((d) => d.boards);

describe('New York through the server', () => {
  it('New York is a vendored city (the cities template holds it)', () => {
    expect(VENDORED_CITIES).toContain('nyc');
  });
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
      const byKind = Object.fromEntries(located.divisions.map((d) => [d.kindInfo.code, d.ocdId]));
      const expected = Object.fromEntries(
        [
          ['BOROUGH', ocd(keys.borough)],
          ['COMMUNITY_DISTRICT', ocd(keys.communityDistrict)],
          ['JOINT_INTEREST_AREA', ocd(keys.jointInterestArea)],
          ['COUNCIL_DISTRICT', ocd(keys.councilDistrict)],
        ].filter(([, id]) => id !== null),
      );
      expect(byKind).toEqual(expected);
      // One division of each kind: the layers do not overlap within a kind.
      expect(located.divisions).toHaveLength(Object.keys(expected).length);
      // One board, that of the point's community district; none in a park, an airport or New Jersey.
      expect(boardsOf(located).map((b) => b.slug)).toEqual(keys.board ? [keys.board] : []);
    });
  }

  it('Times Square is in Manhattan Community District 5, served by Manhattan Community Board 5', async () => {
    const { data } = await api.execute<Located>(LOCATE, { latitude: 40.758, longitude: -73.9855 });
    expect(boardsOf(data!.locate)).toEqual([
      { slug: 'manhattan-community-board-5', name: 'Manhattan Community Board 5', website: 'http://www.cb5.org/', roster: { status: 'NOT_RECORDED' } },
    ]);
    expect(data!.locate.divisions.map((d) => d.ocdId)).toEqual([
      'ocd-division/country:us/state:ny/place:new_york/borough:manhattan',
      'ocd-division/country:us/state:ny/place:new_york/community_district:manhattan_5',
      'ocd-division/country:us/state:ny/place:new_york/council_district:4',
    ]);
  });

  it('a Portland point asked of New York is outside it, with no error', async () => {
    const { data, errors } = await api.execute<Located>(LOCATE, { latitude: 45.5122, longitude: -122.6587 });
    expect(errors).toBeUndefined();
    expect(data!.locate).toEqual({ isInJurisdiction: false, councilDistrict: null, divisions: [] });
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

  it('offers no community board seat as open: the rosters are not recorded, so a free place is unknown, not vacant', async () => {
    const { data, errors } = await api.execute(/* GraphQL */ `
      {
        openSeats(jurisdiction: "nyc", first: 100) { totalCount }
        organization(slug: "brooklyn-community-board-2", jurisdiction: "nyc") {
          roster { status asOf }
          posts(first: 20) { nodes { label knownVacancies vacancyStatus } }
        }
      }
    `);
    expect(errors).toBeUndefined();
    expect(data!.openSeats.totalCount).toBe(0);
    expect(data!.organization.roster).toEqual({ status: 'NOT_RECORDED', asOf: '2026-12-07' });
    const member = data!.organization.posts.nodes.find((p: { label: string }) => p.label === 'Member');
    expect(member).toEqual({ label: 'Member', knownVacancies: null, vacancyStatus: 'UNKNOWN' });
  });

  it("shows a community board's member seat filled by the borough president from council members' nominees, with its term rules and composition rules", async () => {
    const { data, errors } = await api.execute(/* GraphQL */ `
      {
        organization(slug: "manhattan-community-board-5", jurisdiction: "nyc") {
          compositionRules { code rule numerator denominator share }
          posts(first: 20) {
            nodes {
              label
              maxHolders
              filling {
                appointingAuthority
                selectionMethod
                isVoting
                isExOfficio
                nominatingAuthorities { __typename ... on Post { label organization { slug } division { ocdId } } }
                term { lengthMonths anchor staggerClasses holdoverLimitMonths limit limitCounting minAge }
              }
            }
          }
        }
      }
    `);
    expect(errors).toBeUndefined();
    const board = data!.organization;
    expect(board.compositionRules).toEqual([
      { code: 'city-employees', rule: 'MAX_SHARE_CITY_EMPLOYEES', numerator: 1, denominator: 4, share: 0.25 },
      { code: 'council-nominees', rule: 'MIN_SHARE_NOMINATED', numerator: 1, denominator: 2, share: 0.5 },
    ]);
    const member = board.posts.nodes.find((p: { label: string }) => p.label === 'Member');
    expect(member.maxHolders).toBe(50);
    expect(member.filling).toMatchObject({
      appointingAuthority: 'Manhattan Borough President',
      selectionMethod: 'APPOINTED',
      isVoting: true,
      isExOfficio: false,
      term: { lengthMonths: 24, anchor: '04-01', staggerClasses: 2, holdoverLimitMonths: 2, limit: 4, limitCounting: 'CONSECUTIVE_TERMS', minAge: 16 },
    });
    // The council seats of the districts overlapping Manhattan CD 5, largest share first.
    const nominators = member.filling.nominatingAuthorities as Array<{ __typename: string; label: string; organization: { slug: string }; division: { ocdId: string } }>;
    expect(nominators.map((n) => [n.__typename, n.organization.slug, n.label])).toEqual([
      ['Post', 'city-council', 'District 4'],
      ['Post', 'city-council', 'District 3'],
      ['Post', 'city-council', 'District 2'],
      ['Post', 'city-council', 'District 6'],
    ]);
    expect(nominators[0]!.division.ocdId).toBe('ocd-division/country:us/state:ny/place:new_york/council_district:4');
    // Those council members sit on the board without a vote; the district manager is staff.
    const exOfficio = board.posts.nodes.filter((p: { filling: { isExOfficio: boolean } }) => p.filling.isExOfficio);
    expect(exOfficio.map((p: { label: string; filling: { isVoting: boolean } }) => [p.label, p.filling.isVoting])).toEqual([
      ['Council Member, District 2', false],
      ['Council Member, District 3', false],
      ['Council Member, District 4', false],
      ['Council Member, District 6', false],
    ]);
    const manager = board.posts.nodes.find((p: { label: string }) => p.label === 'District Manager');
    expect(manager.filling).toMatchObject({ isVoting: false, isExOfficio: false, selectionMethod: 'APPOINTED' });
  });
});
