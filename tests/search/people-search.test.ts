import { count, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Viewer } from '../../src/auth/viewer.ts';
import { auditEvents, people, type PostRow } from '../../src/db/schema/index.ts';
import { toGlobalId } from '../../src/graphql/global-id.ts';
import { MAX_SEARCHES_PER_OPERATION } from '../../src/graphql/limits/list-sizes.ts';
import { snapshotImportedRows } from '../helpers/db-snapshot.ts';
import { councilPost, createJurisdiction, createMembership, createOrganization, createPerson, createPost, createPrivateDetails } from '../helpers/factories.ts';
import { partnerKey, startHttpInstance, staffToken, type HttpInstance } from '../helpers/http-instance.ts';
import { createTestApi, type TestApi } from '../helpers/test-api.ts';

/**
 * Issue 15: staff find people by name (typo- and accent-tolerant, as `search` finds organizations),
 * narrowed to an organization or a seat they hold or held. Staff of the jurisdiction only: the
 * public and partners are refused before anything is read, and learn nothing from the arguments.
 */

const PEOPLE_SEARCH = /* GraphQL */ `
  query PeopleSearch($query: String!, $organization: ID, $post: ID, $jurisdiction: String, $first: Int, $after: String) {
    peopleSearch(query: $query, organization: $organization, post: $post, jurisdiction: $jurisdiction, first: $first, after: $after) {
      totalCount
      pageInfo { hasNextPage hasPreviousPage endCursor }
      edges { cursor match score node { id name sortName } }
      nodes { id name }
    }
  }
`;

interface Edge {
  cursor: string;
  match: string;
  score: number;
  node: { id: string; name: string; sortName: string | null };
}
interface PeopleSearchData {
  peopleSearch: {
    totalCount: number;
    pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; endCursor: string | null };
    edges: Edge[];
    nodes: { id: string; name: string }[];
  };
}

let api: TestApi;
let staff: Viewer;
let partner: Viewer;
let otherCityId: number;
let board: { id: number; gid: string };
let chairSeat: PostRow;
let memberSeat: PostRow;
let council3: PostRow;
const ids: Record<string, string> = {};

const SECRET = { email: 'jose.secret@people-search.test', phone: '+1 503 555 0188', homeAddress: '77 SE Hidden Lane, Portland' };

async function person(name: string, values: { sortName?: string; jurisdictionId?: number } = {}) {
  const row = await createPerson(api.db, values.jurisdictionId ?? api.jurisdictionId, name);
  if (values.sortName) await api.db.update(people).set({ sortName: values.sortName }).where(eq(people.id, row.id));
  ids[name] = toGlobalId('Person', row.id);
  return row;
}

beforeAll(async () => {
  api = await createTestApi();
  staff = api.staff();
  partner = { ...api.staff(), role: 'PARTNER', subject: 'api-key:1', apiKeyId: 1 };
  const { jurisdictionId: j } = api;

  // A real roster: a council member with private details, on District 3's seat since 2025.
  council3 = await councilPost(api.db, 3);
  const jose = await person('José Núñez', { sortName: 'Núñez, José' });
  await createPrivateDetails(api.db, jose.id, SECRET);
  await createMembership(api.db, { jurisdictionId: j, personId: jose.id, organizationId: council3.organizationId, postId: council3.id, startDate: '2025-01-01' });
  await person('Angelita Morillo', { sortName: 'Morillo, Angelita' });

  // An advisory body with two seats: current and past holders, and namesakes who never served.
  const body = await createOrganization(api.db, { jurisdictionId: j, name: 'Quimby Parks Advisory Board', slug: 'quimby-parks-board' });
  board = { id: body.id, gid: toGlobalId('Organization', body.id) };
  chairSeat = await createPost(api.db, { jurisdictionId: j, organizationId: body.id, label: 'Chair', maxHolders: 1 });
  memberSeat = await createPost(api.db, { jurisdictionId: j, organizationId: body.id, label: 'Member', maxHolders: 10 });
  const chair = await person('Ada Quimby');
  await createMembership(api.db, { jurisdictionId: j, personId: chair.id, organizationId: body.id, postId: chairSeat.id, startDate: '2024-01-01' });
  const pastMember = await person('Bo Quimby');
  await createMembership(api.db, { jurisdictionId: j, personId: pastMember.id, organizationId: body.id, postId: memberSeat.id, startDate: '2020-01-01', endDate: '2022-01-01', endReason: 'RESIGNED' });
  const currentMember = await person('Cy Quimby');
  await createMembership(api.db, { jurisdictionId: j, personId: currentMember.id, organizationId: body.id, postId: memberSeat.id, startDate: '2025-02-01' });
  for (const name of ['Di Quimby', 'Ed Quimby', 'Flo Quimby', 'Gus Quimby', 'Hal Quimby', 'Ivy Quimby']) await person(name);
  // Two people of the same name: the id orders them.
  await createPerson(api.db, j, 'Jo Quimby');
  await createPerson(api.db, j, 'Jo Quimby');

  // Another city with a namesake, whom Portland's staff must never find.
  const other = await createJurisdiction(api.db, { slug: 'springfield', name: 'City of Springfield', ocdId: 'ocd-division/country:us/state:or/place:springfield', timezone: 'America/Los_Angeles' });
  otherCityId = other.id;
  await person('José Núñez of Springfield', { jurisdictionId: other.id });
});
afterAll(() => api.dispose());

