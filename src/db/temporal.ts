import { sql, type SQL } from 'drizzle-orm';
import type { AnyPgColumn } from 'drizzle-orm/pg-core';

/** Half-open validity: started on or before `at` (or no start on record) and not ended by `at`. */
export function inEffectOn(start: AnyPgColumn, end: AnyPgColumn, at: string): SQL {
  return sql`(${start} is null or ${start} <= ${at}) and (${end} is null or ${end} > ${at})`;
}

/** `%`, `_` and `\` in user text match themselves in LIKE. */
export function likeContains(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}
