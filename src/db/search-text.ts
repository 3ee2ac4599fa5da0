import { sql, type SQL } from 'drizzle-orm';
import type { AnyPgColumn } from 'drizzle-orm/pg-core';
import { likeContains } from './temporal.ts';

/**
 * Text as searches compare it: lower case, accents removed, through the immutable `search_text()`
 * wrapper around unaccent (custom migration 0008), which the GIN trigram indexes are built on.
 */
export function searchText(value: AnyPgColumn | SQL | string): SQL {
  return typeof value === 'string' ? sql`public.search_text(${value}::text)` : sql`public.search_text(${value})`;
}

/** `column` contains `text`, ignoring case and accents; `%`, `_` and `\` match themselves. */
export function containsIgnoringAccents(column: AnyPgColumn, text: string): SQL {
  return sql`${searchText(column)} like ${searchText(likeContains(text))}`;
}
