/**
 * Idempotent bulk upsert: INSERT … ON CONFLICT DO UPDATE … WHERE (cols) IS DISTINCT FROM (excluded),
 * so unchanged rows are not touched (their updated_at stays) and each row is counted exactly once.
 */
import { getTableColumns, sql, type SQL } from 'drizzle-orm';
import type { PgColumn, PgTable, PgTransaction } from 'drizzle-orm/pg-core';
import type { Database } from '../db/client.ts';
import type { TableCounts } from './summary.ts';

/** The transaction handle Database.transaction passes to its callback. */
export type Tx = Parameters<Parameters<Database['transaction']>[0]>[0];
export type { PgTransaction };

const CHUNK = 200;

/** Drizzle maps camelCase keys to snake_case (casing: 'snake_case'); `excluded.` needs the SQL name. */
function sqlName(key: string): string {
  return key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
}

export async function upsertRows<T extends PgTable>(
  tx: Tx,
  table: T,
  rows: Array<T['$inferInsert']>,
  conflictTarget: PgColumn[],
  /** Columns compared and updated; the natural key columns are left out. */
  updateKeys: Array<keyof T['$inferInsert'] & string>,
  /** The predicate of a partial unique index the conflict target names, if it is one. */
  options: { targetWhere?: SQL } = {},
): Promise<TableCounts> {
  const columns = getTableColumns(table) as Record<string, PgColumn>;
  const excluded = (k: string) => sql.raw(`excluded."${sqlName(k)}"`);
  const set: Record<string, SQL> = { updatedAt: sql`now()` };
  for (const k of updateKeys) set[k] = excluded(k);
  const current = sql.join(updateKeys.map((k) => sql`${columns[k]!}`), sql`, `);
  const incoming = sql.join(updateKeys.map(excluded), sql`, `);
  // Tables with an owner column: the import writes DATASET rows and never updates a STAFF one
  // (a row staff edited through the API keeps their values; it counts as unchanged).
  const owned = 'origin' in columns;
  const setWhere = owned
    ? sql`${columns.origin!} = 'DATASET' and (${current}) is distinct from (${incoming})`
    : sql`(${current}) is distinct from (${incoming})`;
  if (owned) rows = rows.map((row) => ({ ...row, origin: 'DATASET' }));

  const counts: TableCounts = { inserted: 0, updated: 0, unchanged: 0 };
  for (let i = 0; i < rows.length; i += CHUNK) {
    const chunk = rows.slice(i, i + CHUNK);
    const changed = (await tx
      .insert(table)
      .values(chunk as never)
      .onConflictDoUpdate({ target: conflictTarget, targetWhere: options.targetWhere, set: set as never, setWhere })
      // xmax = 0 only for a freshly inserted row version; an updated row carries the updating xid.
      .returning({ inserted: sql<boolean>`(xmax = 0)` })) as Array<{ inserted: boolean }>;
    const inserted = changed.filter((r) => r.inserted).length;
    counts.inserted += inserted;
    counts.updated += changed.length - inserted;
    counts.unchanged += chunk.length - changed.length;
  }
  return counts;
}
