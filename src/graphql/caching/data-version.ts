import { sql } from 'drizzle-orm';
import type { Database } from '../../db/client.ts';

/**
 * A value that changes whenever any change to public data commits, read in one indexed statement
 * and without writing anything (a counter row bumped by every write would serialize writers and
 * fail them under REPEATABLE READ). It is the last change in the feed's (xid, id) order among
 * transactions older than every running one, plus the number of committed changes of newer
 * transactions: a commit either adds a change beyond that last one, or adds to that number, so
 * no two states of the data share a version. Global for the response cache (`node(id:)` reads any
 * jurisdiction); per jurisdiction for the exports.
 */
export async function readDataVersion(db: Database, jurisdictionId?: number): Promise<string> {
  // One jurisdiction's version (the exports' ETag) follows the same argument within its rows.
  const ofJurisdiction = jurisdictionId === undefined ? sql`` : sql` and c.jurisdiction_id = ${jurisdictionId}`;
  const result = (await db.execute(sql`
    select
      (select c.xid::text || '.' || c.id from changes c
        where c.xid < pg_snapshot_xmin(pg_current_snapshot())${ofJurisdiction}
        order by c.xid desc, c.id desc limit 1) as settled,
      (select count(*) from changes c where c.xid >= pg_snapshot_xmin(pg_current_snapshot())${ofJurisdiction}) as recent
  `)) as unknown as { settled: string | null; recent: string | number }[] | { rows: { settled: string | null; recent: string | number }[] };
  // execute() answers with rows on PostgreSQL and with { rows } on PGlite.
  const [row] = Array.isArray(result) ? result : result.rows;
  return `${row?.settled ?? '0'}+${row?.recent ?? 0}`;
}
