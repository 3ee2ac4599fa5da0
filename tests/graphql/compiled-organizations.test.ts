import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toGlobalId } from '../../src/graphql/global-id.ts';
import { createOrganization, organizationBySlug, createJurisdiction } from '../helpers/factories.ts';
import { startHttpInstance } from '../helpers/http-instance.ts';
import { createTestApi, type TestApi } from '../helpers/test-api.ts';

// Organization fields the compiler knows, and one it does not (`division`): adding it to a selection
// sends the whole root field to the resolvers, whose answer (without that key) is the reference.
const ORGANIZATION = 'id name slug kind shortName description website status foundedOn dissolvedOn overseenBy bodyKind minMembers maxMembers sourceUrl';
const Q1 = 'name slug kind shortName website status foundedOn';
const RESOLVED = ' division { name }';

let api: TestApi;
let buckmanId: string;
let foreignId: string;
beforeAll(async () => {
  api = await createTestApi();
  buckmanId = toGlobalId('Organization', (await organizationBySlug(api.db, 'buckman')).id);
  const translated = await api.execute(
    'mutation($input: TranslationSetInput!) { translationSet(input: $input) { userErrors { code message } } }',
    { input: { id: buckmanId, field: 'name', locale: 'es', text: 'Asociación de Vecinos de Buckman' } },
    { viewer: api.staff() },
  );
  expect(translated.data!.translationSet.userErrors).toEqual([]);
  // Names that test the cursor's JSON text: a quote, a backslash, a control character, non-ASCII,
  // and one long enough for PostgreSQL's base64 to break lines.
  for (const [slug, name] of [
    ['quoted', 'A "Quoted" \\ Neighborhood\tAssociation'],
    ['accented', 'Ñandú Café Neighborhood Association ✓'],
    ['long', `Long ${'Name '.repeat(30)}Association`],
  ] as const) {
    await createOrganization(api.db, { jurisdictionId: api.jurisdictionId, kind: 'NEIGHBORHOOD_ASSOCIATION', slug, name, status: slug === 'long' ? 'INACTIVE' : 'ACTIVE' });
  }
  const elsewhere = await createJurisdiction(api.db, { slug: 'elsewhere', name: 'Elsewhere', ocdId: 'ocd-jurisdiction/test:elsewhere-compiled', timezone: 'America/New_York', locales: ['en', 'es'] });
  const foreign = await createOrganization(api.db, { jurisdictionId: elsewhere!.id, kind: 'NEIGHBORHOOD_ASSOCIATION', slug: 'far-away', name: 'Far Away NA' });
  foreignId = toGlobalId('Organization', foreign.id);
});
afterAll(() => api.dispose());

const without = (value: unknown, key: string): unknown => JSON.parse(JSON.stringify(value, (k, v) => (k === key ? undefined : v)));
const marked = () => api.statements.log.filter((statement) => statement.includes("'__compiled'")).length;
const compiledStatements = () => api.statements.log.filter((statement) => statement.includes('json_build_object')).length;

/**
 * Runs `document` (compiled) and the same with `division { name }` after the last `marker` (resolvers), and
 * expects one statement and the same JSON text, key order included.
 */
async function expectCompiledLikeResolvers(document: string, marker: string, variables?: Record<string, unknown>) {
  api.statements.reset();
  const compiled = await api.execute(document, variables);
  const statements = api.statements.count();
  api.statements.reset();
  const at = document.lastIndexOf(marker) + marker.length;
  const resolved = await api.execute(document.slice(0, at) + RESOLVED + document.slice(at), variables);
  expect(compiled.errors).toBeUndefined();
  expect(resolved.errors).toBeUndefined();
  expect(statements).toBe(1);
  expect(api.statements.count()).toBeGreaterThan(1); // the resolvers' path loads divisions too
  expect(JSON.stringify(compiled.data)).toBe(JSON.stringify(without(resolved.data, 'division')));
  return compiled.data!;
}

