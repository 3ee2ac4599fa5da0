import { sql } from 'drizzle-orm';
import { bigint, customType, index, integer, pgEnum, pgTable, timestamp } from 'drizzle-orm/pg-core';

/**
 * A 64-bit transaction id (PostgreSQL `xid8`), read as a decimal string: the feed orders by it so
 * that a change committing late is never behind a reader's cursor (see src/modules/changes).
 */
const xid8 = customType<{ data: string; driverData: string }>({
  dataType: () => 'xid8',
});

export const changeOperation = pgEnum('change_operation', ['CREATE', 'UPDATE', 'DELETE']);

/** The public object types the change feed reports (GraphQL type names, for global ids). */
export const changeEntityType = pgEnum('change_entity_type', ['Division', 'Organization', 'Post', 'Membership', 'Meeting']);

/**
 * The public change log, written only by triggers (custom migration 0008) so that imports, API
 * writes and plain SQL all record. Rows about other records are reported as an UPDATE of the public
 * object they belong to (a coalition link: the member organization). Private tables never write here.
 * No foreign key: a log outlives what it describes (deletions appear as tombstones).
 */
export const changes = pgTable(
  'changes',
  {
    id: bigint({ mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    jurisdictionId: integer().notNull(),
    entityType: changeEntityType().notNull(),
    entityId: integer().notNull(),
    operation: changeOperation().notNull(),
    changedAt: timestamp({ withTimezone: true }).notNull().default(sql`clock_timestamp()`),
    /** The writing transaction: rows become readable in (xid, id) order once no older transaction runs. */
    xid: xid8().notNull().default(sql`pg_current_xact_id()`),
  },
  (t) => [
    index('changes_jurisdiction_id_xid_id_idx').on(t.jurisdictionId, t.xid, t.id),
    index('changes_xid_id_idx').on(t.xid, t.id),
    // The retention sweep finds the oldest changes by time (CHANGES_RETENTION_DAYS).
    index('changes_changed_at_idx').on(t.changedAt),
  ],
);

export type ChangeRow = typeof changes.$inferSelect;

/**
 * Per jurisdiction, the last position (in the feed's (xid, id) order) of a change the retention
 * sweep deleted. A `changes(since:)` cursor before it would silently skip pruned changes, so the
 * feed refuses it (CURSOR_EXPIRED). No row: nothing of that jurisdiction was ever pruned.
 */
export const changeLogHorizons = pgTable('change_log_horizons', {
  jurisdictionId: integer().primaryKey(),
  xid: xid8().notNull(),
  id: bigint({ mode: 'number' }).notNull(),
  prunedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
});
