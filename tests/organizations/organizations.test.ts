import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOrganization } from '../helpers/factories.ts';
import { createTestApi, type TestApi } from '../helpers/test-api.ts';

let api: TestApi;
beforeAll(async () => {
  api = await createTestApi();
});
afterAll(() => api.dispose());

const PAGE = /* GraphQL */ `
  query Page($first: Int, $after: String, $last: Int, $before: String, $filter: OrganizationFilter, $at: Date) {
    neighborhoodAssociations(first: $first, after: $after, last: $last, before: $before, filter: $filter, at: $at) {
      totalCount
      edges { cursor node { name } }
      pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
    }
  }
`;

async function idOf(query: string): Promise<string> {
  const { data } = await api.execute(query);
  return Object.values(data!)[0].id;
}

describe('neighborhoodAssociations', () => {
  it('counts the 94 recognized associations', async () => {
    const { data } = await api.execute(PAGE, { first: 5 });
    expect(data!.neighborhoodAssociations.totalCount).toBe(94);
    expect(data!.neighborhoodAssociations.edges).toHaveLength(5);
  });

  it('pages forward through every association exactly once, in name order', async () => {
    const names: string[] = [];
    let after: string | null = null;
    let pages = 0;
    do {
      const result: { data: any } = await api.execute(PAGE, { first: 30, after });
      const conn: any = result.data!.neighborhoodAssociations;
      names.push(...conn.edges.map((e: any) => e.node.name));
      expect(conn.pageInfo.hasPreviousPage).toBe(after !== null);
      after = conn.pageInfo.hasNextPage ? conn.pageInfo.endCursor : null;
      pages++;
    } while (after);
    expect(pages).toBe(4);
    expect(names).toHaveLength(94);
    expect(new Set(names).size).toBe(94);
    expect(names).toEqual([...names].sort((a, b) => (a.toLowerCase() < b.toLowerCase() ? -1 : 1)));
  });

  it('pages backward with last/before to the same items', async () => {
    const forward = await api.execute(PAGE, { first: 10 });
    const tenth = forward.data!.neighborhoodAssociations.edges[9].cursor;
    const backward = await api.execute(PAGE, { last: 9, before: tenth });
    const conn = backward.data!.neighborhoodAssociations;
    expect(conn.edges.map((e: any) => e.node.name)).toEqual(forward.data!.neighborhoodAssociations.edges.slice(0, 9).map((e: any) => e.node.name));
    expect(conn.pageInfo).toMatchObject({ hasPreviousPage: false, hasNextPage: true });
    const lastPage = await api.execute(PAGE, { last: 3 });
    expect(lastPage.data!.neighborhoodAssociations.edges.map((e: any) => e.node.name)).toEqual(['Woodland Park', 'Woodlawn', 'Woodstock']);
    expect(lastPage.data!.neighborhoodAssociations.pageInfo.hasPreviousPage).toBe(true);
  });

  it('pages in descending order, forward and backward', async () => {
    const DESC = `query($first: Int, $after: String, $last: Int, $before: String) {
      organizations(filter: { kind: NEIGHBORHOOD_ASSOCIATION }, orderBy: { field: NAME, direction: DESC }, first: $first, after: $after, last: $last, before: $before) {
        edges { cursor node { name } } pageInfo { hasNextPage hasPreviousPage }
      } }`;
    const first = await api.execute(DESC, { first: 3 });
    const names = first.data!.organizations.edges.map((e: any) => e.node.name);
    expect(names).toEqual(['Woodstock', 'Woodlawn', 'Woodland Park']);
    const next = await api.execute(DESC, { first: 2, after: first.data!.organizations.edges[2].cursor });
    expect(next.data!.organizations.edges.map((e: any) => e.node.name)).toEqual(['Wilkes', 'West Portland Park']);
    const back = await api.execute(DESC, { last: 2, before: first.data!.organizations.edges[2].cursor });
    expect(back.data!.organizations.edges.map((e: any) => e.node.name)).toEqual(['Woodstock', 'Woodlawn']);
    expect(back.data!.organizations.pageInfo.hasPreviousPage).toBe(false);
  });

  it.each([
    ['a non-integer id', ['Buckman', 'x']],
    ['an id out of range', ['Buckman', 1e12]],
    ['a fraction', ['Buckman', 1.5]],
    ['too few values', ['Buckman']],
    ['a non-array', { name: 'Buckman' }],
  ])('refuses a forged cursor with %s as BAD_USER_INPUT', async (_name, values) => {
    const after = Buffer.from(JSON.stringify(values)).toString('base64url');
    const { data, errors } = await api.execute(PAGE, { first: 2, after });
    expect(data).toBeNull();
    expect(errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });

  it('refuses a forged date cursor on a nested membership list', async () => {
    const after = Buffer.from(JSON.stringify(['not-a-date', 1])).toString('base64url');
    const { errors } = await api.execute(`query($after: String) { organization(slug: "city-council") { memberships(first: 2, after: $after) { totalCount } } }`, { after });
    expect(errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(errors?.[0]?.message).toMatch(/after is not a cursor of this list/);
  });

  it('keeps a cursor valid when rows are added before it', async () => {
    const first = await api.execute(PAGE, { first: 10 });
    const cursor = first.data!.neighborhoodAssociations.pageInfo.endCursor;
    const before = await api.execute(PAGE, { first: 5, after: cursor });
    await createOrganization(api.db, { jurisdictionId: api.jurisdictionId, kind: 'NEIGHBORHOOD_ASSOCIATION', name: 'Aaa Test Association' });
    const after = await api.execute(PAGE, { first: 5, after: cursor });
    expect(after.data!.neighborhoodAssociations.edges).toEqual(before.data!.neighborhoodAssociations.edges);
    expect(after.data!.neighborhoodAssociations.totalCount).toBe(95);
  });

  it('filters by council district, including neighborhoods split between districts', async () => {
    const district3 = await idOf(`{ division(ocdId: "ocd-division/country:us/state:or/place:portland/council_district:3") { id } }`);
    const { data } = await api.execute(PAGE, { first: 100, filter: { councilDistrict: district3 } });
    const names = data!.neighborhoodAssociations.edges.map((e: any) => e.node.name);
    expect(names).toContain('Buckman');
    expect(names).toContain('Brooklyn'); // 45% in District 3, 55% in District 4
    expect(names).not.toContain('Lents');
    expect(names).not.toContain('Pearl District');
  });

  it('filters by coalition on a date, across the July 2024 change', async () => {
    const seul = await idOf(`{ organization(slug: "seul") { id } }`);
    const before = await api.execute(PAGE, { first: 100, filter: { coalition: seul }, at: '2024-06-30' });
    expect(before.data!.neighborhoodAssociations.totalCount).toBe(20);
    const after = await api.execute(PAGE, { first: 100, filter: { coalition: seul }, at: '2024-07-01' });
    expect(after.data!.neighborhoodAssociations.totalCount).toBe(0);
  });

  it('finds associations by a case-insensitive part of the name', async () => {
    const { data } = await api.execute(PAGE, { first: 10, filter: { nameContains: 'TABOR' } });
    expect(data!.neighborhoodAssociations.edges.map((e: any) => e.node.name)).toEqual(['Mt. Tabor', 'North Tabor', 'South Tabor']);
  });

  it('treats LIKE wildcards in the search text literally', async () => {
    const { data } = await api.execute(PAGE, { first: 10, filter: { nameContains: '%' } });
    expect(data!.neighborhoodAssociations.totalCount).toBe(0);
  });

  it.each([
    [{ first: 101 }, /first must be between 0 and 100/],
    [{ first: -1 }, /first must be between 0 and 100/],
    [{ first: 5, last: 5 }, /either first or last/],
    [{ first: 5, after: 'not-a-cursor' }, /after is not a cursor/],
    [{ first: 5, filter: { coalition: 'bm90LWFuLWlk' } }, /filter.coalition is not a valid id/],
  ])('refuses bad arguments %o with BAD_USER_INPUT', async (variables, message) => {
    const { data, errors } = await api.execute(PAGE, variables);
    expect(data).toBeNull();
    expect(errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(errors?.[0]?.message).toMatch(message);
  });
});

describe('districtCoalitions', () => {
  it('lists the seven coalition offices before July 2024', async () => {
    const { data } = await api.execute(`{ districtCoalitions(at: "2024-06-30") { shortName } }`);
    expect(data!.districtCoalitions.map((c: any) => c.shortName).sort()).toEqual(['CNN', 'EPCO', 'NECN', 'NPNS', 'NWNW', 'SEUL', 'SWCS']);
  });

  it('lists the four district coalition offices from July 2024, each serving its council district', async () => {
    const { data } = await api.execute(`{ districtCoalitions(at: "2024-07-01") { name division { ocdId } memberOrganizations(first: 100) { totalCount } } }`);
    const coalitions = data!.districtCoalitions;
    expect(coalitions.map((c: any) => c.name)).toEqual([1, 2, 3, 4].map((n) => expect.stringMatching(new RegExp(`^District ${n} Coalition`))));
    coalitions.forEach((c: any, i: number) => expect(c.division.ocdId).toMatch(new RegExp(`council_district:${i + 1}$`)));
    const total = coalitions.reduce((sum: number, c: any) => sum + c.memberOrganizations.totalCount, 0);
    expect(total).toBe(94);
  });
});

describe('organization', () => {
  it('gives an association its coalition as of a date and its dated history', async () => {
    const { data } = await api.execute(`{
      organization(slug: "buckman") {
        name kind status boundary
        division { kind name }
        councilDistricts { share division { name } }
        before: coalition(at: "2024-06-30") { shortName }
        after: coalition(at: "2024-07-01") { name }
        memberOf(kind: DISTRICT_COALITION) { startDate endDate parent { name } }
      }
    }`);
    const org = data!.organization;
    expect(org).toMatchObject({ name: 'Buckman', kind: 'NEIGHBORHOOD_ASSOCIATION', status: 'ACTIVE' });
    expect(org.boundary.type).toBe('MultiPolygon');
    expect(org.division).toEqual({ kind: 'NEIGHBORHOOD', name: 'Buckman' });
    expect(org.before.shortName).toBe('SEUL');
    expect(org.after.name).toBe('District 3 Coalition (SEUL)');
    expect(org.memberOf).toEqual([
      { startDate: null, endDate: '2024-07-01', parent: { name: 'Southeast Uplift Neighborhood Coalition' } },
      { startDate: '2024-07-01', endDate: null, parent: { name: 'District 3 Coalition (SEUL)' } },
    ]);
    expect(org.councilDistricts[0].share).toBeGreaterThan(0.95);
  });

  it('returns null for an unknown slug', async () => {
    const { data, errors } = await api.execute(`{ organization(slug: "no-such-association") { id } }`);
    expect(errors).toBeUndefined();
    expect(data!.organization).toBeNull();
  });

  it('requires exactly one of slug or id', async () => {
    const { errors } = await api.execute(`{ organization { id } }`);
    expect(errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });
});

describe('other organization lists', () => {
  it('lists the 50 business district associations and Venture Portland members', async () => {
    const { data } = await api.execute(`{
      businessDistrictAssociations(first: 1) { totalCount }
      organization(slug: "venture-portland") { kind memberOrganizations(first: 100) { totalCount } }
    }`);
    expect(data!.businessDistrictAssociations.totalCount).toBe(50);
    expect(data!.organization.kind).toBe('NETWORK');
    expect(data!.organization.memberOrganizations.totalCount).toBe(29);
  });

  it('lists advisory bodies with their seats', async () => {
    const { data } = await api.execute(`{
      advisoryBodies(first: 100, filter: { status: ACTIVE }) { totalCount nodes { name posts { nodes { label maxHolders takesApplications } } } }
    }`);
    const pub = data!.advisoryBodies.nodes.find((b: any) => b.name.startsWith('Portland Utility Board'));
    expect(pub.posts.nodes.map((p: any) => [p.maxHolders, p.takesApplications]).sort()).toEqual([[11, true], [3, false]].sort());
  });

  it('orders by name descending when asked', async () => {
    const { data } = await api.execute(`{ organizations(first: 2, orderBy: { field: NAME, direction: DESC }, filter: { kind: NEIGHBORHOOD_ASSOCIATION }) { nodes { name } } }`);
    expect(data!.organizations.nodes.map((n: any) => n.name)).toEqual(['Woodstock', 'Woodlawn']);
  });
});
