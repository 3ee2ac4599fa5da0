import { desc, sql } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { changes } from '../../src/db/schema/index.ts';
import { toGlobalId } from '../../src/graphql/global-id.ts';
import { encodeChangeCursor } from '../../src/modules/changes/changes.service.ts';
import { councilPost, createMembership, createPerson, organizationBySlug, createJurisdiction } from '../helpers/factories.ts';
import { waitForChangeFeed } from '../helpers/change-feed.ts';
import { createTestApi, type TestApi } from '../helpers/test-api.ts';

const FEED = `query($since: String, $types: [ChangeEntityType!], $first: Int, $jurisdiction: String) {
  changes(since: $since, entityTypes: $types, first: $first, jurisdiction: $jurisdiction) {
    entries { id entityType operation changedAt node { id ... on Organization { name } ... on Membership { person { name } } } }
    endCursor hasMore
  }
}`;

interface Entry { id: string; entityType: string; operation: string; changedAt: string; node: { id: string; name?: string; person?: { name: string } } | null }
interface Feed { entries: Entry[]; endCursor: string; hasMore: boolean }

let api: TestApi;
/** The feed position before each test: the end of the log written so far. */
let head: string;

async function logEnd(): Promise<string> {
  const [last] = await api.db.select({ xid: changes.xid, id: changes.id }).from(changes).orderBy(desc(changes.xid), desc(changes.id)).limit(1);
  return encodeChangeCursor(last ?? { xid: '0', id: 0 });
}

/** Rows of a raw statement, whichever driver answered (PGlite returns { rows }, postgres.js an array). */
const rowsOf = (result: unknown): Record<string, unknown>[] => (Array.isArray(result) ? result : (result as { rows: Record<string, unknown>[] }).rows);

async function feed(since: string | null, variables: Record<string, unknown> = {}): Promise<Feed> {
  const { data, errors } = await api.execute<{ changes: Feed }>(FEED, { since, ...variables });
  expect(errors).toBeUndefined();
  return data!.changes;
}

/** Reads the feed once everything committed so far can be in it (see waitForChangeFeed). */
async function settledFeed(since: string | null, variables: Record<string, unknown> = {}): Promise<Feed> {
  await waitForChangeFeed(api.db);
  return feed(since, variables);
}

const staffMutation = (query: string, input: Record<string, unknown>) => api.execute(query, { input }, { viewer: api.staff() });

beforeAll(async () => {
  api = await createTestApi();
});
afterAll(() => api.dispose());
beforeEach(async () => {
  head = await logEnd();
});

