import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { memberships, personPrivateDetails } from '../../src/db/schema/index.ts';
import { councilPost, createMembership, createPerson, fillPost, createJurisdiction } from '../helpers/factories.ts';
import { createTestApi, type TestApi } from '../helpers/test-api.ts';
import {
  advisorySeat,
  BUCKMAN,
  CHANGE_HISTORY,
  expectError,
  expectRefusal,
  gid,
  MEMBERSHIP_END,
  MEMBERSHIP_REAPPOINT,
  personLivingAt,
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

async function appoint(input: Record<string, unknown>) {
  const result = await api.execute(SEAT_APPOINT, { input }, { viewer: staff() });
  expect(result.errors, JSON.stringify(result.errors)).toBeUndefined();
  expect(result.data!.seatAppoint.userErrors).toEqual([]);
  return result.data!.seatAppoint.membership;
}

async function anotherJurisdictionPerson() {
  const other = await createJurisdiction(api.db, { slug: `elsewhere-${Date.now()}`, name: 'Elsewhere', ocdId: `ocd-division/country:us/state:wa/place:elsewhere_${Date.now()}`, timezone: 'America/Los_Angeles' });
  return createPerson(api.db, other!.id, 'Someone Elsewhere');
}

describe('seatAppoint', () => {
  it('appoints for a term computed from the seat, visible in holders, vacancies, the person and the change history', async () => {
    const post = await advisorySeat(api, { maxHolders: 2, termLengthMonths: 24, role: 'commissioner' });
    const person = await createPerson(api.db, api.jurisdictionId, 'Avery Appointee');
    const membership = await appoint({ postId: gid('Post', post.id), personId: gid('Person', person.id), startDate: '2025-03-31' });
    expect(membership).toMatchObject({
      startDate: '2025-03-31',
      scheduledEndDate: '2027-03-31',
      endDate: null,
      endReason: null,
      role: 'commissioner',
      residencyOverrideReason: null,
      person: { name: 'Avery Appointee' },
      post: { id: gid('Post', post.id) },
    });

    const read = await api.execute(
      `query($post: ID!, $person: ID!) {
        post: node(id: $post) { ... on Post { holders(at: "2025-06-01") { id person { name } } vacancies(at: "2025-06-01") before: vacancies(at: "2025-03-30") } }
        person: node(id: $person) { ... on Person { memberships { nodes { id post { label } startDate } } } }
      }`,
      { post: gid('Post', post.id), person: gid('Person', person.id) },
    );
    expect(read.data!.post).toEqual({ holders: [{ id: membership.id, person: { name: 'Avery Appointee' } }], vacancies: 1, before: 2 });
    expect(read.data!.person.memberships.nodes).toEqual([{ id: membership.id, post: { label: post.label }, startDate: '2025-03-31' }]);

    const history = await api.execute(CHANGE_HISTORY, { id: membership.id }, { viewer: staff() });
    expect(history.data!.changeHistory.totalCount).toBe(1);
    const [event] = history.data!.changeHistory.nodes;
    expect(event).toMatchObject({ action: 'seatAppoint', subjectType: 'Membership', subjectId: membership.id, actor: 'staff@example.gov', actorRole: 'STAFF' });
    expect(event.changes).toEqual(
      expect.arrayContaining([
        { field: 'startDate', before: null, after: '"2025-03-31"' },
        { field: 'scheduledEndDate', before: null, after: '"2027-03-31"' },
        { field: 'personId', before: null, after: String(person.id) },
      ]),
    );
  });

  it('takes an explicit scheduled end and role, and leaves the term open-ended when the seat has no fixed term', async () => {
    const fixed = await advisorySeat(api, { termLengthMonths: 36 });
    const a = await createPerson(api.db, api.jurisdictionId);
    expect(await appoint({ postId: gid('Post', fixed.id), personId: gid('Person', a.id), startDate: '2025-07-01', scheduledEndDate: '2026-07-01', role: 'chair' })).toMatchObject({
      scheduledEndDate: '2026-07-01',
      role: 'chair',
    });
    const open = await advisorySeat(api, { termLengthMonths: null });
    const b = await createPerson(api.db, api.jurisdictionId);
    expect(await appoint({ postId: gid('Post', open.id), personId: gid('Person', b.id), startDate: '2025-07-01' })).toMatchObject({ scheduledEndDate: null, role: 'member' });
  });

  it('refuses a seat that does not exist yet on the start date (POST_NOT_ACTIVE)', async () => {
    const post = await advisorySeat(api, { createdOn: '2025-01-01' });
    const person = await createPerson(api.db, api.jurisdictionId);
    const [error] = await expectRefusal(api, SEAT_APPOINT, { postId: gid('Post', post.id), personId: gid('Person', person.id), startDate: '2024-12-31' }, 'seatAppoint', 'POST_NOT_ACTIVE');
    expect(error!.field).toEqual(['input', 'startDate']);
    expect(error!.message).toMatch(/exists from 2025-01-01/);
  });

  it('refuses an abolished seat from its abolition on (POST_NOT_ACTIVE)', async () => {
    const post = await advisorySeat(api, { createdOn: '2020-01-01', abolishedOn: '2025-01-01' });
    const person = await createPerson(api.db, api.jurisdictionId);
    const input = { postId: gid('Post', post.id), personId: gid('Person', person.id) };
    const [error] = await expectRefusal(api, SEAT_APPOINT, { ...input, startDate: '2025-01-01' }, 'seatAppoint', 'POST_NOT_ACTIVE');
    expect(error!.message).toMatch(/abolished on 2025-01-01/);
    expect(await appoint({ ...input, startDate: '2024-12-31' })).toMatchObject({ startDate: '2024-12-31' });
  });

  it('refuses a full seat (SEAT_FULL), naming the seat, and changes nothing', async () => {
    const post = await advisorySeat(api, { maxHolders: 2 });
    await fillPost(api.db, post, 2, '2024-01-01');
    const person = await createPerson(api.db, api.jurisdictionId);
    const [error] = await expectRefusal(api, SEAT_APPOINT, { postId: gid('Post', post.id), personId: gid('Person', person.id), startDate: '2025-01-01' }, 'seatAppoint', 'SEAT_FULL');
    expect(error!.field).toEqual(['input', 'postId']);
    expect(error!.message).toMatch(/2 holders/);
  });

  it('counts a term that starts later: a seat full from a future date refuses an open-ended appointment now', async () => {
    const post = await advisorySeat(api, { maxHolders: 1 });
    const later = await createPerson(api.db, api.jurisdictionId);
    await createMembership(api.db, { jurisdictionId: api.jurisdictionId, personId: later.id, organizationId: post.organizationId, postId: post.id, startDate: '2030-01-01' });
    const person = await createPerson(api.db, api.jurisdictionId);
    await expectRefusal(api, SEAT_APPOINT, { postId: gid('Post', post.id), personId: gid('Person', person.id), startDate: '2025-01-01' }, 'seatAppoint', 'SEAT_FULL');
  });

  it('allows the next holder from the day a term ends', async () => {
    const post = await advisorySeat(api, { maxHolders: 1 });
    const [first] = await fillPost(api.db, post, 1, '2022-01-01');
    await api.db.update(memberships).set({ endDate: '2025-01-01', endReason: 'RESIGNED' }).where(eq(memberships.id, first!.id));
    const person = await createPerson(api.db, api.jurisdictionId);
    expect(await appoint({ postId: gid('Post', post.id), personId: gid('Person', person.id), startDate: '2025-01-01' })).toMatchObject({ startDate: '2025-01-01' });
  });

  it('refuses a person who already holds the seat (ALREADY_HOLDS_SEAT)', async () => {
    const post = await advisorySeat(api, { maxHolders: 5 });
    const person = await createPerson(api.db, api.jurisdictionId);
    const input = { postId: gid('Post', post.id), personId: gid('Person', person.id) };
    await appoint({ ...input, startDate: '2025-01-01' });
    const [error] = await expectRefusal(api, SEAT_APPOINT, { ...input, startDate: '2026-01-01' }, 'seatAppoint', 'ALREADY_HOLDS_SEAT');
    expect(error!.field).toEqual(['input', 'personId']);
    expect(error!.message).toMatch(/from 2025-01-01 with no end date/);
  });

  it('refuses a term beyond the limit of consecutive terms (TERM_LIMIT_REACHED), and allows one after a break', async () => {
    const post = await advisorySeat(api, { maxHolders: 3, termLengthMonths: 24, termLimit: 2 });
    const person = await createPerson(api.db, api.jurisdictionId);
    const base = { jurisdictionId: api.jurisdictionId, personId: person.id, organizationId: post.organizationId, postId: post.id };
    await createMembership(api.db, { ...base, startDate: '2019-01-01', endDate: '2021-01-01', endReason: 'TERM_COMPLETED' });
    await createMembership(api.db, { ...base, startDate: '2021-01-01', endDate: '2023-01-01', endReason: 'TERM_COMPLETED' });
    const input = { postId: gid('Post', post.id), personId: gid('Person', person.id) };
    const [error] = await expectRefusal(api, SEAT_APPOINT, { ...input, startDate: '2023-01-01' }, 'seatAppoint', 'TERM_LIMIT_REACHED');
    expect(error!.message).toMatch(/2 consecutive terms.*limit is 2 terms/);
    expect(await appoint({ ...input, startDate: '2023-02-01' })).toMatchObject({ startDate: '2023-02-01', scheduledEndDate: '2025-02-01' });
  });

  it('refuses unknown seats and people, and people of another jurisdiction (NOT_FOUND)', async () => {
    const post = await advisorySeat(api);
    const person = await createPerson(api.db, api.jurisdictionId);
    const outsider = await anotherJurisdictionPerson();
    const cases: [Record<string, unknown>, string[]][] = [
      [{ postId: gid('Post', 2_000_000_000), personId: gid('Person', person.id) }, ['input', 'postId']],
      [{ postId: gid('Post', post.id), personId: gid('Person', 2_000_000_000) }, ['input', 'personId']],
      [{ postId: gid('Post', post.id), personId: gid('Person', outsider.id) }, ['input', 'personId']],
    ];
    for (const [ids, field] of cases) {
      const [error] = await expectRefusal(api, SEAT_APPOINT, { ...ids, startDate: '2025-01-01' }, 'seatAppoint', 'NOT_FOUND');
      expect(error!.field).toEqual(field);
    }
  });

  it('refuses malformed ids and ids of the wrong type (INVALID_ID)', async () => {
    const post = await advisorySeat(api);
    const person = await createPerson(api.db, api.jurisdictionId);
    const cases: [Record<string, unknown>, string[], RegExp][] = [
      [{ postId: 'not-an-id', personId: gid('Person', person.id) }, ['input', 'postId'], /not a valid id/],
      [{ postId: gid('Organization', post.organizationId), personId: gid('Person', person.id) }, ['input', 'postId'], /must be the id of a Post, not of a Organization/],
      [{ postId: gid('Post', post.id), personId: gid('Post', post.id) }, ['input', 'personId'], /must be the id of a Person/],
      [{ postId: gid('Post', post.id), personId: 'x'.repeat(10_000) }, ['input', 'personId'], /not a valid id/],
    ];
    for (const [ids, field, message] of cases) {
      const [error] = await expectRefusal(api, SEAT_APPOINT, { ...ids, startDate: '2025-01-01' }, 'seatAppoint', 'INVALID_ID');
      expect(error!.field).toEqual(field);
      expect(error!.message).toMatch(message);
    }
  });

  it('refuses reversed dates, absurd strings and absurd years', async () => {
    const post = await advisorySeat(api, { termLengthMonths: 12 });
    const person = await createPerson(api.db, api.jurisdictionId);
    const input = { postId: gid('Post', post.id), personId: gid('Person', person.id), startDate: '2025-06-01' };
    const reversed = await expectRefusal(api, SEAT_APPOINT, { ...input, scheduledEndDate: '2025-01-01' }, 'seatAppoint', 'INVALID_DATE_RANGE');
    expect(reversed[0]!.field).toEqual(['input', 'scheduledEndDate']);
    await expectRefusal(api, SEAT_APPOINT, { ...input, scheduledEndDate: '2025-06-01' }, 'seatAppoint', 'INVALID_DATE_RANGE');
    const long = await expectRefusal(api, SEAT_APPOINT, { ...input, role: 'r'.repeat(101) }, 'seatAppoint', 'INVALID_INPUT');
    expect(long[0]).toMatchObject({ field: ['input', 'role'], message: 'role: must be at most 100 characters' });
    const blank = await expectRefusal(api, SEAT_APPOINT, { ...input, role: '   ' }, 'seatAppoint', 'INVALID_INPUT');
    expect(blank[0]!.message).toBe('role: must not be empty');
    const year = await expectRefusal(api, SEAT_APPOINT, { ...input, startDate: '1700-01-01' }, 'seatAppoint', 'INVALID_INPUT');
    expect(year[0]!.field).toEqual(['input', 'startDate']);
    await expectRefusal(api, SEAT_APPOINT, { ...input, residencyOverrideReason: 'x'.repeat(1001) }, 'seatAppoint', 'INVALID_INPUT');
  });

  it('refuses a date that is not a calendar date before running anything', async () => {
    const post = await advisorySeat(api);
    const person = await createPerson(api.db, api.jurisdictionId);
    const { errors } = await expectError(
      api,
      SEAT_APPOINT,
      { input: { postId: gid('Post', post.id), personId: gid('Person', person.id), startDate: '2025-02-30' } },
      'BAD_USER_INPUT',
      staff(),
    );
    expect(errors![0]!.message).toMatch(/calendar date/);
  });

  it('asks the public to sign in, and forbids partners and staff of another jurisdiction', async () => {
    const post = await advisorySeat(api);
    const person = await createPerson(api.db, api.jurisdictionId);
    const variables = { input: { postId: gid('Post', post.id), personId: gid('Person', person.id), startDate: '2025-01-01' } };
    await expectError(api, SEAT_APPOINT, variables, 'UNAUTHENTICATED');
    await expectError(api, SEAT_APPOINT, variables, 'FORBIDDEN', partner());
    await expectError(api, SEAT_APPOINT, variables, 'FORBIDDEN', otherStaff());
    // Even with bad input, the caller is checked first.
    await expectError(api, SEAT_APPOINT, { input: { ...variables.input, postId: 'junk' } }, 'UNAUTHENTICATED');
  });
});

describe('seatAppoint to a district seat', () => {
  it('appoints a resident of the district (Buckman is in council district 3)', async () => {
    const district3 = await councilPost(api.db, 3);
    const person = await personLivingAt(api, BUCKMAN, 'Buckman Resident');
    const membership = await appoint({ postId: gid('Post', district3.id), personId: gid('Person', person.id), startDate: '2025-01-01' });
    expect(membership).toMatchObject({ post: { label: 'District 3' }, scheduledEndDate: '2029-01-01', role: 'councilor', residencyOverrideReason: null });
  });

  it('refuses someone whose home is outside the district (NOT_RESIDENT_OF_DISTRICT), without revealing the home', async () => {
    const district4 = await councilPost(api.db, 4);
    const person = await personLivingAt(api, BUCKMAN);
    const [error] = await expectRefusal(
      api,
      SEAT_APPOINT,
      { postId: gid('Post', district4.id), personId: gid('Person', person.id), startDate: '2025-01-01' },
      'seatAppoint',
      'NOT_RESIDENT_OF_DISTRICT',
    );
    expect(error!.field).toEqual(['input', 'personId']);
    expect(error!.message).toMatch(/not in Portland City Council District 4/);
    expect(error!.message).not.toMatch(/45\.5|122\.6/);
  });

  it('refuses when no home location is on record (RESIDENCY_UNKNOWN)', async () => {
    const district3 = await councilPost(api.db, 3);
    const person = await personLivingAt(api, null);
    await expectRefusal(api, SEAT_APPOINT, { postId: gid('Post', district3.id), personId: gid('Person', person.id), startDate: '2025-01-01' }, 'seatAppoint', 'RESIDENCY_UNKNOWN');
  });

  it('accepts an override reason, records it, and shows it only to staff of the jurisdiction', async () => {
    const district4 = await councilPost(api.db, 4);
    const person = await personLivingAt(api, BUCKMAN);
    const reason = 'Moving to 1200 NW Example St in March; lease on file';
    const membership = await appoint({ postId: gid('Post', district4.id), personId: gid('Person', person.id), startDate: '2025-01-01', residencyOverrideReason: reason });
    expect(membership.residencyOverrideReason).toBe(reason);
    const [row] = await api.db.select().from(memberships).where(eq(memberships.personId, person.id));
    expect(row!.residencyOverrideReason).toBe(reason);

    const read = `query($id: ID!) { node(id: $id) { ... on Membership { startDate residencyOverrideReason } } }`;
    for (const viewer of [undefined, partner(), otherStaff()]) {
      const result = await api.execute(read, { id: membership.id }, { viewer });
      expect(result.data!.node).toEqual({ startDate: '2025-01-01', residencyOverrideReason: null });
      expect(JSON.stringify(result)).not.toContain('NW Example');
    }
    expect((await api.execute(read, { id: membership.id }, { viewer: staff() })).data!.node.residencyOverrideReason).toBe(reason);
    const roster = await api.execute(`{ councilDistricts { councilPost { holders { residencyOverrideReason } } } }`);
    expect(JSON.stringify(roster)).not.toContain('NW Example');
  });

  it('refuses an override reason on a seat that is not a district seat', async () => {
    const post = await advisorySeat(api);
    const person = await createPerson(api.db, api.jurisdictionId);
    const [error] = await expectRefusal(
      api,
      SEAT_APPOINT,
      { postId: gid('Post', post.id), personId: gid('Person', person.id), startDate: '2025-01-01', residencyOverrideReason: 'none needed' },
      'seatAppoint',
      'INVALID_INPUT',
    );
    expect(error!.field).toEqual(['input', 'residencyOverrideReason']);
  });
});

describe('membershipEnd', () => {
  it('ends a term: the holder leaves on the end date, the vacancy comes back, and the change is audited', async () => {
    const post = await advisorySeat(api, { maxHolders: 1 });
    const person = await createPerson(api.db, api.jurisdictionId);
    const membership = await appoint({ postId: gid('Post', post.id), personId: gid('Person', person.id), startDate: '2024-01-01' });
    const result = await api.execute(MEMBERSHIP_END, { input: { membershipId: membership.id, endDate: '2025-05-01', reason: 'RESIGNED' } }, { viewer: staff() });
    expect(result.data!.membershipEnd).toMatchObject({ userErrors: [], membership: { id: membership.id, endDate: '2025-05-01', endReason: 'RESIGNED' } });

    const read = await api.execute(
      `query($id: ID!) { node(id: $id) { ... on Post {
        lastDay: holders(at: "2025-04-30") { id } firstDayAfter: holders(at: "2025-05-01") { id } vacancies(at: "2025-05-01")
        past: memberships(status: PAST, at: "2025-05-01") { nodes { id endReason } }
      } } }`,
      { id: gid('Post', post.id) },
    );
    expect(read.data!.node).toEqual({ lastDay: [{ id: membership.id }], firstDayAfter: [], vacancies: 1, past: { nodes: [{ id: membership.id, endReason: 'RESIGNED' }] } });

    const history = await api.execute(CHANGE_HISTORY, { id: membership.id }, { viewer: staff() });
    expect(history.data!.changeHistory.nodes.map((e: { action: string }) => e.action)).toEqual(['membershipEnd', 'seatAppoint']);
    expect(history.data!.changeHistory.nodes[0].changes).toEqual(
      expect.arrayContaining([
        { field: 'endDate', before: null, after: '"2025-05-01"' },
        { field: 'endReason', before: null, after: '"RESIGNED"' },
      ]),
    );
  });

  it('refuses a term that has already ended (ALREADY_ENDED)', async () => {
    const post = await advisorySeat(api);
    const person = await createPerson(api.db, api.jurisdictionId);
    const row = await createMembership(api.db, { jurisdictionId: api.jurisdictionId, personId: person.id, organizationId: post.organizationId, postId: post.id, startDate: '2020-01-01', endDate: '2022-01-01', endReason: 'TERM_COMPLETED' });
    const [error] = await expectRefusal(api, MEMBERSHIP_END, { membershipId: gid('Membership', row.id), endDate: '2023-01-01', reason: 'RESIGNED' }, 'membershipEnd', 'ALREADY_ENDED');
    expect(error!.message).toMatch(/already ended on 2022-01-01/);
  });

  it('refuses an end on or before the start (INVALID_DATE_RANGE)', async () => {
    const post = await advisorySeat(api);
    const person = await createPerson(api.db, api.jurisdictionId);
    const row = await createMembership(api.db, { jurisdictionId: api.jurisdictionId, personId: person.id, organizationId: post.organizationId, postId: post.id, startDate: '2024-06-01' });
    for (const endDate of ['2024-06-01', '2024-01-01']) {
      const [error] = await expectRefusal(api, MEMBERSHIP_END, { membershipId: gid('Membership', row.id), endDate, reason: 'REMOVED' }, 'membershipEnd', 'INVALID_DATE_RANGE');
      expect(error!.field).toEqual(['input', 'endDate']);
    }
  });

  it('refuses unknown terms, ids of another type, and bad reasons', async () => {
    const person = await createPerson(api.db, api.jurisdictionId);
    await expectRefusal(api, MEMBERSHIP_END, { membershipId: gid('Membership', 2_000_000_000), endDate: '2025-01-01', reason: 'OTHER' }, 'membershipEnd', 'NOT_FOUND');
    await expectRefusal(api, MEMBERSHIP_END, { membershipId: gid('Person', person.id), endDate: '2025-01-01', reason: 'OTHER' }, 'membershipEnd', 'INVALID_ID');
    await expectError(api, MEMBERSHIP_END, { input: { membershipId: gid('Person', person.id), endDate: '2025-01-01', reason: 'BORED' } }, 'BAD_USER_INPUT', staff());
  });

  it('asks the public to sign in, and forbids partners and staff of another jurisdiction', async () => {
    const post = await advisorySeat(api);
    const [row] = await fillPost(api.db, post, 1, '2024-01-01');
    const variables = { input: { membershipId: gid('Membership', row!.id), endDate: '2025-01-01', reason: 'RESIGNED' } };
    await expectError(api, MEMBERSHIP_END, variables, 'UNAUTHENTICATED');
    await expectError(api, MEMBERSHIP_END, variables, 'FORBIDDEN', partner());
    await expectError(api, MEMBERSHIP_END, variables, 'FORBIDDEN', otherStaff());
  });
});

describe('membershipReappoint', () => {
  it('continues service: the current term ends as the next one starts, on the same seat, in one audited change', async () => {
    const post = await advisorySeat(api, { maxHolders: 1, termLengthMonths: 24, termLimit: 3 });
    const person = await createPerson(api.db, api.jurisdictionId, 'Reappointed Person');
    const first = await appoint({ postId: gid('Post', post.id), personId: gid('Person', person.id), startDate: '2023-01-01' });
    const result = await api.execute(MEMBERSHIP_REAPPOINT, { input: { membershipId: first.id } }, { viewer: staff() });
    expect(result.errors).toBeUndefined();
    const payload = result.data!.membershipReappoint;
    expect(payload.userErrors).toEqual([]);
    expect(payload.previousMembership).toMatchObject({ id: first.id, startDate: '2023-01-01', endDate: '2025-01-01', endReason: 'TERM_COMPLETED' });
    expect(payload.membership).toMatchObject({ startDate: '2025-01-01', scheduledEndDate: '2027-01-01', endDate: null, role: 'member', person: { name: 'Reappointed Person' }, post: { id: gid('Post', post.id) } });

    const read = await api.execute(
      `query($id: ID!) { node(id: $id) { ... on Post { before: holders(at: "2024-12-31") { id } on: holders(at: "2025-01-01") { id } vacancies(at: "2025-01-01") } } }`,
      { id: gid('Post', post.id) },
    );
    expect(read.data!.node).toEqual({ before: [{ id: first.id }], on: [{ id: payload.membership.id }], vacancies: 0 });
    const previousHistory = await api.execute(CHANGE_HISTORY, { id: first.id }, { viewer: staff() });
    expect(previousHistory.data!.changeHistory.nodes.map((e: { action: string }) => e.action)).toEqual(['membershipReappoint', 'seatAppoint']);
    const nextHistory = await api.execute(CHANGE_HISTORY, { id: payload.membership.id }, { viewer: staff() });
    expect(nextHistory.data!.changeHistory.nodes).toMatchObject([{ action: 'membershipReappoint', subjectType: 'Membership' }]);
  });

  it('takes an explicit start and scheduled end', async () => {
    const post = await advisorySeat(api, { termLengthMonths: 24 });
    const [row] = await fillPost(api.db, post, 1, '2023-01-01');
    const result = await api.execute(
      MEMBERSHIP_REAPPOINT,
      { input: { membershipId: gid('Membership', row!.id), startDate: '2024-07-01', scheduledEndDate: '2025-07-01' } },
      { viewer: staff() },
    );
    expect(result.data!.membershipReappoint).toMatchObject({
      userErrors: [],
      previousMembership: { endDate: '2024-07-01' },
      membership: { startDate: '2024-07-01', scheduledEndDate: '2025-07-01' },
    });
  });

  it('counts the new term toward the limit (TERM_LIMIT_REACHED) and changes nothing', async () => {
    const post = await advisorySeat(api, { termLengthMonths: 24, termLimit: 2 });
    const person = await createPerson(api.db, api.jurisdictionId);
    const first = await appoint({ postId: gid('Post', post.id), personId: gid('Person', person.id), startDate: '2021-01-01' });
    const second = await api.execute(MEMBERSHIP_REAPPOINT, { input: { membershipId: first.id } }, { viewer: staff() });
    expect(second.data!.membershipReappoint.userErrors).toEqual([]);
    const [error] = await expectRefusal(api, MEMBERSHIP_REAPPOINT, { membershipId: second.data!.membershipReappoint.membership.id }, 'membershipReappoint', 'TERM_LIMIT_REACHED');
    expect(error!.message).toMatch(/served 2 consecutive terms/);
  });

  it('refuses a term that has ended (ALREADY_ENDED)', async () => {
    const post = await advisorySeat(api);
    const person = await createPerson(api.db, api.jurisdictionId);
    const row = await createMembership(api.db, { jurisdictionId: api.jurisdictionId, personId: person.id, organizationId: post.organizationId, postId: post.id, startDate: '2020-01-01', endDate: '2022-01-01' });
    await expectRefusal(api, MEMBERSHIP_REAPPOINT, { membershipId: gid('Membership', row.id), startDate: '2022-01-01' }, 'membershipReappoint', 'ALREADY_ENDED');
  });

  it('needs a start date when the term has no scheduled end, and one after the current start', async () => {
    const post = await advisorySeat(api, { termLengthMonths: null });
    const [row] = await fillPost(api.db, post, 1, '2023-01-01');
    const id = gid('Membership', row!.id);
    const [missing] = await expectRefusal(api, MEMBERSHIP_REAPPOINT, { membershipId: id }, 'membershipReappoint', 'INVALID_INPUT');
    expect(missing!.field).toEqual(['input', 'startDate']);
    await expectRefusal(api, MEMBERSHIP_REAPPOINT, { membershipId: id, startDate: '2023-01-01' }, 'membershipReappoint', 'INVALID_DATE_RANGE');
    await expectRefusal(api, MEMBERSHIP_REAPPOINT, { membershipId: id, startDate: '2024-01-01', scheduledEndDate: '2023-06-01' }, 'membershipReappoint', 'INVALID_DATE_RANGE');
  });

  it('checks district residence again: a holder who moved out needs an override', async () => {
    const district3 = await councilPost(api.db, 3);
    const person = await personLivingAt(api, BUCKMAN);
    const first = await appoint({ postId: gid('Post', district3.id), personId: gid('Person', person.id), startDate: '2025-01-01' });
    // Moves to Northwest Portland (district 4).
    await api.db.update(personPrivateDetails).set({ homeLatitude: 45.5309, homeLongitude: -122.6985 }).where(eq(personPrivateDetails.personId, person.id));
    await expectRefusal(api, MEMBERSHIP_REAPPOINT, { membershipId: first.id }, 'membershipReappoint', 'NOT_RESIDENT_OF_DISTRICT');
    const result = await api.execute(MEMBERSHIP_REAPPOINT, { input: { membershipId: first.id, residencyOverrideReason: 'Charter allows finishing service' } }, { viewer: staff() });
    expect(result.data!.membershipReappoint).toMatchObject({ userErrors: [], membership: { startDate: '2029-01-01', residencyOverrideReason: 'Charter allows finishing service' } });
  });

  it('refuses unknown terms and ids of another type', async () => {
    await expectRefusal(api, MEMBERSHIP_REAPPOINT, { membershipId: gid('Membership', 2_000_000_000) }, 'membershipReappoint', 'NOT_FOUND');
    await expectRefusal(api, MEMBERSHIP_REAPPOINT, { membershipId: gid('Post', 1) }, 'membershipReappoint', 'INVALID_ID');
  });

  it('asks the public to sign in, and forbids partners and staff of another jurisdiction', async () => {
    const post = await advisorySeat(api, { termLengthMonths: 12 });
    const [row] = await fillPost(api.db, post, 1, '2024-01-01');
    const variables = { input: { membershipId: gid('Membership', row!.id), startDate: '2025-01-01' } };
    await expectError(api, MEMBERSHIP_REAPPOINT, variables, 'UNAUTHENTICATED');
    await expectError(api, MEMBERSHIP_REAPPOINT, variables, 'FORBIDDEN', partner());
    await expectError(api, MEMBERSHIP_REAPPOINT, variables, 'FORBIDDEN', otherStaff());
  });
});
