import type { BudgetStatus } from '../graphql/limits/rate-limiter.ts';

/**
 * The IETF RateLimit headers (draft-ietf-httpapi-ratelimit-headers, structured fields): the
 * policy names the caller's tier with its quota `q` (points) per window `w` (seconds); RateLimit
 * gives what `r`emains and the seconds `t` until the window resets. A refusal adds Retry-After.
 *   RateLimit-Policy: "public";q=300000;w=60
 *   RateLimit: "public";r=298764;t=42
 */
export function rateLimitHeaders(status: BudgetStatus, retryAfterSeconds: number | null): Record<string, string> {
  return {
    'ratelimit-policy': `"${status.tier}";q=${status.limit};w=${status.windowSeconds}`,
    ratelimit: `"${status.tier}";r=${status.remaining};t=${status.resetSeconds}`,
    ...(retryAfterSeconds !== null ? { 'retry-after': String(retryAfterSeconds) } : {}),
  };
}