describe('changes feed', () => {
  it('reports an API create, an API update and an SQL delete in order, the delete as a tombstone', async () => {
    const created = await staffMutation(`mutation($input: OrganizationCreateInput!) { organizationCreate(input: $input) { organization { id } } }`, {
      kind: 'ADVISORY_BODY',
      name: 'Feed Test Board',
    });
    const id: string = created.data!.organizationCreate.organization.id;
    const afterCreate = await settledFeed(head);
    expect(afterCreate.entries).toEqual([expect.objectContaining({ id, entityType: 'ORGANIZATION', operation: 'CREATE', node: { id, name: 'Feed Test Board' } })]);

    await staffMutation(`mutation($input: OrganizationUpdateInput!) { organizationUpdate(input: $input) { organization { id } } }`, { organizationId: id, name: 'Feed Test Board II' });
    const afterUpdate = await settledFeed(afterCreate.endCursor);
    expect(afterUpdate.entries).toEqual([expect.objectContaining({ id, operation: 'UPDATE', node: { id, name: 'Feed Test Board II' } })]);

    await api.db.execute(sql`delete from organizations where name = 'Feed Test Board II'`);
    const afterDelete = await settledFeed(afterUpdate.endCursor);
    expect(afterDelete.entries).toEqual([expect.objectContaining({ id, entityType: 'ORGANIZATION', operation: 'DELETE', node: null })]);
    expect(afterDelete.hasMore).toBe(false);

    // Nothing new: the cursor stays where it was, so storing it is always right.
    const idle = await settledFeed(afterDelete.endCursor);
    expect(idle).toEqual({ entries: [], endCursor: afterDelete.endCursor, hasMore: false });
  });

  it('reports a plain SQL update as an UPDATE', async () => {
    await api.db.execute(sql`update organizations set description = 'Changed by SQL' where slug = 'buckman'`);
    const buckman = await organizationBySlug(api.db, 'buckman');
    expect((await settledFeed(head)).entries).toEqual([expect.objectContaining({ id: toGlobalId('Organization', buckman.id), operation: 'UPDATE' })]);
  });

  it('collapses several changes of one object in a page into one entry at its last change', async () => {
    const buckman = await organizationBySlug(api.db, 'buckman');
    const alameda = await organizationBySlug(api.db, 'alameda');
    await api.db.execute(sql`update organizations set short_name = 'B1' where id = ${buckman.id}`);
    await api.db.execute(sql`update organizations set short_name = 'S1' where id = ${alameda.id}`);
    await api.db.execute(sql`update organizations set short_name = 'B2' where id = ${buckman.id}`);
    const page = await settledFeed(head);
    expect(page.entries.map((e) => [e.id, e.operation])).toEqual([
      [toGlobalId('Organization', alameda.id), 'UPDATE'],
      [toGlobalId('Organization', buckman.id), 'UPDATE'],
    ]);
    // Pages split the log; every change is still read exactly once across them.
    const first = await settledFeed(head, { first: 1 });
    expect(first.hasMore).toBe(true);
    const rest = await settledFeed(first.endCursor, { first: 2 });
    expect([...first.entries, ...rest.entries].map((e) => e.id)).toEqual([buckman, alameda, buckman].map((o) => toGlobalId('Organization', o.id)));
    expect(rest.hasMore).toBe(false);
  });

  it('does not report writes that change nothing', async () => {
    await api.db.execute(sql`update organizations set name = name where slug = 'buckman'`);
    await api.db.execute(sql`update posts set max_holders = max_holders`);
    expect((await settledFeed(head)).entries).toEqual([]);
  });

  it('reports an appointment as a membership CREATE, and not the seat the capacity check locks', async () => {
    const post = await councilPost(api.db, 2);
    const person = await createPerson(api.db, api.jurisdictionId, 'Feed Appointee');
    const membership = await createMembership(api.db, { jurisdictionId: api.jurisdictionId, personId: person.id, organizationId: post.organizationId, postId: post.id, startDate: '2030-01-01' });
    const page = await settledFeed(head);
    expect(page.entries).toEqual([
      expect.objectContaining({ id: toGlobalId('Membership', membership.id), entityType: 'MEMBERSHIP', operation: 'CREATE', node: { id: toGlobalId('Membership', membership.id), person: { name: 'Feed Appointee' } } }),
    ]);
  });

  it('reports a record that belongs to an object as an UPDATE of that object (recognition, coalition link)', async () => {
    const buckman = await organizationBySlug(api.db, 'buckman');
    const id = toGlobalId('Organization', buckman.id);
    const recognized = await staffMutation(`mutation($input: AssociationRecognitionChangeInput!) { associationRecognize(input: $input) { userErrors { code } } }`, { organizationId: id, effectiveOn: '2020-01-01' });
    expect(recognized.data!.associationRecognize.userErrors).toEqual([]);
    const afterRecognition = await settledFeed(head);
    expect(afterRecognition.entries).toEqual([expect.objectContaining({ id, operation: 'UPDATE' })]);

    const { data } = await api.execute(`{ coalition: organization(slug: "district-4-coalition") { id } }`);
    const moved = await staffMutation(`mutation($input: AssociationCoalitionMoveInput!) { associationCoalitionMove(input: $input) { userErrors { code } } }`, {
      organizationId: id,
      coalitionId: data!.coalition.id,
      effectiveOn: '2026-02-01',
    });
    expect(moved.data!.associationCoalitionMove.userErrors).toEqual([]);
    // The association changed (its coalition); the coalitions are not reported, their lists follow from it.
    expect((await settledFeed(afterRecognition.endCursor)).entries).toEqual([expect.objectContaining({ id, operation: 'UPDATE' })]);
  });

  it('filters by entity type and jurisdiction', async () => {
    const buckman = await organizationBySlug(api.db, 'buckman');
    await api.db.execute(sql`update organizations set short_name = 'BK' where id = ${buckman.id}`);
    expect((await settledFeed(head, { types: ['POST', 'MEMBERSHIP'] })).entries).toEqual([]);
    expect((await settledFeed(head, { types: ['ORGANIZATION'] })).entries).toHaveLength(1);

    const other = await createJurisdiction(api.db, { slug: 'feedtown', name: 'Feedtown', ocdId: 'ocd-division/country:us/state:or/place:feedtown', timezone: 'America/Los_Angeles' });
    await api.db.execute(sql`insert into organizations (jurisdiction_id, slug, kind, name) values (${other!.id}, 'feedtown-board', 'ADVISORY_BODY', 'Feedtown Board')`);
    const portland = await settledFeed(head);
    expect(portland.entries.map((e) => e.id)).toEqual([toGlobalId('Organization', buckman.id)]);
    const feedtown = await settledFeed(head, { jurisdiction: 'feedtown' });
    expect(feedtown.entries).toEqual([expect.objectContaining({ entityType: 'ORGANIZATION', operation: 'CREATE', node: expect.objectContaining({ name: 'Feedtown Board' }) })]);
  });

  it('reports a public name change of a roster person as an UPDATE of each membership, and private changes not at all', async () => {
    const post = await councilPost(api.db, 1);
    const person = await createPerson(api.db, api.jurisdictionId, 'Feed Roster Person');
    const membership = await createMembership(api.db, { jurisdictionId: api.jurisdictionId, personId: person.id, organizationId: post.organizationId, postId: post.id, startDate: '2031-01-01' });
    const start = await logEnd();
    const personId = toGlobalId('Person', person.id);
    await staffMutation(`mutation($input: PersonUpdateInput!) { personUpdate(input: $input) { userErrors { code } } }`, { personId, privateDetails: { email: 'feed.private@example.org', homeAddress: '1 Private St' } });
    expect((await settledFeed(start)).entries).toEqual([]);
    await staffMutation(`mutation($input: PersonUpdateInput!) { personUpdate(input: $input) { userErrors { code } } }`, { personId, name: 'Feed Roster Person Renamed' });
    const page = await settledFeed(start);
    expect(page.entries).toEqual([expect.objectContaining({ id: toGlobalId('Membership', membership.id), operation: 'UPDATE', node: expect.objectContaining({ person: { name: 'Feed Roster Person Renamed' } }) })]);
    expect(JSON.stringify(page)).not.toContain('feed.private@example.org');
  });

  it('leaves no public trace of an edit of a membership\'s private columns (residency override reason)', async () => {
    const post = await councilPost(api.db, 2);
    const person = await createPerson(api.db, api.jurisdictionId, 'Feed Override Person');
    const membership = await createMembership(api.db, { jurisdictionId: api.jurisdictionId, personId: person.id, organizationId: post.organizationId, postId: post.id, startDate: '2032-01-01' });
    const before = await api.db.execute(sql`select updated_at::text as t from memberships where id = ${membership.id}`);
    const start = await logEnd();
    // As staff would through the API (which also sets updated_at itself), and as plain SQL.
    await api.db.execute(sql`update memberships set residency_override_reason = 'private reason', updated_at = now() + interval '1 second' where id = ${membership.id}`);
    await api.db.execute(sql`update memberships set residency_override_reason = 'another private reason' where id = ${membership.id}`);
    expect((await settledFeed(start)).entries).toEqual([]);
    const after = await api.db.execute(sql`select updated_at::text as t from memberships where id = ${membership.id}`);
    expect(rowsOf(after)[0]).toEqual(rowsOf(before)[0]);
    // A public change of the same row is still reported.
    await api.db.execute(sql`update memberships set role = 'Chair' where id = ${membership.id}`);
    expect((await settledFeed(start)).entries).toEqual([expect.objectContaining({ id: toGlobalId('Membership', membership.id), operation: 'UPDATE' })]);
  });

  it('never mentions a person who is on no public roster', async () => {
    const created = await staffMutation(`mutation($input: PersonCreateInput!) { personCreate(input: $input) { person { id } } }`, { name: 'Feed Private Person', privateDetails: { email: 'hidden@example.org' } });
    expect(created.errors).toBeUndefined();
    await staffMutation(`mutation($input: PersonUpdateInput!) { personUpdate(input: $input) { userErrors { code } } }`, { personId: created.data!.personCreate.person.id, name: 'Feed Private Person 2' });
    const page = await settledFeed(head);
    expect(page.entries).toEqual([]);
    expect(page.endCursor).toBe(head);
  });

  it('starts from the beginning of the log without a cursor', async () => {
    const page = await settledFeed(null, { first: 5 });
    expect(page.entries.length).toBeGreaterThan(0);
    expect(page.hasMore).toBe(true);
  });

  it('refuses a forged cursor and an out-of-range page size with BAD_USER_INPUT', async () => {
    for (const [variables, argument] of [
      [{ since: 'bm90LWEtY3Vyc29y' }, 'since'],
      [{ since: Buffer.from(JSON.stringify(['c1', '1; drop table changes', 1])).toString('base64url') }, 'since'],
      [{ since: null, first: 0 }, 'first'],
      [{ since: null, first: 101 }, 'first'],
    ] as const) {
      const { errors } = await api.execute(FEED, variables);
      expect(errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument });
    }
  });
});

