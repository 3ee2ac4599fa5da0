import { getTableName, sql } from 'drizzle-orm';
import type { AnyPgColumn, PgTable } from 'drizzle-orm/pg-core';
import type { Database } from './client.ts';

type TableWithId = PgTable & { id: AnyPgColumn };
interface Prepared<Row> {
  execute(params: { ids: number[] }): Promise<Row[]>;
}

/** Per database (or per request's pinned replica view), one prepared lookup per table. */
const preparedByDatabase = new WeakMap<Database, Map<PgTable, Prepared<unknown>>>();

/**
 * Every row of `table` whose id is in `ids`, in no particular order: the statement behind every
 * loader by primary key. Built once per database and table with Drizzle's `prepare` and the ids as
 * one array parameter (`= any($1)`), so a request does not rebuild the same SQL (Drizzle's query
 * building was a tenth of the CPU of `organization(id:)`); the driver prepares it once per connection.
 */
export function rowsByIds<T extends TableWithId>(db: Database, table: T, ids: readonly number[]): Promise<T['$inferSelect'][]> {
  let byTable = preparedByDatabase.get(db);
  if (!byTable) preparedByDatabase.set(db, (byTable = new Map()));
  let prepared = byTable.get(table) as Prepared<T['$inferSelect']> | undefined;
  if (!prepared) {
    prepared = db
      .select()
      .from(table as PgTable)
      .where(sql`${table.id} = any(${sql.placeholder('ids')}::integer[])`)
      .prepare(`rows_by_ids_${getTableName(table)}`) as unknown as Prepared<T['$inferSelect']>;
    byTable.set(table, prepared);
  }
  return prepared.execute({ ids: [...ids] });
}
