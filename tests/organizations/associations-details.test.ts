import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApi, type TestApi } from '../helpers/test-api.ts';
import { changed, changeHistory, expectNothingChanged, idOfSlug, missingId, USER_ERRORS, viewers } from './associations-support.ts';

let api: TestApi;
beforeAll(async () => {
  api = await createTestApi();
});
afterAll(() => api.dispose());

const ORGANIZATION_FIELDS = 'id slug kind name shortName description website status foundedOn overseenBy minMembers maxMembers sourceUrl';

const CREATE = /* GraphQL */ `
  mutation Create($input: OrganizationCreateInput!) {
    organizationCreate(input: $input) { organization { ${ORGANIZATION_FIELDS} } ${USER_ERRORS} }
  }
`;

const UPDATE = /* GraphQL */ `
  mutation Update($input: OrganizationUpdateInput!) {
    organizationUpdate(input: $input) { organization { ${ORGANIZATION_FIELDS} } ${USER_ERRORS} }
  }
`;

async function create(input: Record<string, unknown>, viewer = api.staff()) {
  return api.execute(CREATE, { input }, { viewer });
}

async function update(input: Record<string, unknown>, viewer = api.staff()) {
  return api.execute(UPDATE, { input }, { viewer });
}

describe('organizationCreate', () => {
  it('creates a neighborhood association, derives its slug, and records who did it', async () => {
    const { data, errors } = await create({ kind: 'NEIGHBORHOOD_ASSOCIATION', name: 'Sullivan’s Gulch East', website: 'https://sge.example.org', foundedOn: '2024-05-01' });
    expect(errors).toBeUndefined();
    const created = data!.organizationCreate;
    expect(created.userErrors).toEqual([]);
    expect(created.organization).toMatchObject({
      slug: 'sullivans-gulch-east',
      kind: 'NEIGHBORHOOD_ASSOCIATION',
      name: 'Sullivan’s Gulch East',
      status: 'ACTIVE',
      website: 'https://sge.example.org',
      foundedOn: '2024-05-01',
    });

    const read = await api.execute(`{ organization(slug: "sullivans-gulch-east") { id name recognition { status } recognitionHistory { status } division { id } } }`);
    expect(read.data!.organization).toEqual({ id: created.organization.id, name: 'Sullivan’s Gulch East', recognition: null, recognitionHistory: [], division: null });

    const [event] = await changeHistory(api, created.organization.id);
    expect(event).toMatchObject({ action: 'organizationCreate', subjectType: 'Organization', subjectId: created.organization.id, actor: 'staff@example.gov', actorRole: 'STAFF' });
    expect(changed(event!, 'name')).toEqual({ before: null, after: 'Sullivan’s Gulch East' });
    expect(changed(event!, 'slug')).toEqual({ before: null, after: 'sullivans-gulch-east' });
  });

  it('strips accents from a derived slug and keeps a given one', async () => {
    const derived = await create({ kind: 'NETWORK', name: '  Réseau des Quartiers Éclairés  ' });
    expect(derived.data!.organizationCreate.organization).toMatchObject({ slug: 'reseau-des-quartiers-eclaires', name: 'Réseau des Quartiers Éclairés' });
    const given = await create({ kind: 'DISTRICT_COALITION', name: 'District 5 Coalition', slug: 'd5' });
    expect(given.data!.organizationCreate.organization).toMatchObject({ slug: 'd5', kind: 'DISTRICT_COALITION' });
  });

  it('creates an advisory body with its membership rules', async () => {
    const { data } = await create({
      kind: 'ADVISORY_BODY',
      name: 'Sound Variance Hearing Panel', // Portland has a real Noise Review Board
      overseenBy: 'Portland Permitting & Development',
      minMembers: 5,
      maxMembers: 9,
      description: 'Hears noise variance appeals.\nMeets monthly.',
      sourceUrl: 'http://example.gov/noise',
    });
    expect(data!.organizationCreate).toMatchObject({
      userErrors: [],
      organization: { kind: 'ADVISORY_BODY', overseenBy: 'Portland Permitting & Development', minMembers: 5, maxMembers: 9, description: 'Hears noise variance appeals.\nMeets monthly.' },
    });
    const listed = await api.execute(`{ advisoryBodies(filter: { nameContains: "sound variance" }) { nodes { slug } } }`);
    expect(listed.data!.advisoryBodies.nodes).toEqual([{ slug: 'sound-variance-hearing-panel' }]);
  });

  it('cuts a slug derived from a long name at a word boundary', async () => {
    const name = `${'Neighbors '.repeat(19)}United`; // 196 characters
    const { data } = await create({ kind: 'NETWORK', name });
    const { slug } = data!.organizationCreate.organization;
    expect(slug.length).toBeLessThanOrEqual(100);
    expect(slug).toMatch(/^neighbors(-neighbors)*$/);
  });

  it.each([
    ['a slug in use, given', { slug: 'buckman', name: 'Another Buckman' }, 'SLUG_TAKEN', ['input', 'slug'], /"buckman"/],
    ['a slug in use, derived from the name', { name: 'Buckman' }, 'SLUG_TAKEN', ['input', 'slug'], /already uses the slug "buckman"/],
    ['the council kind', { kind: 'COUNCIL', name: 'Second Council' }, 'WRONG_ORGANIZATION_KIND', ['input', 'kind'], /council/],
    ['a 10,000-character name', { name: 'x'.repeat(10_000) }, 'INVALID_INPUT', ['input', 'name'], /name: must be at most 200 characters/],
    ['a blank name', { name: '   ' }, 'INVALID_INPUT', ['input', 'name'], /must not be empty/],
    ['a name with a NUL character', { name: 'Bad\u0000Name' }, 'INVALID_INPUT', ['input', 'name'], /control characters/],
    ['a name with no letters to make a slug from', { name: '!!!' }, 'INVALID_INPUT', ['input', 'slug'], /cannot be derived/],
    ['a malformed slug', { name: 'Fine Name', slug: 'Not A Slug' }, 'INVALID_INPUT', ['input', 'slug'], /lower-case/],
    ['a slug with a double hyphen', { name: 'Fine Name', slug: 'a--b' }, 'INVALID_INPUT', ['input', 'slug'], /hyphens/],
    ['a javascript: website', { name: 'Fine Name', website: 'javascript:alert(1)' }, 'INVALID_INPUT', ['input', 'website'], /http/],
    ['an ftp source URL', { name: 'Fine Name', sourceUrl: 'ftp://example.org/x' }, 'INVALID_INPUT', ['input', 'sourceUrl'], /http/],
    ['a 600-character website', { name: 'Fine Name', website: `https://example.org/${'a'.repeat(600)}` }, 'INVALID_INPUT', ['input', 'website'], /500/],
    ['a 5,001-character description', { name: 'Fine Name', description: 'd'.repeat(5001) }, 'INVALID_INPUT', ['input', 'description'], /5000/],
    ['more minimum than maximum members', { name: 'Fine Name', minMembers: 9, maxMembers: 5 }, 'INVALID_INPUT', ['input', 'minMembers'], /minMembers \(9\)/],
    ['a negative member count', { name: 'Fine Name', maxMembers: -1 }, 'INVALID_INPUT', ['input', 'maxMembers'], /negative/],
    ['an absurd member count', { name: 'Fine Name', maxMembers: 2_000_000 }, 'INVALID_INPUT', ['input', 'maxMembers'], /10,000/],
    ['a founding date in the future', { name: 'Fine Name', foundedOn: '2999-01-01' }, 'INVALID_INPUT', ['input', 'foundedOn'], /after today/],
    ['a founding date before 1800', { name: 'Fine Name', foundedOn: '1066-10-14' }, 'INVALID_INPUT', ['input', 'foundedOn'], /1800-01-01/],
  ])('refuses %s and stores nothing', async (_title, fields, code, field, message) => {
    await expectNothingChanged(api, async () => {
      const { data, errors } = await create({ kind: 'NEIGHBORHOOD_ASSOCIATION', ...fields });
      expect(errors).toBeUndefined();
      expect(data!.organizationCreate.organization).toBeNull();
      expect(data!.organizationCreate.userErrors).toContainEqual({ code, field, message: expect.stringMatching(message) });
    });
  });

  it('refuses an unknown jurisdiction with BAD_USER_INPUT', async () => {
    await expectNothingChanged(api, async () => {
      const { data, errors } = await create({ jurisdiction: 'atlantis', kind: 'NETWORK', name: 'Lost Network' });
      expect(data).toBeNull();
      expect(errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    });
  });

  it('refuses an impossible founding date at the Date scalar', async () => {
    const { data, errors } = await create({ kind: 'NETWORK', name: 'Leap Network', foundedOn: '2023-02-29' });
    expect(data).toBeUndefined();
    expect(errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });

  it.each([
    ['the public', 'UNAUTHENTICATED', 'public'],
    ['a partner app', 'FORBIDDEN', 'partner'],
    ['staff of another jurisdiction', 'FORBIDDEN', 'otherStaff'],
  ] as const)('refuses %s with %s and stores nothing', async (_title, code, who) => {
    await expectNothingChanged(api, async () => {
      const { data, errors } = await api.execute(CREATE, { input: { kind: 'NETWORK', name: 'Unauthorized Network' } }, { viewer: viewers(api)[who] });
      expect(data).toBeNull();
      expect(errors?.[0]?.extensions?.code).toBe(code);
    });
    const named = await api.execute(CREATE, { input: { jurisdiction: 'portland', kind: 'NETWORK', name: 'Unauthorized Network' } }, { viewer: viewers(api)[who] });
    expect(named.errors?.[0]?.extensions?.code).toBe(code);
  });
});

describe('organizationUpdate', () => {
  it('changes the given fields, clears a null one, leaves the rest, and records the difference', async () => {
    const id = await idOfSlug(api, 'buckman');
    const before = await api.execute(`query($id: ID!) { node(id: $id) { ... on Organization { ${ORGANIZATION_FIELDS} } } }`, { id });
    const { data } = await update({ organizationId: id, description: 'Inner southeast since 1970s.', shortName: 'BCA', website: null });
    expect(data!.organizationUpdate.userErrors).toEqual([]);
    expect(data!.organizationUpdate.organization).toEqual({
      ...before.data!.node,
      description: 'Inner southeast since 1970s.',
      shortName: 'BCA',
      website: null,
    });
    const [event] = await changeHistory(api, id);
    expect(event!.action).toBe('organizationUpdate');
    expect(event!.changes.map((c) => c.field).sort()).toEqual(['description', 'shortName', ...(before.data!.node.website ? ['website'] : [])].sort());
    expect(changed(event!, 'shortName')).toEqual({ before: before.data!.node.shortName, after: 'BCA' });
  });

  it('changes the slug only when asked, and then finds the organization by it', async () => {
    const { data: created } = await create({ kind: 'NETWORK', name: 'Bridge Builders' });
    const id = created!.organizationCreate.organization.id;
    const renamed = await update({ organizationId: id, name: 'Bridge Builders Network' });
    expect(renamed.data!.organizationUpdate.organization).toMatchObject({ name: 'Bridge Builders Network', slug: 'bridge-builders' });
    const reslugged = await update({ organizationId: id, slug: 'bridge-builders-network' });
    expect(reslugged.data!.organizationUpdate.organization.slug).toBe('bridge-builders-network');
    const read = await api.execute(`{ organization(slug: "bridge-builders-network") { id } }`);
    expect(read.data!.organization.id).toBe(id);
  });

  it('stores nothing and records no event when nothing changes', async () => {
    const id = await idOfSlug(api, 'brooklyn');
    const { data: current } = await api.execute(`query($id: ID!) { node(id: $id) { ... on Organization { name } } }`, { id });
    await expectNothingChanged(api, async () => {
      const { data } = await update({ organizationId: id, name: current!.node.name });
      expect(data!.organizationUpdate).toMatchObject({ userErrors: [], organization: { name: current!.node.name } });
    });
  });

  it.each([
    ['a slug another organization uses', async () => ({ organizationId: await idOfSlug(api, 'brooklyn'), slug: 'buckman' }), 'SLUG_TAKEN', ['input', 'slug']],
    ['a null name', async () => ({ organizationId: await idOfSlug(api, 'brooklyn'), name: null }), 'INVALID_INPUT', ['input', 'name']],
    ['a null slug', async () => ({ organizationId: await idOfSlug(api, 'brooklyn'), slug: null }), 'INVALID_INPUT', ['input', 'slug']],
    ['a 10,000-character name', async () => ({ organizationId: await idOfSlug(api, 'brooklyn'), name: 'y'.repeat(10_000) }), 'INVALID_INPUT', ['input', 'name']],
    ['the council', async () => ({ organizationId: await idOfSlug(api, 'city-council'), name: 'Council' }), 'WRONG_ORGANIZATION_KIND', ['input', 'organizationId']],
    ['a founding date after the dissolution date', async () => ({ organizationId: await idOfSlug(api, 'seul'), foundedOn: '2024-08-01' }), 'INVALID_DATE_RANGE', ['input', 'foundedOn']],
    ['a minimum above the stored maximum', async () => {
      const { data } = await create({ kind: 'ADVISORY_BODY', name: 'Tiny Board', maxMembers: 3 });
      return { organizationId: data!.organizationCreate.organization.id, minMembers: 4 };
    }, 'INVALID_INPUT', ['input', 'minMembers']],
    ['an id that is not an id', async () => ({ organizationId: 'not-an-id', name: 'X' }), 'INVALID_ID', ['input', 'organizationId']],
    ['the id of a division', async () => {
      const { data } = await api.execute(`{ councilDistricts { id } }`);
      return { organizationId: data!.councilDistricts[0].id, name: 'X' };
    }, 'INVALID_ID', ['input', 'organizationId']],
    ['the id of no organization', async () => ({ organizationId: missingId('Organization'), name: 'X' }), 'NOT_FOUND', ['input', 'organizationId']],
  ])('refuses %s and stores nothing', async (_title, makeInput, code, field) => {
    const input = await makeInput();
    await expectNothingChanged(api, async () => {
      const { data, errors } = await update(input);
      expect(errors).toBeUndefined();
      expect(data!.organizationUpdate.organization).toBeNull();
      expect(data!.organizationUpdate.userErrors).toEqual([expect.objectContaining({ code, field })]);
    });
  });

  it.each([
    ['the public', 'UNAUTHENTICATED', 'public'],
    ['a partner app', 'FORBIDDEN', 'partner'],
    ['staff of another jurisdiction', 'FORBIDDEN', 'otherStaff'],
  ] as const)('refuses %s with %s and stores nothing', async (_title, code, who) => {
    const organizationId = await idOfSlug(api, 'buckman');
    await expectNothingChanged(api, async () => {
      const { data, errors } = await api.execute(UPDATE, { input: { organizationId, name: 'Hijacked' } }, { viewer: viewers(api)[who] });
      expect(data).toBeNull();
      expect(errors?.[0]?.extensions?.code).toBe(code);
      expect(JSON.stringify(errors)).not.toMatch(/select|insert|stack/i);
    });
  });
});