// Two transactions interleaving needs two connections: PGlite has one, and there transactions run
// one after another, so ids are always in commit order and the trap cannot arise. PostgreSQL only.
describe.runIf(process.env.TEST_DATABASE_URL)('changes feed with concurrent transactions (PostgreSQL)', () => {
  /**
   * Reads the feed from `since` until `count` entries came back. Transaction ids are shared by every
   * database on the server, so another database's running transaction (other test files) can hold
   * the feed back for a moment: wait for it rather than fail. A skipped change never arrives.
   */
  async function readUntil(since: string, count: number): Promise<{ entries: Entry[]; endCursor: string }> {
    const entries: Entry[] = [];
    let cursor = since;
    for (let attempt = 0; attempt < 200 && entries.length < count; attempt++) {
      const page = await feed(cursor);
      entries.push(...page.entries);
      cursor = page.endCursor;
      if (entries.length < count) await new Promise((resolve) => setTimeout(resolve, 50));
    }
    return { entries, endCursor: cursor };
  }

  /** Runs `work` in a transaction that stays open until the returned `commit` is called. */
  async function openTransaction(work: (tx: Parameters<Parameters<TestApi['db']['transaction']>[0]>[0]) => Promise<void>) {
    let commit!: () => void;
    const held = new Promise<void>((resolve) => (commit = resolve));
    let ready!: () => void;
    const started = new Promise<void>((resolve) => (ready = resolve));
    const done = api.db.transaction(async (tx) => {
      await work(tx);
      ready();
      await held;
    });
    await started;
    return { commit: async () => (commit(), await done) };
  }

  it('does not skip a change of a transaction that commits after a later one (smaller id, earlier xid)', async () => {
    const t1 = await openTransaction(async (tx) => {
      await tx.execute(sql`update organizations set short_name = 'T1' where slug = 'buckman'`);
    });
    await api.db.execute(sql`update organizations set short_name = 'T2' where slug = 'alameda'`);
    // T2 committed, but T1 (older, smaller id) still runs: nothing after T1's place may be shown yet.
    let during: Feed;
    try {
      during = await feed(head);
      expect(during.entries).toEqual([]);
    } finally {
      await t1.commit();
    }
    const after = await readUntil(during!.endCursor, 2);
    const [buckman, alameda] = [await organizationBySlug(api.db, 'buckman'), await organizationBySlug(api.db, 'alameda')];
    expect(after.entries.map((e) => e.id)).toEqual([toGlobalId('Organization', buckman.id), toGlobalId('Organization', alameda.id)]);
  });

  it('does not skip a change with a smaller id from a transaction that began later and commits later', async () => {
    // T2 gets its transaction id first; T3 gets a later one but writes its change (smaller id) first.
    let commitT2!: () => void;
    const t2Held = new Promise<void>((resolve) => (commitT2 = resolve));
    let t2Ready!: () => void;
    const t2Started = new Promise<void>((resolve) => (t2Ready = resolve));
    const t2Done = api.db.transaction(async (tx) => {
      await tx.execute(sql`select pg_current_xact_id()`);
      t2Ready();
      await t2Held;
      await tx.execute(sql`update organizations set short_name = 'Late T2' where slug = 'alameda'`);
    });
    await t2Started;
    const t3 = await openTransaction(async (tx) => {
      await tx.execute(sql`update organizations set short_name = 'Late T3' where slug = 'buckman'`);
    });
    commitT2();
    await t2Done;
    const [buckman, alameda] = [await organizationBySlug(api.db, 'buckman'), await organizationBySlug(api.db, 'alameda')];
    let during: { entries: Entry[]; endCursor: string };
    try {
      // T2's change is ready (its transaction is older than every running one) and is handed out.
      during = await readUntil(head, 1);
      expect(during.entries.map((e) => e.id)).toEqual([toGlobalId('Organization', alameda.id)]);
    } finally {
      await t3.commit();
    }
    const after = await readUntil(during!.endCursor, 1);
    expect(after.entries.map((e) => e.id)).toEqual([toGlobalId('Organization', buckman.id)]);
    // The trap was real: T3's change has the smaller id, so a feed ordered by id alone would skip it.
    const rows = await api.db.select({ id: changes.id, entityId: changes.entityId }).from(changes).orderBy(desc(changes.id)).limit(2);
    expect(rows.map((r) => r.entityId)).toEqual([alameda.id, buckman.id]);
  });
});
