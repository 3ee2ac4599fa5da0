import { readdirSync, readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toGlobalId } from '../src/graphql/global-id.ts';
import { councilPost, createMembership, createOrganization, createPerson, createPost } from './helpers/factories.ts';
import { createTestApi, type TestApi } from './helpers/test-api.ts';

// Every ```graphql block in the README and in the documents beside the code (src/**/*.md) must run
// without errors against the real server: public examples as the public, ```graphql staff examples
// as Portland staff, the README's first, then each document's in path order.
const root = new URL('../', import.meta.url);
const documents = [
  'README.md',
  ...readdirSync(new URL('src/', root), { recursive: true, encoding: 'utf8' })
    .filter((path) => path.endsWith('.md'))
    .map((path) => `src/${path}`)
    .sort(),
];
const readme = documents.map((path) => readFileSync(new URL(path, root), 'utf8')).join('\n');
const publicExamples = [...readme.matchAll(/```graphql\n([\s\S]*?)```/g)].map((m) => m[1]!);
const staffExamples = [...readme.matchAll(/```graphql staff\n([\s\S]*?)```/g)].map((m) => m[1]!);

let api: TestApi;
let publicVariables: Record<string, unknown>;
let staffVariables: Record<string, unknown>;

beforeAll(async () => {
  // The three cities: the README shows one example per city (Portland stays the default one).
  api = await createTestApi({ template: 'cities', sampleMembers: true });
  const { data } = await api.execute(`{ councilDistricts { id } association: organization(slug: "buckman") { id } coalition: organization(slug: "district-4-coalition") { id } }`);
  publicVariables = { district: data!.councilDistricts[2].id, after: null };
  // A resident of Buckman (District 3) to appoint, and a serving member to resign.
  const created = await api.execute(
    `mutation { personCreate(input: { name: "README Appointee", privateDetails: { homeLatitude: 45.5197, homeLongitude: -122.6489 } }) { person { id } } }`,
    {},
    { viewer: api.staff() },
  );
  const body = await createOrganization(api.db, { jurisdictionId: api.jurisdictionId, name: 'README Test Board' });
  const seat = await createPost(api.db, { jurisdictionId: api.jurisdictionId, organizationId: body.id, maxHolders: 3 });
  const member = await createPerson(api.db, api.jurisdictionId, 'README Member');
  const membership = await createMembership(api.db, { jurisdictionId: api.jurisdictionId, personId: member.id, organizationId: body.id, postId: seat.id, startDate: '2025-01-01' });
  staffVariables = {
    post: toGlobalId('Post', (await councilPost(api.db, 3)).id),
    person: created.data!.personCreate.person.id,
    membership: toGlobalId('Membership', membership.id),
    association: data!.association.id,
    coalition: data!.coalition.id,
  };
});
afterAll(() => api.dispose());

/** The variables an operation declares, from the given set. */
function variablesFor(query: string, all: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(all).filter(([name]) => query.includes(`$${name}`)));
}

describe('README examples', () => {
  it('has examples to check', () => {
    expect(publicExamples.length).toBeGreaterThanOrEqual(5);
    expect(staffExamples.length).toBeGreaterThanOrEqual(4);
  });

  it.each(publicExamples.map((query, i) => [i + 1, query] as const))('public example %i runs without errors and returns data', async (_n, query) => {
    const { data, errors } = await api.execute(query, variablesFor(query, publicVariables));
    expect(errors).toBeUndefined();
    expect(Object.values(data ?? {}).every((value) => value !== null)).toBe(true);
  });

  it.each(staffExamples.map((query, i) => [i + 1, query] as const))('staff example %i runs without errors or refusals', async (_n, query) => {
    const { data, errors } = await api.execute(query, variablesFor(query, staffVariables), { viewer: api.staff() });
    expect(errors).toBeUndefined();
    expect(Object.values(data ?? {}).every((value) => value !== null)).toBe(true);
    expect(JSON.stringify(data)).not.toMatch(/"userErrors":\[\{/);
  });
});
