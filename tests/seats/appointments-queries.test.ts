import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type PostRow } from '../../src/db/schema/index.ts';
import { createMembership, createOrganization, createPerson, createJurisdiction } from '../helpers/factories.ts';
import { createTestApi, type TestApi } from '../helpers/test-api.ts';
import { addDays, advisorySeat, gid, MEMBERSHIP_REAPPOINT, today } from './appointments-support.ts';

let api: TestApi;
beforeAll(async () => {
  api = await createTestApi();
});
afterAll(() => api.dispose());

const EXPIRING = `query($within: Int!, $at: Date, $jurisdiction: String, $first: Int, $after: String, $last: Int, $before: String) {
  expiringMemberships(within: $within, at: $at, jurisdiction: $jurisdiction, first: $first, after: $after, last: $last, before: $before) {
    totalCount
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
    edges { cursor }
    nodes { id scheduledEndDate person { name } post { label } }
  }
}`;

const FALLING_VACANT = `query($within: Int!, $at: Date, $jurisdiction: String, $first: Int, $after: String) {
  postsFallingVacant(within: $within, at: $at, jurisdiction: $jurisdiction, first: $first, after: $after) {
    totalCount
    pageInfo { hasNextPage endCursor }
    nodes { id label vacancies(at: $at) holders(at: $at) { scheduledEndDate } }
  }
}`;

async function term(post: PostRow, name: string, values: { startDate: string; scheduledEndDate?: string | null; endDate?: string | null }) {
  const person = await createPerson(api.db, api.jurisdictionId, name);
  const row = await createMembership(api.db, { jurisdictionId: api.jurisdictionId, personId: person.id, organizationId: post.organizationId, postId: post.id, ...values });
  return gid('Membership', row.id);
}

async function staffQuery(query: string, variables: Record<string, unknown>) {
  const result = await api.execute(query, variables, { viewer: api.staff() });
  expect(result.errors, JSON.stringify(result.errors)).toBeUndefined();
  return result.data!;
}

