import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { memberships, posts } from '../../src/db/schema/index.ts';
import { councilPost, createMembership, createOrganization, createPerson, createPost, fillPost } from '../helpers/factories.ts';
import { recordRoster } from '../helpers/roster.ts';
import { createTestApi, type TestApi } from '../helpers/test-api.ts';

let api: TestApi;
beforeAll(async () => {
  api = await createTestApi();
});
afterAll(() => api.dispose());

/** The Postgres error behind a failed Drizzle statement (Drizzle wraps it in `cause`). */
async function dbError(promise: Promise<unknown>): Promise<{ code?: string; constraint?: string; constraint_name?: string }> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error, 'the database accepted what it must refuse').not.toBeNull();
  const cause = (error as { cause?: unknown }).cause ?? error;
  return cause as { code?: string };
}

const constraintOf = (e: { constraint?: string; constraint_name?: string }) => e.constraint ?? e.constraint_name;

describe('seat rules enforced by the database', () => {
  it('refuses a fourth holder on a council district seat (maxHolders 3)', async () => {
    const post = await councilPost(api.db, 1);
    await fillPost(api.db, post, 3, '2025-01-01');
    const fourth = await createPerson(api.db, api.jurisdictionId);
    const error = await dbError(
      createMembership(api.db, { jurisdictionId: api.jurisdictionId, personId: fourth.id, organizationId: post.organizationId, postId: post.id, startDate: '2026-01-01' }),
    );
    expect(error.code).toBe('23P01');
    expect(constraintOf(error)).toBe('memberships_post_max_holders');
    const holders = await api.db.select().from(memberships).where(eq(memberships.postId, post.id));
    expect(holders).toHaveLength(3);
  });

  it('allows a new holder once a term has ended, and counts only overlapping terms', async () => {
    const org = await createOrganization(api.db, { jurisdictionId: api.jurisdictionId });
    const post = await createPost(api.db, { jurisdictionId: api.jurisdictionId, organizationId: org.id, maxHolders: 1 });
    const a = await createPerson(api.db, api.jurisdictionId);
    const b = await createPerson(api.db, api.jurisdictionId);
    const base = { jurisdictionId: api.jurisdictionId, organizationId: org.id, postId: post.id };
    await createMembership(api.db, { ...base, personId: a.id, startDate: '2020-01-01', endDate: '2022-01-01' });
    await createMembership(api.db, { ...base, personId: b.id, startDate: '2022-01-01' });
    const error = await dbError(createMembership(api.db, { ...base, personId: a.id, startDate: '2021-06-01', endDate: '2021-07-01' }));
    expect(error.code).toBe('23P01');
  });

  it('refuses the same person on the same seat over overlapping dates', async () => {
    const post = await councilPost(api.db, 2);
    const person = await createPerson(api.db, api.jurisdictionId);
    const base = { jurisdictionId: api.jurisdictionId, personId: person.id, organizationId: post.organizationId, postId: post.id };
    await createMembership(api.db, { ...base, startDate: '2025-01-01', endDate: '2029-01-01' });
    const error = await dbError(createMembership(api.db, { ...base, startDate: '2028-01-01' }));
    expect(error.code).toBe('23P01');
    expect(constraintOf(error)).toBe('memberships_person_post_no_overlap');
  });

  it('refuses an end date before the start date', async () => {
    const post = await councilPost(api.db, 3);
    const person = await createPerson(api.db, api.jurisdictionId);
    const error = await dbError(
      createMembership(api.db, { jurisdictionId: api.jurisdictionId, personId: person.id, organizationId: post.organizationId, postId: post.id, startDate: '2025-06-01', endDate: '2025-01-01' }),
    );
    expect(error.code).toBe('23514');
  });

  it('refuses a membership on a post of another organization', async () => {
    const post = await councilPost(api.db, 3);
    const other = await createOrganization(api.db, { jurisdictionId: api.jurisdictionId });
    const person = await createPerson(api.db, api.jurisdictionId);
    const error = await dbError(
      createMembership(api.db, { jurisdictionId: api.jurisdictionId, personId: person.id, organizationId: other.id, postId: post.id, startDate: '2025-01-01' }),
    );
    expect(error.code).toBe('23503');
  });

  it('refuses lowering maxHolders below the current holders', async () => {
    const org = await createOrganization(api.db, { jurisdictionId: api.jurisdictionId });
    const post = await createPost(api.db, { jurisdictionId: api.jurisdictionId, organizationId: org.id, maxHolders: 3 });
    await fillPost(api.db, post, 2);
    const error = await dbError(api.db.update(posts).set({ maxHolders: 1 }).where(eq(posts.id, post.id)));
    expect(error.code).toBe('23P01');
  });
});

