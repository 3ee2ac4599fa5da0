import { z } from 'zod';
import { VENDORED_CITIES } from './datasets/vendored.ts';

/**
 * Default most objects one operation may ask for (src/graphql/limits/query-cost.ts). The largest
 * query we publish, the nested directory, is estimated at about 221,000; measured here, returning
 * 65,000 objects takes about 2.6 s and 140 MB of heap, so the worst a query under this limit can do
 * is about 10 s and 0.5 GB, while the nested queries that exhausted the heap are estimated in the
 * billions. GitHub allows 500,000 on a far larger fleet.
 */
export const DEFAULT_MAX_QUERY_COST = 250_000;

/** A comma-separated list in one variable; blanks dropped. */
const commaList = z
  .string()
  .default('')
  .transform((v) => v.split(',').map((item) => item.trim()).filter(Boolean));

const flag = (fallback: 'true' | 'false') => z.enum(['true', 'false']).default(fallback).transform((v) => v === 'true');

/**
 * Rate-limit budgets, in the same unit as MAX_QUERY_COST (objects an operation may return), per
 * RATE_LIMIT_WINDOW_SECONDS. The public gets one published directory (221,120) a minute and change;
 * a partner key five times that; staff tooling ten.
 */
export const DEFAULT_RATE_LIMITS = { PUBLIC: 300_000, PARTNER: 1_500_000, STAFF: 3_000_000 } as const;

/** The one place that reads process.env. Invalid settings stop the process with a clear message. */
const envSchema = z.object({
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  HOST: z.string().default('0.0.0.0'),
  PORT: z.coerce.number().int().min(0).max(65535).default(4000),
  /** A PostgreSQL URL; when unset, the embedded PGlite database in DATA_DIR is used. */
  DATABASE_URL: z.string().url().optional(),
  DATA_DIR: z.string().default('.data/pglite'),
  DATABASE_POOL_MAX: z.coerce.number().int().min(1).max(200).default(10),
  /**
   * The vendored cities (folders of src/datasets) imported on start, comma-separated, in order;
   * each is imported when new or changed, in its own transaction. Default: every vendored city.
   */
  CITIES: z
    .string()
    .optional()
    .transform((list) => (list === undefined ? [...VENDORED_CITIES] : list.split(',').map((city) => city.trim()).filter(Boolean)))
    .pipe(z.array(z.string()).min(1, 'CITIES must name at least one city')),
  /** One dataset folder (a city's dataset in the civic-graph format) imported instead of CITIES. */
  DATASET_DIR: z.string().optional(),
  /** Adds the labelled, deterministic sample members for the demo on start. */
  SAMPLE_MEMBERS: z
    .enum(['true', 'false'])
    .default('true')
    .transform((v) => v === 'true'),
  DEFAULT_JURISDICTION: z.string().default('portland'),
  /** Most objects one operation may ask for; above it the operation is refused with QUERY_TOO_COSTLY. */
  MAX_QUERY_COST: z.coerce.number().int().min(1).max(100_000_000).default(DEFAULT_MAX_QUERY_COST),
  /** Redis shared by all server instances (persisted queries, limiter, response cache); unset: in memory. */
  REDIS_URL: z.string().url().optional(),
  /** A persisted query manifest (npm run trusted-documents) of the operations the public may run. */
  TRUSTED_DOCUMENTS: z.string().optional(),
  /** off: manifest ignored; allow: listed documents served by hash; require: the anonymous public runs only listed documents. */
  TRUSTED_DOCUMENTS_MODE: z.enum(['off', 'allow', 'require']).default('off'),
  /** on: serve the schema as an Apollo Federation 2 subgraph (adds _service and _entities for the router). */
  FEDERATION: z
    .enum(['on', 'off'])
    .default('off')
    .transform((v) => v === 'on'),
  /**
   * Server-side cache of anonymous query responses: `memory` (this process), `redis` (shared by
   * every instance; needs REDIS_URL) or `off`. Default: `redis` when REDIS_URL is set, else `memory`.
   */
  RESPONSE_CACHE: z.enum(['off', 'memory', 'redis']).optional(),
  /**
   * on: this instance also delivers notifications and expires applications (safe on every
   * instance: each job runs on the one leading it, src/job-leadership.ts). off: HTTP only, for a dedicated worker layout
   * or a benchmark that must count only the statements its requests cause.
   */
  BACKGROUND_JOBS: z
    .enum(['on', 'off'])
    .default('on')
    .transform((v) => v === 'on'),
  /**
   * Days the change log keeps a change before the background jobs delete it; a changes(since:)
   * cursor older than what is kept is refused with CURSOR_EXPIRED. 0 keeps every change forever.
   */
  CHANGES_RETENTION_DAYS: z.coerce.number().int().min(0).max(36_500).default(90),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** Staff tokens: a shared HS256 secret for local use, or a JWKS URL for a real identity provider. */
  AUTH_JWT_SECRET: z.string().min(32, 'AUTH_JWT_SECRET must be at least 32 characters').optional(),
  AUTH_JWKS_URL: z.string().url().optional(),
  AUTH_JWT_ISSUER: z.string().default('civic-graph'),
  AUTH_JWT_AUDIENCE: z.string().default('civic-graph'),

  /** Read-only PostgreSQL replicas (comma-separated URLs); queries read from them, mutations use DATABASE_URL. */
  DATABASE_REPLICA_URLS: commaList.pipe(z.array(z.string().url())),
  /** PostgreSQL cancels any statement running longer than this (every connection, both drivers). */
  DATABASE_STATEMENT_TIMEOUT_MS: z.coerce.number().int().min(100).max(600_000).default(8_000),
  /** A /graphql request not answered within this fails with REQUEST_TIMEOUT (HTTP 503). */
  REQUEST_TIMEOUT_MS: z.coerce.number().int().min(100).max(600_000).default(10_000),
  /**
   * After SIGTERM/SIGINT, how long the server keeps answering (each answer with `Connection: close`)
   * before it closes idle connections and stops listening; then in-flight requests finish.
   */
  SHUTDOWN_DRAIN_MS: z.coerce.number().int().min(0).max(60_000).default(5_000),

  RATE_LIMIT_WINDOW_SECONDS: z.coerce.number().int().min(1).max(86_400).default(60),
  /** Budget per window of an anonymous client address. Each budget must cover MAX_QUERY_COST. */
  RATE_LIMIT_PUBLIC: z.coerce.number().int().min(1).default(DEFAULT_RATE_LIMITS.PUBLIC),
  /** Budget per window of one partner API key. */
  RATE_LIMIT_PARTNER: z.coerce.number().int().min(1).default(DEFAULT_RATE_LIMITS.PARTNER),
  /** Budget per window of one staff or admin sign-in. */
  RATE_LIMIT_STAFF: z.coerce.number().int().min(1).default(DEFAULT_RATE_LIMITS.STAFF),
  /**
   * Proxies in front of the server whose X-Forwarded-For may be believed: 0 (default) uses the
   * socket's address; 1 the address the nearest proxy saw (e.g. one load balancer); and so on.
   */
  TRUST_PROXY: z.coerce.number().int().min(0).max(10).default(0),

  /** Origins allowed to call the API from a browser (comma-separated, exact, e.g. https://map.example.org). */
  CORS_ORIGINS: commaList,
  /** In production, partner keys may introspect the schema only when this is true (staff always may). */
  INTROSPECTION_FOR_PARTNERS: flag('false'),
  /** When set, GET /metrics requires `Authorization: Bearer <METRICS_TOKEN>`. */
  METRICS_TOKEN: z.string().min(16, 'METRICS_TOKEN must be at least 16 characters').optional(),
});