describe('compiled organization lists', () => {
  const LIST = `query($first: Int, $status: OrganizationStatus, $kind: OrganizationKind) {
    neighborhoodAssociations(first: $first, filter: { status: $status, kind: $kind }) {
      __typename totalCount
      pageInfo { __typename hasNextPage hasPreviousPage startCursor endCursor }
      edges { __typename cursor node { name } }
      list: nodes { __typename ${ORGANIZATION} }
    }
  }`;

  it('answers the benchmark\'s page in one statement exactly as the resolvers do', async () => {
    const data = await expectCompiledLikeResolvers(`{ neighborhoodAssociations(first: 50) { nodes { ${Q1} } } }`, 'foundedOn');
    expect(data.neighborhoodAssociations.nodes).toHaveLength(50);
  });

  it('answers every connection field, cursors byte for byte, for page sizes 0 to 100 and the default', async () => {
    for (const variables of [{ first: 5 }, { first: 0 }, { first: 100 }, {}, { first: 3, status: 'INACTIVE' }, { first: 10, kind: 'ADVISORY_BODY' }]) {
      const data = await expectCompiledLikeResolvers(LIST, 'foundedOn', variables);
      const connection = data.neighborhoodAssociations;
      expect(connection.list).toHaveLength(Math.min(variables.first ?? 20, connection.totalCount));
      expect(connection.pageInfo.hasNextPage).toBe(connection.totalCount > (variables.first ?? 20));
    }
    // The names with quotes, tabs, non-ASCII and a long cursor are on the page and in the cursors.
    const { data } = await api.execute(LIST, { first: 100 });
    const names = data!.neighborhoodAssociations.edges.map((e: any) => e.node.name);
    expect(names).toContain('A "Quoted" \\ Neighborhood\tAssociation');
    expect(names).toContain('Ñandú Café Neighborhood Association ✓');
    const long = data!.neighborhoodAssociations.edges.find((e: any) => e.node.name.startsWith('Long'));
    expect(long.cursor.length).toBeGreaterThan(76);
    expect(JSON.parse(Buffer.from(long.cursor, 'base64url').toString())).toEqual([long.node.name, expect.any(Number)]);
  });

  it('orders by name descending when orderBy says so in the document', async () => {
    const data = await expectCompiledLikeResolvers(
      '{ neighborhoodAssociations(first: 4, orderBy: { direction: DESC }) { pageInfo { endCursor hasNextPage } nodes { name slug } } }',
      'slug',
    );
    // Bytes order (collate "C"): the non-ASCII initial comes last, so first here.
    expect(data.neighborhoodAssociations.nodes[0].name).toBe('Ñandú Café Neighborhood Association ✓');
  });

  it('compiles the other lists: every organization, business districts, advisory bodies', async () => {
    await expectCompiledLikeResolvers('{ organizations(first: 30) { totalCount nodes { name kind } } }', 'kind');
    await expectCompiledLikeResolvers('{ organizations(filter: { kind: DISTRICT_COALITION }) { totalCount nodes { name kind } } }', 'kind');
    await expectCompiledLikeResolvers('query($f: OrganizationFilter) { organizations(filter: $f) { totalCount nodes { name status } } }', 'status', { f: { status: 'INACTIVE' } });
    const business = await expectCompiledLikeResolvers('{ businessDistrictAssociations(first: 100) { totalCount nodes { name } } }', 'name');
    expect(business.businessDistrictAssociations.totalCount).toBeGreaterThan(0);
    const bodies = await expectCompiledLikeResolvers('{ advisoryBodies { pageInfo { hasNextPage endCursor } nodes { name bodyKind overseenBy } } }', 'overseenBy');
    expect(bodies.advisoryBodies.nodes.length).toBeGreaterThan(0);
  });

  it('nests the directory\'s relations under a list (coalition, members, seats), a connection\'s count alone included', async () => {
    await expectCompiledLikeResolvers('{ neighborhoodAssociations(first: 10) { nodes { name coalition { name } posts { totalCount } } } }', 'name');
    await expectCompiledLikeResolvers(
      '{ organizations(filter: { kind: DISTRICT_COALITION }) { nodes { name memberOrganizations(first: 5) { totalCount } all: memberOrganizations(first: 100) { nodes { slug } } } } }',
      'slug',
    );
  });

  it('leaves cursors, unsupported filters and orderBy variables to the resolvers, with their answer', async () => {
    const first = await api.execute<any>('{ neighborhoodAssociations(first: 3) { pageInfo { endCursor } } }');
    const after = first.data!.neighborhoodAssociations.pageInfo.endCursor;
    for (const [query, variables] of [
      ['query($after: String) { neighborhoodAssociations(first: 3, after: $after) { pageInfo { hasPreviousPage } nodes { name } } }', { after }],
      ['{ neighborhoodAssociations(last: 3) { nodes { name } } }', {}],
      ['{ neighborhoodAssociations(filter: { nameContains: "park" }) { nodes { name } } }', {}],
      ['query($o: OrganizationOrder) { neighborhoodAssociations(first: 3, orderBy: $o) { nodes { name } } }', { o: { direction: 'DESC' } }],
      ['{ neighborhoodAssociations(first: 3) { nodes { ...N } } } fragment N on Organization { name }', {}],
    ] as const) {
      api.statements.reset();
      const fallback = await api.execute(query, variables);
      expect(fallback.errors).toBeUndefined();
      expect(api.statements.count()).toBeGreaterThan(1);
      expect(fallback.data!.neighborhoodAssociations.nodes.length).toBeGreaterThan(0);
    }
    const page2 = await api.execute<any>('query($after: String) { neighborhoodAssociations(first: 3, after: $after) { nodes { name } } }', { after });
    const page1and2 = await api.execute<any>('{ neighborhoodAssociations(first: 6) { nodes { name } } }');
    expect(page2.data!.neighborhoodAssociations.nodes).toEqual(page1and2.data!.neighborhoodAssociations.nodes.slice(3));
  });

  it('keeps the resolvers\' errors: first out of range, an unknown jurisdiction, a bad filter id', async () => {
    for (const [query, variables, message] of [
      ['query($n: Int) { neighborhoodAssociations(first: $n) { nodes { name } } }', { n: 101 }, 'first must be between 0 and 100; got 101'],
      ['{ neighborhoodAssociations(first: -1) { nodes { name } } }', {}, 'first must be between 0 and 100; got -1'],
      ['{ organizations(jurisdiction: "atlantis") { nodes { name } } }', {}, 'atlantis'],
      ['{ organizations(filter: { coalition: "nope" }) { nodes { name } } }', {}, 'filter.coalition is not a valid id'],
    ] as const) {
      const { data, errors } = await api.execute(query, variables);
      expect(data ?? null).toBeNull();
      expect(errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
      expect(errors?.[0]?.message).toContain(message);
    }
  });
});

describe('compiled organization(id:) and organization(slug:)', () => {
  const BY_ID = `query($id: ID!) { organization(id: $id) { ${Q1} } }`;

  it('answers the benchmark\'s lookup by id in one statement exactly as the resolvers do', async () => {
    const data = await expectCompiledLikeResolvers(BY_ID, 'foundedOn', { id: buckmanId });
    expect(data.organization.name).toBe('Buckman');
    await expectCompiledLikeResolvers(`{ organization(id: "${buckmanId}") { __typename ${ORGANIZATION} coalition { id name } } }`, 'sourceUrl');
  });

  it('answers by slug, with and without a jurisdiction, as the resolvers do', async () => {
    await expectCompiledLikeResolvers(`{ organization(slug: "buckman") { ${ORGANIZATION} } }`, 'sourceUrl');
    const data = await expectCompiledLikeResolvers(`{ o: organization(slug: "buckman", jurisdiction: "portland") { id n: name } }`, 'n: name');
    expect(data.o.id).toBe(buckmanId);
  });

  it('answers null for an unknown id or slug, in one statement', async () => {
    for (const query of [`{ organization(id: "${toGlobalId('Organization', 999999)}") { name } }`, '{ organization(slug: "no-such-slug") { name } }']) {
      api.statements.reset();
      const { data, errors } = await api.execute(query);
      expect(errors).toBeUndefined();
      expect(data).toEqual({ organization: null });
      expect(api.statements.count()).toBe(1);
    }
  });

  it('answers an organization of another jurisdiction through the resolvers (its own languages apply)', async () => {
    api.statements.reset();
    const { data, errors } = await api.execute(BY_ID, { id: foreignId });
    expect(errors).toBeUndefined();
    expect(data!.organization.name).toBe('Far Away NA');
    expect(api.statements.count()).toBeGreaterThan(1); // the compiled statement found no row, then the loader
  });

  it('keeps the resolvers\' errors: an id of another type, a malformed id, both or neither argument, an unknown jurisdiction', async () => {
    for (const [query, variables, message] of [
      [BY_ID, { id: toGlobalId('Division', 1) }, 'id must be the id of a Organization, not of a Division'],
      [BY_ID, { id: 'not-an-id' }, 'id is not a valid id'],
      [`{ organization(id: "${buckmanId}", slug: "buckman") { name } }`, {}, 'Pass exactly one of slug or id'],
      ['{ organization { name } }', {}, 'Pass exactly one of slug or id'],
      ['query($s: String) { organization(slug: $s) { name } }', { s: null }, 'Pass exactly one of slug or id'],
      ['{ organization(slug: "buckman", jurisdiction: "atlantis") { name } }', {}, 'atlantis'],
    ] as const) {
      const { data, errors } = await api.execute(query, variables);
      expect(data?.organization ?? null).toBeNull();
      expect(errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
      expect(errors?.[0]?.message).toContain(message);
    }
  });

  it('answers a slug longer than the resolver reads as it does (null)', async () => {
    const { data, errors } = await api.execute('query($s: String) { organization(slug: $s) { name } }', { s: 'x'.repeat(201) });
    expect(errors).toBeUndefined();
    expect(data).toEqual({ organization: null });
  });
});

describe('compiled organization roots and the rest of the pipeline', () => {
  it('answers several compiled roots in one operation, one statement each, or beside another root field', async () => {
    const query = `{ a: organization(id: "${buckmanId}") { id name } b: neighborhoodAssociations(first: 2) { pageInfo { endCursor } edges { cursor } nodes { name } } }`;
    api.statements.reset();
    const whole = await api.execute(query);
    expect(api.statements.count()).toBe(2);
    expect(marked()).toBe(0);
    api.statements.reset();
    const beside = await api.execute(query.replace('{ a:', '{ __typename a:'));
    expect(api.statements.count()).toBe(2);
    expect(marked()).toBe(2); // the per-field path: objects marked for graphql-js
    expect(beside.errors).toBeUndefined();
    expect(JSON.stringify(beside.data)).toBe(JSON.stringify({ __typename: 'Query', ...whole.data }));
  });

  it('answers a Spanish request through the resolvers, with the Spanish names', async () => {
    const query = `{ organization(id: "${buckmanId}") { name } neighborhoodAssociations(first: 100) { nodes { name } } }`;
    const english = await api.execute(query);
    api.statements.reset();
    const spanish = await api.execute(query, undefined, { acceptLanguage: 'es' });
    expect(spanish.errors).toBeUndefined();
    expect(compiledStatements()).toBe(0);
    expect(english.data!.organization.name).toBe('Buckman');
    expect(spanish.data!.organization.name).toBe('Asociación de Vecinos de Buckman');
    expect(JSON.stringify(spanish.data!.neighborhoodAssociations)).toContain('"Asociación de Vecinos de Buckman"');
    // Per-field path too (another root beside them).
    api.statements.reset();
    const beside = await api.execute(query.replace('{ organization', '{ __typename organization'), undefined, { acceptLanguage: 'es' });
    expect(beside.data!.organization.name).toBe('Asociación de Vecinos de Buckman');
    expect(compiledStatements()).toBe(0);
    // English, the city's default, stays compiled (the third statement: negotiation reads the
    // jurisdiction, which no jurisdiction cache holds in this test server).
    api.statements.reset();
    const en = await api.execute(query, undefined, { acceptLanguage: 'en-US' });
    expect(compiledStatements()).toBe(2);
    expect(api.statements.count()).toBe(3);
    expect(en.data).toEqual(english.data);
  });

  it('gives the cache policy execution gives over GET', async () => {
    const http = await startHttpInstance(api.db);
    try {
      for (const [compiledQuery, resolvedQuery] of <const>[
        [`{ organization(id: "${buckmanId}") { name } }`, `{ organization(id: "${buckmanId}") { name division { name } } }`],
        [`{ organization(id: "${toGlobalId('Organization', 999999)}") { name } }`, `{ organization(id: "${toGlobalId('Organization', 999999)}") { name division { name } } }`],
        ['{ neighborhoodAssociations(first: 2) { totalCount pageInfo { hasNextPage } edges { cursor node { name } } } }', '{ neighborhoodAssociations(first: 2) { totalCount pageInfo { hasNextPage } edges { cursor node { name division { name } } } } }'],
      ]) {
        const compiled = await http.get(compiledQuery);
        const resolved = await http.get(resolvedQuery);
        expect(compiled.status).toBe(200);
        expect(compiled.body.errors).toBeUndefined();
        expect(compiled.headers.get('cache-control')).toBe('public, max-age=60');
        expect(resolved.headers.get('cache-control')).toBe(compiled.headers.get('cache-control'));
      }
    } finally {
      await http.close();
    }
  });
});
