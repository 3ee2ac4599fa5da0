/**
 * Runs a compiled plan (directory-plan.ts) as a named prepared statement: PostgreSQL parses and
 * plans the large directory statement once per pooled connection instead of on every request
 * (Drizzle's `execute` sends an unnamed statement, parsed, described and planned each time:
 * about 2 ms of the directory's 8 ms of database time). The statement still goes through Drizzle's
 * session, so its logger sees it (tests count statements with it), and through the request's
 * reader (src/db/replicas.ts), like the resolvers' reads.
 */
import type { Database } from '../../db/client.ts';
import { readerOf } from '../../db/replicas.ts';
import { UnsupportedSelection, type DirectoryPlan } from './directory-plan.ts';

/** No row: the jurisdiction does not exist, and the field's resolver reports it. */
export const NO_ROW = Symbol('no row');

/**
 * The statement's values: $1 the jurisdiction slug, then the plan's parameters read from the
 * coerced variables. null when an argument is one the resolvers must answer (a page size out of
 * range: they raise the error).
 */
export function planValues(plan: DirectoryPlan, jurisdiction: string, variables: Record<string, unknown>): unknown[] | null {
  const values: unknown[] = [jurisdiction];
  try {
    for (const check of plan.checks) check(variables);
    for (const source of plan.params) values.push(source(variables));
  } catch (error) {
    if (error instanceof UnsupportedSelection) return null;
    throw error;
  }
  return values;
}

/**
 * Statement texts allowed to be prepared. postgres.js keeps a connection's prepared statements
 * until the connection is recycled, and every distinct selection (aliases, arguments, fields) is a
 * distinct text: past this many, a new shape runs unprepared, so that clients varying their
 * documents cannot grow every connection's (and server backend's) memory without bound.
 */
const MAX_PREPARED_TEXTS = 64;
const preparedTexts = new Set<string>();

function mayPrepare(text: string): boolean {
  if (preparedTexts.has(text)) return true;
  if (preparedTexts.size >= MAX_PREPARED_TEXTS) return false;
  preparedTexts.add(text);
  return true;
}

export async function runPlan(db: Database, plan: DirectoryPlan, values: unknown[]): Promise<unknown> {
  // A name makes Drizzle's driver session prepare the statement (postgres.js keeps it per
  // connection, keyed by its text); PGlite runs it as it runs every statement.
  const name = mayPrepare(plan.text) ? 'compiled_directory' : undefined;
  const query = readerOf(db)._.session.prepareQuery({ sql: plan.text, params: values }, undefined, name, false);
  const result = (await query.execute()) as unknown;
  const rows = (Array.isArray(result) ? result : (result as { rows: unknown[] }).rows) as Array<{ result: unknown }>;
  if (rows.length === 0) return NO_ROW;
  const value = rows[0]!.result;
  return typeof value === 'string' ? JSON.parse(value) : value;
}
