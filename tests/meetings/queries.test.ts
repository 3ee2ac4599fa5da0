import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { meetings } from '../../src/db/schema/index.ts';
import { todayIn } from '../../src/graphql/dates.ts';
import { toGlobalId } from '../../src/graphql/global-id.ts';
import { waitForChangeFeed } from '../helpers/change-feed.ts';
import { createOrganization, divisionByOcdId, organizationBySlug } from '../helpers/factories.ts';
import { createTestApi, type TestApi } from '../helpers/test-api.ts';
import { cancelMeeting, inDays, PARTNER, scheduleMeeting } from './meetings-support.ts';

/**
 * Reading meetings: the default window, filters, pagination, node(id:), the organization's list
 * and its statement count, the change feed, and cost. Each describe uses its own organizations, so
 * the tests do not see each other's meetings.
 */

let api: TestApi;
beforeAll(async () => {
  api = await createTestApi();
});
afterAll(() => api.dispose());

const DISTRICT = (n: number) => `ocd-division/country:us/state:or/place:portland/council_district:${n}`;
const orgId = (id: number) => toGlobalId('Organization', id);

async function newBody(name?: string): Promise<number> {
  return (await createOrganization(api.db, { jurisdictionId: api.jurisdictionId, ...(name ? { name } : {}) })).id;
}

const LIST = `query($filter: MeetingFilter, $first: Int, $after: String, $last: Int, $before: String) {
  meetings(filter: $filter, first: $first, after: $after, last: $last, before: $before) {
    totalCount
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
    edges { cursor node { id title startsAt status } }
  }
}`;

async function list(filter: Record<string, unknown>, page: Record<string, unknown> = {}, viewer = PARTNER) {
  const { data, errors } = await api.execute(LIST, { filter, first: 100, ...page }, { viewer });
  expect(errors).toBeUndefined();
  return data!.meetings as { totalCount: number; pageInfo: Record<string, any>; edges: { cursor: string; node: Record<string, any> }[] };
}

/** The instant today began in Portland (UTC-7 or UTC-8, whichever makes it midnight there). */
function startOfTodayInPortland(): Date {
  const today = todayIn('America/Los_Angeles');
  for (const offset of ['-07:00', '-08:00']) {
    const candidate = new Date(`${today}T00:00:00${offset}`);
    if (todayIn('America/Los_Angeles', candidate) === today && todayIn('America/Los_Angeles', new Date(candidate.getTime() - 1)) !== today) return candidate;
  }
  throw new Error('no midnight found');
}

const titles = (connection: { edges: { node: Record<string, any> }[] }) => connection.edges.map((e) => e.node.title);

describe('the default window: upcoming meetings', () => {
  let body: number;
  beforeAll(async () => {
    body = await newBody();
    // A minute after midnight in Portland today: earlier today whatever the hour the test runs at.
    const earlyToday = new Date(startOfTodayInPortland().getTime() + 60_000).toISOString();
    await scheduleMeeting(api, body, { title: 'Last month', startsAt: inDays(-30), publicNoticeAt: null });
    await scheduleMeeting(api, body, { title: 'Yesterday', startsAt: inDays(-1, -1), publicNoticeAt: null });
    await scheduleMeeting(api, body, { title: 'Early today', startsAt: earlyToday, endsAt: null, publicNoticeAt: null });
    await scheduleMeeting(api, body, { title: 'Next week', startsAt: inDays(7) });
    await scheduleMeeting(api, body, { title: 'Tomorrow', startsAt: inDays(1) });
  });

  it('lists today’s and later meetings, soonest first, when no window is given', async () => {
    const page = await list({ organizationId: orgId(body) });
    expect(titles(page)).toEqual(['Early today', 'Tomorrow', 'Next week']);
    expect(page.totalCount).toBe(3);
  });

  it('lists the past when asked with from or to', async () => {
    const past = await list({ organizationId: orgId(body), to: inDays(0) });
    expect(titles(past)).toEqual(expect.arrayContaining(['Last month', 'Yesterday']));
    expect(titles(past)).not.toContain('Tomorrow');
    const window = await list({ organizationId: orgId(body), from: inDays(-40), to: inDays(-20) });
    expect(titles(window)).toEqual(['Last month']);
  });

  it('treats from as inclusive and to as exclusive', async () => {
    const [row] = await api.db.select().from(meetings).where(eq(meetings.title, 'Next week'));
    const at = row!.startsAt.toISOString();
    expect(titles(await list({ organizationId: orgId(body), from: at, to: inDays(30) }))).toEqual(['Next week']);
    expect(titles(await list({ organizationId: orgId(body), from: inDays(2), to: at }))).toEqual([]);
  });

  it('refuses a window whose end is not after its start', async () => {
    const { errors } = await api.execute(LIST, { filter: { from: inDays(2), to: inDays(1) } });
    expect(errors![0]!.extensions!.code).toBe('BAD_USER_INPUT');
    expect(errors![0]!.message).toContain('filter.to');
  });
});

