import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { divisions, memberships, posts } from '../../src/db/schema/index.ts';
import { councilPost, createMembership, createOrganization, createPerson, divisionByOcdId, fillPost, createJurisdiction } from '../helpers/factories.ts';
import { createTestApi, type TestApi } from '../helpers/test-api.ts';
import {
  advisorySeat,
  CHANGE_HISTORY,
  expectError,
  expectRefusal,
  gid,
  POST_ABOLISH,
  POST_CREATE,
  POST_UPDATE,
  SEAT_APPOINT,
} from './appointments-support.ts';

let api: TestApi;
beforeAll(async () => {
  api = await createTestApi();
});
afterAll(() => api.dispose());

const staff = () => api.staff();
const partner = () => ({ ...api.staff(), role: 'PARTNER' as const });
const otherStaff = () => api.staff({ jurisdictionId: 999 });
const DISTRICT_2 = 'ocd-division/country:us/state:or/place:portland/council_district:2';

async function newBody() {
  return createOrganization(api.db, { jurisdictionId: api.jurisdictionId, name: 'Test Budget Advisory Committee' });
}

describe('postCreate', () => {
  it('creates a seat with its rules, readable on the organization and in the change history', async () => {
    const body = await newBody();
    const district = await divisionByOcdId(api.db, DISTRICT_2);
    const input = {
      organizationId: gid('Organization', body.id),
      label: '  District 2 seat  ',
      role: 'member',
      maxHolders: 2,
      termLengthMonths: 36,
      termLimit: 2,
      divisionId: gid('Division', district.id),
      appointingAuthority: 'Mayor, confirmed by Council',
      selectionMethod: 'APPOINTED',
      takesApplications: true,
      eligibility: 'Lives in District 2',
      createdOn: '2025-01-01',
    };
    const result = await api.execute(POST_CREATE, { input }, { viewer: staff() });
    expect(result.errors).toBeUndefined();
    const { post, userErrors } = result.data!.postCreate;
    expect(userErrors).toEqual([]);
    expect(post).toEqual({
      id: expect.any(String),
      label: 'District 2 seat',
      role: 'member',
      maxHolders: 2,
      termLengthMonths: 36,
      termLimit: 2,
      appointingAuthority: 'Mayor, confirmed by Council',
      selectionMethod: 'APPOINTED',
      takesApplications: true,
      eligibility: 'Lives in District 2',
      createdOn: '2025-01-01',
      abolishedOn: null,
      organization: { id: gid('Organization', body.id), slug: body.slug },
      division: { id: gid('Division', district.id), name: district.name },
    });

    const read = await api.execute(
      `query($slug: String!) { organization(slug: $slug) { posts { totalCount nodes { id label vacancies(at: "2025-06-01") } } } }`,
      { slug: body.slug },
    );
    expect(read.data!.organization.posts).toEqual({ totalCount: 1, nodes: [{ id: post.id, label: 'District 2 seat', vacancies: 2 }] });

    const history = await api.execute(CHANGE_HISTORY, { id: post.id }, { viewer: staff() });
    expect(history.data!.changeHistory.nodes).toMatchObject([{ action: 'postCreate', subjectType: 'Post', subjectId: post.id, actorRole: 'STAFF' }]);
    expect(history.data!.changeHistory.nodes[0].changes).toEqual(expect.arrayContaining([{ field: 'maxHolders', before: null, after: '2' }]));
  });

  it('applies defaults: one holder, appointed, no applications', async () => {
    const body = await newBody();
    const result = await api.execute(POST_CREATE, { input: { organizationId: gid('Organization', body.id), label: 'Chair' } }, { viewer: staff() });
    expect(result.data!.postCreate.post).toMatchObject({ role: 'member', maxHolders: 1, selectionMethod: 'APPOINTED', takesApplications: false, division: null, termLimit: null });
  });

  it('refuses out-of-range numbers, absurd strings and absurd years (INVALID_INPUT), naming each field', async () => {
    const body = await newBody();
    const base = { organizationId: gid('Organization', body.id), label: 'Seat' };
    const cases: [Record<string, unknown>, string][] = [
      [{ maxHolders: 0 }, 'maxHolders'],
      [{ maxHolders: -3 }, 'maxHolders'],
      [{ maxHolders: 1001 }, 'maxHolders'],
      [{ termLengthMonths: 0 }, 'termLengthMonths'],
      [{ termLengthMonths: 121 }, 'termLengthMonths'],
      [{ termLimit: 0 }, 'termLimit'],
      [{ termLimit: 21 }, 'termLimit'],
      [{ label: '' }, 'label'],
      [{ label: ' \n\t ' }, 'label'],
      [{ label: 'x'.repeat(201) }, 'label'],
      [{ role: 'r'.repeat(101) }, 'role'],
      [{ appointingAuthority: 'a'.repeat(201) }, 'appointingAuthority'],
      [{ eligibility: 'e'.repeat(2001) }, 'eligibility'],
      [{ createdOn: '2500-01-01' }, 'createdOn'],
    ];
    for (const [override, field] of cases) {
      const errors = await expectRefusal(api, POST_CREATE, { ...base, ...override }, 'postCreate', 'INVALID_INPUT');
      expect(errors[0]!.field).toEqual(['input', field]);
    }
    // Several problems at once are all reported.
    const many = await expectRefusal(api, POST_CREATE, { ...base, label: '', maxHolders: 0 }, 'postCreate', ['INVALID_INPUT', 'INVALID_INPUT']);
    expect(many.map((e) => e.field)).toEqual([['input', 'label'], ['input', 'maxHolders']]);
  });

  it('refuses wrong ids, ids of the wrong type, and a division of another jurisdiction', async () => {
    const body = await newBody();
    const elsewhere = await createJurisdiction(api.db, { slug: 'elsewhere', name: 'Elsewhere', ocdId: 'ocd-division/country:us/state:wa/place:elsewhere', timezone: 'America/Los_Angeles' });
    const [foreignDivision] = await api.db
      .insert(divisions)
      .values({ jurisdictionId: elsewhere!.id, sourceKey: 'city', ocdId: 'ocd-division/country:us/state:wa/place:elsewhere', kind: 'CITY', name: 'Elsewhere' })
      .returning();
    const base = { organizationId: gid('Organization', body.id), label: 'Seat' };
    await expectRefusal(api, POST_CREATE, { ...base, organizationId: 'garbage' }, 'postCreate', 'INVALID_ID');
    await expectRefusal(api, POST_CREATE, { ...base, organizationId: gid('Division', 1) }, 'postCreate', 'INVALID_ID');
    await expectRefusal(api, POST_CREATE, { ...base, divisionId: gid('Organization', body.id) }, 'postCreate', 'INVALID_ID');
    await expectRefusal(api, POST_CREATE, { ...base, organizationId: gid('Organization', 2_000_000_000) }, 'postCreate', 'NOT_FOUND');
    await expectRefusal(api, POST_CREATE, { ...base, divisionId: gid('Division', 2_000_000_000) }, 'postCreate', 'NOT_FOUND');
    const [error] = await expectRefusal(api, POST_CREATE, { ...base, divisionId: gid('Division', foreignDivision!.id) }, 'postCreate', 'NOT_FOUND');
    expect(error!.field).toEqual(['input', 'divisionId']);
  });

  it('refuses a mistyped enum or a missing field before running anything', async () => {
    const body = await newBody();
    await expectError(api, POST_CREATE, { input: { organizationId: gid('Organization', body.id), label: 'Seat', selectionMethod: 'LOTTERY' } }, 'BAD_USER_INPUT', staff());
    await expectError(api, POST_CREATE, { input: { organizationId: gid('Organization', body.id) } }, 'BAD_USER_INPUT', staff());
    await expectError(api, POST_CREATE, { input: { organizationId: gid('Organization', body.id), label: 'Seat', maxHolders: 1.5 } }, 'BAD_USER_INPUT', staff());
  });

  it('asks the public to sign in, and forbids partners and staff of another jurisdiction', async () => {
    const body = await newBody();
    const variables = { input: { organizationId: gid('Organization', body.id), label: 'Seat' } };
    await expectError(api, POST_CREATE, variables, 'UNAUTHENTICATED');
    await expectError(api, POST_CREATE, variables, 'FORBIDDEN', partner());
    await expectError(api, POST_CREATE, variables, 'FORBIDDEN', otherStaff());
  });
});

