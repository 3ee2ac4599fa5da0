import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { vacancyPostings } from '../../src/db/schema/index.ts';
import { createOrganization, organizationBySlug } from '../helpers/factories.ts';
import { createTestApi, type TestApi } from '../helpers/test-api.ts';

const SEARCH = /* GraphQL */ `
  query Search($query: String!, $kinds: [SearchKind!], $first: Int, $after: String) {
    search(query: $query, kinds: $kinds, first: $first, after: $after) {
      totalCount
      pageInfo { hasNextPage endCursor }
      edges { cursor kind match score node { __typename ... on Organization { name slug kind } } }
      nodes { __typename ... on Organization { name } }
    }
  }
`;

interface Edge {
  kind: string;
  match: string;
  score: number;
  node: { __typename: string; name: string; slug: string; kind: string };
}
interface SearchData {
  search: { totalCount: number; pageInfo: { hasNextPage: boolean; endCursor: string | null }; edges: Edge[]; nodes: { name: string }[] };
}

let api: TestApi;
beforeAll(async () => {
  api = await createTestApi();
  // Accented data, as a city's own spelling may have it.
  await createOrganization(api.db, { jurisdictionId: api.jurisdictionId, kind: 'NEIGHBORHOOD_ASSOCIATION', name: 'Asociación Vecinal Café Ñandú', slug: 'asociacion-vecinal' });
  const board = await organizationBySlug(api.db, 'community-budget-advisory-board');
  const posting = { jurisdictionId: api.jurisdictionId, organizationId: board.id, opensOn: '2026-11-01', closesOn: '2026-12-16', seatsAvailable: 1 };
  await api.db.insert(vacancyPostings).values([
    { ...posting, title: 'Community Budget Advisory Board: district seats', status: 'OPEN' },
    { ...posting, title: 'Zanzibar draft recruitment', status: 'DRAFT' },
    { ...posting, title: 'Zanzibar cancelled recruitment', status: 'CANCELLED' },
    { ...posting, title: 'Zanzibar closed recruitment', status: 'CLOSED' },
  ]);
});
afterAll(() => api.dispose());

async function search(variables: Record<string, unknown>) {
  const result = await api.execute<SearchData>(SEARCH, variables);
  return result;
}

async function names(variables: Record<string, unknown>): Promise<string[]> {
  const { data, errors } = await search(variables);
  expect(errors).toBeUndefined();
  return data!.search.edges.map((e) => e.node.name);
}

