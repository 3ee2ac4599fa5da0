import { randomBytes } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import { createCostLimiter, type CostLimiter } from '../../src/graphql/limits/rate-limiter.ts';
import { Metrics } from '../../src/http/metrics.ts';
import { memoryResponseStore } from '../../src/graphql/caching/response-store.ts';
import { documentHash, type TrustedDocuments } from '../../src/graphql/persisted/manifest.ts';
import { createRedis, type Redis } from '../../src/redis/client.ts';
import { connectTestRedis, deleteTestKeys } from '../helpers/test-redis.ts';
import { partnerKey, staffToken, startHttpInstance, structuredItem, type HttpInstance } from '../helpers/http-instance.ts';
import { openTestDatabase, type PortlandTestDatabase } from '../helpers/portland-database.ts';

const BUDGETS = { public: 1_000, partner: 5_000, staff: 10_000 };
const TEN_ORGANIZATIONS = `{ organizations(first: 10) { nodes { name } } }`;
/** A plain list bounded at 10 (list-sizes.ts); Portland has 4 council districts. */
const COUNCIL_DISTRICTS = `{ councilDistricts { name } }`;

let database: PortlandTestDatabase;
const statements: string[] = [];
const instances: HttpInstance[] = [];

beforeAll(async () => {
  database = await openTestDatabase({ onQuery: (sql) => statements.push(sql) });
});
afterEach(async () => {
  await Promise.all(instances.splice(0).map((instance) => instance.close()));
});
afterAll(async () => {
  await database.dispose();
});

async function start(limiter: CostLimiter, extra: Parameters<typeof startHttpInstance>[1] = {}) {
  const instance = await startHttpInstance(database.db, { rateLimiter: limiter, maxQueryCost: 1_000, ...extra });
  instances.push(instance);
  return instance;
}

const memoryLimiter = () => createCostLimiter({ windowSeconds: 60, budgets: BUDGETS });
const remainingOf = (headers: Headers) => Number(structuredItem(headers.get('ratelimit')).r);

