import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import type { Logger } from 'pino';
import type { Database } from '../db/client.ts';
import { migrationsFolder } from '../db/migrate.ts';
import { primaryOf } from '../db/replicas.ts';
import { redisState, type Redis } from '../redis/client.ts';

/**
 * A dependency the server can do without, reported in a ready answer when it is away: the server
 * stays ready (it serves every request correctly), and says what runs differently meanwhile.
 */
export interface DegradedDependency {
  name: 'redis';
  effect: string;
}

export type Readiness = { ready: true; degraded?: DegradedDependency[] } | { ready: false; reason: string };

/** What a server whose Redis is unreachable or silent still does, for the /readyz body. */
export const REDIS_DEGRADED_EFFECT =
  'Redis is not answering: every request is still served; rate limits (query budgets, application submissions) count in this instance\'s memory, and the response cache and persisted queries miss, until it is back.';

/** Longest a readiness probe waits for the database before calling it unreachable. */
export const READINESS_TIMEOUT_MS = 3_000;

/** The `when` of the newest migration shipped with this build (drizzle/meta/_journal.json). */
async function latestMigration(): Promise<{ count: number; when: number }> {
  const journal = JSON.parse(await readFile(join(migrationsFolder, 'meta', '_journal.json'), 'utf8')) as { entries: { when: number }[] };
  return { count: journal.entries.length, when: Math.max(...journal.entries.map((e) => e.when)) };
}

function within<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout;
  return Promise.race([
    promise.finally(() => clearTimeout(timer)),
    new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms))),
  ]);
}

/**
 * GET /readyz: the primary database answers, and it carries every migration this build ships
 * (Drizzle's migrator records each applied migration's `created_at`, the journal's `when`, in
 * drizzle.__drizzle_migrations). Reasons name no host, user or SQL; the log has the details.
 * A Redis that does not answer leaves the server ready (200) with `degraded` listing it: taking
 * every instance out of a load balancer because a cache is away would turn a slowdown into an outage.
 */
export function createReadinessCheck(
  db: Database,
  logger: Logger,
  {
    timeoutMs = READINESS_TIMEOUT_MS,
    redis,
  }: {
    timeoutMs?: number;
    /** The server's Redis, reported as degraded (not as unready) while it does not answer. */
    redis?: Redis;
  } = {},
): () => Promise<Readiness> {
  const primary = primaryOf(db);
  return async () => {
    const expected = await latestMigration();
    let applied: { count: number; latest: number | null };
    try {
      const rows = await within(
        primary.execute<{ count: number; latest: string | null }>(
          sql`select count(*)::int as count, max(created_at)::text as latest from drizzle.__drizzle_migrations`,
        ),
        timeoutMs,
      );
      const row = (Array.isArray(rows) ? rows[0] : (rows as { rows: unknown[] }).rows[0]) as { count: number; latest: string | null };
      applied = { count: Number(row.count), latest: row.latest === null ? null : Number(row.latest) };
    } catch (error) {
      const code = (error as { cause?: { code?: string }; code?: string }).cause?.code ?? (error as { code?: string }).code;
      // 42P01: the migrations table does not exist yet.
      if (code === '42P01') return { ready: false, reason: `migrations pending: 0 of ${expected.count} applied` };
      logger.warn({ err: error instanceof Error ? { type: error.name, message: error.message } : String(error) }, 'readiness: database unreachable');
      return { ready: false, reason: 'database unreachable' };
    }
    if (applied.latest === null || applied.latest < expected.when) {
      return { ready: false, reason: `migrations pending: ${applied.count} of ${expected.count} applied` };
    }
    return redisState(redis) === 'degraded' ? { ready: true, degraded: [{ name: 'redis', effect: REDIS_DEGRADED_EFFECT }] } : { ready: true };
  };
}