describe('filters', () => {
  let body: number;
  beforeAll(async () => {
    body = await newBody();
    await scheduleMeeting(api, body, { title: 'Spanish', startsAt: inDays(3), interpretationLanguages: ['es'] });
    await scheduleMeeting(api, body, { title: 'Traditional Chinese', startsAt: inDays(4), interpretationLanguages: ['zh-Hant', 'vi'] });
    await scheduleMeeting(api, body, { title: 'None', startsAt: inDays(5), interpretationLanguages: [] });
    const cancelled = await scheduleMeeting(api, body, { title: 'Cancelled Spanish', startsAt: inDays(6), interpretationLanguages: ['es'] });
    await cancelMeeting(api, cancelled);
  });

  it('keeps meetings offering interpretation in a language; zh matches zh-Hant; case does not matter', async () => {
    const of = async (language: string) => titles(await list({ organizationId: orgId(body), interpretationLanguage: language }));
    expect(await of('es')).toEqual(['Spanish']);
    expect(await of('zh')).toEqual(['Traditional Chinese']);
    expect(await of('ZH-hant')).toEqual(['Traditional Chinese']);
    expect(await of('vi')).toEqual(['Traditional Chinese']);
    expect(await of('ru')).toEqual([]);
    // A more specific tag than the one offered does not match: `es` interpretation is not `es-MX`.
    expect(await of('zh-Hans')).toEqual([]);
  });

  it('refuses a malformed language tag with BAD_USER_INPUT', async () => {
    const { errors } = await api.execute(LIST, { filter: { interpretationLanguage: 'not a tag' } });
    expect(errors![0]!.extensions!.code).toBe('BAD_USER_INPUT');
    expect(errors![0]!.message).toContain('interpretationLanguage');
  });

  it('leaves cancelled meetings out unless includeCancelled', async () => {
    expect(titles(await list({ organizationId: orgId(body) }))).toEqual(['Spanish', 'Traditional Chinese', 'None']);
    const all = await list({ organizationId: orgId(body), includeCancelled: true });
    expect(all.edges.map((e) => [e.node.title, e.node.status])).toEqual([
      ['Spanish', 'SCHEDULED'],
      ['Traditional Chinese', 'SCHEDULED'],
      ['None', 'SCHEDULED'],
      ['Cancelled Spanish', 'CANCELLED'],
    ]);
    expect(all.totalCount).toBe(4);
  });

  it('keeps meetings changed since an instant (updatedSince), past ones included', async () => {
    const other = await newBody();
    await scheduleMeeting(api, other, { title: 'Recorded before', startsAt: inDays(-10), publicNoticeAt: null });
    await new Promise((resolve) => setTimeout(resolve, 50));
    const since = new Date().toISOString();
    await scheduleMeeting(api, other, { title: 'Past, just recorded', startsAt: inDays(-3), publicNoticeAt: null });
    expect(titles(await list({ organizationId: orgId(other), updatedSince: since }))).toEqual(['Past, just recorded']);
    expect(titles(await list({ organizationId: orgId(other), from: inDays(-30) }))).toEqual(['Recorded before', 'Past, just recorded']);
  });

  it('keeps meetings of organizations in a council district: its coalition office and its associations, not citywide bodies', async () => {
    const district3 = await divisionByOcdId(api.db, DISTRICT(3));
    const buckman = await organizationBySlug(api.db, 'buckman');
    const coalition3 = await organizationBySlug(api.db, 'district-3-coalition');
    const linnton = await organizationBySlug(api.db, 'linnton');
    // The facts the filter relies on, read through the API's own rule.
    const districtsOf = async (id: number) =>
      (await api.execute(`query($id: ID!) { node(id: $id) { ... on Organization { councilDistricts { division { ocdId } } } } }`, { id: orgId(id) })).data!.node.councilDistricts.map(
        (d: any) => d.division.ocdId,
      );
    expect(await districtsOf(buckman.id)).toContain(DISTRICT(3));
    expect(await districtsOf(linnton.id)).not.toContain(DISTRICT(3));
    const window = { from: inDays(40), to: inDays(41) };
    await scheduleMeeting(api, buckman.id, { title: 'Buckman general meeting', startsAt: inDays(40, 1) });
    await scheduleMeeting(api, coalition3.id, { title: 'District 3 coalition board', startsAt: inDays(40, 2) });
    await scheduleMeeting(api, linnton.id, { title: 'Linnton general meeting', startsAt: inDays(40, 3) });
    await scheduleMeeting(api, body, { title: 'Citywide body', startsAt: inDays(40, 4) });
    const inDistrict = await list({ ...window, councilDistrictId: toGlobalId('Division', district3.id) });
    expect(titles(inDistrict)).toEqual(['Buckman general meeting', 'District 3 coalition board']);
    expect(titles(await list(window))).toEqual(['Buckman general meeting', 'District 3 coalition board', 'Linnton general meeting', 'Citywide body']);
  });

  it('refuses ids of the wrong type in the filter with BAD_USER_INPUT', async () => {
    const { errors } = await api.execute(LIST, { filter: { councilDistrictId: orgId(body) } });
    expect(errors![0]!.extensions!.code).toBe('BAD_USER_INPUT');
  });
});

