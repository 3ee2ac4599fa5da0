import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { toGlobalId } from '../../src/graphql/global-id.ts';
import { councilPost, createMembership, createPerson, organizationBySlug } from '../helpers/factories.ts';
import { createTestApi, type TestApi } from '../helpers/test-api.ts';

let api: TestApi;
/** The database's clock before each test's writes. */
let since: string;

beforeAll(async () => {
  api = await createTestApi();
});
afterAll(() => api.dispose());
beforeEach(async () => {
  // execute() answers with rows on PostgreSQL and with { rows } on PGlite.
  const result = (await api.db.execute(sql`select clock_timestamp() as now`)) as unknown as { now: string }[] | { rows: { now: string }[] };
  since = new Date((Array.isArray(result) ? result : result.rows)[0]!.now).toISOString();
});

async function changedIds(field: string, extraFilter = ''): Promise<string[]> {
  const { data, errors } = await api.execute(`query($since: DateTime!) { list: ${field}(first: 100, filter: { updatedSince: $since ${extraFilter} }) { totalCount nodes { id } } }`, { since });
  expect(errors).toBeUndefined();
  expect(data!.list.totalCount).toBe(data!.list.nodes.length);
  return data!.list.nodes.map((n: { id: string }) => n.id);
}

describe('updatedSince', () => {
  it('lists only the organizations changed since, in every organization list, whoever wrote', async () => {
    const buckman = await organizationBySlug(api.db, 'buckman');
    const updated = await api.execute(`mutation($input: OrganizationUpdateInput!) { organizationUpdate(input: $input) { userErrors { code } } }`, { input: { organizationId: toGlobalId('Organization', buckman.id), description: 'Updated for sync' } }, { viewer: api.staff() });
    expect(updated.data!.organizationUpdate.userErrors).toEqual([]);
    await api.db.execute(sql`update organizations set website = 'https://example.org/sql' where slug = 'city-council'`);
    const council = await organizationBySlug(api.db, 'city-council');
    const ids = [toGlobalId('Organization', buckman.id), toGlobalId('Organization', council.id)];
    expect((await changedIds('organizations')).sort()).toEqual([...ids].sort());
    expect(await changedIds('neighborhoodAssociations')).toEqual([ids[0]]);
    expect(await changedIds('advisoryBodies')).toEqual([]);
  });

  it('counts a recognition change as a change of the association', async () => {
    const alameda = await organizationBySlug(api.db, 'alameda');
    const id = toGlobalId('Organization', alameda.id);
    const result = await api.execute(`mutation($input: AssociationRecognitionChangeInput!) { associationRecognize(input: $input) { userErrors { code } } }`, { input: { organizationId: id, effectiveOn: '2021-01-01' } }, { viewer: api.staff() });
    expect(result.data!.associationRecognize.userErrors).toEqual([]);
    expect(await changedIds('organizations')).toEqual([id]);
  });

  it('lists only the divisions changed since', async () => {
    await api.db.execute(sql`update divisions set name = 'Renamed for sync' where ocd_id like '%council_district:2'`);
    const ids = await changedIds('divisions');
    expect(ids).toHaveLength(1);
    const { data } = await api.execute(`query($id: ID!) { node(id: $id) { ... on Division { name } } }`, { id: ids[0] });
    expect(data!.node.name).toBe('Renamed for sync');
  });

  it('lists seats and terms changed since; an appointment does not count as a change of its seat', async () => {
    const post = await councilPost(api.db, 4);
    const person = await createPerson(api.db, api.jurisdictionId, 'Sync Appointee');
    const membership = await createMembership(api.db, { jurisdictionId: api.jurisdictionId, personId: person.id, organizationId: post.organizationId, postId: post.id, startDate: '2032-01-01' });
    expect(await changedIds('memberships')).toEqual([toGlobalId('Membership', membership.id)]);
    expect(await changedIds('posts')).toEqual([]);
    await api.db.execute(sql`update posts set eligibility = 'Lives in District 4' where id = ${post.id}`);
    expect(await changedIds('posts')).toEqual([toGlobalId('Post', post.id)]);
  });

  it('keeps updated_at when a write changes nothing', async () => {
    await api.db.execute(sql`update organizations set name = name`);
    await api.db.execute(sql`update divisions set kind = kind`);
    expect(await changedIds('organizations')).toEqual([]);
    expect(await changedIds('divisions')).toEqual([]);
  });

  it('lists everything from a time before all changes; posts and memberships page by id', async () => {
    const { data } = await api.execute(`{ all: posts(first: 3) { totalCount nodes { id } } since: posts(first: 3, filter: { updatedSince: "2000-01-01T00:00:00Z" }) { totalCount nodes { id } } m: memberships(first: 1) { totalCount } }`);
    expect(data!.since).toEqual(data!.all);
    expect(data!.all.totalCount).toBeGreaterThan(3);
    expect(data!.m.totalCount).toBeGreaterThan(0);
  });

  it('refuses a malformed instant with BAD_USER_INPUT', async () => {
    const { errors } = await api.execute(`query($since: DateTime!) { organizations(filter: { updatedSince: $since }) { totalCount } }`, { since: 'yesterday' });
    expect(errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });
});