async function asStaff(variables: Record<string, unknown>, viewer: Viewer = staff) {
  const result = await api.execute<PeopleSearchData>(PEOPLE_SEARCH, variables, { viewer });
  expect(result.errors, JSON.stringify(result.errors)).toBeUndefined();
  return result.data!.peopleSearch;
}

async function names(variables: Record<string, unknown>): Promise<string[]> {
  return (await asStaff({ first: 100, ...variables })).edges.map((e) => e.node.name);
}

/** What a refused read must leave behind: no data at all, one error of that code, nothing changed. */
async function expectRefused(variables: Record<string, unknown>, viewer: Viewer | undefined, code: string, argument?: string) {
  const before = { rows: await snapshotImportedRows(api.db), audit: await api.db.select({ n: count() }).from(auditEvents) };
  const result = await api.execute<PeopleSearchData>(PEOPLE_SEARCH, variables, { viewer });
  expect(result.data).toBeNull();
  expect(result.errors).toHaveLength(1);
  expect(result.errors![0]!.extensions).toMatchObject({ code, ...(argument ? { argument } : {}) });
  expect(result.errors![0]!.path).toEqual(['peopleSearch']);
  expect({ rows: await snapshotImportedRows(api.db), audit: await api.db.select({ n: count() }).from(auditEvents) }).toEqual(before);
  return result.errors![0]!;
}