describe('postUpdate', () => {
  it('changes the given fields only, clears with null, and audits the difference', async () => {
    const post = await advisorySeat(api, { label: 'Old label', termLimit: 2, eligibility: 'Anyone', maxHolders: 2 });
    const result = await api.execute(
      POST_UPDATE,
      { input: { postId: gid('Post', post.id), label: 'New label', maxHolders: 5, termLimit: null, takesApplications: true } },
      { viewer: staff() },
    );
    expect(result.data!.postUpdate).toMatchObject({
      userErrors: [],
      post: { label: 'New label', maxHolders: 5, termLimit: null, takesApplications: true, eligibility: 'Anyone', role: 'member' },
    });
    const history = await api.execute(CHANGE_HISTORY, { id: gid('Post', post.id) }, { viewer: staff() });
    const [event] = history.data!.changeHistory.nodes;
    expect(event.action).toBe('postUpdate');
    expect(event.changes.map((c: { field: string }) => c.field).sort()).toEqual(['label', 'maxHolders', 'takesApplications', 'termLimit']);
    expect(event.changes).toContainEqual({ field: 'label', before: '"Old label"', after: '"New label"' });
  });

  it('records nothing when nothing changes', async () => {
    const post = await advisorySeat(api, { label: 'Same' });
    const result = await api.execute(POST_UPDATE, { input: { postId: gid('Post', post.id), label: 'Same' } }, { viewer: staff() });
    expect(result.data!.postUpdate).toMatchObject({ userErrors: [], post: { label: 'Same' } });
    const history = await api.execute(CHANGE_HISTORY, { id: gid('Post', post.id) }, { viewer: staff() });
    expect(history.data!.changeHistory.totalCount).toBe(0);
  });

  it('refuses to lower maxHolders below the holders the seat has had at once (SEAT_FULL)', async () => {
    const post = await advisorySeat(api, { maxHolders: 3 });
    await fillPost(api.db, post, 2, '2024-01-01');
    const [error] = await expectRefusal(api, POST_UPDATE, { postId: gid('Post', post.id), maxHolders: 1 }, 'postUpdate', 'SEAT_FULL');
    expect(error).toMatchObject({ field: ['input', 'maxHolders'], message: expect.stringMatching(/2 holders at once/) });
    const result = await api.execute(POST_UPDATE, { input: { postId: gid('Post', post.id), maxHolders: 2 } }, { viewer: staff() });
    expect(result.data!.postUpdate).toMatchObject({ userErrors: [], post: { maxHolders: 2 } });
  });

  it('refuses a council district seat below its three councilors', async () => {
    const post = await councilPost(api.db, 1);
    await fillPost(api.db, post, 3, '2025-01-01');
    await expectRefusal(api, POST_UPDATE, { postId: gid('Post', post.id), maxHolders: 2 }, 'postUpdate', 'SEAT_FULL');
  });

  it('refuses a createdOn after a term starts or after the abolition (INVALID_DATE_RANGE)', async () => {
    const post = await advisorySeat(api, { createdOn: '2020-01-01', abolishedOn: '2030-01-01' });
    await fillPost(api.db, post, 1, '2022-01-01');
    const [late] = await expectRefusal(api, POST_UPDATE, { postId: gid('Post', post.id), createdOn: '2023-01-01' }, 'postUpdate', 'INVALID_DATE_RANGE');
    expect(late!.message).toMatch(/starts on 2022-01-01/);
    await expectRefusal(api, POST_UPDATE, { postId: gid('Post', post.id), createdOn: '2031-01-01' }, 'postUpdate', 'INVALID_DATE_RANGE');
  });

  it('refuses null for a required field, bad values, wrong ids and foreign divisions', async () => {
    const post = await advisorySeat(api);
    const id = gid('Post', post.id);
    await expectRefusal(api, POST_UPDATE, { postId: id, label: null }, 'postUpdate', 'INVALID_INPUT');
    await expectRefusal(api, POST_UPDATE, { postId: id, maxHolders: 0 }, 'postUpdate', 'INVALID_INPUT');
    await expectRefusal(api, POST_UPDATE, { postId: id, label: 'x'.repeat(5000) }, 'postUpdate', 'INVALID_INPUT');
    await expectRefusal(api, POST_UPDATE, { postId: gid('Membership', 1) }, 'postUpdate', 'INVALID_ID');
    await expectRefusal(api, POST_UPDATE, { postId: gid('Post', 2_000_000_000), label: 'x' }, 'postUpdate', 'NOT_FOUND');
    await expectRefusal(api, POST_UPDATE, { postId: id, divisionId: gid('Division', 2_000_000_000) }, 'postUpdate', 'NOT_FOUND');
  });

  it('asks the public to sign in, and forbids partners and staff of another jurisdiction', async () => {
    const post = await advisorySeat(api);
    const variables = { input: { postId: gid('Post', post.id), label: 'Hijacked' } };
    await expectError(api, POST_UPDATE, variables, 'UNAUTHENTICATED');
    await expectError(api, POST_UPDATE, variables, 'FORBIDDEN', partner());
    await expectError(api, POST_UPDATE, variables, 'FORBIDDEN', otherStaff());
  });
});

