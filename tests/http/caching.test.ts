import { createHash, randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { sql } from 'drizzle-orm';
import { createLogger } from '../../src/logger.ts';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { createAuthenticator } from '../../src/auth/authenticate.ts';
import { createJwtVerifier, signStaffToken } from '../../src/auth/jwt.ts';
import { createContext } from '../../src/context.ts';
import { memoryResponseStore, redisResponseStore, type ResponseStore } from '../../src/graphql/caching/response-store.ts';
import { createHttpServer } from '../../src/http/http-server.ts';
import { Redis as RedisClient } from 'ioredis';
import { redisKeyValueCache } from '../../src/graphql/persisted/redis-apq-cache.ts';
import type { Redis } from '../../src/redis/client.ts';
import { waitForChangeFeed } from '../helpers/change-feed.ts';
import { startHttpInstance } from '../helpers/http-instance.ts';
import { createApolloServer } from '../../src/server.ts';
import { openTestDatabase, type PortlandTestDatabase } from '../helpers/portland-database.ts';
import { connectTestRedis } from '../helpers/test-redis.ts';

const settings = { secret: 'test-secret-that-is-long-enough-for-hs256!!', issuer: 'civic-graph', audience: 'civic-graph' };
const logger = createLogger('silent');
const statements: string[] = [];
let database: PortlandTestDatabase;
let token: string;

/** A real HTTP server (Apollo + auth + the given response store) over the shared test database. */
async function startInstance(store: ResponseStore | null): Promise<{ url: string; close(): Promise<void> }> {
  const apollo = createApolloServer({ logger, production: false, responseCache: store });
  await apollo.start();
  const authenticate = createAuthenticator(database.db, createJwtVerifier(settings));
  const server: Server = createHttpServer(
    apollo,
    async ({ headers, requestId }) =>
      createContext({ db: database.db, defaultJurisdiction: 'portland', logger, requestId, viewer: await authenticate(headers.get('authorization')) }),
    logger,
  );
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`,
    close: async () => {
      await new Promise((resolve) => server.close(resolve));
      await apollo.stop();
    },
  };
}

const QUERY = '{ organization(slug: "buckman") { name description } }';

async function get(url: string, query: string, variables?: object, auth?: string) {
  const params = new URLSearchParams({ query, ...(variables ? { variables: JSON.stringify(variables) } : {}) });
  const res = await fetch(`${url}?${params}`, { headers: { 'apollo-require-preflight': 'true', ...(auth ? { authorization: `Bearer ${auth}` } : {}) } });
  return { status: res.status, headers: res.headers, body: (await res.json()) as any };
}

async function post(url: string, query: string, variables?: object, auth?: string) {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(auth ? { authorization: `Bearer ${auth}` } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  return { status: res.status, headers: res.headers, body: (await res.json()) as any };
}

/** SQL statements the request sent (the counter sees every statement of the shared database). */
async function counted<T>(request: () => Promise<T>): Promise<{ result: T; statements: number }> {
  statements.length = 0;
  const result = await request();
  return { result, statements: statements.length };
}

async function buckmanId(url: string): Promise<string> {
  return (await post(url, '{ organization(slug: "buckman") { id } }')).body.data.organization.id;
}

const UPDATE = 'mutation($input: OrganizationUpdateInput!) { organizationUpdate(input: $input) { organization { description } userErrors { code } } }';

beforeAll(async () => {
  database = await openTestDatabase({ sampleMembers: true, onQuery: (text) => statements.push(text) });
  token = await signStaffToken(settings, { subject: 'maria@portland.example', role: 'staff', jurisdiction: 'portland', name: 'Maria' });
});
afterAll(() => database.dispose());
// The data version (the cache key) counts changes not yet behind the server-wide transaction
// horizon apart; on PostgreSQL another test database's transaction ending between two requests would
// move it and turn an expected hit into a miss. Each test starts with this database's changes behind it.
beforeEach(() => waitForChangeFeed(database.db));

describe('Cache-Control headers', () => {
  let instance: Awaited<ReturnType<typeof startInstance>>;
  beforeAll(async () => (instance = await startInstance(null)));
  afterAll(() => instance.close());

  it('marks an anonymous GET of public data public for the smallest max age, varying by Authorization', async () => {
    const res = await get(instance.url, QUERY);
    expect(res.body.data.organization.name).toBe('Buckman');
    expect(res.headers.get('cache-control')).toBe('public, max-age=60');
    expect(res.headers.get('vary')).toMatch(/authorization/i);
    const feed = await get(instance.url, '{ changes(first: 1) { endCursor entries { node { id } } } }');
    expect(feed.headers.get('cache-control')).toBe('public, max-age=10');
  });

  it('never marks an answer for a caller with credentials cacheable', async () => {
    const res = await get(instance.url, QUERY, undefined, token);
    expect(res.body.data.organization.name).toBe('Buckman');
    expect(res.headers.get('cache-control')).toBe('private, no-store');
  });

  it('does not let shared caches keep POST answers, errors, or answers with private or unhinted fields', async () => {
    expect((await post(instance.url, QUERY)).headers.get('cache-control')).toBe('no-store');
    expect((await get(instance.url, '{ organization(slug: 42) { name } }')).headers.get('cache-control')).toBe('no-store');
    expect((await get(instance.url, '{ viewer { role } }')).headers.get('cache-control')).toBe('private, no-store');
    const person = await get(instance.url, '{ memberships(first: 1) { nodes { residencyOverrideReason person { privateDetails { email } } } } }');
    expect(person.body.errors).toBeUndefined();
    expect(person.body.data.memberships.nodes).toHaveLength(1);
    expect(person.headers.get('cache-control')).toBe('private, no-store');
  });

  it('refuses a mutation sent with GET, so GET never changes data', async () => {
    const id = await buckmanId(instance.url);
    const res = await fetch(`${instance.url}?${new URLSearchParams({ query: UPDATE, variables: JSON.stringify({ input: { organizationId: id, description: 'via GET' } }) })}`, {
      headers: { 'apollo-require-preflight': 'true', authorization: `Bearer ${token}` },
    });
    expect(res.status).toBe(405);
    expect((await post(instance.url, QUERY)).body.data.organization.description).not.toBe('via GET');
  });
});

describe('response cache (in memory)', () => {
  let instance: Awaited<ReturnType<typeof startInstance>>;
  beforeAll(async () => (instance = await startInstance(memoryResponseStore())));
  afterAll(() => instance.close());

  it('answers a repeated anonymous query from the cache: one statement (the data version) instead of execution', async () => {
    const first = await counted(() => get(instance.url, '{ neighborhoodAssociations(first: 5) { nodes { name coalition { name } } } }'));
    const second = await counted(() => get(instance.url, '{ neighborhoodAssociations(first: 5) { nodes { name coalition { name } } } }'));
    expect(first.statements).toBeGreaterThan(1);
    expect(second.statements).toBe(1);
    expect(second.result.body).toEqual(first.result.body);
    expect(second.result.headers.get('cache-control')).toBe('public, max-age=60');
    // POST reads share the cache; other variables are another entry.
    expect((await counted(() => post(instance.url, '{ neighborhoodAssociations(first: 5) { nodes { name coalition { name } } } }'))).statements).toBe(1);
    expect((await counted(() => get(instance.url, 'query($n: Int) { neighborhoodAssociations(first: $n) { nodes { name } } }', { n: 2 }))).statements).toBeGreaterThan(1);
  });

  it('returns the new data at once after a mutation', async () => {
    await get(instance.url, QUERY);
    expect((await counted(() => get(instance.url, QUERY))).statements).toBe(1);
    const id = await buckmanId(instance.url);
    const updated = await post(instance.url, UPDATE, { input: { organizationId: id, description: 'After the mutation' } }, token);
    expect(updated.body.data.organizationUpdate.userErrors).toEqual([]);
    const after = await get(instance.url, QUERY);
    expect(after.body.data.organization.description).toBe('After the mutation');
  });

  it('returns the new data at once after a direct SQL write', async () => {
    await get(instance.url, QUERY);
    await database.db.execute(sql`update organizations set description = 'Written by SQL' where slug = 'buckman'`);
    expect((await get(instance.url, QUERY)).body.data.organization.description).toBe('Written by SQL');
  });

  it('never caches for callers with credentials, nor lets them fill the public cache', async () => {
    const q = '{ organization(slug: "alameda") { name } }';
    const staffRuns = [await counted(() => get(instance.url, q, undefined, token)), await counted(() => get(instance.url, q, undefined, token))];
    for (const run of staffRuns) expect(run.statements).toBeGreaterThan(1);
    // The staff answers were not stored for the public either.
    expect((await counted(() => get(instance.url, q))).statements).toBeGreaterThan(1);
  });

  it('answers a query sent with an undeclared variable nested past the stack, and keys answers on declared variables only', async () => {
    const query = '{ councilDistricts { name } }';
    // 20,000 nested arrays: JSON.parse reads them, JSON.stringify overflows the stack on them.
    const deep = `${'['.repeat(20_000)}${']'.repeat(20_000)}`;
    const res = await fetch(instance.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: `{"query":${JSON.stringify(query)},"variables":{"junk":${deep}}}` });
    const body = (await res.json()) as any;
    expect(res.status).toBe(200);
    expect(body.errors).toBeUndefined();
    expect(body.data.councilDistricts.length).toBeGreaterThan(0);
    // A variable the operation does not declare cannot change its answer: it is the same entry.
    const again = await counted(() => post(instance.url, query, { other: 'value' }));
    expect(again.result.body).toEqual(body);
    expect(again.statements).toBe(1);
  });

  it('does not cache answers with errors, nor mutations', async () => {
    const bad = '{ organizations(jurisdiction: "nowhere", first: 1) { totalCount } }';
    expect((await get(instance.url, bad)).body.errors).toBeDefined();
    expect((await counted(() => get(instance.url, bad))).statements).toBeGreaterThan(1);
    const id = await buckmanId(instance.url);
    const input = { input: { organizationId: id, description: 'Same twice' } };
    await post(instance.url, UPDATE, input, token);
    expect((await counted(() => post(instance.url, UPDATE, input, token))).statements).toBeGreaterThan(1);
  });
});

describe('response cache shared through Redis by two instances', () => {
  let redisA: Redis;
  let redisB: Redis;
  let prefix: string;
  let a: Awaited<ReturnType<typeof startInstance>>;
  let b: Awaited<ReturnType<typeof startInstance>>;

  beforeAll(async () => {
    prefix = `civic-graph-test:${randomBytes(6).toString('hex')}:`;
    // Both connected before the instances start: a store over a client that is not ready is skipped.
    [redisA, redisB] = await Promise.all([connectTestRedis(), connectTestRedis()]);
    a = await startInstance(redisResponseStore(redisA, prefix));
    b = await startInstance(redisResponseStore(redisB, prefix));
  });
  afterAll(async () => {
    await a?.close();
    await b?.close();
    const keys = await redisA.keys(`${prefix}*`);
    if (keys.length) await redisA.del(...keys);
    redisA.disconnect();
    redisB.disconnect();
  });
  beforeEach(() => database.db.execute(sql`update organizations set description = 'Before' where slug = 'buckman'`));

  it('serves an answer cached by one instance from the other', async () => {
    const fromA = await counted(() => get(a.url, QUERY));
    expect(fromA.statements).toBeGreaterThan(1);
    // The store is written after the answer is sent (never on the response path).
    await vi.waitFor(async () => expect((await redisA.keys(`${prefix}*`)).length).toBeGreaterThan(0));
    const fromB = await counted(() => get(b.url, QUERY));
    expect(fromB.statements).toBe(1);
    expect(fromB.result.body).toEqual(fromA.result.body);
    expect((await redisA.keys(`${prefix}*`)).length).toBeGreaterThan(0);
  });

  it('a write through instance A invalidates the answer cached on instance B at once', async () => {
    await get(b.url, QUERY);
    await vi.waitFor(async () => expect((await counted(() => get(b.url, QUERY))).statements).toBe(1));
    expect((await counted(() => get(b.url, QUERY))).statements).toBe(1);
    const id = await buckmanId(a.url);
    const updated = await post(a.url, UPDATE, { input: { organizationId: id, description: 'Written through A' } }, token);
    expect(updated.body.data.organizationUpdate.userErrors).toEqual([]);
    const afterWrite = await counted(() => get(b.url, QUERY));
    expect(afterWrite.result.body.data.organization.description).toBe('Written through A');
    expect(afterWrite.statements).toBeGreaterThan(1);
  });
});

describe('response cache and persisted queries while Redis is unreachable', () => {
  // Nothing listens on port 1. This client would queue its commands until Redis comes back
  // (no retry limit), so anything that sends one while Redis is not ready waits with it: the
  // server has to check readiness itself. The request timeout turns such a wait into a 503.
  let unreachable: RedisClient;
  let instance: Awaited<ReturnType<typeof startHttpInstance>>;
  beforeAll(async () => {
    unreachable = new RedisClient('redis://127.0.0.1:1', { maxRetriesPerRequest: null, enableOfflineQueue: true });
    unreachable.on('error', () => {});
    instance = await startHttpInstance(database.db, {
      responseCache: redisResponseStore(unreachable, 'civic-graph-test:unreachable:'),
      persistedQueryCache: redisKeyValueCache(unreachable, 'civic-graph-test:unreachable-apq:'),
      requestTimeoutMs: 5_000,
    });
  });
  afterAll(async () => {
    await instance?.close();
    unreachable.disconnect();
  });

  it('executes anonymous queries normally, skipping the cache', async () => {
    for (let i = 0; i < 2; i++) {
      const res = await instance.get(QUERY);
      expect(res.status).toBe(200);
      expect(res.body.data.organization.name).toBeDefined();
      expect(res.headers.get('cache-control')).toMatch(/public/);
    }
  });

  it('answers a persisted query hash as a miss, and runs the document when sent', async () => {
    const hash = createHash('sha256').update(QUERY).digest('hex');
    const extensions = JSON.stringify({ persistedQuery: { version: 1, sha256Hash: hash } });
    const miss = await fetch(`${instance.base}/graphql?${new URLSearchParams({ extensions })}`, { headers: { 'apollo-require-preflight': 'true' } });
    expect(((await miss.json()) as any).errors[0].extensions.code).toBe('PERSISTED_QUERY_NOT_FOUND');
    const registered = await fetch(`${instance.base}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: QUERY, extensions: { persistedQuery: { version: 1, sha256Hash: hash } } }),
    });
    expect(registered.status).toBe(200);
    expect(((await registered.json()) as any).data.organization.name).toBeDefined();
  });
});