describe('peopleSearch: finding people', () => {
  it('finds a person by a misspelt name ("Jose Nunes" finds José Núñez)', async () => {
    const result = await asStaff({ query: 'Jose Nunes' });
    expect(result.edges[0]).toMatchObject({ node: { id: ids['José Núñez'], name: 'José Núñez' } });
    expect(['WORD', 'SIMILAR']).toContain(result.edges[0]!.match);
    expect(result.edges[0]!.score).toBeGreaterThan(0.3);
    expect(result.edges[0]!.score).toBeLessThan(1);
  });

  it('finds a person by the unaccented name as an exact match ("jose nunez")', async () => {
    const result = await asStaff({ query: 'jose nunez' });
    expect(result.edges[0]).toMatchObject({ match: 'EXACT', score: 1, node: { name: 'José Núñez', sortName: 'Núñez, José' } });
  });

  it('finds a person by a typo in one word of the name ("Angelita Morilo")', async () => {
    expect((await names({ query: 'Angelita Morilo' }))[0]).toBe('Angelita Morillo');
    expect((await names({ query: 'morilo' }))[0]).toBe('Angelita Morillo');
  });

  it('finds a person by their sort name ("Núñez, José" is exact; "nunez" a prefix)', async () => {
    expect((await asStaff({ query: 'Nunez, Jose' })).edges[0]).toMatchObject({ match: 'EXACT', node: { name: 'José Núñez' } });
    expect((await asStaff({ query: 'nunez' })).edges[0]).toMatchObject({ match: 'PREFIX', node: { name: 'José Núñez' } });
  });

  it('ranks exact before prefix before word before similar, then by score, name and id', async () => {
    const edges = (await asStaff({ query: 'Quimby', first: 100 })).edges;
    const tiers = ['EXACT', 'PREFIX', 'WORD', 'SIMILAR'];
    const order = edges.map((e) => tiers.indexOf(e.match));
    expect(order).toEqual([...order].sort((a, b) => a - b));
    for (let i = 1; i < edges.length; i++) {
      const [a, b] = [edges[i - 1]!, edges[i]!];
      if (a.match !== b.match) continue;
      expect(a.score).toBeGreaterThanOrEqual(b.score);
    }
  });

  it('gives each person with what they hold now, through Person.memberships (context to act on)', async () => {
    const { data, errors } = await api.execute(
      `{ peopleSearch(query: "jose nunez", first: 1) { nodes { name privateDetails { email }
          memberships(status: CURRENT) { nodes { startDate organization { name } post { label } } } } } }`,
      {},
      { viewer: staff },
    );
    expect(errors).toBeUndefined();
    expect(data!.peopleSearch.nodes).toEqual([
      {
        name: 'José Núñez',
        // Staff of the person's jurisdiction read private details, as anywhere else.
        privateDetails: { email: SECRET.email },
        memberships: { nodes: [{ startDate: '2025-01-01', organization: { name: 'Portland City Council' }, post: { label: council3.label } }] },
      },
    ]);
  });

  it('finds people recorded by staff who are on no roster', async () => {
    expect(await names({ query: 'Ivy Quimby' })).toContain('Ivy Quimby');
  });

  it('never finds a person of another jurisdiction', async () => {
    expect(await names({ query: 'José Núñez of Springfield' })).toEqual(['José Núñez']);
    // That city's staff find their own, and not Portland's.
    const theirs = (await asStaff({ query: 'José Núñez', first: 100 }, api.staff({ jurisdictionId: otherCityId }))).edges.map((e) => e.node.name);
    expect(theirs).toEqual(['José Núñez of Springfield']);
  });

  it('lets a global administrator search any jurisdiction by its slug', async () => {
    const admin = api.staff({ role: 'ADMIN', jurisdictionId: null });
    expect((await asStaff({ query: 'nunez', jurisdiction: 'springfield', first: 100 }, admin)).edges.map((e) => e.node.name)).toEqual(['José Núñez of Springfield']);
    expect((await asStaff({ query: 'nunez', jurisdiction: 'portland', first: 100 }, admin)).edges.map((e) => e.node.name)).toEqual(['José Núñez']);
  });

  it('treats LIKE wildcards in the query as plain characters', async () => {
    expect((await asStaff({ query: '%_%' })).totalCount).toBe(0);
  });
});

describe('peopleSearch: narrowing by organization and seat', () => {
  it('narrowed to an organization: its current and past members only', async () => {
    expect((await names({ query: 'quimby', organization: board.gid })).sort()).toEqual(['Ada Quimby', 'Bo Quimby', 'Cy Quimby']);
  });

  it('narrowed to a seat: its current and past holders only', async () => {
    expect((await names({ query: 'quimby', post: toGlobalId('Post', memberSeat.id) })).sort()).toEqual(['Bo Quimby', 'Cy Quimby']);
    expect(await names({ query: 'quimby', post: toGlobalId('Post', chairSeat.id) })).toEqual(['Ada Quimby']);
  });

  it('narrowed to both: the seat within the organization', async () => {
    const result = await asStaff({ query: 'quimby', organization: board.gid, post: toGlobalId('Post', chairSeat.id) });
    expect(result.edges.map((e) => e.node.name)).toEqual(['Ada Quimby']);
    expect(result.totalCount).toBe(1);
  });

  it('narrowing still needs the name to match', async () => {
    expect(await names({ query: 'Angelita', organization: board.gid })).toEqual([]);
    expect(await names({ query: 'nunez', post: toGlobalId('Post', council3.id) })).toEqual(['José Núñez']);
  });
});