describe('posts, holders and vacancies', () => {
  it('shows holders and vacancies as of a date', async () => {
    const org = await createOrganization(api.db, { jurisdictionId: api.jurisdictionId, name: 'Holders Test Board' });
    const post = await createPost(api.db, { jurisdictionId: api.jurisdictionId, organizationId: org.id, maxHolders: 2, label: 'Member' });
    const alice = await createPerson(api.db, api.jurisdictionId, 'Alice Holder');
    const bob = await createPerson(api.db, api.jurisdictionId, 'Bob Holder');
    const base = { jurisdictionId: api.jurisdictionId, organizationId: org.id, postId: post.id };
    await createMembership(api.db, { ...base, personId: alice.id, startDate: '2020-01-01', endDate: '2023-01-01', endReason: 'TERM_COMPLETED' });
    await createMembership(api.db, { ...base, personId: bob.id, startDate: '2022-01-01' });
    const query = `query($slug: String) { organization(slug: $slug) { posts { nodes {
      y2021: holders(at: "2021-06-01") { person { name } }
      y2022: holders(at: "2022-06-01") { person { name } }
      y2024: holders(at: "2024-06-01") { person { name } endDate }
      v2022: vacancies(at: "2022-06-01")
      v2024: vacancies(at: "2024-06-01")
      history: memberships { totalCount nodes { person { name } endReason } }
    } } } }`;
    const { data, errors } = await api.execute(query, { slug: org.slug });
    expect(errors).toBeUndefined();
    const p = data!.organization.posts.nodes[0];
    expect(p.y2021.map((m: any) => m.person.name)).toEqual(['Alice Holder']);
    expect(p.y2022.map((m: any) => m.person.name)).toEqual(['Alice Holder', 'Bob Holder']);
    expect(p.y2024).toEqual([{ person: { name: 'Bob Holder' }, endDate: null }]);
    expect([p.v2022, p.v2024]).toEqual([0, 1]);
    expect(p.history.totalCount).toBe(2);
    expect(p.history.nodes[0]).toEqual({ person: { name: 'Alice Holder' }, endReason: 'TERM_COMPLETED' });
  });

  it('separates current and past memberships of an organization', async () => {
    const org = await createOrganization(api.db, { jurisdictionId: api.jurisdictionId });
    const post = await createPost(api.db, { jurisdictionId: api.jurisdictionId, organizationId: org.id, maxHolders: 5 });
    const people = await Promise.all([1, 2, 3].map(() => createPerson(api.db, api.jurisdictionId)));
    const base = { jurisdictionId: api.jurisdictionId, organizationId: org.id, postId: post.id };
    await createMembership(api.db, { ...base, personId: people[0]!.id, startDate: '2019-01-01', endDate: '2021-01-01' });
    await createMembership(api.db, { ...base, personId: people[1]!.id, startDate: '2020-01-01' });
    await createMembership(api.db, { ...base, personId: people[2]!.id, startDate: '2030-01-01' });
    const { data } = await api.execute(
      `query($slug: String) { organization(slug: $slug) {
        current: memberships(at: "2025-01-01") { totalCount }
        past: memberships(status: PAST, at: "2025-01-01") { totalCount }
        all: memberships(status: ALL) { totalCount }
      } }`,
      { slug: org.slug },
    );
    expect(data!.organization).toEqual({ current: { totalCount: 1 }, past: { totalCount: 1 }, all: { totalCount: 3 } });
  });

  it('has no vacancy on an abolished seat', async () => {
    const org = await createOrganization(api.db, { jurisdictionId: api.jurisdictionId });
    await createPost(api.db, { jurisdictionId: api.jurisdictionId, organizationId: org.id, abolishedOn: '2020-01-01', maxHolders: 4 });
    const { data } = await api.execute(`query($slug: String) { organization(slug: $slug) {
      posts(includeAbolished: true) { nodes { abolishedOn vacancies } }
      current: posts { totalCount }
    } }`, { slug: org.slug });
    expect(data!.organization.posts.nodes).toEqual([{ abolishedOn: '2020-01-01', vacancies: 0 }]);
    expect(data!.organization.current.totalCount).toBe(0);
  });
});

