import { count } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditEvents, people, personPrivateDetails } from '../../src/db/schema/index.ts';
import { parseGlobalId } from '../../src/graphql/global-id.ts';
import { councilPost, createMembership } from '../helpers/factories.ts';
import { createTestApi, type TestApi } from '../helpers/test-api.ts';

let api: TestApi;
beforeAll(async () => {
  api = await createTestApi();
});
afterAll(() => api.dispose());

const CREATE = `mutation($input: PersonCreateInput!) {
  personCreate(input: $input) {
    person { id name publicBio privateDetails { email phone homeAddress homeLatitude homeLongitude preferredLanguage interpreterNeeded } }
    userErrors { code field message }
  }
}`;
const UPDATE = `mutation($input: PersonUpdateInput!) {
  personUpdate(input: $input) { person { id name privateDetails { email preferredLanguage } } userErrors { code field message } }
}`;
const PRIVATE = { email: 'ana@example.org', phone: '+1 503 555 0100', homeAddress: '1 SE Main St', homeLatitude: 45.5197, homeLongitude: -122.6489, preferredLanguage: 'es', interpreterNeeded: true };

async function counts() {
  const [[p], [d], [a]] = await Promise.all([
    api.db.select({ n: count() }).from(people),
    api.db.select({ n: count() }).from(personPrivateDetails),
    api.db.select({ n: count() }).from(auditEvents),
  ]);
  return { people: p!.n, details: d!.n, audit: a!.n };
}

