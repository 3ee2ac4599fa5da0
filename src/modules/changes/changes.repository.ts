import { and, eq, inArray, sql } from 'drizzle-orm';
import type { Database } from '../../db/client.ts';
import { changes, type ChangeRow } from '../../db/schema/index.ts';

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