describe('rate limits in memory', () => {
  it('charges the requested cost, refunds what was not returned, and reports both', async () => {
    const api = await start(memoryLimiter());
    const first = await api.post(TEN_ORGANIZATIONS);
    expect(first.status).toBe(200);
    expect(first.body.extensions.cost).toEqual({
      requestedQueryCost: 10,
      actualQueryCost: 10,
      throttleStatus: { maximumAvailable: 1_000, currentlyAvailable: 990, windowSeconds: 60, resetInSeconds: expect.any(Number) },
    });
    // Asked for up to 10 districts, got 4: charged 10 before, refunded 6 after.
    const second = await api.post(COUNCIL_DISTRICTS);
    expect(second.body.data.councilDistricts).toHaveLength(4);
    expect(second.body.extensions.cost).toMatchObject({ requestedQueryCost: 10, actualQueryCost: 4, throttleStatus: { currentlyAvailable: 986 } });
  });

  it('charges a public cacheable GET but leaves the caller\'s budget out of it (a CDN replays it to others)', async () => {
    const api = await start(memoryLimiter());
    const cacheable = await api.get(COUNCIL_DISTRICTS);
    expect(cacheable.status).toBe(200);
    expect(cacheable.headers.get('cache-control')).toMatch(/^public, max-age=\d+$/);
    expect(cacheable.body.extensions.cost).toEqual({ requestedQueryCost: 10, actualQueryCost: 4 });
    expect(cacheable.headers.get('ratelimit')).toBeNull();
    expect(cacheable.headers.get('ratelimit-policy')).toBeNull();
    // Charged all the same: the next (uncacheable) answer shows the 4 points spent.
    const post = await api.post(COUNCIL_DISTRICTS);
    expect(post.headers.get('cache-control')).toBe('no-store');
    expect(post.body.extensions.cost.throttleStatus.currentlyAvailable).toBe(1_000 - 4 - 4);
    expect(remainingOf(post.headers)).toBe(1_000 - 4 - 4);
  });

  it('sends the IETF RateLimit headers on every /graphql response, errors included', async () => {
    const api = await start(memoryLimiter());
    const ok = await api.post(TEN_ORGANIZATIONS);
    expect(structuredItem(ok.headers.get('ratelimit-policy'))).toEqual({ name: 'public', q: '1000', w: '60' });
    const state = structuredItem(ok.headers.get('ratelimit'));
    expect(state).toMatchObject({ name: 'public', r: '990' });
    expect(Number(state.t)).toBeGreaterThan(0);
    expect(Number(state.t)).toBeLessThanOrEqual(60);
    expect(ok.headers.get('retry-after')).toBeNull();

    // A syntax error is not charged (nothing was priced), but still says where the budget stands.
    const broken = await api.post('{ organizations(first: 10) { nodes { name }');
    expect(broken.status).toBe(400);
    expect(remainingOf(broken.headers)).toBe(990);
    expect(broken.body.extensions.cost).toMatchObject({ requestedQueryCost: null, actualQueryCost: null, throttleStatus: { currentlyAvailable: 990 } });

    // Above MAX_QUERY_COST: refused by the cost limit, not charged.
    const costly = await api.post(`{ organizations(first: 100) { nodes { posts(first: 20) { nodes { label } } } } }`);
    expect(costly.body.errors[0].extensions.code).toBe('QUERY_TOO_COSTLY');
    expect(costly.body.extensions.cost.requestedQueryCost).toBe(2_100);
    expect(remainingOf(costly.headers)).toBe(990);

    // A refused batch never reaches the operation pipeline; the headers are still there.
    const res = await fetch(`${api.base}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify([{ query: '{ __typename }' }, { query: '{ __typename }' }]),
    });
    expect(res.status).toBe(400);
    expect(remainingOf(res.headers)).toBe(990);
  });

  it('charges at least one point for an operation that returns no list', async () => {
    const api = await start(memoryLimiter());
    const { body, headers } = await api.post('{ __typename }');
    expect(body.extensions.cost).toMatchObject({ requestedQueryCost: 0, actualQueryCost: 0 });
    expect(remainingOf(headers)).toBe(999);
  });

  it('refuses with 429, Retry-After and RATE_LIMITED when the budget cannot cover the cost, having run nothing', async () => {
    const metrics = new Metrics({ defaultMetrics: false });
    const api = await start(memoryLimiter(), { metrics });
    const page = `{ organizations(first: 100) { nodes { name } } }`;
    for (let i = 0; i < 9; i += 1) expect((await api.post(page)).status).toBe(200);
    // 900 spent, 100 left: a page of 100 still passes, then nothing of that size does.
    expect((await api.post(page)).body.extensions.cost.throttleStatus.currentlyAvailable).toBe(0);

    statements.length = 0;
    const refused = await api.post(page);
    expect(refused.status).toBe(429);
    expect(statements).toEqual([]);
    expect(refused.body.data).toBeUndefined();
    const error = refused.body.errors[0];
    expect(error.extensions).toMatchObject({ code: 'RATE_LIMITED', cost: 100, remaining: 0, retryAfterSeconds: expect.any(Number) });
    expect(error.message).toMatch(/^Rate limit exceeded: this operation costs 100 points and 0 of your 1000 points per 60 s remain\. Retry after \d+ s/);
    const retryAfter = Number(refused.headers.get('retry-after'));
    expect(retryAfter).toBe(error.extensions.retryAfterSeconds);
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect(refused.body.extensions.cost).toMatchObject({ requestedQueryCost: 100, actualQueryCost: null, throttleStatus: { currentlyAvailable: 0 } });

    // The refusal spent nothing: still exactly 0 left, not less.
    expect(remainingOf((await api.post(page)).headers)).toBe(0);
    const exposition = (await metrics.render()).body;
    expect(exposition).toContain('rate_limit_refusals_total{tier="public"} 2');
    expect(exposition).toMatch(/graphql_operations_total\{operation="anonymous",type="query",outcome="rate_limited"\} 2/);
  });

  it('charges, reports and counts an answer from the response cache as it does an executed one', async () => {
    const metrics = new Metrics({ defaultMetrics: false });
    const api = await start(memoryLimiter(), { metrics, responseCache: memoryResponseStore() });
    const query = `query Districts { councilDistricts { name } }`;
    statements.length = 0;
    const executed = await api.post(query);
    expect(statements.length).toBeGreaterThan(1);
    expect(executed.body.extensions.cost).toMatchObject({ requestedQueryCost: 10, actualQueryCost: 4, throttleStatus: { currentlyAvailable: 996 } });

    statements.length = 0;
    const cached = await api.post(query);
    // Only the data version is read; the answer is the stored one, byte for byte the same data.
    expect(statements).toHaveLength(1);
    expect(cached.status).toBe(200);
    expect(cached.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(cached.headers.get('cache-control')).toBe('no-store');
    expect(cached.body.data).toEqual(executed.body.data);
    expect(cached.body.extensions.cost).toEqual({
      requestedQueryCost: 10,
      actualQueryCost: 4,
      throttleStatus: { maximumAvailable: 1_000, currentlyAvailable: 992, windowSeconds: 60, resetInSeconds: expect.any(Number) },
    });
    expect(remainingOf(cached.headers)).toBe(992);
    const graphqlResponse = await api.post(query, { headers: { accept: 'application/graphql-response+json' } });
    expect(graphqlResponse.headers.get('content-type')).toBe('application/graphql-response+json; charset=utf-8');
    const exposition = (await metrics.render()).body;
    expect(exposition).toContain('graphql_operations_total{operation="Districts",type="query",outcome="success"} 3');
    expect(exposition).toContain('graphql_operation_duration_seconds_count{operation="Districts"} 3');
  });

  it('refuses a cached answer the budget cannot cover, as it refuses an executed one', async () => {
    const metrics = new Metrics({ defaultMetrics: false });
    const api = await start(createCostLimiter({ windowSeconds: 60, budgets: { ...BUDGETS, public: 15 } }), { metrics, responseCache: memoryResponseStore() });
    expect((await api.post(COUNCIL_DISTRICTS)).body.extensions.cost.throttleStatus.currentlyAvailable).toBe(11);
    // Cached, but 10 points cannot be charged to a budget of 7: refused without running, counted once.
    expect((await api.post(COUNCIL_DISTRICTS)).body.extensions.cost.throttleStatus.currentlyAvailable).toBe(7);
    const refused = await api.post(COUNCIL_DISTRICTS);
    expect(refused.status).toBe(429);
    expect(refused.body.errors[0].extensions.code).toBe('RATE_LIMITED');
    expect(refused.headers.get('retry-after')).not.toBeNull();
    expect(remainingOf(refused.headers)).toBe(7);
    expect((await metrics.render()).body).toContain('rate_limit_refusals_total{tier="public"} 1');
  });

  it('gives partner keys and staff their own tier and budget, apart from the public', async () => {
    const api = await start(memoryLimiter());
    const key = await partnerKey(database.db, database.jurisdictionId);
    await api.post(TEN_ORGANIZATIONS);

    const partner = await api.post(TEN_ORGANIZATIONS, { token: key });
    expect(structuredItem(partner.headers.get('ratelimit-policy'))).toEqual({ name: 'partner', q: '5000', w: '60' });
    expect(remainingOf(partner.headers)).toBe(4_990);

    const staff = await api.post(TEN_ORGANIZATIONS, { token: await staffToken() });
    expect(structuredItem(staff.headers.get('ratelimit-policy'))).toEqual({ name: 'staff', q: '10000', w: '60' });
    expect(remainingOf(staff.headers)).toBe(9_990);

    // Another staff member has a budget of their own.
    const colleague = await api.post(TEN_ORGANIZATIONS, { token: await staffToken('ana@portland.example') });
    expect(remainingOf(colleague.headers)).toBe(9_990);
    expect(remainingOf((await api.post(TEN_ORGANIZATIONS)).headers)).toBe(980);
  });

  it('ignores X-Forwarded-For unless TRUST_PROXY says a proxy wrote it', async () => {
    const direct = await start(memoryLimiter());
    await direct.post(TEN_ORGANIZATIONS, { headers: { 'x-forwarded-for': '203.0.113.1' } });
    const spoofed = await direct.post(TEN_ORGANIZATIONS, { headers: { 'x-forwarded-for': '203.0.113.2' } });
    expect(remainingOf(spoofed.headers)).toBe(980);

    const proxied = await start(memoryLimiter(), { trustProxy: 1 });
    await proxied.post(TEN_ORGANIZATIONS, { headers: { 'x-forwarded-for': '203.0.113.1' } });
    const other = await proxied.post(TEN_ORGANIZATIONS, { headers: { 'x-forwarded-for': '203.0.113.2' } });
    expect(remainingOf(other.headers)).toBe(990);
    // Addresses the client wrote to the left of the proxy's entry change nothing.
    const forged = await proxied.post(TEN_ORGANIZATIONS, { headers: { 'x-forwarded-for': '198.51.100.7, 203.0.113.1' } });
    expect(remainingOf(forged.headers)).toBe(980);
  });
});

describe('rate limits in Redis', () => {
  let redis: Redis;
  let prefix: string;

  beforeAll(async () => {
    // Until the client is ready the limiter counts in memory (see the next describe); connectTestRedis starts connected.
    redis = await connectTestRedis();
  });
  afterEach(() => deleteTestKeys(redis, prefix));
  afterAll(() => {
    redis.disconnect();
  });

  const redisLimiter = () => {
    prefix = `civic-graph-test:${randomBytes(6).toString('hex')}`;
    return createCostLimiter({ windowSeconds: 60, budgets: BUDGETS, redis, keyPrefix: prefix });
  };

  it('keeps the budget in Redis, with the window as its expiry', async () => {
    const limiter = redisLimiter();
    const api = await start(limiter);
    const { body } = await api.post(TEN_ORGANIZATIONS);
    expect(body.extensions.cost.throttleStatus.currentlyAvailable).toBe(990);
    expect(await redis.get(`${prefix}:public:ip:127.0.0.1`)).toBe('10');
    const ttl = await redis.pttl(`${prefix}:public:ip:127.0.0.1`);
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(60_000);
    // A refund lands in Redis too.
    await api.post(COUNCIL_DISTRICTS);
    expect(await redis.get(`${prefix}:public:ip:127.0.0.1`)).toBe('14');
  });

  it('refunds in full an operation another plugin refused while it was being charged (trusted documents required)', async () => {
    const documents: TrustedDocuments = new Map([[documentHash(COUNCIL_DISTRICTS), COUNCIL_DISTRICTS]]);
    const api = await start(redisLimiter(), { trustedDocuments: { documents, mode: 'require' } });
    const refused = await api.post(TEN_ORGANIZATIONS);
    expect(refused.body.errors[0].extensions.code).toBe('TRUSTED_DOCUMENT_REQUIRED');
    expect(refused.body.extensions.cost).toMatchObject({ requestedQueryCost: 10, actualQueryCost: null, throttleStatus: { currentlyAvailable: 1_000 } });
    expect(remainingOf(refused.headers)).toBe(1_000);
    expect(Number(await redis.get(`${prefix}:public:ip:127.0.0.1`))).toBe(0);
    // A listed document is charged as usual (4 districts returned).
    const listed = await api.post(COUNCIL_DISTRICTS);
    expect(listed.body.data.councilDistricts).toHaveLength(4);
    expect(remainingOf(listed.headers)).toBe(996);
  });

  it('holds across two server instances on one database and one Redis', async () => {
    const a = await start(redisLimiter());
    // The second instance has a limiter of its own, as a second process would; only Redis is shared.
    const b = await start(createCostLimiter({ windowSeconds: 60, budgets: BUDGETS, redis, keyPrefix: prefix }));
    const page = `{ organizations(first: 100) { nodes { name } } }`;

    expect(remainingOf((await a.post(page)).headers)).toBe(900);
    // Budget spent on A is seen on B.
    expect(remainingOf((await b.post(TEN_ORGANIZATIONS)).headers)).toBe(890);
    for (let i = 0; i < 8; i += 1) await a.post(page);
    expect(remainingOf((await a.post(TEN_ORGANIZATIONS)).headers)).toBe(80);

    const refused = await b.post(page);
    expect(refused.status).toBe(429);
    expect(refused.body.errors[0].extensions.code).toBe('RATE_LIMITED');
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    // What is left can still be spent, on either instance.
    expect(remainingOf((await a.post(TEN_ORGANIZATIONS)).headers)).toBe(70);
  });
});

describe('rate limits while Redis is unreachable', () => {
  it('keeps limiting, each instance counting in memory, instead of failing requests', async () => {
    // Nothing listens on port 1: every Redis command fails, and the limiter falls back to memory.
    const unreachable = await createRedis('redis://127.0.0.1:1');
    unreachable.on('error', () => {});
    try {
      const budgets = { ...BUDGETS, public: 150 };
      const api = await start(createCostLimiter({ windowSeconds: 60, budgets, redis: unreachable, keyPrefix: 'civic-graph-test:unreachable' }));
      const page = `{ organizations(first: 100) { nodes { name } } }`;
      const served = await api.post(page);
      expect(served.status).toBe(200);
      expect(served.body.data.organizations.nodes).toHaveLength(100);
      expect(remainingOf(served.headers)).toBe(50);
      const refused = await api.post(page);
      expect(refused.status).toBe(429);
      expect(refused.body.errors[0].extensions.code).toBe('RATE_LIMITED');
    } finally {
      unreachable.disconnect();
    }
  });
});

describe('configuration', () => {
  it('reads the tiers and window, and refuses a budget that cannot pay for an allowed operation', () => {
    const config = loadConfig({});
    expect([config.RATE_LIMIT_PUBLIC, config.RATE_LIMIT_PARTNER, config.RATE_LIMIT_STAFF, config.RATE_LIMIT_WINDOW_SECONDS]).toEqual([300_000, 1_500_000, 3_000_000, 60]);
    expect(loadConfig({ RATE_LIMIT_PARTNER: '2000000', TRUST_PROXY: '1' })).toMatchObject({ RATE_LIMIT_PARTNER: 2_000_000, TRUST_PROXY: 1 });
    expect(() => loadConfig({ RATE_LIMIT_PUBLIC: '1000' })).toThrow(/RATE_LIMIT_PUBLIC must be at least MAX_QUERY_COST/);
    expect(loadConfig({ RATE_LIMIT_PUBLIC: '1000', MAX_QUERY_COST: '1000' }).RATE_LIMIT_PUBLIC).toBe(1_000);
    expect(() => loadConfig({ RATE_LIMIT_WINDOW_SECONDS: '0' })).toThrow(/RATE_LIMIT_WINDOW_SECONDS/);
    expect(() => loadConfig({ REDIS_URL: 'not a url' })).toThrow(/REDIS_URL/);
  });
});
