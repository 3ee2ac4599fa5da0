import { RateLimiterMemory, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import type { GraphQLContext } from '../../context.ts';

/** At most this many applicationSubmit calls per client per window: the hundredth in a minute is refused. */
export const SUBMISSIONS_PER_WINDOW = 99;
export const WINDOW_SECONDS = 60;

export type RateDecision = { allowed: true } | { allowed: false; retryAfterSeconds: number };

/**
 * Per-client limit on application submissions. Takes any rate-limiter-flexible limiter, so a
 * multi-process deployment can pass a RateLimiterRedis; the default counts in this process's memory.
 */
export class SubmissionRateLimit {
  constructor(private readonly limiter: RateLimiterAbstract) {}

  async consume(clientKey: string): Promise<RateDecision> {
    try {
      await this.limiter.consume(clientKey);
      return { allowed: true };
    } catch (rejection) {
      // A RateLimiterRes means "over the limit"; anything else is a store failure and is rethrown.
      if (rejection instanceof RateLimiterRes) return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil(rejection.msBeforeNext / 1000)) };
      throw rejection;
    }
  }
}

let current = new SubmissionRateLimit(new RateLimiterMemory({ keyPrefix: 'application-submit', points: SUBMISSIONS_PER_WINDOW, duration: WINDOW_SECONDS }));

/** Replaces the process-wide limit (for example with a Redis-backed limiter). */
export function useSubmissionRateLimit(limit: SubmissionRateLimit): void {
  current = limit;
}

export function submissionRateLimit(): SubmissionRateLimit {
  return current;
}

/** Who a submission counts against: the partner app's API key when there is one, else the client address. */
export function clientKeyOf(ctx: GraphQLContext): string {
  if (ctx.viewer.apiKeyId != null) return `api-key:${ctx.viewer.apiKeyId}`;
  return `address:${ctx.clientAddress ?? 'unknown'}`;
}