describe('pagination', () => {
  let body: number;
  let all: string[];
  beforeAll(async () => {
    body = await newBody();
    const at = inDays(20);
    // Two meetings at the same instant: the id breaks the tie, so cursors stay exact.
    for (const [i, startsAt] of [inDays(21), at, at, inDays(22), inDays(23)].entries()) {
      await scheduleMeeting(api, body, { title: `Meeting ${i}`, startsAt });
    }
    all = titles(await list({ organizationId: orgId(body) }));
  });

  it('orders by start time, then id', () => {
    expect(all).toEqual(['Meeting 1', 'Meeting 2', 'Meeting 0', 'Meeting 3', 'Meeting 4']);
  });

  it('pages forward with first/after and backward with last/before, each item once', async () => {
    const forward: string[] = [];
    let after: string | null = null;
    for (;;) {
      const page = await list({ organizationId: orgId(body) }, { first: 2, after });
      expect(page.totalCount).toBe(5);
      forward.push(...titles(page));
      if (!page.pageInfo.hasNextPage) break;
      after = page.pageInfo.endCursor;
    }
    expect(forward).toEqual(all);
    const backward: string[] = [];
    let before: string | null = null;
    for (;;) {
      const page = await list({ organizationId: orgId(body) }, { first: undefined, last: 2, before });
      backward.unshift(...titles(page));
      if (!page.pageInfo.hasPreviousPage) break;
      before = page.pageInfo.startCursor;
    }
    expect(backward).toEqual(all);
  });

  it('keeps a cursor valid when meetings are added before it', async () => {
    const first = await list({ organizationId: orgId(body) }, { first: 2 });
    await scheduleMeeting(api, body, { title: 'Added earlier', startsAt: inDays(19) });
    const next = await list({ organizationId: orgId(body) }, { first: 2, after: first.pageInfo.endCursor });
    expect(titles(next)).toEqual(['Meeting 0', 'Meeting 3']);
  });

  it('refuses a forged cursor and an oversized page with BAD_USER_INPUT', async () => {
    const forged = Buffer.from(JSON.stringify(['not a time', 1])).toString('base64url');
    const bad = await api.execute(LIST, { after: forged, first: 2 });
    expect(bad.errors![0]!.extensions!.code).toBe('BAD_USER_INPUT');
    const big = await api.execute(LIST, { first: 101 });
    expect(big.errors![0]!.extensions!.code).toBe('BAD_USER_INPUT');
  });
});

