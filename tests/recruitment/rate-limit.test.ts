import { RateLimiterMemory } from 'rate-limiter-flexible';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clientKeyOf, SubmissionRateLimit, SUBMISSIONS_PER_WINDOW } from '../../src/modules/recruitment/submission-rate-limit.ts';
import { createTestApi, type TestApi } from '../helpers/test-api.ts';
import { applicantInput, createBody, openPosting, recruitmentSnapshot, submit, type Body } from './recruitment-support.ts';

let api: TestApi;
let body: Body;
let postingId: string;

beforeAll(async () => {
  api = await createTestApi();
  body = await createBody(api);
  postingId = await openPosting(api, body);
});
afterAll(() => api.dispose());

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

  it('takes any rate-limiter-flexible limiter (a Redis one can be plugged in)', async () => {
    const limit = new SubmissionRateLimit(new RateLimiterMemory({ points: 2, duration: 60 }));
    expect(await limit.consume('k')).toEqual({ allowed: true });
    expect(await limit.consume('k')).toEqual({ allowed: true });
    expect(await limit.consume('k')).toMatchObject({ allowed: false });
  });
});
