/**
 * SQL statements per operation in Philadelphia and New York, as tests/graphql/statement-count.test.ts
 * counts them in Portland: what partners ask of each city costs a fixed number of statements,
 * however many rows answer (no statement per row: DataLoader batches each level).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KNOWN_POINTS as NYC_POINTS } from '../../src/datasets/nyc/known-points.ts';
import { createTestApi, type TestApi } from '../helpers/test-api.ts';

let api: TestApi;
beforeAll(async () => {
  api = await createTestApi({ template: 'cities' });
}, 120_000);
afterAll(() => api?.dispose());

async function countStatements(query: string, variables: Record<string, unknown> = {}): Promise<{ statements: number; data: any; log: string[] }> {
  api.statements.reset();
  const { data, errors } = await api.execute(query, variables);
  expect(errors).toBeUndefined();
  return { statements: api.statements.count(), data, log: [...api.statements.log] };
}

/** What a partner asks at an address: districts, the organizations serving each, their seats and holders. */
const LOCATE = /* GraphQL */ `
  query ($latitude: Float!, $longitude: Float!, $jurisdiction: String!) {
    locate(latitude: $latitude, longitude: $longitude, jurisdiction: $jurisdiction) {
      councilDistrict { name }
      divisions {
        name
        kindInfo { code }
        organizations { name kindInfo { code } registration { status expiresOn } posts(first: 5) { nodes { label holders { person { name } } } } }
      }
    }
  }
`;

describe('SQL statements per operation, in Philadelphia and New York', () => {
  it('locate in Philadelphia costs the same at a point with no RCO as at one with five overlapping', async () => {
    // src/datasets/philadelphia/KNOWN_POINTS.md: the Museum of Art is in no RCO; Germantown & Highland in five.
    const none = await countStatements(LOCATE, { latitude: 39.9656, longitude: -75.181, jurisdiction: 'philadelphia' });
    const five = await countStatements(LOCATE, { latitude: 40.0763, longitude: -75.2083, jurisdiction: 'philadelphia' });
    const rcos = (d: any) => d.locate.divisions.flatMap((division: any) => division.organizations).filter((o: any) => o.kindInfo.code === 'REGISTERED_COMMUNITY_ORGANIZATION');
    expect(rcos(none.data)).toHaveLength(0);
    expect(rcos(five.data).length).toBeGreaterThanOrEqual(5);
    // One per level the answer reaches (divisions, kinds, organizations, registrations, posts, holders), never one per row.
    expect(five.statements).toBeLessThanOrEqual(8);
    // The divisions' organizations come with the candidates' statement (geography.service.ts primes
    // Division.organizations), not from a statement of their own.
    expect(five.log.filter((text) => /\bfrom "organizations"/.test(text))).toEqual([]);
    expect(none.statements).toBeLessThanOrEqual(five.statements);
  });

  it('locate in New York costs at most a fixed number of statements, at every known point', async () => {
    // src/datasets/nyc/KNOWN_POINTS.md: in a board's district, a park, an airport, New Jersey.
    const counts = [];
    for (const point of NYC_POINTS) counts.push((await countStatements(LOCATE, { latitude: point.latitude, longitude: point.longitude, jurisdiction: 'nyc' })).statements);
    // One per level the answer reaches (divisions, their kinds, organizations, posts, holders, …), never one per row.
    expect(Math.max(...counts)).toBeLessThanOrEqual(8);
    expect(Math.min(...counts)).toBeGreaterThanOrEqual(1);
  });

  it('lists every community board with its seats and nominating council members in a constant number of statements', async () => {
    const boards = (first: number) => /* GraphQL */ `{
      organizations(jurisdiction: "nyc", filter: { kindCode: ["COMMUNITY_BOARD"] }, first: ${first}) {
        nodes { name roster { status } councilDistricts { share division { name } }
          posts(first: 10) { nodes { label maxHolders filling { selectionMethod isVoting nominatingAuthorities { __typename ... on Post { label } ... on Organization { name } } term { lengthMonths anchor limit } } holders { person { name } } } } }
      }
    }`;
    const few = await countStatements(boards(3));
    const all = await countStatements(boards(59));
    expect(all.data.organizations.nodes).toHaveLength(59);
    expect(all.statements).toBe(few.statements);
  });

  it('lists a page of Philadelphia RCOs with their registration and council districts in a constant number of statements', async () => {
    const rcos = (first: number) => /* GraphQL */ `{
      organizations(jurisdiction: "philadelphia", filter: { kindCode: ["REGISTERED_COMMUNITY_ORGANIZATION"] }, first: ${first}) {
        totalCount nodes { name registration { status registeredOn expiresOn } councilDistricts { share division { name } } }
      }
    }`;
    const few = await countStatements(rcos(5));
    const many = await countStatements(rcos(100));
    expect(many.data.organizations.nodes).toHaveLength(100);
    expect(many.statements).toBe(few.statements);
    expect(many.statements).toBeLessThanOrEqual(6);
  });
});
