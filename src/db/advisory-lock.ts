import { sql } from 'drizzle-orm';
import type { Database } from './client.ts';

/**
 * PostgreSQL advisory locks named by text: the 64-bit key is `hashtextextended(name, 0)`, so a
 * name reads in code and in pg_locks' query, and two names collide with negligible chance.
 * Session-level locks live as long as the connection that took them: take them on a
 * DatabaseSession (client.ts), never on the pool, whose next statement may use another connection.
 */
const key = (name: string) => sql`hashtextextended(${name}, 0)`;

/** Rows of a statement, from either driver (postgres.js answers an array, PGlite `{ rows }`). */
function rowsOf<T>(result: unknown): T[] {
  return Array.isArray(result) ? (result as T[]) : (result as { rows: T[] }).rows;
}

/**
 * Runs `work` holding the session-level lock `name` on `session`, waiting for it first; releases
 * it when `work` settles, failed or not (and PostgreSQL releases it if the connection ends first).
 */
export async function withAdvisoryLock<T>(session: Database, name: string, work: () => Promise<T>): Promise<T> {
  await session.execute(sql`select pg_advisory_lock(${key(name)})`);
  let result: T;
  try {
    result = await work();
  } catch (error) {
    // Work that failed because the connection dropped cannot unlock either; its own error is the one to see.
    await releaseAdvisoryLock(session, name).catch(() => {});
    throw error;
  }
  await releaseAdvisoryLock(session, name);
  return result;
}

/** Takes the session-level lock `name` on `session` if no other session holds it; true when taken. */
export async function tryAdvisoryLock(session: Database, name: string): Promise<boolean> {
  const [row] = rowsOf<{ taken: boolean }>(await session.execute(sql`select pg_try_advisory_lock(${key(name)}) as taken`));
  return row?.taken === true;
}

/** Releases one hold of the session-level lock `name` taken on `session`. */
export async function releaseAdvisoryLock(session: Database, name: string): Promise<void> {
  await session.execute(sql`select pg_advisory_unlock(${key(name)})`);
}

/** The server process behind `session`'s connection: a new one means the connection was replaced and its locks are gone. */
export async function backendPid(session: Database): Promise<number> {
  const [row] = rowsOf<{ pid: number }>(await session.execute(sql`select pg_backend_pid() as pid`));
  return Number(row?.pid);
}