describe('postAbolish', () => {
  it('abolishes the seat and ends the terms in effect on that date with POST_ABOLISHED', async () => {
    const post = await advisorySeat(api, { maxHolders: 3, createdOn: '2020-01-01' });
    const [a, b] = await fillPost(api.db, post, 2, '2023-01-01');
    const person = await createPerson(api.db, api.jurisdictionId);
    const past = await createMembership(api.db, { jurisdictionId: api.jurisdictionId, personId: person.id, organizationId: post.organizationId, postId: post.id, startDate: '2020-01-01', endDate: '2022-01-01', endReason: 'TERM_COMPLETED' });
    const result = await api.execute(POST_ABOLISH, { input: { postId: gid('Post', post.id), effectiveOn: '2025-07-01' } }, { viewer: staff() });
    expect(result.errors).toBeUndefined();
    const payload = result.data!.postAbolish;
    expect(payload.userErrors).toEqual([]);
    expect(payload.post.abolishedOn).toBe('2025-07-01');
    expect(payload.endedMemberships.map((m: { id: string }) => m.id)).toEqual([gid('Membership', a!.id), gid('Membership', b!.id)]);
    for (const m of payload.endedMemberships) expect(m).toMatchObject({ endDate: '2025-07-01', endReason: 'POST_ABOLISHED' });

    const read = await api.execute(
      `query($id: ID!) { node(id: $id) { ... on Post {
        dayBefore: holders(at: "2025-06-30") { id } on: holders(at: "2025-07-01") { id }
        vacanciesBefore: vacancies(at: "2025-06-30") vacanciesOn: vacancies(at: "2025-07-01")
      } } }`,
      { id: gid('Post', post.id) },
    );
    expect(read.data!.node).toMatchObject({ dayBefore: [{}, {}], on: [], vacanciesBefore: 1, vacanciesOn: 0 });
    const [pastRow] = await api.db.select().from(memberships).where(eq(memberships.id, past.id));
    expect(pastRow).toMatchObject({ endDate: '2022-01-01', endReason: 'TERM_COMPLETED' });

    const postHistory = await api.execute(CHANGE_HISTORY, { id: gid('Post', post.id) }, { viewer: staff() });
    expect(postHistory.data!.changeHistory.nodes[0]).toMatchObject({ action: 'postAbolish', changes: [{ field: 'abolishedOn', before: null, after: '"2025-07-01"' }] });
    const termHistory = await api.execute(CHANGE_HISTORY, { id: gid('Membership', a!.id) }, { viewer: staff() });
    expect(termHistory.data!.changeHistory.nodes[0]).toMatchObject({ action: 'postAbolish', subjectType: 'Membership' });

    // No one can be appointed from the abolition on.
    const newcomer = await createPerson(api.db, api.jurisdictionId);
    await expectRefusal(api, SEAT_APPOINT, { postId: gid('Post', post.id), personId: gid('Person', newcomer.id), startDate: '2025-08-01' }, 'seatAppoint', 'POST_NOT_ACTIVE');
  });

  it('refuses a seat already abolished (POST_NOT_ACTIVE) and a date not after its creation (INVALID_DATE_RANGE)', async () => {
    const abolished = await advisorySeat(api, { createdOn: '2020-01-01', abolishedOn: '2024-01-01' });
    await expectRefusal(api, POST_ABOLISH, { postId: gid('Post', abolished.id), effectiveOn: '2025-01-01' }, 'postAbolish', 'POST_NOT_ACTIVE');
    const post = await advisorySeat(api, { createdOn: '2020-01-01' });
    for (const effectiveOn of ['2020-01-01', '2019-01-01']) {
      const [error] = await expectRefusal(api, POST_ABOLISH, { postId: gid('Post', post.id), effectiveOn }, 'postAbolish', 'INVALID_DATE_RANGE');
      expect(error!.field).toEqual(['input', 'effectiveOn']);
    }
  });

  it('refuses while a term starts on or after the date (OUT_OF_ORDER)', async () => {
    const post = await advisorySeat(api, { createdOn: '2020-01-01' });
    await fillPost(api.db, post, 1, '2026-01-01');
    const [error] = await expectRefusal(api, POST_ABOLISH, { postId: gid('Post', post.id), effectiveOn: '2025-01-01' }, 'postAbolish', 'OUT_OF_ORDER');
    expect(error!.message).toMatch(/1 term on this seat starts on or after 2025-01-01/);
  });

  it('refuses wrong ids and absurd dates', async () => {
    await expectRefusal(api, POST_ABOLISH, { postId: 'Zm9v', effectiveOn: '2025-01-01' }, 'postAbolish', 'INVALID_ID');
    await expectRefusal(api, POST_ABOLISH, { postId: gid('Post', 2_000_000_000), effectiveOn: '2025-01-01' }, 'postAbolish', 'NOT_FOUND');
    const post = await advisorySeat(api);
    await expectRefusal(api, POST_ABOLISH, { postId: gid('Post', post.id), effectiveOn: '9999-12-31' }, 'postAbolish', 'INVALID_INPUT');
    await expectError(api, POST_ABOLISH, { input: { postId: gid('Post', post.id), effectiveOn: 'tomorrow' } }, 'BAD_USER_INPUT', staff());
  });

  it('asks the public to sign in, and forbids partners and staff of another jurisdiction', async () => {
    const post = await advisorySeat(api);
    const variables = { input: { postId: gid('Post', post.id), effectiveOn: '2025-01-01' } };
    await expectError(api, POST_ABOLISH, variables, 'UNAUTHENTICATED');
    await expectError(api, POST_ABOLISH, variables, 'FORBIDDEN', partner());
    await expectError(api, POST_ABOLISH, variables, 'FORBIDDEN', otherStaff());
    const [row] = await api.db.select().from(posts).where(eq(posts.id, post.id));
    expect(row!.abolishedOn).toBeNull();
  });
});
