import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import type { Redis } from '../../redis/client.ts';

/** At most this many applicationSubmit calls per client per window: the hundredth in a minute is refused. */
export const SUBMISSIONS_PER_WINDOW = 99;
export const WINDOW_SECONDS = 60;

export type RateDecision = { allowed: true } | { allowed: false; retryAfterSeconds: number };

/** Per-client limit on application submissions, over any rate-limiter-flexible limiter. */
export class SubmissionRateLimit {
  constructor(
    private readonly limiter: RateLimiterAbstract,
    /** Where the counts live: this process, or Redis shared by every instance. */
    readonly store: 'memory' | 'redis' = 'memory',
    /** Told of every refusal (the server counts them in /metrics). */
    private readonly onRefused: () => void = () => {},
  ) {}

  async consume(clientKey: string): Promise<RateDecision> {
    try {
      await this.limiter.consume(clientKey);
      return { allowed: true };
    } catch (rejection) {
      // A RateLimiterRes means "over the limit"; anything else is a store failure and is rethrown.
      if (rejection instanceof RateLimiterRes) {
        this.onRefused();
        return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil(rejection.msBeforeNext / 1000)) };
      }
      throw rejection;
    }
  }
}

export interface SubmissionRateLimitOptions {
  /** Shares the counts between instances (REDIS_URL), as the cost limiter does. */
  redis?: Redis;
  /** Separates deployments (and tests) sharing one Redis. */
  keyPrefix?: string;
  points?: number;
  durationSeconds?: number;
  /** Called on every refusal, e.g. to count it in /metrics. */
  onRefused?: () => void;
}

/**
 * The limit a server uses: in memory, or in Redis when there is one, so that N instances behind a
 * load balancer refuse the hundredth application together instead of allowing N × 99. While Redis
 * is unreachable each instance counts in memory at once (no submission waits on a reconnecting
 * client), rather than failing submissions or letting them through unlimited.
 */
export function createSubmissionRateLimit({
  redis,
  keyPrefix = 'civic-graph:application-submit',
  points = SUBMISSIONS_PER_WINDOW,
  durationSeconds = WINDOW_SECONDS,
  onRefused,
}: SubmissionRateLimitOptions = {}): SubmissionRateLimit {
  const options = { keyPrefix, points, duration: durationSeconds };
  if (!redis) return new SubmissionRateLimit(new RateLimiterMemory(options), 'memory', onRefused);
  return new SubmissionRateLimit(
    new RateLimiterRedis({ ...options, storeClient: redis, rejectIfRedisNotReady: true, insuranceLimiter: new RateLimiterMemory(options) }),
    'redis',
    onRefused,
  );
}

let processDefault: SubmissionRateLimit | undefined;

/** For contexts built without a limit (executeOperation in tests, scripts): one in-memory limit per process. */
export function defaultSubmissionRateLimit(): SubmissionRateLimit {
  processDefault ??= createSubmissionRateLimit();
  return processDefault;
}

/** Who a submission counts against: the partner app's API key when there is one, else the client address. */
export function clientKeyOf(caller: { readonly viewer: { readonly apiKeyId: number | null }; readonly clientAddress: string | null }): string {
  if (caller.viewer.apiKeyId != null) return `api-key:${caller.viewer.apiKeyId}`;
  return `address:${caller.clientAddress ?? 'unknown'}`;
}
