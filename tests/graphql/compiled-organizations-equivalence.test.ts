import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jurisdictions, organizationLinks } from '../../src/db/schema/index.ts';
import { toGlobalId } from '../../src/graphql/global-id.ts';
import { createOrganization, organizationBySlug, createJurisdiction } from '../helpers/factories.ts';
import { createTestApi, type TestApi } from '../helpers/test-api.ts';

// A sweep of the compiled organization roots against their resolvers: every list, page sizes at the
// edges, each filter value, both orders, nested relations, several viewers, another jurisdiction and
// translated names. The resolvers' answer is forced by a field the compiler does not know
// (`division`), then dropped from it; the compiled answer must be the same JSON text and one statement.

const NODE = 'id name slug kind status shortName description foundedOn dissolvedOn bodyKind coalition { id name } memberOrganizations(first: 3) { totalCount nodes { id name } } posts(first: 2) { totalCount nodes { label vacancies holders { role person { name } } } }';
const CONNECTION = (node: string) =>
  `__typename totalCount pageInfo { hasNextPage hasPreviousPage startCursor endCursor } edges { cursor node { id name } } nodes { ${node} }`;

let api: TestApi;
let elsewhere: number;
beforeAll(async () => {
  api = await createTestApi({ sampleMembers: true });
  const buckman = await organizationBySlug(api.db, 'buckman');
  const translated = await api.execute(
    'mutation($input: TranslationSetInput!) { translationSet(input: $input) { userErrors { code message } } }',
    { input: { id: toGlobalId('Organization', buckman.id), field: 'name', locale: 'es', text: 'Asociación de Buckman' } },
    { viewer: api.staff() },
  );
  expect(translated.data!.translationSet.userErrors).toEqual([]);
  const row = await createJurisdiction(api.db, { slug: 'elsewhere', name: 'Elsewhere', ocdId: 'ocd-jurisdiction/test:elsewhere-sweep', timezone: 'Pacific/Kiritimati', locales: ['es', 'en'], defaultLocale: 'es' });
  elsewhere = row!.id;
  const coalition = await createOrganization(api.db, { jurisdictionId: elsewhere, kind: 'DISTRICT_COALITION', slug: 'far-coalition', name: 'Coalición Lejana' });
  for (const [i, name] of ['Zeta Vecinos', 'alfa vecinos', 'Ñu Vecinos', 'Beta Vecinos'].entries()) {
    const member = await createOrganization(api.db, { jurisdictionId: elsewhere, kind: 'NEIGHBORHOOD_ASSOCIATION', slug: `far-${i}`, name, status: i === 3 ? 'INACTIVE' : 'ACTIVE' });
    await api.db.insert(organizationLinks).values({ jurisdictionId: elsewhere, kind: 'DISTRICT_COALITION', memberId: member.id, parentId: coalition.id, startDate: '2020-01-01' });
  }
});
afterAll(() => api.dispose());

const without = (value: unknown, key: string): unknown => JSON.parse(JSON.stringify(value, (k, v) => (k === key ? undefined : v)));

async function compare(document: string, resolvedDocument: string, options: Parameters<TestApi['execute']>[2] = {}, compiledExpected = true) {
  api.statements.reset();
  const compiled = await api.execute(document, undefined, options);
  const statements = api.statements.log.filter((s) => s.includes('json_build_object')).length;
  const resolved = await api.execute(resolvedDocument, undefined, options);
  expect(compiled.errors, document).toBeUndefined();
  expect(resolved.errors, resolvedDocument).toBeUndefined();
  if (compiledExpected) expect(statements, document).toBe(1);
  expect(JSON.stringify(compiled.data), document).toBe(JSON.stringify(without(resolved.data, 'division')));
  return compiled.data as Record<string, any>;
}