describe('openSeats', () => {
  const OPEN = `query($filter: OpenSeatFilter, $at: Date, $first: Int, $after: String) {
    openSeats(filter: $filter, at: $at, first: $first, after: $after) {
      totalCount nodes { label maxHolders vacancies takesApplications organization { name kind status roster { status } } division { name } }
      pageInfo { hasNextPage endCursor }
    } }`;

  it('lists only seats that take applications, have room, in active organizations', async () => {
    // The dataset's bodies have no roster on record (unknown is not vacant): staff record one first.
    await recordRoster(api, 'planning-commission');
    const { data, errors } = await api.execute(OPEN, { first: 100 });
    expect(errors).toBeUndefined();
    const seats = data!.openSeats.nodes;
    expect(seats.length).toBeGreaterThan(0);
    for (const s of seats) {
      expect(s.takesApplications).toBe(true);
      expect(s.vacancies).toBeGreaterThan(0);
      expect(s.organization.status).toBe('ACTIVE');
      expect(s.organization.roster.status).not.toBe('NOT_RECORDED');
    }
    expect(seats.some((s: any) => s.organization.name === 'Planning Commission')).toBe(true);
    expect(seats.some((s: any) => s.organization.kind === 'COUNCIL')).toBe(false);
  });

  it('drops a seat once it is full', async () => {
    const org = await createOrganization(api.db, { jurisdictionId: api.jurisdictionId, name: 'Zz Full Test Commission' });
    const post = await createPost(api.db, { jurisdictionId: api.jurisdictionId, organizationId: org.id, maxHolders: 2, takesApplications: true });
    const filter = { organization: (await api.execute(`query($s: String) { organization(slug: $s) { id } }`, { s: org.slug })).data!.organization.id };
    expect((await api.execute(OPEN, { filter })).data!.openSeats.totalCount).toBe(1);
    await fillPost(api.db, post, 2, '2020-01-01');
    expect((await api.execute(OPEN, { filter })).data!.openSeats.totalCount).toBe(0);
    expect((await api.execute(OPEN, { filter, at: '2019-12-31' })).data!.openSeats.totalCount).toBe(1);
  });

  it('filters by council district: that district\'s seats and city-wide ones', async () => {
    const ids = await api.execute(`{ d1: division(ocdId: "ocd-division/country:us/state:or/place:portland/council_district:1") { id } d2: division(ocdId: "ocd-division/country:us/state:or/place:portland/council_district:2") { id } }`);
    const org = await createOrganization(api.db, { jurisdictionId: api.jurisdictionId, name: 'District Seat Test Board' });
    const d1 = (await api.execute(`{ division(ocdId: "ocd-division/country:us/state:or/place:portland/council_district:1") { name } }`)).data!.division.name;
    const { divisionByOcdId } = await import('../helpers/factories.ts');
    const district1 = await divisionByOcdId(api.db, 'ocd-division/country:us/state:or/place:portland/council_district:1');
    await createPost(api.db, { jurisdictionId: api.jurisdictionId, organizationId: org.id, divisionId: district1.id, takesApplications: true, label: 'District 1 seat' });
    const inD1 = await api.execute(OPEN, { first: 100, filter: { councilDistrict: ids.data!.d1.id } });
    const inD2 = await api.execute(OPEN, { first: 100, filter: { councilDistrict: ids.data!.d2.id } });
    expect(inD1.data!.openSeats.nodes.filter((s: any) => s.division).map((s: any) => s.division.name)).toEqual([d1]);
    expect(inD2.data!.openSeats.nodes.some((s: any) => s.label === 'District 1 seat')).toBe(false);
    expect(inD2.data!.openSeats.totalCount).toBe(inD1.data!.openSeats.totalCount - 1);
  });
});

