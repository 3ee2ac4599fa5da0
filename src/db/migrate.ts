import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import type { PgliteDatabase } from 'drizzle-orm/pglite';
import { migrate as migratePostgres } from 'drizzle-orm/postgres-js/migrator';
import type { PostgresJsDatabase } from 'drizzle-orm/postgres-js';
import { withAdvisoryLock } from './advisory-lock.ts';
import type { DatabaseHandle } from './client.ts';
import { projectPath } from '../project-root.ts';

export const migrationsFolder = projectPath('drizzle');

/** The advisory lock every migrating process takes; see migrateDatabase. */
export const MIGRATIONS_LOCK = 'civic-graph:migrations';

/**
 * Applies drizzle/ with Drizzle's migrator: the same path in tests, CI, `npm start` and production.
 * Instances starting together take turns: each holds MIGRATIONS_LOCK on a connection of its own
 * and runs the migrator on that same connection (its CREATE SCHEMA, its read of what is applied
 * and its one transaction), so the next one finds the migrations applied and does nothing. If the
 * process dies midway, the connection's end rolls the transaction back and frees the lock together.
 */
export async function migrateDatabase(handle: DatabaseHandle): Promise<void> {
  const session = await handle.openSession();
  try {
    await withAdvisoryLock(session.db, MIGRATIONS_LOCK, async () => {
      if (handle.driver === 'pglite') {
        await migratePglite(session.db as unknown as PgliteDatabase, { migrationsFolder });
      } else {
        await migratePostgres(session.db as unknown as PostgresJsDatabase, { migrationsFolder });
      }
    });
  } finally {
    await session.close();
  }
}
