import { z } from 'zod';

/**
 * Default most objects one operation may ask for (src/graphql/limits/query-cost.ts). The largest
 * query we publish, the nested directory, is estimated at about 221,000; measured here, returning
 * 65,000 objects takes about 2.6 s and 140 MB of heap, so the worst a query under this limit can do
 * is about 10 s and 0.5 GB, while the nested queries that exhausted the heap are estimated in the
 * billions. GitHub allows 500,000 on a far larger fleet.
 */
export const DEFAULT_MAX_QUERY_COST = 250_000;

/** The one place that reads process.env. Invalid settings stop the process with a clear message. */
const envSchema = z.object({
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  HOST: z.string().default('0.0.0.0'),
  PORT: z.coerce.number().int().min(0).max(65535).default(4000),
  /** A PostgreSQL URL; when unset, the embedded PGlite database in DATA_DIR is used. */
  DATABASE_URL: z.string().url().optional(),
  DATA_DIR: z.string().default('.data/pglite'),
  DATABASE_POOL_MAX: z.coerce.number().int().min(1).max(200).default(10),
  /** Data folder imported on first start (a city's dataset in the civic-graph format). */
  DATASET_DIR: z.string().optional(),
  /** Adds the labelled, deterministic sample members for the demo on start. */
  SAMPLE_MEMBERS: z
    .enum(['true', 'false'])
    .default('true')
    .transform((v) => v === 'true'),
  DEFAULT_JURISDICTION: z.string().default('portland'),
  /** Most objects one operation may ask for; above it the operation is refused with QUERY_TOO_COSTLY. */
  MAX_QUERY_COST: z.coerce.number().int().min(1).max(100_000_000).default(DEFAULT_MAX_QUERY_COST),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** Staff tokens: a shared HS256 secret for local use, or a JWKS URL for a real identity provider. */
  AUTH_JWT_SECRET: z.string().min(32, 'AUTH_JWT_SECRET must be at least 32 characters').optional(),
  AUTH_JWKS_URL: z.string().url().optional(),
  AUTH_JWT_ISSUER: z.string().default('civic-graph'),
  AUTH_JWT_AUDIENCE: z.string().default('civic-graph'),
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
  if (config.NODE_ENV !== 'production' && !config.AUTH_JWT_SECRET && !config.AUTH_JWKS_URL) {
    config.AUTH_JWT_SECRET = DEVELOPMENT_JWT_SECRET;
  }
  return config;
}