describe('expiringMemberships', () => {
  // Each test looks at its own year, so their windows never see each other's terms.
  it('lists terms in effect whose scheduled end falls in [at, at + within), by scheduled end then id', async () => {
    const post = await advisorySeat(api, { maxHolders: 20, label: 'Expiry Seat' });
    const onFirstDay = await term(post, 'On first day', { startDate: '2029-01-01', scheduledEndDate: '2031-03-01' });
    const mid = await term(post, 'Mid window', { startDate: '2029-01-01', scheduledEndDate: '2031-03-10' });
    const midTwin = await term(post, 'Mid window twin', { startDate: '2029-06-01', scheduledEndDate: '2031-03-10' });
    const planned = await term(post, 'Leaving early anyway', { startDate: '2029-01-01', scheduledEndDate: '2031-03-12', endDate: '2031-03-20' });
    const lastDay = await term(post, 'Last day in window', { startDate: '2029-01-01', scheduledEndDate: '2031-03-30' });
    await term(post, 'First day after window', { startDate: '2029-01-01', scheduledEndDate: '2031-03-31' });
    await term(post, 'Holdover', { startDate: '2029-01-01', scheduledEndDate: '2031-02-28' });
    await term(post, 'Already gone', { startDate: '2029-01-01', scheduledEndDate: '2031-03-10', endDate: '2031-02-01' });
    await term(post, 'Not started yet', { startDate: '2031-03-05', scheduledEndDate: '2031-03-20' });

    const data = await staffQuery(EXPIRING, { within: 30, at: '2031-03-01' });
    expect(data.expiringMemberships.nodes.map((n: { id: string }) => n.id)).toEqual([onFirstDay, mid, midTwin, planned, lastDay]);
    expect(data.expiringMemberships.totalCount).toBe(5);
    expect(data.expiringMemberships.nodes[0]).toEqual({ id: onFirstDay, scheduledEndDate: '2031-03-01', person: { name: 'On first day' }, post: { label: 'Expiry Seat' } });
  });

  it('pages forward and backward with opaque cursors', async () => {
    const post = await advisorySeat(api, { maxHolders: 20 });
    const ids = [];
    for (const day of ['01', '02', '03', '04', '05']) ids.push(await term(post, `Pager ${day}`, { startDate: '2033-01-01', scheduledEndDate: `2034-06-${day}` }));
    const first = (await staffQuery(EXPIRING, { within: 60, at: '2034-06-01', first: 2 })).expiringMemberships;
    expect(first.nodes.map((n: { id: string }) => n.id)).toEqual(ids.slice(0, 2));
    expect(first.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: false });
    const second = (await staffQuery(EXPIRING, { within: 60, at: '2034-06-01', first: 2, after: first.pageInfo.endCursor })).expiringMemberships;
    expect(second.nodes.map((n: { id: string }) => n.id)).toEqual(ids.slice(2, 4));
    expect(second.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: true });
    const last = (await staffQuery(EXPIRING, { within: 60, at: '2034-06-01', last: 2 })).expiringMemberships;
    expect(last.nodes.map((n: { id: string }) => n.id)).toEqual(ids.slice(3));
    const before = (await staffQuery(EXPIRING, { within: 60, at: '2034-06-01', last: 2, before: last.pageInfo.startCursor })).expiringMemberships;
    expect(before.nodes.map((n: { id: string }) => n.id)).toEqual(ids.slice(1, 3));
    expect(second.totalCount).toBe(5);
  });

  it('defaults to today in the city, and drops a term once it is reappointed', async () => {
    const post = await advisorySeat(api, { maxHolders: 5, termLengthMonths: 12 });
    const now = today();
    const id = await term(post, 'Due soon', { startDate: addDays(now, -300), scheduledEndDate: addDays(now, 10) });
    const inWindow = await staffQuery(EXPIRING, { within: 30 });
    expect(inWindow.expiringMemberships.nodes.map((n: { id: string }) => n.id)).toContain(id);
    const tooShort = await staffQuery(EXPIRING, { within: 10 });
    expect(tooShort.expiringMemberships.nodes.map((n: { id: string }) => n.id)).not.toContain(id);

    const reappointed = await api.execute(MEMBERSHIP_REAPPOINT, { input: { membershipId: id } }, { viewer: api.staff() });
    expect(reappointed.data!.membershipReappoint.userErrors).toEqual([]);
    const after = await staffQuery(EXPIRING, { within: 30 });
    expect(after.expiringMemberships.nodes.map((n: { id: string }) => n.id)).not.toContain(id);
  });

  it("leaves out other jurisdictions' terms", async () => {
    const elsewhere = await createJurisdiction(api.db, { slug: 'elsewhere', name: 'Elsewhere', ocdId: 'ocd-division/country:us/state:wa/place:elsewhere', timezone: 'America/Los_Angeles' });
    const org = await createOrganization(api.db, { jurisdictionId: elsewhere!.id });
    const person = await createPerson(api.db, elsewhere!.id);
    await createMembership(api.db, { jurisdictionId: elsewhere!.id, personId: person.id, organizationId: org.id, startDate: '2035-01-01', scheduledEndDate: '2036-01-10' });
    const data = await staffQuery(EXPIRING, { within: 30, at: '2036-01-01' });
    expect(data.expiringMemberships.totalCount).toBe(0);
    // Their own staff see it (the caller's own jurisdiction is the default).
    const theirs = await api.execute(EXPIRING, { within: 30, at: '2036-01-01' }, { viewer: api.staff({ jurisdictionId: elsewhere!.id }) });
    expect(theirs.data!.expiringMemberships.totalCount).toBe(1);
  });

  it('refuses a window outside 1–730 days, oversized pages and foreign cursors (BAD_USER_INPUT)', async () => {
    for (const within of [0, -1, 731, 100_000]) {
      const result = await api.execute(EXPIRING, { within }, { viewer: api.staff() });
      expect(result.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'within' });
      expect(result.data).toBeNull();
    }
    for (const variables of [{ first: 101 }, { first: 1, last: 1 }, { after: 'bm90IGEgY3Vyc29y' }, { jurisdiction: 'atlantis' }]) {
      const result = await api.execute(EXPIRING, { within: 30, ...variables }, { viewer: api.staff() });
      expect(result.errors?.[0]?.extensions?.code, JSON.stringify(variables)).toBe('BAD_USER_INPUT');
    }
  });

  it('is for staff of the jurisdiction only', async () => {
    const codes = async (viewer: Parameters<TestApi['execute']>[2], variables: Record<string, unknown> = {}) =>
      (await api.execute(EXPIRING, { within: 30, ...variables }, viewer)).errors?.map((e) => e.extensions?.code);
    expect(await codes({})).toEqual(['UNAUTHENTICATED']);
    expect(await codes({ viewer: { ...api.staff(), role: 'PARTNER' } })).toEqual(['FORBIDDEN']);
    expect(await codes({ viewer: api.staff({ jurisdictionId: 999 }) })).toEqual(['FORBIDDEN']);
    expect(await codes({ viewer: api.staff({ jurisdictionId: 999 }) }, { jurisdiction: 'portland' })).toEqual(['FORBIDDEN']);
    expect(await codes({ viewer: api.staff({ role: 'ADMIN', jurisdictionId: null }) })).toBeUndefined();
  });
});