describe('compiled organization roots against their resolvers (sweep)', () => {
  it('lists: every root, page sizes, filters, orders, jurisdictions and viewers', async () => {
    const roots = ['organizations', 'neighborhoodAssociations', 'businessDistrictAssociations', 'advisoryBodies'];
    const viewers = [undefined, api.staff()];
    let checked = 0;
    for (const root of roots) {
      for (const jurisdiction of [null, 'portland', 'elsewhere']) {
        for (const first of [null, 0, 1, 7, 100]) {
          for (const filter of ['', 'filter: { status: ACTIVE }', 'filter: { status: INACTIVE }', 'filter: { kind: DISTRICT_COALITION }', 'filter: { kind: NEIGHBORHOOD_ASSOCIATION, status: ACTIVE }']) {
            for (const order of ['', 'orderBy: { direction: DESC }', 'orderBy: { field: NAME, direction: ASC }']) {
              const args = [jurisdiction ? `jurisdiction: "${jurisdiction}"` : '', first !== null ? `first: ${first}` : '', filter, order].filter(Boolean).join(', ');
              const call = `${root}${args ? `(${args})` : ''}`;
              const viewer = viewers[checked % viewers.length];
              await compare(`{ r: ${call} { ${CONNECTION(NODE)} } }`, `{ r: ${call} { ${CONNECTION(`${NODE} division { name }`)} } }`, { viewer });
              checked += 1;
            }
          }
        }
      }
    }
    expect(checked).toBe(4 * 3 * 5 * 5 * 3);
  }, 600_000);

  it('organization(id:) and organization(slug:) for organizations of both jurisdictions, and unknown ones', async () => {
    const rows = (await api.db.select({ id: jurisdictions.id }).from(jurisdictions)).length;
    expect(rows).toBeGreaterThan(1);
    const { organizations } = await import('../../src/db/schema/index.ts');
    const all = await api.db.select({ id: organizations.id, slug: organizations.slug, jurisdictionId: organizations.jurisdictionId }).from(organizations);
    const sample = all.filter((o, i) => o.jurisdictionId === elsewhere || i % 7 === 0);
    expect(sample.length).toBeGreaterThan(20);
    for (const o of sample) {
      const foreign = o.jurisdictionId === elsewhere;
      const id = toGlobalId('Organization', o.id);
      // By id: an organization of another jurisdiction goes to the resolvers (expected: not compiled).
      await compare(`{ o: organization(id: "${id}") { ${NODE} } }`, `{ o: organization(id: "${id}") { ${NODE} division { name } } }`, {}, !foreign);
      const bySlug = foreign ? `slug: "${o.slug}", jurisdiction: "elsewhere"` : `slug: "${o.slug}"`;
      await compare(`{ o: organization(${bySlug}) { ${NODE} } }`, `{ o: organization(${bySlug}) { ${NODE} division { name } } }`);
    }
    for (const missing of [`id: "${toGlobalId('Organization', 2_000_000_000)}"`, 'slug: "nope"', 'slug: "buckman", jurisdiction: "elsewhere"']) {
      await compare(`{ o: organization(${missing}) { id name } }`, `{ o: organization(${missing}) { id name division { name } } }`);
    }
  }, 600_000);

  it('a request in another language never gets an original text where a translation exists', async () => {
    for (const language of ['es', 'es-MX', 'es;q=0.9, en;q=0.8', 'fr, es;q=0.5']) {
      for (const document of [
        '{ o: organization(slug: "buckman") { name } }',
        '{ l: neighborhoodAssociations(first: 100) { nodes { name } } }',
        '{ l: organizations(first: 100, filter: { kind: DISTRICT_COALITION }) { nodes { name memberOrganizations(first: 100) { nodes { name } } } } }',
      ]) {
        const { data, errors } = await api.execute(document, undefined, { acceptLanguage: language });
        expect(errors).toBeUndefined();
        const text = JSON.stringify(data);
        expect(text, `${language}: ${document}`).toContain('Asociación de Buckman');
        expect(text, `${language}: ${document}`).not.toContain('"Buckman"');
      }
    }
    // Another jurisdiction's texts: its own default (es) is the original; English is a translation.
    const zeta = await organizationBySlug(api.db, 'far-0');
    const set = await api.execute(
      'mutation($input: TranslationSetInput!) { translationSet(input: $input) { userErrors { code message } } }',
      { input: { id: toGlobalId('Organization', zeta.id), field: 'name', locale: 'en', text: 'Zeta Neighbors' } },
      { viewer: api.staff({ jurisdictionId: elsewhere }) },
    );
    expect(set.data!.translationSet.userErrors).toEqual([]);
    for (const document of ['{ o: organization(slug: "far-0", jurisdiction: "elsewhere") { name } }', '{ l: neighborhoodAssociations(jurisdiction: "elsewhere") { nodes { name } } }', `{ o: organization(id: "${toGlobalId('Organization', zeta.id)}") { name } }`]) {
      const english = JSON.stringify((await api.execute(document, undefined, { acceptLanguage: 'en' })).data);
      expect(english, document).toContain('Zeta Neighbors');
      const spanish = JSON.stringify((await api.execute(document, undefined, { acceptLanguage: 'es' })).data);
      expect(spanish, document).toContain('Zeta Vecinos');
      const none = JSON.stringify((await api.execute(document)).data);
      expect(none, document).toContain('Zeta Vecinos');
    }
  });
});
