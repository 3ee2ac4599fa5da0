import { and, sql, type SQL } from 'drizzle-orm';
import { badUserInput } from '../errors.ts';
import { isIsoDate, parseInstant } from '../input/calendar.ts';
import { textProblem } from '../input/text-rules.ts';
import type { ConnectionMapper } from './mappers.ts';

export const DEFAULT_PAGE_SIZE = 20;
export const MAX_PAGE_SIZE = 100;

export interface PageArgs {
  first?: number | null;
  after?: string | null;
  last?: number | null;
  before?: string | null;
}

export type CursorValues = readonly (string | number)[];

/** A validated page request: how many rows, which way, and the cursor bounds. */
export interface PageRequest {
  size: number;
  backward: boolean;
  after: CursorValues | null;
  before: CursorValues | null;
}

/** One sort key: the SQL expression, its value type, and how a cursor value becomes the same expression. */
export interface SortKey {
  expression: SQL;
  type: 'int' | 'date' | 'text' | 'timestamptz';
  fromValue: (value: string | number) => SQL;
}

/** Ordering of a connection: sort keys ending with a unique one (the id) so cursors are stable. */
export interface Keyset<Row> {
  keys: SortKey[];
  direction: 'asc' | 'desc';
  /** The raw values behind `keys` for a row, in the same order (stored in the cursor). */
  valuesOf: (row: Row) => CursorValues;
}

/** Names sort case-insensitively and identically on every server, whatever its locale. */
export function nameKey(column: unknown): SortKey {
  return { expression: sql`lower(${column}) collate "C"`, type: 'text', fromValue: (v) => sql`lower(${v}::text) collate "C"` };
}

export function plainKey(column: unknown, type: SortKey['type']): SortKey {
  return { expression: sql`${column}`, type, fromValue: (v) => sql`${v}::${sql.raw(type)}` };
}

/** An instant as Date.toISOString() writes it (what cursors of timestamptz keys hold). */
const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

/** A cursor value the database will accept for its key: forged cursors are a client error, not a 500. */
function fitsKey(value: string | number, key: SortKey): boolean {
  if (key.type === 'int') return typeof value === 'number' && Number.isInteger(value) && Math.abs(value) <= 2147483647;
  if (key.type === 'date') return typeof value === 'string' && isIsoDate(value);
  // parseInstant, not Date.parse: V8 reads 2024-02-30 as March 1, PostgreSQL refuses it.
  if (key.type === 'timestamptz') return typeof value === 'string' && ISO_INSTANT.test(value) && parseInstant(value) != null;
  // A text key's value is compared in SQL: the rules of all input text (no NUL, no lone surrogate).
  return typeof value === 'string' && value.length <= 1000 && textProblem(value, { multiline: true }) == null;
}

export function orderByKeys(keys: SortKey[], direction: 'asc' | 'desc' = 'asc'): SQL[] {
  return keys.map((k) => (direction === 'asc' ? sql`${k.expression} asc` : sql`${k.expression} desc`));
}

export function encodeCursor(values: CursorValues): string {
  return Buffer.from(JSON.stringify(values)).toString('base64url');
}

export function decodeCursor(cursor: string, keys: SortKey[], argument: string): CursorValues {
  let values: unknown;
  try {
    values = cursor.length <= 500 ? JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) : null;
  } catch {
    values = null;
  }
  const valid = Array.isArray(values) && values.length === keys.length && values.every((v, i) => fitsKey(v, keys[i]!));
  if (!valid) throw badUserInput(`${argument} is not a cursor of this list`, argument);
  return values as CursorValues;
}

export function parsePageArgs(args: PageArgs, keys: SortKey[]): PageRequest {
  const { first, last, after, before } = args;
  if (first != null && last != null) throw badUserInput('Pass either first or last, not both', 'last');
  for (const [name, value] of [['first', first], ['last', last]] as const) {
    if (value != null && (value < 0 || value > MAX_PAGE_SIZE)) {
      throw badUserInput(`${name} must be between 0 and ${MAX_PAGE_SIZE}; got ${value}`, name);
    }
  }
  return {
    size: first ?? last ?? DEFAULT_PAGE_SIZE,
    backward: last != null,
    after: after != null ? decodeCursor(after, keys, 'after') : null,
    before: before != null ? decodeCursor(before, keys, 'before') : null,
  };
}

function compare(keys: SortKey[], values: CursorValues, op: '>' | '<'): SQL {
  const left = sql.join(keys.map((k) => k.expression), sql`, `);
  const right = sql.join(keys.map((k, i) => k.fromValue(values[i]!)), sql`, `);
  return sql`(${left}) ${sql.raw(op)} (${right})`;
}

/** WHERE / ORDER BY / LIMIT for one page; usable at top level and inside a LATERAL subquery. */
export function pageClauses<Row>(keyset: Keyset<Row>, page: PageRequest): { where: SQL | undefined; orderBy: SQL[]; limit: number } {
  const asc = keyset.direction === 'asc';
  const where = and(
    page.after ? compare(keyset.keys, page.after, asc ? '>' : '<') : undefined,
    page.before ? compare(keyset.keys, page.before, asc ? '<' : '>') : undefined,
  );
  const fetchAscending = asc !== page.backward;
  const orderBy = orderByKeys(keyset.keys, fetchAscending ? 'asc' : 'desc');
  // One extra row tells whether another page follows.
  return { where, orderBy, limit: page.size + 1 };
}

/** Turns rows fetched with pageClauses() into a connection. */
export function toConnection<Row>(
  rows: Row[],
  keyset: Keyset<Row>,
  page: PageRequest,
  totalCount: () => Promise<number>,
): ConnectionMapper<Row> {
  const hasMore = rows.length > page.size;
  const nodes = hasMore ? rows.slice(0, page.size) : rows.slice();
  if (page.backward) nodes.reverse();
  return {
    nodes,
    pageInfo: {
      hasNextPage: page.backward ? page.before != null : hasMore,
      hasPreviousPage: page.backward ? hasMore : page.after != null,
      startCursor: nodes.length ? encodeCursor(keyset.valuesOf(nodes[0]!)) : null,
      endCursor: nodes.length ? encodeCursor(keyset.valuesOf(nodes[nodes.length - 1]!)) : null,
    },
    cursorOf: (row) => encodeCursor(keyset.valuesOf(row)),
    totalCount,
  };
}
