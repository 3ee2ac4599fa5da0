import { randomBytes } from 'node:crypto';
import { and, eq, sql } from 'drizzle-orm';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createDatabase, type Database } from '../../src/db/client.ts';
import { withReadReplicas } from '../../src/db/replicas.ts';
import { memoryResponseStore } from '../../src/graphql/caching/response-store.ts';
import { organizations } from '../../src/db/schema/index.ts';
import { staffToken, startHttpInstance, type HttpInstance } from '../helpers/http-instance.ts';
import { openTestDatabase } from '../helpers/portland-database.ts';

/**
 * A primary and a "replica" that is a copy of it with one distinguishable row (Buckman renamed),
 * so each response shows which database answered. No replication runs between them: a write that
 * reached the primary stays invisible on the replica, which is what proves where it went.
 */
interface Pair {
  /** Routed as the server routes it: DATABASE_URL + DATABASE_REPLICA_URLS. */
  routed: Database;
  primary: Database;
  replica: Database;
  jurisdictionId: number;
  dispose(): Promise<void>;
}

async function openPair(): Promise<Pair> {
  const template = inject('testDatabaseTemplate');
  if (template.kind === 'postgres') {
    // On PostgreSQL, through createDatabase's own replicaUrls: the path DATABASE_REPLICA_URLS takes.
    const admin = postgres(template.adminUrl, { max: 1, onnotice: () => {} });
    const names = [0, 1].map(() => `civic_graph_test_${randomBytes(6).toString('hex')}`);
    for (const name of names) await admin.unsafe(`create database "${name}" template "${template.database}"`);
    const urlOf = (name: string) => Object.assign(new URL(template.adminUrl), { pathname: `/${name}` }).toString();
    const routed = await createDatabase({ url: urlOf(names[0]!), replicaUrls: [urlOf(names[1]!)] });
    const primary = await createDatabase({ url: urlOf(names[0]!), poolMax: 2 });
    const replica = await createDatabase({ url: urlOf(names[1]!), poolMax: 2 });
    const [portland] = await primary.db.select().from(organizations).limit(1);
    return {
      routed: routed.db,
      primary: primary.db,
      replica: replica.db,
      jurisdictionId: portland!.jurisdictionId,
      async dispose() {
        await Promise.all([routed.close(), primary.close(), replica.close()]);
        for (const name of names) await admin.unsafe(`drop database if exists "${name}" with (force)`);
        await admin.end();
      },
    };
  }
  // PGlite: two separate in-memory databases, routed by the same withReadReplicas.
  const primary = await openTestDatabase();
  const replica = await openTestDatabase();
  return {
    routed: withReadReplicas(primary.db, [replica.db]),
    primary: primary.db,
    replica: replica.db,
    jurisdictionId: primary.jurisdictionId,
    async dispose() {
      await Promise.all([primary.dispose(), replica.dispose()]);
    },
  };
}

let pair: Pair;
let api: HttpInstance;
const BUCKMAN = `{ organization(slug: "buckman") { id name description coalition { name } } }`;
const buckman = (db: Database) => db.select().from(organizations).where(and(eq(organizations.slug, 'buckman'), eq(organizations.jurisdictionId, pair.jurisdictionId)));

beforeAll(async () => {
  pair = await openPair();
  await pair.replica.update(organizations).set({ name: 'Buckman (replica)' }).where(eq(organizations.slug, 'buckman'));
  // Read through a loader (not the row a mutation returns), so a payload shows where its reads went.
  await pair.replica.update(organizations).set({ name: sql`${organizations.name} || ' (replica)'` }).where(eq(organizations.kind, 'DISTRICT_COALITION'));
  api = await startHttpInstance(pair.routed);
});
afterAll(async () => {
  await api.close();
  await pair.dispose();
});

describe('read replicas (DATABASE_REPLICA_URLS)', () => {
  it('answers queries from the replica, loaders included', async () => {
    const { body } = await api.post(BUCKMAN);
    expect(body.data.organization.name).toBe('Buckman (replica)');
    expect(body.data.organization.coalition.name).toMatch(/ \(replica\)$/);
  });

  it('runs a mutation on the primary, and its payload reads the primary', async () => {
    const { id } = (await api.post(BUCKMAN)).body.data.organization;
    const { body } = await api.post(
      `mutation ($input: OrganizationUpdateInput!) { organizationUpdate(input: $input) { organization { name description coalition { name } } userErrors { code message } } }`,
      { token: await staffToken(), variables: { input: { organizationId: id, description: 'Written on the primary.' } } },
    );
    expect(body.data.organizationUpdate.userErrors).toEqual([]);
    // The payload: the primary's name, and the description just written.
    const payload = body.data.organizationUpdate.organization;
    expect(payload).toMatchObject({ name: 'Buckman', description: 'Written on the primary.' });
    // Read after the write by a loader, in the same request: from the primary too.
    expect(payload.coalition.name).not.toMatch(/replica/);
    expect((await buckman(pair.primary))[0]!.description).toBe('Written on the primary.');
    expect((await buckman(pair.replica))[0]!.description).not.toBe('Written on the primary.');
  });

  it('keeps later queries on the replica (they see the write once it has replicated)', async () => {
    const { body } = await api.post(BUCKMAN);
    expect(body.data.organization.name).toBe('Buckman (replica)');
    expect(body.data.organization.description).not.toBe('Written on the primary.');
  });

  it('refuses a mutation on the primary with userErrors, whatever the replica holds', async () => {
    const { id } = (await api.post(BUCKMAN)).body.data.organization;
    // The slug of another organization: taken on the primary, so refused there.
    const { body } = await api.post(
      `mutation ($input: OrganizationUpdateInput!) { organizationUpdate(input: $input) { organization { name } userErrors { code } } }`,
      { token: await staffToken(), variables: { input: { organizationId: id, slug: 'kerns' } } },
    );
    expect(body.data.organizationUpdate).toEqual({ organization: null, userErrors: [{ code: 'SLUG_TAKEN' }] });
  });
});

describe('response cache with read replicas', () => {
  let cached: HttpInstance;
  beforeAll(async () => {
    cached = await startHttpInstance(pair.routed, { responseCache: memoryResponseStore() });
  });
  afterAll(() => cached.close());

  it('keys the cache by the data version of the replica that answered, so a replicated change is seen at once', async () => {
    const before = await cached.get(BUCKMAN);
    expect(before.body.data.organization.name).toBe('Buckman (replica)');
    expect((await cached.get(BUCKMAN)).body).toEqual(before.body);
    // A change reaches the replica (as replication would deliver it); the primary's version stays.
    await pair.replica.update(organizations).set({ description: 'Replicated later.' }).where(eq(organizations.slug, 'buckman'));
    const after = await cached.get(BUCKMAN);
    expect(after.body.data.organization).toMatchObject({ name: 'Buckman (replica)', description: 'Replicated later.' });
  });
});
