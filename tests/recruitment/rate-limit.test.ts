import { randomBytes } from 'node:crypto';
import { RateLimiterMemory } from 'rate-limiter-flexible';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { clientKeyOf, createSubmissionRateLimit, SubmissionRateLimit, SUBMISSIONS_PER_WINDOW } from '../../src/graphql/limits/submission-rate-limit.ts';
import { Metrics } from '../../src/http/metrics.ts';
import { createRedis, type Redis } from '../../src/redis/client.ts';
import { connectTestRedis, deleteTestKeys } from '../helpers/test-redis.ts';
import { startHttpInstance, type HttpInstance } from '../helpers/http-instance.ts';
import type { TestApi } from '../helpers/test-api.ts';
import { applicantInput, type Body, openRecruitment, recruitmentSnapshot, submit, SUBMIT } from './recruitment-support.ts';

let api: TestApi;
let body: Body;
let postingId: string;
const instances: HttpInstance[] = [];

beforeAll(async () => {
  ({ api, body, postingId } = await openRecruitment());
});
afterEach(async () => {
  await Promise.all(instances.splice(0).map((instance) => instance.close()));
});
afterAll(() => api.dispose());

async function start(submissionRateLimit: SubmissionRateLimit) {
  const instance = await startHttpInstance(api.db, { submissionRateLimit });
  instances.push(instance);
  return instance;
}

/** applicationSubmit over HTTP from 127.0.0.1: every instance sees the same client. */
async function submitOver(instance: HttpInstance, n: number) {
  const { status, body: response } = await instance.post(SUBMIT, { variables: { input: applicantInput(postingId, body, { fullName: `Applicant ${n}` }) } });
  expect(status).toBe(200);
  expect(response.errors).toBeUndefined();
  return response.data.applicationSubmit as { token: string | null; retryAfterSeconds: number | null; userErrors: { code: string }[] };
}

describe('submission rate limit', () => {
  it('refuses the hundredth application in a minute from one client with RATE_LIMITED and a retry time', async () => {
    const client = '203.0.113.7';
    expect(SUBMISSIONS_PER_WINDOW).toBe(99);
    for (let i = 1; i <= 99; i++) {
      const { data } = await submit(api, applicantInput(postingId, body, { fullName: `Applicant ${i}` }), client);
      expect(data!.applicationSubmit.userErrors, `submission ${i}`).toEqual([]);
    }
    const before = await recruitmentSnapshot(api);
    const { data } = await submit(api, applicantInput(postingId, body), client);
    expect(data!.applicationSubmit).toMatchObject({ application: null, token: null, userErrors: [{ code: 'RATE_LIMITED', field: null }] });
    const retry = data!.applicationSubmit.retryAfterSeconds;
    expect(retry).toBeGreaterThanOrEqual(1);
    expect(retry).toBeLessThanOrEqual(60);
    expect(data!.applicationSubmit.userErrors[0].message).toBe(`Too many applications from this client; try again in ${retry} seconds`);
    expect(await recruitmentSnapshot(api)).toEqual(before);
    // Another client is not affected.
    const other = await submit(api, applicantInput(postingId, body), '203.0.113.8');
    expect(other.data!.applicationSubmit.userErrors).toEqual([]);
  });

  it('counts a partner app by its API key, not its address', () => {
    const ctx = { viewer: { role: 'PARTNER', subject: 'api-key:4', name: 'p', jurisdictionId: 1, apiKeyId: 4 }, clientAddress: '203.0.113.9' } as never;
    expect(clientKeyOf(ctx)).toBe('api-key:4');
    expect(clientKeyOf({ viewer: { apiKeyId: null }, clientAddress: '203.0.113.9' } as never)).toBe('address:203.0.113.9');
  });

  it('counts each refusal in /metrics as application_submit_refusals_total', async () => {
    const metrics = new Metrics();
    const limited = await start(
      createSubmissionRateLimit({ points: 1, keyPrefix: `metrics-${randomBytes(4).toString('hex')}`, onRefused: () => metrics.applicationSubmitRefusals.inc() }),
    );
    expect((await submitOver(limited, 1)).userErrors).toEqual([]);
    expect((await metrics.render()).body).toContain('application_submit_refusals_total 0');
    expect((await submitOver(limited, 2)).userErrors).toMatchObject([{ code: 'RATE_LIMITED' }]);
    expect((await submitOver(limited, 3)).userErrors).toMatchObject([{ code: 'RATE_LIMITED' }]);
    expect((await metrics.render()).body).toContain('application_submit_refusals_total 2');
  });

  it('takes any rate-limiter-flexible limiter', async () => {
    const limit = new SubmissionRateLimit(new RateLimiterMemory({ points: 2, duration: 60 }));
    expect(await limit.consume('k')).toEqual({ allowed: true });
    expect(await limit.consume('k')).toEqual({ allowed: true });
    expect(await limit.consume('k')).toMatchObject({ allowed: false });
  });
});

