import { and, eq, inArray, sql } from 'drizzle-orm';
import type { Database } from '../../db/client.ts';
import { changeLogHorizons, changes, type ChangeRow } from '../../db/schema/index.ts';

export type ChangeEntityTypeName = ChangeRow['entityType'];

/** A position in the log: the feed is ordered by (transaction id, change id). */
export interface ChangePosition {
  xid: string;
  id: number;
}

/** One reported change (several changes of one object in a page collapse into one). */
export interface ChangeEntry {
  entityType: ChangeEntityTypeName;
  entityId: number;
  operation: ChangeRow['operation'];
  changedAt: Date;
}

export interface ChangeFeedPage {
  entries: ChangeEntry[];
  endCursor: string;
  hasMore: boolean;
}

/**
 * Committed changes after `after`, oldest first. Only rows of transactions older than the oldest
 * one still running (`xid < xmin` of this statement's snapshot) are returned: no running
 * transaction can add a row before them in (xid, id) order, so a reader's cursor never passes a
 * change that commits later. (Ordering by id alone would not do: ids are taken during a
 * transaction, so a transaction that began earlier can write a larger id and commit first.)
 */
export function committedChanges(
  db: Database,
  params: { jurisdictionId: number; after: ChangePosition | null; entityTypes: ChangeEntityTypeName[] | null; limit: number },
): Promise<(ChangeRow & { xid: string })[]> {
  return db
    .select()
    .from(changes)
    .where(
      and(
        eq(changes.jurisdictionId, params.jurisdictionId),
        sql`${changes.xid} < pg_snapshot_xmin(pg_current_snapshot())`,
        params.after ? sql`(${changes.xid}, ${changes.id}) > (${params.after.xid}::xid8, ${params.after.id}::bigint)` : undefined,
        params.entityTypes ? inArray(changes.entityType, params.entityTypes) : undefined,
      ),
    )
    .orderBy(changes.xid, changes.id)
    .limit(params.limit);
}

/** The last position the retention sweep deleted in a jurisdiction's log; null when nothing was. */
export async function changeLogHorizon(db: Database, jurisdictionId: number): Promise<ChangePosition | null> {
  const [row] = await db
    .select({ xid: changeLogHorizons.xid, id: changeLogHorizons.id })
    .from(changeLogHorizons)
    .where(eq(changeLogHorizons.jurisdictionId, jurisdictionId));
  return row ?? null;
}

/**
 * Deletes up to `batch` settled changes written before `cutoff`, oldest first, and moves each
 * affected jurisdiction's horizon forward to the last position deleted, in one statement (so one
 * transaction: a reader never sees the rows gone and the horizon not yet moved). Returns how many
 * rows went. Concurrent sweeps (several instances) skip each other's rows.
 */
export async function pruneChangesBefore(db: Database, cutoff: Date, batch: number): Promise<number> {
  const result = (await db.execute(sql`
    with pruned as (
      delete from changes where id in (
        select id from changes
        where changed_at < ${cutoff.toISOString()}::timestamptz and xid < pg_snapshot_xmin(pg_current_snapshot())
        order by changed_at
        limit ${batch}
        for update skip locked)
      returning jurisdiction_id, xid, id),
    last as (
      select distinct on (jurisdiction_id) jurisdiction_id, xid, id from pruned order by jurisdiction_id, xid desc, id desc),
    saved as (
      insert into change_log_horizons as h (jurisdiction_id, xid, id, pruned_at)
      select jurisdiction_id, xid, id, now() from last
      on conflict (jurisdiction_id) do update set xid = excluded.xid, id = excluded.id, pruned_at = excluded.pruned_at
        where (excluded.xid, excluded.id) > (h.xid, h.id)
      returning 1)
    select count(*)::int as pruned from pruned
  `)) as unknown as { pruned: number }[] | { rows: { pruned: number }[] };
  // execute() answers with rows on PostgreSQL and with { rows } on PGlite.
  const [row] = Array.isArray(result) ? result : result.rows;
  return Number(row?.pruned ?? 0);
}