describe('personCreate', () => {
  it('records a person with private details that staff can read back', async () => {
    const { data, errors } = await api.execute(CREATE, { input: { name: 'Ana Example', publicBio: 'Neighbor', privateDetails: PRIVATE } }, { viewer: api.staff() });
    expect(errors).toBeUndefined();
    expect(data!.personCreate.userErrors).toEqual([]);
    expect(data!.personCreate.person).toMatchObject({ name: 'Ana Example', publicBio: 'Neighbor', privateDetails: PRIVATE });
  });

  it('shows private details to nobody but staff of the jurisdiction', async () => {
    const created = await api.execute(CREATE, { input: { name: 'Private Person', privateDetails: PRIVATE } }, { viewer: api.staff() });
    const id = created.data!.personCreate.person.id;
    // On a public roster, so that everyone can read the person's public fields.
    const post = await councilPost(api.db, 2);
    await createMembership(api.db, { jurisdictionId: api.jurisdictionId, personId: parseGlobalId(id)!.id, organizationId: post.organizationId, postId: post.id, startDate: '2025-01-01' });
    const read = `query($id: ID!) { node(id: $id) { ... on Person { name privateDetails { email } } } }`;
    const viewers = [undefined, { ...api.staff(), role: 'PARTNER' as const }, api.staff({ jurisdictionId: 999 })];
    for (const viewer of viewers) {
      const result = await api.execute(read, { id }, { viewer });
      expect(result.data!.node).toEqual({ name: 'Private Person', privateDetails: null });
      expect(JSON.stringify(result)).not.toContain(PRIVATE.email);
    }
    expect((await api.execute(read, { id }, { viewer: api.staff() })).data!.node.privateDetails.email).toBe(PRIVATE.email);
  });

  it('audits the creation', async () => {
    const created = await api.execute(CREATE, { input: { name: 'Audited Person' } }, { viewer: api.staff({ subject: 'lee@portland.example' }) });
    const history = await api.execute(
      `query($id: ID!) { changeHistory(id: $id) { totalCount nodes { action actor actorRole changes { field before after } } } }`,
      { id: created.data!.personCreate.person.id },
      { viewer: api.staff() },
    );
    const [event] = history.data!.changeHistory.nodes;
    expect(history.data!.changeHistory.totalCount).toBe(1);
    expect(event).toMatchObject({ action: 'personCreate', actor: 'lee@portland.example', actorRole: 'STAFF' });
    expect(event.changes).toContainEqual({ field: 'name', before: null, after: '"Audited Person"' });
  });

  it.each([
    [{ name: '' }, ['input', 'name']],
    [{ name: 'x'.repeat(10_000) }, ['input', 'name']],
    [{ name: 'Ok', privateDetails: { email: 'not-an-email' } }, ['input', 'privateDetails', 'email']],
    [{ name: 'Ok', privateDetails: { homeLatitude: 95, homeLongitude: -122 } }, ['input', 'privateDetails', 'homeLatitude']],
    [{ name: 'Ok', privateDetails: { homeLatitude: 45.5 } }, ['input', 'privateDetails', 'homeLatitude']],
    [{ name: 'Ok', privateDetails: { preferredLanguage: 'not a language' } }, ['input', 'privateDetails', 'preferredLanguage']],
  ])('refuses %j with a userError on the field, storing nothing', async (input, field) => {
    const before = await counts();
    const { data, errors } = await api.execute(CREATE, { input }, { viewer: api.staff() });
    expect(errors).toBeUndefined();
    expect(data!.personCreate.person).toBeNull();
    expect(data!.personCreate.userErrors[0]).toMatchObject({ code: 'INVALID_INPUT', field });
    expect(await counts()).toEqual(before);
  });

  it('is refused to the public, partners and staff of another jurisdiction, storing nothing', async () => {
    const before = await counts();
    const input = { name: 'Intruder' };
    expect((await api.execute(CREATE, { input })).errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    expect((await api.execute(CREATE, { input }, { viewer: { ...api.staff(), role: 'PARTNER' } })).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect((await api.execute(CREATE, { input: { ...input, jurisdiction: 'portland' } }, { viewer: api.staff({ jurisdictionId: 999 }) })).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect(await counts()).toEqual(before);
  });
});

describe('personUpdate', () => {
  it('changes public and private fields and records only what changed', async () => {
    const created = await api.execute(CREATE, { input: { name: 'Before Name', privateDetails: { email: 'old@example.org', preferredLanguage: 'vi' } } }, { viewer: api.staff() });
    const personId = created.data!.personCreate.person.id;
    const { data } = await api.execute(UPDATE, { input: { personId, name: 'After Name', privateDetails: { email: 'new@example.org' } } }, { viewer: api.staff() });
    expect(data!.personUpdate).toEqual({ person: { id: personId, name: 'After Name', privateDetails: { email: 'new@example.org', preferredLanguage: 'vi' } }, userErrors: [] });
    const history = await api.execute(`query($id: ID!) { changeHistory(id: $id, first: 1) { nodes { action changes { field before after } } } }`, { id: personId }, { viewer: api.staff() });
    const [latest] = history.data!.changeHistory.nodes;
    expect(latest.action).toBe('personUpdate');
    expect(latest.changes.map((c: any) => c.field).sort()).toEqual(['name', 'privateFieldsChanged']);
    expect(latest.changes.find((c: any) => c.field === 'privateFieldsChanged').after).toBe('["email"]');
    // The append-only log names the private fields that changed, never their values.
    expect(JSON.stringify(history)).not.toMatch(/old@example\.org|new@example\.org/);
  });

  it('records nothing when nothing changes', async () => {
    const created = await api.execute(CREATE, { input: { name: 'Same Name', privateDetails: { email: 'same@example.org' } } }, { viewer: api.staff() });
    const personId = created.data!.personCreate.person.id;
    const before = await counts();
    const { data } = await api.execute(UPDATE, { input: { personId, privateDetails: { email: 'same@example.org' } } }, { viewer: api.staff() });
    expect(data!.personUpdate.userErrors).toEqual([]);
    expect(await counts()).toEqual(before);
  });

  it.each([
    [{ personId: 'garbage' }, 'INVALID_ID'],
    [{ personId: Buffer.from('v1:Organization:1').toString('base64url') }, 'INVALID_ID'],
    [{ personId: Buffer.from('v1:Person:999999').toString('base64url') }, 'NOT_FOUND'],
  ])('refuses %j with %s', async (input, code) => {
    const before = await counts();
    const { data } = await api.execute(UPDATE, { input: { ...input, name: 'X' } }, { viewer: api.staff() });
    expect(data!.personUpdate.userErrors[0].code).toBe(code);
    expect(await counts()).toEqual(before);
  });
});

describe('changeHistory', () => {
  it('treats a person of another jurisdiction as absent, so staff elsewhere cannot probe ids', async () => {
    const created = await api.execute(CREATE, { input: { name: 'Probe Target' } }, { viewer: api.staff() });
    const personId = created.data!.personCreate.person.id;
    const missing = Buffer.from('v1:Person:999999').toString('base64url');
    const other = api.staff({ jurisdictionId: 999 });
    const update = async (id: string) => (await api.execute(UPDATE, { input: { personId: id, name: 'X' } }, { viewer: other })).data!.personUpdate.userErrors[0];
    expect(await update(personId)).toEqual(await update(missing));
    const history = async (id: string) => (await api.execute(`query($id: ID!) { changeHistory(id: $id) { totalCount } }`, { id }, { viewer: other })).errors?.[0]?.message;
    expect(await history(personId)).toBe(await history(missing));
  });

  it('is for staff of the object\'s jurisdiction only', async () => {
    const created = await api.execute(CREATE, { input: { name: 'History Person' } }, { viewer: api.staff() });
    const query = `query($id: ID!) { changeHistory(id: $id) { totalCount } }`;
    const id = created.data!.personCreate.person.id;
    expect((await api.execute(query, { id })).errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    expect((await api.execute(query, { id }, { viewer: { ...api.staff(), role: 'PARTNER' } })).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect((await api.execute(query, { id }, { viewer: api.staff({ jurisdictionId: 999 }) })).errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    const council = (await api.execute(`{ organization(slug: "city-council") { id } }`)).data!.organization.id;
    expect((await api.execute(query, { id: council }, { viewer: api.staff({ jurisdictionId: 999 }) })).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });
});

describe('the audit log', () => {
  it('refuses updates and deletes, even from the application', async () => {
    await api.execute(CREATE, { input: { name: 'Append Only' } }, { viewer: api.staff() });
    await expect(api.db.update(auditEvents).set({ action: 'tampered' })).rejects.toThrow();
    await expect(api.db.delete(auditEvents)).rejects.toThrow();
  });
});