describe('submission rate limit across instances', () => {
  let redis: Redis;
  let prefix: string;

  beforeAll(async () => {
    // Until the client is ready the limit counts in memory; connectTestRedis starts connected.
    redis = await connectTestRedis();
  });
  afterEach(() => deleteTestKeys(redis, prefix));
  afterAll(() => redis.disconnect());

  const shared = (options: { points?: number } = {}) => createSubmissionRateLimit({ redis, keyPrefix: prefix, ...options });

  it('refuses the hundredth application together: two HTTP servers, one database, one Redis', async () => {
    prefix = `civic-graph-test:submit:${randomBytes(6).toString('hex')}`;
    // Each instance has a limit of its own, as a second process would; only Redis is shared.
    const a = await start(shared());
    const b = await start(shared());
    for (let i = 1; i <= 99; i++) {
      const outcome = await submitOver(i % 2 ? a : b, i);
      expect(outcome.userErrors, `submission ${i}`).toEqual([]);
    }
    expect(await redis.get(`${prefix}:address:127.0.0.1`)).toBe('99');
    const before = await recruitmentSnapshot(api);
    for (const instance of [a, b]) {
      const refused = await submitOver(instance, 100);
      expect(refused).toMatchObject({ token: null, userErrors: [{ code: 'RATE_LIMITED' }] });
      expect(refused.retryAfterSeconds).toBeGreaterThanOrEqual(1);
      expect(refused.retryAfterSeconds).toBeLessThanOrEqual(60);
    }
    expect(await recruitmentSnapshot(api)).toEqual(before);
  });

  it('without Redis each instance counts alone (the gap the shared limit closes)', async () => {
    prefix = `civic-graph-test:submit:${randomBytes(6).toString('hex')}`;
    const a = await start(createSubmissionRateLimit({ points: 3, keyPrefix: prefix }));
    const b = await start(createSubmissionRateLimit({ points: 3, keyPrefix: prefix }));
    for (let i = 1; i <= 3; i++) expect((await submitOver(a, i)).userErrors).toEqual([]);
    expect((await submitOver(a, 4)).userErrors).toMatchObject([{ code: 'RATE_LIMITED' }]);
    // B never saw A's three: its own memory allows three more.
    expect((await submitOver(b, 5)).userErrors).toEqual([]);
  });

  it('keeps refusing while Redis is unreachable, each instance counting in memory, instead of failing submissions', async () => {
    prefix = `civic-graph-test:submit:${randomBytes(6).toString('hex')}`;
    // Nothing listens on port 1: every Redis command fails, and the in-memory insurance counts.
    const unreachable = await createRedis('redis://127.0.0.1:1');
    unreachable.on('error', () => {});
    try {
      const limit = createSubmissionRateLimit({ redis: unreachable, keyPrefix: prefix, points: 3 });
      expect(limit.store).toBe('redis');
      const a = await start(limit);
      for (let i = 1; i <= 3; i++) expect((await submitOver(a, i)).userErrors).toEqual([]);
      expect((await submitOver(a, 4)).userErrors).toMatchObject([{ code: 'RATE_LIMITED' }]);
    } finally {
      unreachable.disconnect();
    }
  });
});