describe('peopleSearch: pagination', () => {
  it('pages through the results without repeating or skipping anyone, the same way every time', async () => {
    const everything = await asStaff({ query: 'quimby', first: 100 });
    expect(everything.edges.length).toBe(11);
    expect(everything.totalCount).toBe(11);
    const paged: string[] = [];
    let after: string | null = null;
    for (;;) {
      const page: PeopleSearchData['peopleSearch'] = await asStaff({ query: 'quimby', first: 3, after });
      expect(page.totalCount).toBe(11);
      expect(page.nodes.map((n) => n.id)).toEqual(page.edges.map((e) => e.node.id));
      expect(page.pageInfo.hasPreviousPage).toBe(after != null);
      paged.push(...page.edges.map((e) => e.node.id));
      if (!page.pageInfo.hasNextPage) break;
      after = page.pageInfo.endCursor;
    }
    expect(paged).toEqual(everything.edges.map((e) => e.node.id));
    expect(new Set(paged).size).toBe(11);
    // A cursor read again gives the same page.
    const cursor = everything.edges[4]!.cursor;
    const again = [await asStaff({ query: 'quimby', first: 3, after: cursor }), await asStaff({ query: 'quimby', first: 3, after: cursor })];
    expect(again[0]).toEqual(again[1]);
    expect(again[0]!.edges.map((e) => e.node.id)).toEqual(everything.edges.slice(5, 8).map((e) => e.node.id));
  });

  it('orders two people of the same name, equally matched, by id', async () => {
    const twins = (await asStaff({ query: 'Jo Quimby', first: 2 })).edges;
    expect(twins.map((e) => e.node.name)).toEqual(['Jo Quimby', 'Jo Quimby']);
    expect(twins.map((e) => e.match)).toEqual(['EXACT', 'EXACT']);
    const [a, b] = twins.map((e) => Buffer.from(e.node.id, 'base64url').toString().split(':')[2]).map(Number);
    expect(a!).toBeLessThan(b!);
  });

  it('returns an empty page with no cursor when nothing matches', async () => {
    const result = await asStaff({ query: 'zzqqxxjj' });
    expect(result).toEqual({ totalCount: 0, pageInfo: { hasNextPage: false, hasPreviousPage: false, endCursor: null }, edges: [], nodes: [] });
  });
});

describe('peopleSearch: who may search', () => {
  it('refuses an anonymous request with UNAUTHENTICATED and no data, whatever the arguments', async () => {
    const error = await expectRefused({ query: 'jose nunez' }, undefined, 'UNAUTHENTICATED');
    expect(error.message).not.toMatch(/Núñez|nunez|result|found/i);
    // Bad arguments get the same answer: an anonymous caller cannot probe which are valid.
    await expectRefused({ query: '' }, undefined, 'UNAUTHENTICATED');
    await expectRefused({ query: 'x', organization: 'not-an-id' }, undefined, 'UNAUTHENTICATED');
    await expectRefused({ query: 'x', post: toGlobalId('Post', 999_999) }, undefined, 'UNAUTHENTICATED');
  });

  it('refuses a partner with FORBIDDEN and no data, whatever the arguments', async () => {
    await expectRefused({ query: 'jose nunez' }, partner, 'FORBIDDEN');
    await expectRefused({ query: 'jose nunez', jurisdiction: 'portland', organization: toGlobalId('Organization', council3.organizationId) }, partner, 'FORBIDDEN');
    await expectRefused({ query: 'a'.repeat(500), jurisdiction: 'no-such-city' }, partner, 'FORBIDDEN');
  });

  it('refuses staff of another jurisdiction with FORBIDDEN', async () => {
    await expectRefused({ query: 'jose nunez', jurisdiction: 'portland' }, api.staff({ jurisdictionId: otherCityId }), 'FORBIDDEN');
    await expectRefused({ query: 'nunez', jurisdiction: 'springfield' }, staff, 'FORBIDDEN');
  });

  it('reads nothing about people for a refused caller (no search statement runs)', async () => {
    api.statements.reset();
    await api.execute(PEOPLE_SEARCH, { query: 'jose nunez' }, { viewer: partner });
    await api.execute(PEOPLE_SEARCH, { query: 'jose nunez' });
    expect(api.statements.log.filter((text) => /people|similarity/i.test(text))).toEqual([]);
  });

  it('refuses real tokens over HTTP: no token is 401 UNAUTHENTICATED, a partner key FORBIDDEN; a staff token is answered', async () => {
    const http: HttpInstance = await startHttpInstance(api.db);
    try {
      const variables = { query: 'jose nunez' };
      const anonymous = await http.post(PEOPLE_SEARCH, { variables });
      expect(anonymous.status).toBe(401);
      expect(anonymous.body.data).toBeNull();
      expect(anonymous.body.errors.map((e: { extensions: { code: string } }) => e.extensions.code)).toEqual(['UNAUTHENTICATED']);
      const partnerAnswer = await http.post(PEOPLE_SEARCH, { variables, token: await partnerKey(api.db, api.jurisdictionId) });
      expect(partnerAnswer.body.data).toBeNull();
      expect(partnerAnswer.body.errors.map((e: { extensions: { code: string } }) => e.extensions.code)).toEqual(['FORBIDDEN']);
      expect(JSON.stringify([anonymous.body, partnerAnswer.body])).not.toMatch(/Núñez|totalCount/);
      const staffAnswer = await http.post(PEOPLE_SEARCH, { variables, token: await staffToken() });
      expect(staffAnswer.status).toBe(200);
      expect(staffAnswer.body.data.peopleSearch.edges[0].node.name).toBe('José Núñez');
      // Never cacheable: the answer is staff-only.
      expect(staffAnswer.headers.get('cache-control')).toMatch(/no-store|private/);
    } finally {
      await http.close();
    }
  });
});

