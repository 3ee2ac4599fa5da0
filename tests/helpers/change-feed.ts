import { sql } from 'drizzle-orm';
import type { Database } from '../../src/db/client.ts';

/**
 * The changes feed hands out a change once no older transaction is still running anywhere on the
 * database server (src/modules/changes/changes.repository.ts). Transaction ids are shared by every
 * database of a PostgreSQL server, so another test file's transaction can hold the feed back for a
 * moment. This waits, at most 30 s, until every committed change is behind that horizon, so that a
 * read afterwards returns exactly what was written and a test can assert it whole. On PGlite (one
 * connection) it returns at once.
 */
export async function waitForChangeFeed(db: Database): Promise<void> {
  for (let waited = 0; waited < 30_000; waited += 25) {
    const result: unknown = await db.execute(
      sql`select coalesce(max(xid) < pg_snapshot_xmin(pg_current_snapshot()), true) as settled from changes`,
    );
    const rows = Array.isArray(result) ? result : (result as { rows: { settled: boolean }[] }).rows;
    if (rows[0]?.settled === true) return;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error('the changes feed did not settle within 30 s: a transaction on the database server stays open');
}
