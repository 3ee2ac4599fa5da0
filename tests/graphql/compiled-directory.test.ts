import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMembership, createPerson, createPost, organizationBySlug } from '../helpers/factories.ts';
import { startHttpInstance } from '../helpers/http-instance.ts';
import { recordRoster } from '../helpers/roster.ts';
import { createTestApi, type TestApi } from '../helpers/test-api.ts';

// The directory with every field the compiler knows, aliases and arguments included.
const DIRECTORY = /* GraphQL */ `
  query Directory($at: Date, $first: Int) {
    councilDistricts {
      __typename
      name ocdId kind validFrom validUntil
      seat: councilPost { label role maxHolders selectionMethod holders { startDate endDate role person { name sortName isSample } } vacancies }
      organizations(kind: DISTRICT_COALITION) {
        name slug kind status shortName foundedOn
        memberOrganizations(first: $first) {
          totalCount
          nodes {
            name
            coalition { shortName name }
            pastCoalition: coalition(at: $at) { name }
            posts(first: 20) { totalCount nodes { label maxHolders vacancies holders { startDate person { name } } } }
          }
        }
      }
    }
  }
`;

// The same selection plus one field the compiler does not know (`id`), so the resolvers answer.
const WITH_IDS = DIRECTORY.replace('__typename\n', '__typename\n      id\n');

let api: TestApi;
beforeAll(async () => {
  api = await createTestApi({ sampleMembers: true });
  // A board seat with a current and a past holder on one association, so holders and vacancies vary.
  const { db, jurisdictionId } = api;
  const association = await organizationBySlug(db, 'buckman');
  // Its roster is kept here from now on (staff record it), so its free places are vacancies.
  await recordRoster(api, 'buckman');
  const post = await createPost(db, { jurisdictionId, organizationId: association.id, label: 'Board chair', maxHolders: 2 });
  const current = await createPerson(db, jurisdictionId);
  const past = await createPerson(db, jurisdictionId);
  await createMembership(db, { jurisdictionId, personId: current.id, organizationId: association.id, postId: post.id, startDate: '2025-01-01' });
  await createMembership(db, { jurisdictionId, personId: past.id, organizationId: association.id, postId: post.id, startDate: '2020-01-01', endDate: '2022-01-01' });
});
afterAll(() => api.dispose());

const withoutIds = (value: unknown): unknown =>
  JSON.parse(JSON.stringify(value, (key, v) => (key === 'id' ? undefined : v)));