describe('search', () => {
  it('finds Buckman despite a typo ("Bukman")', async () => {
    const { data, errors } = await search({ query: 'Bukman' });
    expect(errors).toBeUndefined();
    const first = data!.search.edges[0]!;
    expect(first.node).toMatchObject({ __typename: 'Organization', name: 'Buckman', kind: 'NEIGHBORHOOD_ASSOCIATION' });
    expect(first).toMatchObject({ kind: 'NEIGHBORHOOD_ASSOCIATION', match: 'WORD' });
    expect(first.score).toBeGreaterThan(0.4);
    expect(first.score).toBeLessThan(1);
  });

  it('finds a misspelled advisory body ("histric landmark")', async () => {
    expect((await names({ query: 'histric landmark' }))[0]).toBe('Historic Landmarks Commission');
  });

  it('ignores accents in the query: "Montavílla" is an exact match for Montavilla', async () => {
    const { data } = await search({ query: 'Montavílla' });
    expect(data!.search.edges[0]).toMatchObject({ match: 'EXACT', score: 1, node: { name: 'Montavilla' } });
  });

  it('ignores accents in the data: "asociacion vecinal cafe nandu" finds the accented name', async () => {
    const { data } = await search({ query: 'asociacion vecinal cafe nandu' });
    expect(data!.search.edges[0]).toMatchObject({ match: 'EXACT', node: { name: 'Asociación Vecinal Café Ñandú' } });
  });

  it('matches accented query against accented data, ignoring case', async () => {
    expect((await names({ query: 'CAFÉ ñandú' }))[0]).toBe('Asociación Vecinal Café Ñandú');
  });

  it('ranks exact before prefix before word before similar, then by score and name', async () => {
    const { data, errors } = await search({ query: 'Parkrose', first: 100 });
    expect(errors).toBeUndefined();
    const edges = data!.search.edges;
    expect(edges[0]).toMatchObject({ match: 'EXACT', node: { name: 'Parkrose' } });
    const tiers = ['EXACT', 'PREFIX', 'WORD', 'SIMILAR'];
    const order = edges.map((e) => tiers.indexOf(e.match));
    expect(order).toEqual([...order].sort((a, b) => a - b));
    // Prefixes of the name and of one of its words are both PREFIX matches.
    const prefix = edges.filter((e) => e.match === 'PREFIX').map((e) => e.node.name);
    expect(prefix).toEqual(expect.arrayContaining(['Parkrose Business Association', 'Parkrose Heights', 'Historic Parkrose']));
    // Within a tier: higher score first, equal scores by name.
    for (let i = 1; i < edges.length; i++) {
      const [a, b] = [edges[i - 1]!, edges[i]!];
      if (a.match !== b.match) continue;
      expect(a.score).toBeGreaterThanOrEqual(b.score);
      if (a.score === b.score) expect(a.node.name.toLowerCase() <= b.node.name.toLowerCase()).toBe(true);
    }
  });

  it('finds by short name: "SEUL" is an exact match for the coalition', async () => {
    const { data } = await search({ query: 'seul' });
    expect(data!.search.edges[0]).toMatchObject({ match: 'EXACT', kind: 'DISTRICT_COALITION' });
  });

  it('says which text matched: the short name when it matched better, else the name', async () => {
    const query = `query($query: String!) { search(query: $query, first: 5) { edges { matchedText node { ... on Organization { name shortName } } } } }`;
    const byShort = await api.execute(query, { query: 'seul' });
    expect(byShort.errors).toBeUndefined();
    const seul = byShort.data!.search.edges[0];
    expect(seul.matchedText).toBe(seul.node.shortName);
    expect(seul.matchedText).not.toBe(seul.node.name);
    const byName = await api.execute(query, { query: 'Bukman' });
    expect(byName.errors).toBeUndefined();
    expect(byName.data!.search.edges[0]).toMatchObject({ matchedText: 'Buckman', node: { name: 'Buckman' } });
  });

  it('limits results to the kinds asked for', async () => {
    const all = await search({ query: 'park', first: 100 });
    const kindsSeen = new Set(all.data!.search.edges.map((e) => e.kind));
    // "park": associations, business districts, and advisory bodies such as the Portland Parks Board.
    expect(kindsSeen).toEqual(new Set(['NEIGHBORHOOD_ASSOCIATION', 'BUSINESS_DISTRICT_ASSOCIATION', 'ADVISORY_BODY']));
    const bodies = await search({ query: 'commission', kinds: ['ADVISORY_BODY', 'DISTRICT_COALITION'], first: 100 });
    expect(new Set(bodies.data!.search.edges.map((e) => e.kind))).toEqual(new Set(['ADVISORY_BODY']));
    const { data } = await search({ query: 'park', kinds: ['BUSINESS_DISTRICT_ASSOCIATION'], first: 100 });
    expect(data!.search.edges.length).toBeGreaterThan(0);
    expect(data!.search.edges.every((e) => e.kind === 'BUSINESS_DISTRICT_ASSOCIATION' && e.node.kind === 'BUSINESS_DISTRICT_ASSOCIATION')).toBe(true);
    expect(data!.search.totalCount).toBe(all.data!.search.edges.filter((e) => e.kind === 'BUSINESS_DISTRICT_ASSOCIATION').length);
  });

  it('pages through the ranked results without repeating or skipping any', async () => {
    const everything = await names({ query: 'park', first: 100 });
    expect(everything.length).toBeGreaterThan(10);
    const paged: string[] = [];
    let after: string | null = null;
    for (;;) {
      const { data, errors } = await search({ query: 'park', first: 4, after });
      expect(errors).toBeUndefined();
      expect(data!.search.totalCount).toBe(everything.length);
      paged.push(...data!.search.edges.map((e) => e.node.name));
      expect(data!.search.nodes.map((n) => n.name)).toEqual(data!.search.edges.map((e) => e.node.name));
      if (!data!.search.pageInfo.hasNextPage) break;
      after = data!.search.pageInfo.endCursor;
    }
    expect(paged).toEqual(everything);
  });

  it('treats LIKE wildcards in the query as plain characters', async () => {
    const { data, errors } = await search({ query: '%_%' });
    expect(errors).toBeUndefined();
    expect(data!.search.totalCount).toBe(0);
  });

  it('refuses an empty or blank query with BAD_USER_INPUT', async () => {
    for (const query of ['', '   ']) {
      const { errors } = await search({ query });
      expect(errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'query' });
    }
  });

  it('refuses a query longer than 200 characters with BAD_USER_INPUT', async () => {
    const { errors } = await search({ query: 'a'.repeat(201) });
    expect(errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'query' });
    expect((await search({ query: 'a'.repeat(200) })).errors).toBeUndefined();
  });

  it('refuses an empty kinds list and a forged cursor with BAD_USER_INPUT', async () => {
    expect((await search({ query: 'park', kinds: [] })).errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'kinds' });
    expect((await search({ query: 'park', after: 'bm90LWEtY3Vyc29y' })).errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'after' });
  });
});