describe('node(id:) and the organization’s meetings', () => {
  it('fetches a meeting by its global id, for anyone, cancelled or not', async () => {
    const body = await newBody('Node Test Body');
    const id = await scheduleMeeting(api, body, { title: 'By id' });
    await cancelMeeting(api, id, 'Holiday');
    const { data } = await api.execute(`query($id: ID!) { node(id: $id) { __typename id ... on Meeting { title isCancelled cancellationReason organization { name } } } }`, { id });
    expect(data!.node).toEqual({ __typename: 'Meeting', id, title: 'By id', isCancelled: true, cancellationReason: 'Holiday', organization: { name: 'Node Test Body' } });
    const missing = await api.execute(`query($id: ID!) { node(id: $id) { id } }`, { id: toGlobalId('Meeting', 999_999) });
    expect(missing.data!.node).toBeNull();
  });

  it('lists an organization’s meetings with the same filter and paging', async () => {
    const body = await newBody();
    await scheduleMeeting(api, body, { title: 'A', startsAt: inDays(2), interpretationLanguages: ['es'] });
    await scheduleMeeting(api, body, { title: 'B', startsAt: inDays(3), interpretationLanguages: [] });
    await scheduleMeeting(api, body, { title: 'C', startsAt: inDays(4), interpretationLanguages: ['es'] });
    const query = `query($id: ID!, $filter: MeetingFilter, $last: Int) { node(id: $id) { ... on Organization {
      meetings(filter: $filter, last: $last) { totalCount pageInfo { hasPreviousPage } nodes { title } } } } }`;
    const all = (await api.execute(query, { id: orgId(body) })).data!.node.meetings;
    expect(all).toEqual({ totalCount: 3, pageInfo: { hasPreviousPage: false }, nodes: [{ title: 'A' }, { title: 'B' }, { title: 'C' }] });
    const spanish = (await api.execute(query, { id: orgId(body), filter: { interpretationLanguage: 'es' } })).data!.node.meetings;
    expect(spanish.nodes).toEqual([{ title: 'A' }, { title: 'C' }]);
    const lastOne = (await api.execute(query, { id: orgId(body), last: 1 })).data!.node.meetings;
    expect(lastOne).toEqual({ totalCount: 3, pageInfo: { hasPreviousPage: true }, nodes: [{ title: 'C' }] });
  });

  it('loads the meetings of a list of organizations in a constant number of statements', async () => {
    const query = `{ advisoryBodies(first: 100, filter: { nameContains: "Statement Count Body" }) { totalCount nodes { name
      meetings(first: 3) { totalCount nodes { title interpretationLanguages organization { name } } } } } }`;
    const count = async () => {
      api.statements.reset();
      const { data, errors } = await api.execute(query);
      expect(errors).toBeUndefined();
      return { statements: api.statements.count(), meetings: data!.advisoryBodies.nodes.flatMap((n: any) => n.meetings.nodes).length };
    };
    const grow = async (bodies: number, offset: number) => {
      for (let b = 0; b < bodies; b++) {
        const body = await newBody(`Statement Count Body ${offset + b}`);
        for (let m = 0; m < 3; m++) await scheduleMeeting(api, body, { startsAt: inDays(5 + m) });
      }
    };
    await grow(2, 0);
    const small = await count();
    await grow(8, 2);
    const large = await count();
    expect(large.meetings).toBe(30);
    expect(large.meetings).toBeGreaterThan(small.meetings);
    expect(large.statements).toBe(small.statements);
    // Jurisdiction, the page of bodies and their count, one lateral page of meetings for all of
    // them and one grouped count; the organizations are the bodies already loaded.
    expect(large.statements).toBeLessThanOrEqual(6);
  });
});

describe('syncing and cost', () => {
  it('reports scheduling and cancelling in the change feed as a MEETING, with the meeting as node', async () => {
    const body = await newBody();
    await waitForChangeFeed(api.db);
    const start = (await api.execute(`{ changes(first: 100, entityTypes: [MEETING]) { endCursor } }`)).data!;
    let cursor: string = start.changes.endCursor;
    for (;;) {
      const page = (await api.execute(`query($since: String) { changes(since: $since, first: 100, entityTypes: [MEETING]) { endCursor hasMore } }`, { since: cursor })).data!;
      cursor = page.changes.endCursor;
      if (!page.changes.hasMore) break;
    }
    const id = await scheduleMeeting(api, body, { title: 'Fed' });
    await cancelMeeting(api, id, 'Fed up');
    await waitForChangeFeed(api.db);
    const { data } = await api.execute(
      `query($since: String) { changes(since: $since, entityTypes: [MEETING]) { entries { id entityType operation node { ... on Meeting { title status } } } } }`,
      { since: cursor },
    );
    expect(data!.changes.entries).toEqual([{ id, entityType: 'MEETING', operation: 'CREATE', node: { title: 'Fed', status: 'CANCELLED' } }]);
  });

  it('prices meeting connections like every connection: first per parent (20 by default), nested pages multiply', async () => {
    const refusedCost = async (query: string) => {
      api.statements.reset();
      const { data, errors } = await api.execute(query);
      expect(data ?? null).toBeNull();
      expect(errors![0]!.extensions!.code).toBe('QUERY_TOO_COSTLY');
      expect(api.statements.count()).toBe(0);
      return errors![0]!.extensions!.cost;
    };
    // 100 + 100 × 100 + 100 × 100 × 100.
    expect(await refusedCost(`{ meetings(first: 100) { nodes { organization { meetings(first: 100) { nodes { organization { meetings(first: 100) { nodes { title } } } } } } } } }`)).toBe(1_010_100);
    // Five levels of default pages: 20 + 20² + 20³ + 20⁴ + 20⁵.
    const level = (inner: string) => `meetings { nodes { organization { ${inner} } } }`;
    expect(await refusedCost(`{ ${level(level(level(level('meetings { nodes { title } }'))))} }`)).toBe(3_368_420);
    // Four levels (168,420) are within the limit and run.
    const { errors } = await api.execute(`{ ${level(level(level('meetings { nodes { title } }')))} }`);
    expect(errors).toBeUndefined();
  });
});
