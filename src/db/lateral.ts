import { getTableColumns, sql, type SQL } from 'drizzle-orm';
import type { PgTable } from 'drizzle-orm/pg-core';
import type { Database } from './client.ts';

/** A Postgres int[] literal; ids are integers, so this cannot carry injection. */
export function intArray(ids: readonly number[]): string {
  return `{${ids.map((id) => Math.trunc(id)).join(',')}}`;
}

/** The outer row's parent id inside a lateral subquery built for selectLateral(). */
export const lateralParentId: SQL = sql`p.parent_id`;

/**
 * Runs one statement that fetches, for every parent id, its own ordered and limited child rows:
 *   select … from unnest($ids) p(parent_id) cross join lateral (<subquery for p.parent_id>) child
 * This is the batched form of a per-parent LIMIT (an order of magnitude cheaper than a window
 * function over every child). `subquery` must select exactly getTableColumns(table).
 * A lateral subquery is always run as a nested loop, so each parent's rows keep their order.
 */
export async function selectLateral<T extends PgTable>(
  db: Database,
  table: T,
  parentIds: readonly number[],
  subquery: (db: Database) => { as: (alias: string) => unknown },
): Promise<Map<number, T['$inferSelect'][]>> {
  const byParent = new Map<number, T['$inferSelect'][]>(parentIds.map((id) => [id, []]));
  if (parentIds.length === 0) return byParent;
  const child = subquery(db).as('child') as Record<string, unknown>;
  const fields = Object.fromEntries(Object.keys(getTableColumns(table)).map((key) => [key, child[key]]));
  const rows = (await db
    .select({ parentId: sql<number>`p.parent_id`.as('parent_id'), row: fields as never })
    .from(sql`unnest(${intArray(parentIds)}::int[]) as p(parent_id)`)
    .crossJoinLateral(child as never)) as unknown as { parentId: number; row: T['$inferSelect'] }[];
  for (const { parentId, row } of rows) byParent.get(parentId)?.push(row);
  return byParent;
}
