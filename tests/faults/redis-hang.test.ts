import { randomBytes } from 'node:crypto';
import { createLogger } from '../../src/logger.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { redisResponseStore } from '../../src/graphql/caching/response-store.ts';
import { createCostLimiter } from '../../src/graphql/limits/rate-limiter.ts';
import { redisKeyValueCache } from '../../src/graphql/persisted/redis-apq-cache.ts';
import { Metrics } from '../../src/http/metrics.ts';
import { createReadinessCheck } from '../../src/http/readiness.ts';
import { createSubmissionRateLimit } from '../../src/graphql/limits/submission-rate-limit.ts';
import { createRedis, redisState, type Redis } from '../../src/redis/client.ts';
import { startHangableProxy, type HangableProxy } from '../helpers/hangable-proxy.ts';
import { startHttpInstance, type HttpInstance } from '../helpers/http-instance.ts';
import { openTestDatabase, type PortlandTestDatabase } from '../helpers/portland-database.ts';
import { deleteTestKeys } from '../helpers/test-redis.ts';

/** A plain list bounded at 10: requested cost 10, Portland has 4 council districts (actual 4). */
const COUNCIL_DISTRICTS = `{ councilDistricts { name } }`;
/**
 * The command timeout here (longer than production's, so a loaded test machine does not trip it
 * before the hang), and how long a request may take while Redis hangs: a few command timeouts (a
 * request sends a handful of Redis commands, each bounded by it), not the unbounded wait this catches.
 */
const COMMAND_TIMEOUT_MS = 1_000;
const HANG_BOUND_MS = COMMAND_TIMEOUT_MS * 8;
const PREFIX = `test-hang-${randomBytes(4).toString('hex')}`;

let database: PortlandTestDatabase;
let proxy: HangableProxy;
let redis: Redis;
let api: HttpInstance;
const metrics = new Metrics();

beforeAll(async () => {
  database = await openTestDatabase();
  proxy = await startHangableProxy({ host: '127.0.0.1', port: 6379 });
  redis = await createRedis(proxy.url, { commandTimeoutMs: COMMAND_TIMEOUT_MS });
  // The server logs these (src/index.ts); here they are expected.
  redis.on('error', () => {});
  await eventually(async () => (await redis.ping().catch(() => null)) === 'PONG');
  metrics.observeRedis(() => redisState(redis));
  const logger = createLogger('silent');
  api = await startHttpInstance(database.db, {
    logger,
    metrics,
    maxQueryCost: 1_000,
    // 30 points: room for 7 council-district lists (4 points each once refunded) and then a 429.
    rateLimiter: createCostLimiter({ windowSeconds: 60, budgets: { public: 30, partner: 1_000, staff: 1_000 }, redis, keyPrefix: `${PREFIX}:rate` }),
    responseCache: redisResponseStore(redis, `${PREFIX}:response:`),
    persistedQueryCache: redisKeyValueCache(redis, `${PREFIX}:apq:`),
    submissionRateLimit: createSubmissionRateLimit({ redis, keyPrefix: `${PREFIX}:submit` }),
    readiness: createReadinessCheck(database.db, logger, { redis }),
  });
});
afterAll(async () => {
  await api?.close();
  proxy?.resume();
  await deleteTestKeys(redis, PREFIX).catch(() => {});
  redis?.disconnect();
  await proxy?.close();
  await database?.dispose();
});

/** POSTs with a deadline: a request stalled on Redis fails the test instead of hanging it. */
async function postWithin(ms: number, query: string): Promise<{ status: number; body: any }> {
  const res = await fetch(`${api.base}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query }),
    signal: AbortSignal.timeout(ms),
  });
  return { status: res.status, body: await res.json() };
}

async function readyz(): Promise<{ status: number; body: any }> {
  const res = await fetch(`${api.base}/readyz`, { signal: AbortSignal.timeout(5_000) });
  return { status: res.status, body: await res.json() };
}

async function redisUp(): Promise<string | undefined> {
  const text = await (await fetch(`${api.base}/metrics`)).text();
  return /^redis_up (\d)$/m.exec(text)?.[1];
}

/** Polls until `check` holds (the liveness check runs every second), or fails after `ms`. */
async function eventually(check: () => Promise<boolean>, ms = 15_000): Promise<void> {
  const until = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > until) throw new Error('condition not reached in time');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('a Redis that accepts connections but never answers', () => {
  it('is reported healthy while it answers', async () => {
    expect(await readyz()).toEqual({ status: 200, body: { status: 'ready' } });
    expect(await redisUp()).toBe('1');
    expect((await postWithin(HANG_BOUND_MS, COUNCIL_DISTRICTS)).status).toBe(200);
  });

  it('does not stall requests, reports Redis degraded on /readyz (still 200) and /metrics, and still limits rates from memory', async () => {
    proxy.hang();
    // The first requests of the hang meet it: each Redis command gives up at the command timeout and
    // the charge falls to this instance's memory. Three at once, because concurrent charges land
    // before any refund: 3 × 10 points fits the 30-point budget whatever the order, a fourth would
    // not (CI once saw it refused with 429).
    const during = await Promise.all(Array.from({ length: 3 }, () => postWithin(HANG_BOUND_MS, COUNCIL_DISTRICTS)));
    for (const answer of during) {
      expect(answer.status).toBe(200);
      expect(answer.body.data.councilDistricts).toHaveLength(4);
    }

    await eventually(async () => (await readyz()).body.degraded !== undefined);
    const ready = await readyz();
    expect(ready.status).toBe(200);
    expect(ready.body).toEqual({ status: 'ready', degraded: [{ name: 'redis', effect: expect.stringMatching(/rate limits .* memory.*cache .* miss/s) }] });
    expect(await redisUp()).toBe('0');

    // Rate limits still apply, counted in this instance's memory: a 30-point budget runs out.
    const statuses: number[] = [];
    for (let i = 0; i < 12; i += 1) statuses.push((await postWithin(HANG_BOUND_MS, COUNCIL_DISTRICTS)).status);
    expect(statuses[0]).toBe(200);
    expect(statuses).toContain(429);
    expect(statuses.filter((s) => s !== 200 && s !== 429)).toEqual([]);
  });

  it('is used again once it answers again', async () => {
    proxy.resume();
    await eventually(async () => (await readyz()).body.degraded === undefined);
    expect(await redisUp()).toBe('1');
    expect(redis.status).toBe('ready');
  });
});