describe('search: vacancy postings', () => {
  it('finds a public posting by its title, despite typos, as a VacancyPosting', async () => {
    const { data, errors } = await api.execute(`{ search(query: "budjet advisory bord district seats", kinds: [VACANCY_POSTING]) {
      edges { kind match node { __typename ... on VacancyPosting { title status organization { name } } } } } }`);
    expect(errors).toBeUndefined();
    expect(data!.search.edges[0]).toMatchObject({
      kind: 'VACANCY_POSTING',
      node: { __typename: 'VacancyPosting', title: 'Community Budget Advisory Board: district seats', status: 'OPEN', organization: { name: 'Community Budget Advisory Board' } },
    });
  });

  it('mixes postings and organizations in one ranked list when kinds is omitted', async () => {
    const { data } = await search({ query: 'community budget advisory board', first: 5 });
    expect(data!.search.edges.slice(0, 2).map((e) => e.kind).sort()).toEqual(['ADVISORY_BODY', 'VACANCY_POSTING']);
    expect(data!.search.edges[0]).toMatchObject({ match: 'EXACT', kind: 'ADVISORY_BODY' });
  });

  it('never shows the public a draft or cancelled posting, nor counts it', async () => {
    const { data, errors } = await api.execute(`{ search(query: "zanzibar") { totalCount edges { kind node { ... on VacancyPosting { title status } } } } }`);
    expect(errors).toBeUndefined();
    expect(data!.search).toEqual({ totalCount: 1, edges: [{ kind: 'VACANCY_POSTING', node: { title: 'Zanzibar closed recruitment', status: 'CLOSED' } }] });
  });

  it('shows staff of the jurisdiction their drafts and cancelled postings too', async () => {
    const { data } = await api.execute(`{ search(query: "zanzibar") { totalCount nodes { ... on VacancyPosting { status } } } }`, {}, { viewer: api.staff() });
    expect(data!.search.totalCount).toBe(3);
    expect(data!.search.nodes.map((n: { status: string }) => n.status).sort()).toEqual(['CANCELLED', 'CLOSED', 'DRAFT']);
  });

  it('shows staff of another jurisdiction no drafts', async () => {
    const { data } = await api.execute(`{ search(query: "zanzibar") { totalCount } }`, {}, { viewer: api.staff({ jurisdictionId: api.jurisdictionId + 1000 }) });
    expect(data!.search.totalCount).toBe(1);
  });
});

describe('nameContains filters ignore accents', () => {
  it('an unaccented filter finds an accented organization name', async () => {
    const { data, errors } = await api.execute(`{ organizations(filter: { nameContains: "asociacion vecinal cafe" }) { nodes { name } } }`);
    expect(errors).toBeUndefined();
    expect(data!.organizations.nodes).toEqual([{ name: 'Asociación Vecinal Café Ñandú' }]);
  });

  it('an accented filter finds an unaccented division name', async () => {
    const { data, errors } = await api.execute(`{ divisions(filter: { kind: NEIGHBORHOOD, nameContains: "BÜCKMÁN" }) { nodes { name } } }`);
    expect(errors).toBeUndefined();
    expect(data!.divisions.nodes.map((n: { name: string }) => n.name)).toEqual(['Buckman']);
  });

  it('still treats % in the filter as a plain character', async () => {
    const { data } = await api.execute(`{ organizations(filter: { nameContains: "%" }) { totalCount } }`);
    expect(data!.organizations.totalCount).toBe(0);
  });
});