describe('the compiled directory (one statement shaped like the response)', () => {
  it('answers in one SQL statement exactly what the resolvers answer, whole query or beside another root field', async () => {
    // Alone, the directory is answered from the statement's JSON (no graphql-js execution); beside
    // another root field it is executed, each compiled field reading its value from the statement's
    // objects (marked '__compiled'). Both paths must give what the resolvers give.
    const besideTypename = DIRECTORY.replace('councilDistricts {', '__typename\n    councilDistricts {');
    const marked = () => api.statements.log.filter((statement) => statement.includes("'__compiled'")).length;
    for (const [document, markedStatements] of [[DIRECTORY, 0], [besideTypename, 1]] as const) {
      for (const variables of [{ first: 100 }, { first: 3, at: '2024-06-30' }]) {
        api.statements.reset();
        const compiled = await api.execute(document, variables);
        const [compiledStatements, compiledMarked] = [api.statements.count(), marked()];
        api.statements.reset();
        const resolved = await api.execute(WITH_IDS, variables);
        expect(compiled.errors).toBeUndefined();
        expect(resolved.errors).toBeUndefined();
        expect(compiledStatements).toBe(1);
        expect(compiledMarked).toBe(markedStatements);
        expect(api.statements.count()).toBeGreaterThan(1); // the resolvers' path, batched per level
        expect(compiled.data!.councilDistricts).toEqual((withoutIds(resolved.data) as any).councilDistricts);
      }
    }
  });

  it('returns real content: districts, coalitions, members, a seat with its current holder only', async () => {
    const { data } = await api.execute(DIRECTORY, { first: 100 });
    const districts = data!.councilDistricts;
    expect(districts).toHaveLength(4);
    expect(districts[0].__typename).toBe('Division');
    const buckman = districts
      .flatMap((d: any) => d.organizations.flatMap((c: any) => c.memberOrganizations.nodes))
      .find((a: any) => a.name === 'Buckman');
    const chair = buckman.posts.nodes.find((p: any) => p.label === 'Board chair');
    expect(chair.holders).toHaveLength(1);
    expect(chair.holders[0].startDate).toBe('2025-01-01');
    expect(chair.vacancies).toBe(1);
    // No variable `at`: coalition(at: null) means today, as the resolver reads it.
    expect(buckman.pastCoalition).toEqual({ name: buckman.coalition.name });
    expect(buckman.coalition.name).toContain('District 3 Coalition');
  });

  it('leaves selections it does not know to the resolvers (ids, fragments, directives)', async () => {
    for (const query of [
      '{ councilDistricts { id name } }',
      '{ councilDistricts { ...D } } fragment D on Division { name }',
      '{ councilDistricts { name @include(if: true) } }',
      '{ councilDistricts { organizations { memberOrganizations(first: 2) { pageInfo { hasNextPage } } } } }',
    ]) {
      api.statements.reset();
      const { data, errors } = await api.execute(query);
      expect(errors).toBeUndefined();
      expect(data!.councilDistricts).toHaveLength(4);
      expect(api.statements.count()).toBeGreaterThan(1);
    }
  });

  it('keeps the resolvers\' errors: an unknown jurisdiction and a page size out of range', async () => {
    const unknown = await api.execute('{ councilDistricts(jurisdiction: "atlantis") { name } }');
    expect(unknown.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(unknown.errors?.[0]?.message).toContain('atlantis');
    const tooBig = await api.execute('query($n: Int) { councilDistricts { organizations { memberOrganizations(first: $n) { totalCount } } } }', { n: 101 });
    expect(tooBig.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(tooBig.errors?.[0]?.message).toContain('first must be between 0 and 100');
  });

  it('answers a connection\'s totalCount alone, its page size checked but not bound (PostgreSQL counts only the parameters the text uses)', async () => {
    const query = 'query($n: Int) { councilDistricts { organizations(kind: DISTRICT_COALITION) { memberOrganizations(first: $n) { totalCount } } } }';
    api.statements.reset();
    const compiled = await api.execute(query, { n: 2 });
    expect(compiled.errors).toBeUndefined();
    expect(api.statements.count()).toBe(1);
    const resolved = await api.execute(query.replace('councilDistricts {', 'councilDistricts { id'), { n: 2 });
    expect(JSON.stringify(compiled.data)).toBe(JSON.stringify(withoutIds(resolved.data)));
    const tooBig = await api.execute(query, { n: 101 });
    expect(tooBig.errors?.[0]?.message).toContain('first must be between 0 and 100');
  });

  it('answers from the cached plan with new variables (the plan binds them per request)', async () => {
    const query = '{ councilDistricts { organizations(kind: DISTRICT_COALITION) { memberOrganizations(first: 1) { nodes { name } } } } }';
    const small = await api.execute(query);
    const again = await api.execute(query);
    expect(again.data).toEqual(small.data);
    const paged = await api.execute('query($n: Int) { councilDistricts { organizations(kind: DISTRICT_COALITION) { memberOrganizations(first: $n) { nodes { name } } } } }', { n: 2 });
    const sizes = paged.data!.councilDistricts.flatMap((d: any) => d.organizations.map((c: any) => c.memberOrganizations.nodes.length));
    expect(Math.max(...sizes)).toBe(2);
  });
});

describe('a query of compiled root fields, answered without graphql-js execution', () => {
  const marked = () => api.statements.log.filter((statement) => statement.includes("'__compiled'")).length;

  it('answers with the statement\'s JSON itself: the same data, in the same key order, as the resolvers', async () => {
    for (const variables of [{ first: 100 }, { first: 3, at: '2024-06-30' }]) {
      api.statements.reset();
      const compiled = await api.execute(DIRECTORY, variables);
      expect(api.statements.count()).toBe(1);
      expect(marked()).toBe(0); // built for the response, not for graphql-js to walk
      const resolved = await api.execute(WITH_IDS, variables);
      expect(compiled.errors).toBeUndefined();
      // JSON text, not toEqual: the order of keys is part of the answer.
      expect(JSON.stringify(compiled.data)).toBe(JSON.stringify(withoutIds(resolved.data)));
    }
  });

  it('executes when any root field is not compiled, still with one statement for the directory', async () => {
    const query = '{ __typename councilDistricts { name organizations(kind: DISTRICT_COALITION) { name } } }';
    api.statements.reset();
    const { data, errors } = await api.execute(query);
    expect(errors).toBeUndefined();
    expect(api.statements.count()).toBe(1);
    expect(marked()).toBe(1); // the per-field path: objects marked for graphql-js
    expect(data!.__typename).toBe('Query');
    const alone = await api.execute('{ councilDistricts { name organizations(kind: DISTRICT_COALITION) { name } } }');
    expect(data!.councilDistricts).toEqual(alone.data!.councilDistricts);
  });

  it('leaves a response key asked twice to execution, which merges the two selections', async () => {
    api.statements.reset();
    const { data, errors } = await api.execute('{ councilDistricts { name organizations { name } organizations { slug } } }');
    expect(errors).toBeUndefined();
    expect(api.statements.count()).toBeGreaterThan(1);
    const first = data!.councilDistricts[0].organizations[0];
    expect(Object.keys(first)).toEqual(['name', 'slug']);
  });

  it('refuses what execution refuses: a variable that is not a calendar date', async () => {
    api.statements.reset();
    const { data, errors } = await api.execute('query($at: Date) { councilDistricts(at: $at) { name } }', { at: '2024-02-30' });
    expect(data ?? null).toBeNull();
    expect(errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(api.statements.count()).toBe(0);
  });

  it('gives the cache policy execution gives: public for 60 s over GET, like the resolvers\' answer', async () => {
    const http = await startHttpInstance(api.db);
    try {
      const compiled = await http.get('{ councilDistricts { name councilPost { label holders { person { name } } } } }');
      const resolved = await http.get('{ councilDistricts { id name councilPost { label holders { person { name } } } } }');
      expect(compiled.status).toBe(200);
      expect(compiled.body.errors).toBeUndefined();
      expect(compiled.headers.get('cache-control')).toBe('public, max-age=60');
      expect(resolved.headers.get('cache-control')).toBe(compiled.headers.get('cache-control'));
      const posted = await http.post('{ councilDistricts { name } }');
      expect(posted.headers.get('cache-control')).toBe('no-store');
    } finally {
      await http.close();
    }
  });
});