describe('peopleSearch: bad input', () => {
  it('refuses an empty or blank query with BAD_USER_INPUT naming query', async () => {
    for (const query of ['', '   ']) {
      const error = await expectRefused({ query }, staff, 'BAD_USER_INPUT', 'query');
      expect(error.message).toBe('query must not be empty');
    }
  });

  it('refuses a query longer than 200 characters, and accepts 200', async () => {
    const error = await expectRefused({ query: 'a'.repeat(201) }, staff, 'BAD_USER_INPUT', 'query');
    expect(error.message).toBe('query must be at most 200 characters');
    expect((await api.execute(PEOPLE_SEARCH, { query: 'a'.repeat(200) }, { viewer: staff })).errors).toBeUndefined();
  });

  it('refuses malformed ids and ids of another type', async () => {
    expect((await expectRefused({ query: 'quimby', organization: 'not-an-id' }, staff, 'BAD_USER_INPUT', 'organization')).message).toBe('organization is not a valid id');
    expect((await expectRefused({ query: 'quimby', post: '' }, staff, 'BAD_USER_INPUT', 'post')).message).toBe('post is not a valid id');
    expect((await expectRefused({ query: 'quimby', organization: toGlobalId('Post', chairSeat.id) }, staff, 'BAD_USER_INPUT', 'organization')).message).toBe(
      'organization must be the id of a Organization, not of a Post',
    );
    await expectRefused({ query: 'quimby', post: board.gid }, staff, 'BAD_USER_INPUT', 'post');
  });

  it('refuses unknown ids, and ids of another jurisdiction, alike', async () => {
    const unknownOrganization = await expectRefused({ query: 'quimby', organization: toGlobalId('Organization', 999_999) }, staff, 'BAD_USER_INPUT', 'organization');
    expect(unknownOrganization.message).toBe('No organization of portland has the id given as organization');
    await expectRefused({ query: 'quimby', post: toGlobalId('Post', 999_999) }, staff, 'BAD_USER_INPUT', 'post');
    const elsewhere = await createOrganization(api.db, { jurisdictionId: otherCityId, name: 'Springfield Board' });
    const elsewhereSeat = await createPost(api.db, { jurisdictionId: otherCityId, organizationId: elsewhere.id });
    const other = await expectRefused({ query: 'quimby', organization: toGlobalId('Organization', elsewhere.id) }, staff, 'BAD_USER_INPUT', 'organization');
    expect(other.message).toBe(unknownOrganization.message);
    await expectRefused({ query: 'quimby', post: toGlobalId('Post', elsewhereSeat.id) }, staff, 'BAD_USER_INPUT', 'post');
  });

  it('refuses a seat that is not one of the organization given', async () => {
    const error = await expectRefused({ query: 'quimby', organization: board.gid, post: toGlobalId('Post', council3.id) }, staff, 'BAD_USER_INPUT', 'post');
    expect(error.message).toBe('post is not a seat of the organization given');
  });

  it('refuses an unknown jurisdiction, a page over 100 and a forged cursor', async () => {
    await expectRefused({ query: 'quimby', jurisdiction: 'no-such-city' }, api.staff({ role: 'ADMIN', jurisdictionId: null }), 'BAD_USER_INPUT', 'jurisdiction');
    await expectRefused({ query: 'quimby', first: 101 }, staff, 'BAD_USER_INPUT', 'first');
    await expectRefused({ query: 'quimby', first: -1 }, staff, 'BAD_USER_INPUT', 'first');
    await expectRefused({ query: 'quimby', after: 'bm90LWEtY3Vyc29y' }, staff, 'BAD_USER_INPUT', 'after');
    // A cursor of another list (the public search's, five keys) is not one of this list's four.
    const { data } = await api.execute(`{ search(query: "buckman", first: 1) { pageInfo { endCursor } } }`);
    await expectRefused({ query: 'quimby', after: data!.search.pageInfo.endCursor }, staff, 'BAD_USER_INPUT', 'after');
  });

  it(`refuses more than ${MAX_SEARCHES_PER_OPERATION} people searches in one operation before running any`, async () => {
    const fields = Array.from({ length: MAX_SEARCHES_PER_OPERATION + 1 }, (_, i) => `s${i}: peopleSearch(query: "quimby") { nodes { name } }`);
    api.statements.reset();
    const { data, errors } = await api.execute(`{ ${fields.join(' ')} }`, {}, { viewer: staff });
    expect(data).toBeUndefined();
    expect(errors?.[0]?.extensions).toMatchObject({ code: 'QUERY_TOO_COSTLY', field: 'peopleSearch', selected: MAX_SEARCHES_PER_OPERATION + 1 });
    expect(api.statements.log.filter((text) => /similarity/.test(text))).toEqual([]);
  });
});

