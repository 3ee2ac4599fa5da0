import { getTableName, sql } from 'drizzle-orm';
import type { AnyPgColumn, PgTable } from 'drizzle-orm/pg-core';
import type { Database } from './client.ts';
import { readerOf } from './replicas.ts';

type TableWithId = PgTable & { id: AnyPgColumn };
interface Prepared<Row> {
  execute(params: { ids: number[] }): Promise<Row[]>;
}

/** Per database read from (the primary, or each replica), one prepared lookup per table. */
const preparedByDatabase = new WeakMap<Database, Map<PgTable, Prepared<unknown>>>();

/**
 * Every row of `table` whose id is in `ids`, in no particular order: the statement behind every
 * loader by primary key. Built once per database and table with Drizzle's `prepare` and the ids as
 * one array parameter (`= any($1)`), so a request does not rebuild the same SQL (Drizzle's query
 * building was a tenth of the CPU of `organization(id:)`); the driver prepares it once per connection.
 */
export function rowsByIds<T extends TableWithId>(db: Database, table: T, ids: readonly number[]): Promise<T['$inferSelect'][]> {
  // The database the request reads from: with several replicas each request has its own pinned
  // view of them (src/db/replicas.ts), and statements prepared per view would last one request.
  const reader = readerOf(db);
  let byTable = preparedByDatabase.get(reader);
  if (!byTable) preparedByDatabase.set(reader, (byTable = new Map()));
  let prepared = byTable.get(table) as Prepared<T['$inferSelect']> | undefined;
  if (!prepared) {
    prepared = reader
      .select()
      .from(table as PgTable)
      .where(sql`${table.id} = any(${sql.placeholder('ids')}::integer[])`)
      .prepare(`rows_by_ids_${getTableName(table)}`) as unknown as Prepared<T['$inferSelect']>;
    byTable.set(table, prepared);
  }
  return prepared.execute({ ids: [...ids] });
}
