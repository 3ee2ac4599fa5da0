import { GraphQLError } from 'graphql';
import { PUBLIC_VIEWER, type Viewer } from '../../auth/viewer.ts';
import { callerOf, type BudgetStatus, type Caller, type CostLimiter } from './rate-limiter.ts';

/** What `extensions.cost` carries on every /graphql response (Shopify's shape, fixed-window terms). */
export interface CostExtension {
  /** The operation's cost computed before it ran (null when it never got that far, e.g. a syntax error). */
  requestedQueryCost: number | null;
  /** Objects it actually returned (null when it did not run). */
  actualQueryCost: number | null;
  /** The caller's budget; left out of answers a shared cache (CDN) may replay to other callers. */
  throttleStatus?: {
    maximumAvailable: number;
    currentlyAvailable: number;
    windowSeconds: number;
    resetInSeconds: number;
  };
}

/** Points an operation spends: its cost, and at least 1 so that even `{ __typename }` counts. */
export const pointsFor = (cost: number) => Math.max(1, cost);

/**
 * Objects a result holds inside lists: the items of every connection page and plain list, which is
 * what the requested cost counts (a connection's items once, whether read through `nodes` or `edges`).
 */
export function returnedObjects(data: unknown): number {
  return objectsIn(data, false);
}

/** One pass without allocating (no Object.values array per object, no closure): it runs on every answer. */
function objectsIn(value: unknown, inList: boolean): number {
  if (value === null || typeof value !== 'object') return 0;
  let count = 0;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i += 1) count += objectsIn(value[i], true);
    return count;
  }
  if (inList) count = 1;
  const object = value as Record<string, unknown>;
  for (const key in object) {
    const child = object[key];
    if (child !== null && typeof child === 'object') count += objectsIn(child, false);
  }
  return count;
}

export function rateLimited(retryAfterSeconds: number, points: number, status: BudgetStatus): GraphQLError {
  return new GraphQLError(
    `Rate limit exceeded: this operation costs ${points} points and ${status.remaining} of your ${status.limit} ` +
      `points per ${status.windowSeconds} s remain. Retry after ${retryAfterSeconds} s, or ask for less (smaller pages).`,
    { extensions: { code: 'RATE_LIMITED', retryAfterSeconds, cost: points, remaining: status.remaining, http: { status: 429 } } },
  );
}

/**
 * One request's dealings with the rate limiter: created by the HTTP server, charged by the cost
 * plugin before execution, settled to the actual cost after it, and read back for the response
 * headers. Requests that reach Apollo another way (tests' executeOperation) have none.
 *
 * Charging the requested cost up front means a burst of concurrent costly queries cannot overdraw
 * the budget; refunding the difference afterwards (as Shopify does; GitHub keeps the requested
 * cost) means clients are not punished for asking for pages that came back short.
 */
export class RequestBudget {
  status: BudgetStatus | null = null;
  requestedCost: number | null = null;
  actualCost: number | null = null;
  /** Set when the limiter refused the request: the HTTP server sends it as Retry-After. */
  retryAfterSeconds: number | null = null;
  private caller: Caller | null = null;
  private charged = 0;
  private windowEndsAt = 0;

  constructor(
    private readonly limiter: CostLimiter,
    readonly clientAddress: string,
    private readonly onRefusal: (caller: Caller) => void = () => {},
  ) {}

  /**
   * The charge in flight. Apollo runs the didResolveOperation hooks concurrently, so another plugin
   * (trusted documents, introspection) may refuse the operation while a Redis charge is still on
   * its way: settling and reading the budget wait for it, or the points would be spent unrefunded.
   */
  private pendingCharge: Promise<unknown> = Promise.resolve();

  /** Charges the requested cost, or throws RATE_LIMITED (HTTP 429) having spent nothing. */
  charge(viewer: Viewer, requestedCost: number): Promise<void> {
    const charging = this.chargeNow(viewer, requestedCost);
    this.pendingCharge = charging.catch(() => {});
    return charging;
  }

  private async chargeNow(viewer: Viewer, requestedCost: number): Promise<void> {
    this.caller = callerOf(viewer, this.clientAddress);
    this.requestedCost = requestedCost;
    const points = pointsFor(requestedCost);
    const charge = await this.limiter.charge(this.caller, points);
    this.status = charge.status;
    if (!charge.allowed) {
      this.retryAfterSeconds = charge.retryAfterSeconds;
      this.onRefusal(this.caller);
      throw rateLimited(charge.retryAfterSeconds, points, charge.status);
    }
    this.charged = points;
    this.windowEndsAt = Date.now() + charge.status.resetSeconds * 1000;
  }

  /**
   * Charges as `charge` does, but a refusal leaves no trace here (no status, no refusal counted) and
   * answers false: the cached-answer path then lets the whole pipeline charge and refuse the request.
   */
  async tryCharge(viewer: Viewer, requestedCost: number): Promise<boolean> {
    const caller = callerOf(viewer, this.clientAddress);
    const points = pointsFor(requestedCost);
    const charge = await this.limiter.charge(caller, points);
    if (!charge.allowed) return false;
    this.caller = caller;
    this.requestedCost = requestedCost;
    this.status = charge.status;
    this.charged = points;
    this.windowEndsAt = Date.now() + charge.status.resetSeconds * 1000;
    return true;
  }

  /**
   * Refunds what the operation did not use: all of it when it never executed (refused after being
   * charged, by another plugin). A refund after its window has ended would be a gift to the next.
   */
  async settle(returned: number, executed = true): Promise<void> {
    await this.pendingCharge;
    if (!this.caller || this.charged === 0 || this.requestedCost === null) return;
    this.actualCost = executed ? Math.min(returned, this.requestedCost) : null;
    const refund = this.actualCost === null ? this.charged : this.charged - pointsFor(this.actualCost);
    if (refund > 0 && Date.now() < this.windowEndsAt) this.status = await this.limiter.refund(this.caller, refund);
  }

  /** The budget of whoever asked, without spending (for responses that never reached the charge). */
  async current(viewer: Viewer | null): Promise<BudgetStatus> {
    await this.pendingCharge;
    if (!this.status) this.status = await this.limiter.peek(this.caller ?? callerOf(viewer ?? PUBLIC_VIEWER, this.clientAddress));
    return this.status;
  }

  /** Without a status (an answer a CDN may keep), the costs only. */
  extension(status: BudgetStatus | null): CostExtension {
    const costs = { requestedQueryCost: this.requestedCost, actualQueryCost: this.actualCost };
    if (!status) return costs;
    return {
      ...costs,
      throttleStatus: {
        maximumAvailable: status.limit,
        currentlyAvailable: status.remaining,
        windowSeconds: status.windowSeconds,
        resetInSeconds: status.resetSeconds,
      },
    };
  }
}
