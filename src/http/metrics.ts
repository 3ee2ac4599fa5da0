import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { PoolStats } from '../db/client.ts';

/** Distinct operation names kept as labels; later names share "other" so a client cannot flood the series. */
export const MAX_OPERATION_NAMES = 200;

const OPERATION_NAME = /^[_A-Za-z][_0-9A-Za-z]{0,99}$/;

/** Seconds; GraphQL reads here take milliseconds, the cost limit allows a few seconds. */
const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

export type OperationOutcome = 'success' | 'partial' | 'error' | 'refused' | 'rate_limited';

/**
 * Prometheus metrics (prom-client), one registry per server so that several servers in one process
 * (tests) keep apart. Labels are bounded: routes the server answers, operation names up to
 * MAX_OPERATION_NAMES, error codes from the fixed exposed set.
 */
export class Metrics {
  readonly registry = new Registry();
  private readonly names = new Set<string>();

  readonly httpRequests = new Counter({
    name: 'http_requests_total',
    help: 'HTTP requests answered, by route, method and status.',
    labelNames: ['route', 'method', 'status'] as const,
    registers: [this.registry],
  });
  readonly httpDuration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'Time to answer an HTTP request, by route.',
    labelNames: ['route'] as const,
    buckets: LATENCY_BUCKETS,
    registers: [this.registry],
  });
  readonly operations = new Counter({
    name: 'graphql_operations_total',
    help: 'GraphQL operations, by operation name, type and outcome (success, partial, error, refused, rate_limited).',
    labelNames: ['operation', 'type', 'outcome'] as const,
    registers: [this.registry],
  });
  readonly operationDuration = new Histogram({
    name: 'graphql_operation_duration_seconds',
    help: 'Time from receiving a GraphQL operation to its response, by operation name.',
    labelNames: ['operation'] as const,
    buckets: LATENCY_BUCKETS,
    registers: [this.registry],
  });
  readonly errors = new Counter({
    name: 'graphql_errors_total',
    help: 'Errors in GraphQL responses, by code.',
    labelNames: ['code'] as const,
    registers: [this.registry],
  });
  readonly rateLimitRefusals = new Counter({
    name: 'rate_limit_refusals_total',
    help: 'Requests refused with 429 because the caller budget could not cover their cost, by tier.',
    labelNames: ['tier'] as const,
    registers: [this.registry],
  });
  readonly applicationSubmitRefusals = new Counter({
    name: 'application_submit_refusals_total',
    help: 'applicationSubmit calls refused with RATE_LIMITED: the client sent too many applications in the window.',
    registers: [this.registry],
  });
  readonly requestTimeouts = new Counter({
    name: 'http_request_timeouts_total',
    help: 'GraphQL requests answered with REQUEST_TIMEOUT.',
    registers: [this.registry],
  });
  readonly databaseStatements = new Counter({
    name: 'db_statements_total',
    help: 'SQL statements sent to the database.',
    registers: [this.registry],
  });

  constructor({ defaultMetrics = true }: { defaultMetrics?: boolean } = {}) {
    // Process CPU, memory, event-loop lag, handles, GC.
    if (defaultMetrics) collectDefaultMetrics({ register: this.registry });
  }

  /**
   * Database pool gauges, read when Prometheus scrapes (one pg_stat_activity query per scrape, on a
   * connection of its own), so the request path pays nothing for them.
   */
  observeDatabasePool(read: () => Promise<PoolStats>): void {
    let last: Promise<PoolStats | null> | undefined;
    // The three gauges are collected one after another within a scrape: read the pool once for all.
    const current = () => {
      last ??= read()
        .catch(() => null)
        .finally(() => setImmediate(() => (last = undefined)));
      return last;
    };
    new Gauge({
      name: 'db_pool_max',
      help: 'Most connections the primary database pool may open (DATABASE_POOL_MAX; 1 for the embedded PGlite).',
      registers: [this.registry],
      async collect() {
        const stats = await current();
        if (stats) this.set(stats.max);
      },
    });
    new Gauge({
      name: 'db_pool_connections',
      help: 'Open connections of the primary database pool, by PostgreSQL session state (active, idle, idle_in_transaction, other). PostgreSQL only.',
      labelNames: ['state'] as const,
      registers: [this.registry],
      async collect() {
        const stats = await current();
        this.reset();
        for (const [state, count] of Object.entries(stats?.connections ?? {})) this.set({ state }, count);
      },
    });
    new Gauge({
      name: 'db_pool_stats_up',
      help: '1 when the pool gauges could be read at this scrape, 0 when the database did not answer.',
      registers: [this.registry],
      async collect() {
        this.set((await current()) ? 1 : 0);
      },
    });
  }

  private readonly caches = new Map<string, () => number>();

  /**
   * `graphql_cache_bytes{cache}`: the bytes each in-process cache holds, read at scrape time. Every
   * one is bounded (src/graphql/caching/byte-bounded-cache.ts); the gauge shows how close it is.
   */
  observeCacheBytes(caches: Record<string, () => number>): void {
    const first = this.caches.size === 0;
    for (const [name, bytes] of Object.entries(caches)) this.caches.set(name, bytes);
    if (!first) return;
    const readers = this.caches;
    new Gauge({
      name: 'graphql_cache_bytes',
      help: 'Estimated bytes held by each in-process cache (documents, persisted_queries, answered_documents, responses); each is bounded.',
      labelNames: ['cache'] as const,
      registers: [this.registry],
      collect() {
        for (const [cache, bytes] of readers) this.set({ cache }, bytes());
      },
    });
  }

  /** `redis_up`: 1 while Redis answers, 0 while the server runs without it (memory rate limits, cache misses). */
  observeRedis(state: () => 'ok' | 'degraded' | 'absent'): void {
    new Gauge({
      name: 'redis_up',
      help: '1 while Redis answers; 0 while it is unreachable or silent and the server runs without it (rate limits in memory, response cache and persisted queries miss). Absent without REDIS_URL.',
      registers: [this.registry],
      collect() {
        const now = state();
        if (now === 'absent') this.reset();
        else this.set(now === 'ok' ? 1 : 0);
      },
    });
  }

  /** The label for an operation name: "anonymous" when unnamed, "other" past the cap. */
  operationLabel(name: string | null | undefined): string {
    if (!name || !OPERATION_NAME.test(name)) return 'anonymous';
    if (this.names.has(name)) return name;
    if (this.names.size >= MAX_OPERATION_NAMES) return 'other';
    this.names.add(name);
    return name;
  }

  async render(): Promise<{ contentType: string; body: string }> {
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }
}
