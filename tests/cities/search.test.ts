/**
 * `search` in every city: organizations of each city's own kinds are found (Philadelphia's RCOs,
 * New York's community boards), each hit saying its kind's category (`kind`) and code (`kindCode`);
 * `kinds` and `kindCode` narrow the results.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApi, type TestApi } from '../helpers/test-api.ts';

let api: TestApi;
beforeAll(async () => {
  api = await createTestApi({ template: 'cities' });
}, 120_000);
afterAll(() => api?.dispose());

interface Hit { kind: string; kindCode: string | null; match: string; node: { name?: string; title?: string } }

async function search(args: string): Promise<Hit[]> {
  const { data, errors } = await api.execute<{ search: { edges: Hit[] } }>(
    `{ search(${args}, first: 50) { edges { kind kindCode match node { ... on Organization { name } ... on VacancyPosting { title } } } } }`,
  );
  expect(errors).toBeUndefined();
  return data!.search.edges;
}

describe('search in each city', () => {
  it("finds a Philadelphia RCO by name, as a community organization of the city's RCO kind", async () => {
    const [best] = await search('query: "Center City Residents", jurisdiction: "philadelphia"');
    expect(best).toEqual({
      kind: 'COMMUNITY_ORGANIZATION',
      kindCode: 'REGISTERED_COMMUNITY_ORGANIZATION',
      match: 'PREFIX',
      node: { name: 'Center City Residents Association (CCRA)' },
    });
  });

  it('finds a New York community board, exactly, and only boards when asked for them', async () => {
    const [best] = await search('query: "Brooklyn Community Board 2", jurisdiction: "nyc"');
    expect(best).toEqual({ kind: 'COMMUNITY_BOARD', kindCode: 'COMMUNITY_BOARD', match: 'EXACT', node: { name: 'Brooklyn Community Board 2' } });
    const boards = await search('query: "board", jurisdiction: "nyc", kinds: [COMMUNITY_BOARD]');
    expect(boards.length).toBeGreaterThan(10);
    expect(new Set(boards.map((h) => h.kind))).toEqual(new Set(['COMMUNITY_BOARD']));
  });

  it('narrows organizations by kind code, and an unknown code matches none (postings unaffected)', async () => {
    const all = await search('query: "commission", jurisdiction: "philadelphia"');
    expect(all.map((h) => h.node.name)).toContain('Art Commission');
    const bodies = await search('query: "commission", jurisdiction: "philadelphia", kindCode: ["ADVISORY_BODY"]');
    expect(bodies.length).toBeGreaterThan(0);
    expect(new Set(bodies.map((h) => h.kindCode))).toEqual(new Set(['ADVISORY_BODY']));
    expect(await search('query: "commission", jurisdiction: "philadelphia", kindCode: ["NO_SUCH_KIND"], kinds: [ADVISORY_BODY, COMMUNITY_ORGANIZATION]')).toEqual([]);
  });

  it('finds organizations of kinds Portland searched before only by name: its council and elected offices', async () => {
    const council = await search('query: "Portland City Council", kinds: [COUNCIL]');
    expect(council[0]).toMatchObject({ kind: 'COUNCIL', kindCode: 'COUNCIL', match: 'EXACT' });
    const offices = await search('query: "Citywide elected offices", kinds: [OTHER_ORGANIZATION]');
    expect(offices[0]).toMatchObject({ kind: 'OTHER_ORGANIZATION', kindCode: 'ELECTED_OFFICE', node: { name: 'Citywide elected offices' } });
  });

  it('keeps each city to itself: a New York board is not found in Philadelphia', async () => {
    expect((await search('query: "Brooklyn Community Board 2", jurisdiction: "philadelphia"')).map((h) => h.node.name)).not.toContain('Brooklyn Community Board 2');
  });
});