/** Outside production, staff tokens minted by `npm run token` work with no setup. Never in production. */
export const DEVELOPMENT_JWT_SECRET = 'civic-graph-development-secret-not-for-production';

export type Config = z.infer<typeof envSchema>;

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new Error(`Invalid configuration: ${problems}`);
  }
  const config = parsed.data;
  if (config.DATABASE_STATEMENT_TIMEOUT_MS > config.REQUEST_TIMEOUT_MS) {
    // A statement outliving its request would keep working for a client that has been answered.
    throw new Error('Invalid configuration: DATABASE_STATEMENT_TIMEOUT_MS must not exceed REQUEST_TIMEOUT_MS');
  }
  for (const name of ['RATE_LIMIT_PUBLIC', 'RATE_LIMIT_PARTNER', 'RATE_LIMIT_STAFF'] as const) {
    // Otherwise an operation the cost limit accepts could never be paid for, however long one waited.
    if (config[name] < config.MAX_QUERY_COST) throw new Error(`Invalid configuration: ${name} must be at least MAX_QUERY_COST (${config.MAX_QUERY_COST})`);
  }
  config.RESPONSE_CACHE ??= config.REDIS_URL ? 'redis' : 'memory';
  if (config.RESPONSE_CACHE === 'redis' && !config.REDIS_URL) {
    throw new Error('Invalid configuration: RESPONSE_CACHE: redis needs REDIS_URL');
  }
  if (config.NODE_ENV !== 'production' && !config.AUTH_JWT_SECRET && !config.AUTH_JWKS_URL) {
    config.AUTH_JWT_SECRET = DEVELOPMENT_JWT_SECRET;
  }
  if (config.TRUSTED_DOCUMENTS_MODE !== 'off' && !config.TRUSTED_DOCUMENTS) {
    throw new Error(`Invalid configuration: TRUSTED_DOCUMENTS_MODE=${config.TRUSTED_DOCUMENTS_MODE} needs TRUSTED_DOCUMENTS (a manifest file)`);
  }
  return config;
}