describe('peopleSearch: SQL statements', () => {
  const WITH_CONTEXT = `query($query: String!) { peopleSearch(query: $query, first: 100) { totalCount
    edges { match node { name memberships(status: CURRENT) { nodes { role person { name } organization { name } post { label organization { name } } } } } } } }`;

  async function statementsFor(query: string): Promise<{ statements: number; people: number }> {
    api.statements.reset();
    const { data, errors } = await api.execute(WITH_CONTEXT, { query }, { viewer: staff });
    expect(errors).toBeUndefined();
    return { statements: api.statements.count(), people: data!.peopleSearch.edges.length };
  }

  it('answers a search with its people, their terms, seats and bodies in a constant number of statements', async () => {
    const one = await statementsFor('jose nunez');
    expect(one.people).toBe(1);
    const many = await statementsFor('quimby');
    expect(many.people).toBe(11);
    expect(many.statements).toBe(one.statements);
    // Jurisdiction, page (people included), count, terms, bodies, seats; `person` reuses the page's rows.
    expect(many.statements).toBeLessThanOrEqual(6);
  });

  it('adds only the look-ups of the organization and seat when narrowed', async () => {
    const plain = await statementsFor('quimby');
    const narrowed = WITH_CONTEXT.replace('($query: String!)', '($query: String!, $organization: ID, $post: ID)').replace(
      'first: 100)',
      'first: 100, organization: $organization, post: $post)',
    );
    api.statements.reset();
    const { data, errors } = await api.execute(narrowed, { query: 'quimby', organization: board.gid, post: toGlobalId('Post', memberSeat.id) }, { viewer: staff });
    expect(errors).toBeUndefined();
    expect(data!.peopleSearch.edges).toHaveLength(2);
    expect(api.statements.count()).toBeLessThanOrEqual(plain.statements + 2);
  });
});