describe('postsFallingVacant', () => {
  it('lists seats whose holders are due to leave in the window, earliest first, leaving out reappointed and abolished ones', async () => {
    const later = await advisorySeat(api, { maxHolders: 2, label: 'Two holders' });
    await term(later, 'A', { startDate: '2039-01-01', scheduledEndDate: '2041-04-15' });
    await term(later, 'B', { startDate: '2039-01-01', scheduledEndDate: '2041-03-20' });
    const sooner = await advisorySeat(api, { label: 'One holder' });
    await term(sooner, 'C', { startDate: '2039-01-01', scheduledEndDate: '2041-03-10' });
    const continued = await advisorySeat(api, { label: 'Reappointed', termLengthMonths: 24 });
    const toContinue = await term(continued, 'D', { startDate: '2039-01-01', scheduledEndDate: '2041-03-05' });
    const reappointed = await api.execute(MEMBERSHIP_REAPPOINT, { input: { membershipId: toContinue } }, { viewer: api.staff() });
    expect(reappointed.data!.membershipReappoint.userErrors).toEqual([]);
    const abolished = await advisorySeat(api, { label: 'Abolished first', abolishedOn: '2041-03-08' });
    await term(abolished, 'E', { startDate: '2039-01-01', scheduledEndDate: '2041-03-10' });
    const far = await advisorySeat(api, { label: 'Far off' });
    await term(far, 'F', { startDate: '2039-01-01', scheduledEndDate: '2042-01-01' });

    const data = await staffQuery(FALLING_VACANT, { within: 60, at: '2041-03-01' });
    expect(data.postsFallingVacant.nodes.map((n: { label: string }) => n.label)).toEqual(['One holder', 'Two holders']);
    expect(data.postsFallingVacant.totalCount).toBe(2);
    expect(data.postsFallingVacant.nodes[0]).toMatchObject({ id: gid('Post', sooner.id), holders: [{ scheduledEndDate: '2041-03-10' }] });

    const page1 = (await staffQuery(FALLING_VACANT, { within: 60, at: '2041-03-01', first: 1 })).postsFallingVacant;
    expect(page1.nodes.map((n: { label: string }) => n.label)).toEqual(['One holder']);
    expect(page1.pageInfo.hasNextPage).toBe(true);
    const page2 = (await staffQuery(FALLING_VACANT, { within: 60, at: '2041-03-01', first: 1, after: page1.pageInfo.endCursor })).postsFallingVacant;
    expect(page2.nodes.map((n: { label: string }) => n.label)).toEqual(['Two holders']);
    expect(page2.pageInfo.hasNextPage).toBe(false);
  });

  it('refuses a bad window and anyone but staff of the jurisdiction', async () => {
    const bad = await api.execute(FALLING_VACANT, { within: 731 }, { viewer: api.staff() });
    expect(bad.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'within' });
    expect((await api.execute(FALLING_VACANT, { within: 30 })).errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    expect((await api.execute(FALLING_VACANT, { within: 30 }, { viewer: { ...api.staff(), role: 'PARTNER' } })).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect((await api.execute(FALLING_VACANT, { within: 30, jurisdiction: 'portland' }, { viewer: api.staff({ jurisdictionId: 999 }) })).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });
});
