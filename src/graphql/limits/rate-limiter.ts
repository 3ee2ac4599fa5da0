import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import type { Viewer } from '../../auth/viewer.ts';
import type { Redis } from '../../redis/client.ts';

/** Budgets come in three tiers, by who is asking. Admins share the staff tier. */
export type Tier = 'public' | 'partner' | 'staff';

/** Whose budget a request spends: an anonymous client address, one API key, or one staff sign-in. */
export interface Caller {
  tier: Tier;
  key: string;
}

export function callerOf(viewer: Viewer, clientAddress: string): Caller {
  if (viewer.role === 'PARTNER' && viewer.apiKeyId != null) return { tier: 'partner', key: `key:${viewer.apiKeyId}` };
  if ((viewer.role === 'STAFF' || viewer.role === 'ADMIN') && viewer.subject) return { tier: 'staff', key: `user:${viewer.subject}` };
  return { tier: 'public', key: `ip:${clientAddress}` };
}

/** A caller's budget as it stands: what a window allows, what is left, and when it refills. */
export interface BudgetStatus {
  tier: Tier;
  /** Points a full window allows. */
  limit: number;
  remaining: number;
  windowSeconds: number;
  /** Seconds until the window ends and the budget is full again. */
  resetSeconds: number;
}

export type Charge = { allowed: true; status: BudgetStatus } | { allowed: false; status: BudgetStatus; retryAfterSeconds: number };

/**
 * Rate limits as a budget of cost points per fixed window (rate-limiter-flexible), one budget per
 * caller. In memory by default, so each instance counts alone; with Redis every instance spends the
 * same budget. Charging is atomic in either store (Redis: one Lua script per charge).
 */
export interface CostLimiter {
  readonly windowSeconds: number;
  /** Takes `points` from the caller's budget, or takes nothing and says how long to wait. */
  charge(caller: Caller, points: number): Promise<Charge>;
  /** Gives back points charged but not spent (the operation returned less than it asked for). */
  refund(caller: Caller, points: number): Promise<BudgetStatus>;
  /** The budget without spending any. */
  peek(caller: Caller): Promise<BudgetStatus>;
  readonly store: 'memory' | 'redis';
}

export interface CostLimiterOptions {
  windowSeconds: number;
  budgets: Record<Tier, number>;
  /** Shares the budgets between instances. */
  redis?: Redis;
  /** Separates deployments (and tests) sharing one Redis. */
  keyPrefix?: string;
}

const seconds = (ms: number) => Math.max(1, Math.ceil(ms / 1000));

export function createCostLimiter({ windowSeconds, budgets, redis, keyPrefix = 'civic-graph:rate' }: CostLimiterOptions): CostLimiter {
  const limiters = new Map<Tier, RateLimiterAbstract>();
  for (const tier of ['public', 'partner', 'staff'] as const) {
    const options = { points: budgets[tier], duration: windowSeconds, keyPrefix: `${keyPrefix}:${tier}` };
    limiters.set(
      tier,
      redis
        ? new RateLimiterRedis({
            ...options,
            storeClient: redis,
            // While Redis is unreachable each instance keeps limiting on its own, at once (no
            // request waits on a reconnecting client), rather than failing requests.
            rejectIfRedisNotReady: true,
            insuranceLimiter: new RateLimiterMemory(options),
          })
        : new RateLimiterMemory(options),
    );
  }
  const limiterOf = (tier: Tier) => limiters.get(tier)!;
  const statusOf = (caller: Caller, consumed: number, msBeforeNext: number): BudgetStatus => ({
    tier: caller.tier,
    limit: budgets[caller.tier],
    remaining: Math.max(0, budgets[caller.tier] - consumed),
    windowSeconds,
    resetSeconds: msBeforeNext > 0 ? seconds(msBeforeNext) : windowSeconds,
  });

  return {
    windowSeconds,
    store: redis ? 'redis' : 'memory',
    async charge(caller, points) {
      const limiter = limiterOf(caller.tier);
      try {
        const res = await limiter.consume(caller.key, points);
        return { allowed: true, status: statusOf(caller, res.consumedPoints, res.msBeforeNext) };
      } catch (refusal) {
        if (!(refusal instanceof RateLimiterRes)) throw refusal;
        // consume() counted the refused points; give them back so a refusal costs nothing.
        await limiter.reward(caller.key, points);
        return {
          allowed: false,
          status: statusOf(caller, refusal.consumedPoints - points, refusal.msBeforeNext),
          retryAfterSeconds: seconds(refusal.msBeforeNext),
        };
      }
    },
    async refund(caller, points) {
      const res = await limiterOf(caller.tier).reward(caller.key, points);
      return statusOf(caller, res.consumedPoints, res.msBeforeNext);
    },
    async peek(caller) {
      const res = await limiterOf(caller.tier).get(caller.key);
      return res ? statusOf(caller, res.consumedPoints, res.msBeforeNext) : statusOf(caller, 0, 0);
    },
  };
}