describe('node and nodes', () => {
  it('fetches every kind of object by its global id', async () => {
    const org = await createOrganization(api.db, { jurisdictionId: api.jurisdictionId });
    const post = await createPost(api.db, { jurisdictionId: api.jurisdictionId, organizationId: org.id });
    const [membership] = await fillPost(api.db, post, 1);
    const { data } = await api.execute(`query($slug: String) {
      jurisdiction { id }
      organization(slug: $slug) { id posts { nodes { id memberships { nodes { id person { id } } } } } }
      councilDistricts { id }
    }`, { slug: org.slug });
    const ids = [
      data!.jurisdiction.id,
      data!.organization.id,
      data!.organization.posts.nodes[0].id,
      data!.organization.posts.nodes[0].memberships.nodes[0].id,
      data!.organization.posts.nodes[0].memberships.nodes[0].person.id,
      data!.councilDistricts[0].id,
    ];
    const result = await api.execute(`query($ids: [ID!]!) { nodes(ids: $ids) { __typename id } }`, { ids });
    expect(result.data!.nodes.map((n: any) => n.__typename)).toEqual(['Jurisdiction', 'Organization', 'Post', 'Membership', 'Person', 'Division']);
    expect(result.data!.nodes.map((n: any) => n.id)).toEqual(ids);
    expect(membership).toBeDefined();
  });

  it('returns null for a well-formed id that matches nothing', async () => {
    const id = Buffer.from('v1:Organization:999999').toString('base64url');
    const { data, errors } = await api.execute(`query($id: ID!) { node(id: $id) { id } }`, { id });
    expect(errors).toBeUndefined();
    expect(data!.node).toBeNull();
  });

  it.each(['', 'garbage', Buffer.from('v1:Secret:1').toString('base64url'), Buffer.from('v1:Organization:-1').toString('base64url')])(
    'refuses the malformed id %j with BAD_USER_INPUT',
    async (id) => {
      const { errors } = await api.execute(`query($id: ID!) { node(id: $id) { id } }`, { id });
      expect(errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    },
  );

  it('refuses more than 100 ids', async () => {
    const ids = Array.from({ length: 101 }, (_, i) => Buffer.from(`v1:Organization:${i + 1}`).toString('base64url'));
    const { errors } = await api.execute(`query($ids: [ID!]!) { nodes(ids: $ids) { id } }`, { ids });
    expect(errors?.[0]?.message).toMatch(/at most 100/);
  });
});

describe('seat capacity under concurrency', () => {
  it('lets exactly maxHolders of many simultaneous appointments through', async () => {
    const org = await createOrganization(api.db, { jurisdictionId: api.jurisdictionId });
    const post = await createPost(api.db, { jurisdictionId: api.jurisdictionId, organizationId: org.id, maxHolders: 3 });
    const candidates = await Promise.all(Array.from({ length: 12 }, () => createPerson(api.db, api.jurisdictionId)));
    // Each appointment is its own transaction; on PostgreSQL they run in parallel on the pool.
    const outcomes = await Promise.allSettled(
      candidates.map((person) =>
        api.db.transaction((tx) =>
          tx.insert(memberships).values({ jurisdictionId: api.jurisdictionId, personId: person.id, organizationId: org.id, postId: post.id, role: 'member', startDate: '2026-01-01' }),
        ),
      ),
    );
    expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(3);
    // Every refusal is the capacity rule, not a deadlock or a timeout.
    const refusals = outcomes.filter((o): o is PromiseRejectedResult => o.status === 'rejected');
    expect(refusals.map((o) => (o.reason.cause ?? o.reason).code)).toEqual(Array(9).fill('23P01'));
    const holders = await api.db.select().from(memberships).where(eq(memberships.postId, post.id));
    expect(holders).toHaveLength(3);
  });
});

describe('seat capacity under REPEATABLE READ', () => {
  it('never over-fills a seat, whatever the isolation level of the writers', async () => {
    const org = await createOrganization(api.db, { jurisdictionId: api.jurisdictionId });
    const post = await createPost(api.db, { jurisdictionId: api.jurisdictionId, organizationId: org.id, maxHolders: 1 });
    const candidates = await Promise.all(Array.from({ length: 6 }, () => createPerson(api.db, api.jurisdictionId)));
    const outcomes = await Promise.allSettled(
      candidates.map((person) =>
        api.db.transaction(
          (tx) => tx.insert(memberships).values({ jurisdictionId: api.jurisdictionId, personId: person.id, organizationId: org.id, postId: post.id, role: 'member', startDate: '2026-01-01' }),
          { isolationLevel: 'repeatable read' },
        ),
      ),
    );
    const holders = await api.db.select().from(memberships).where(eq(memberships.postId, post.id));
    expect(holders).toHaveLength(1);
    expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
    // Losers fail with the capacity rule (23P01) or, under REPEATABLE READ, a serialization failure.
    const codes = outcomes.flatMap((o) => (o.status === 'rejected' ? [(o.reason.cause ?? o.reason).code] : []));
    for (const code of codes) expect(['23P01', '40001']).toContain(code);
  });
});
