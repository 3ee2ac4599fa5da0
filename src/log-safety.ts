/**
 * What a log line may keep of an error or a string. A failed statement's error quotes its data in
 * several places: Drizzle's message ("Failed query: …\nparams: …") and its `params`, the drivers'
 * `query`/`params`/`parameters`, PostgreSQL's `detail` ("Key (email)=(…) already exists", "Failing
 * row contains (…)"), `where` ("JSON data, line 1: …") and, for data exceptions, the message itself
 * ('invalid input syntax for type integer: "…"'). So an error is copied field by field from an
 * allow-list, never as a whole, and every string of the line is cleaned of the text it withheld.
 * src/logger.ts applies this to every log call; CLIs print errors with describeError.
 */

/** Fields of a PostgreSQL error (PGlite and postgres.js spellings) that name schema objects only. */
const DATABASE_FIELDS: Record<string, readonly string[]> = {
  constraint: ['constraint', 'constraint_name'],
  table: ['table', 'table_name'],
  column: ['column', 'column_name'],
  schema: ['schema', 'schema_name'],
  dataType: ['dataType', 'data_type_name'],
  routine: ['routine'],
  severity: ['severity'],
};

/** Fields whose text may quote a statement's data: withheld, and cleaned out of any other string. */
const DATA_FIELDS = ['message', 'detail', 'where', 'hint', 'internalQuery', 'internal_query', 'query'] as const;
const PARAMETER_FIELDS = ['params', 'parameters'] as const;

/**
 * SQLSTATE classes whose primary message names only schema objects (a constraint, a relation, a
 * column): connection (08), integrity (23: the values are in `detail`), transaction state (25),
 * rollback (40), syntax and undefined objects (42), resources (53, 54), object state (55), operator
 * intervention (57). Others, data exceptions (22) first, may quote the value that was refused.
 */
const MESSAGE_NAMES_OBJECTS_ONLY = new Set(['08', '23', '25', '40', '42', '53', '54', '55', '57']);

/** Text that introduces quoted data: everything from the first of these on is cut. */
const DATA_MARKERS = /Failed query:|\bparams:|\bparameters:|\bKey \(|Failing row contains|\bDETAIL:|JSON data, line/;

const MAX_TEXT = 4_000;
const MAX_DEPTH = 8;
const MAX_ITEMS = 50;
/** Statement parameters shorter than this (ids, flags, small numbers) are too common to clean out. */
const MIN_WITHHELD = 4;
const WITHHELD = '[withheld]';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json | undefined };

/** An Error, or an error of another realm; a plain object (such as a serialized error) is data. */
function isErrorLike(value: unknown): value is Error & Record<string, unknown> {
  if (value instanceof Error) return true;
  if (typeof value !== 'object' || value === null || isPlainObject(value)) return false;
  return typeof (value as { message?: unknown }).message === 'string' && typeof (value as { stack?: unknown }).stack === 'string';
}

/** A PostgreSQL error from either driver: a five-character SQLSTATE and the server's severity. */
function isDatabaseError(error: Record<string, unknown>): boolean {
  return typeof error.code === 'string' && /^[0-9A-Z]{5}$/.test(error.code) && typeof error.severity === 'string';
}

/** Drizzle's wrapper (DrizzleQueryError): its message is the statement and its parameters. */
function isQueryError(error: Record<string, unknown>): boolean {
  return (typeof error.message === 'string' && error.message.startsWith('Failed query:')) || (typeof error.query === 'string' && Array.isArray(error.params));
}

/** Texts that a line must not carry: what errors anywhere in `value` quote of their statements' data. */
export function withheldTexts(value: unknown, found = new Set<string>(), seen = new Set<object>(), depth = 0): Set<string> {
  if (typeof value !== 'object' || value === null || seen.has(value) || depth > MAX_DEPTH) return found;
  seen.add(value);
  if (isErrorLike(value)) {
    const quotesData = isDatabaseError(value) || isQueryError(value);
    if (quotesData) {
      for (const field of DATA_FIELDS) {
        const text = value[field];
        // A safe-class message stays in the log (serializeError keeps it); only its data-bearing fields go.
        if (field === 'message' && isDatabaseError(value) && MESSAGE_NAMES_OBJECTS_ONLY.has(String(value.code).slice(0, 2))) continue;
        if (typeof text === 'string' && text.length >= MIN_WITHHELD) found.add(text);
      }
      for (const field of PARAMETER_FIELDS) {
        const parameters = value[field];
        if (Array.isArray(parameters)) for (const parameter of parameters.slice(0, 1_000)) addParameter(parameter, found);
      }
    }
    withheldTexts(value.cause, found, seen, depth + 1);
    if (Array.isArray(value.errors)) for (const inner of value.errors.slice(0, MAX_ITEMS)) withheldTexts(inner, found, seen, depth + 1);
    return found;
  }
  const children = Array.isArray(value) ? value.slice(0, MAX_ITEMS) : isPlainObject(value) ? Object.values(value) : [];
  for (const child of children) withheldTexts(child, found, seen, depth + 1);
  return found;
}

function addParameter(parameter: unknown, found: Set<string>): void {
  const text = typeof parameter === 'string' ? parameter : parameter instanceof Date || parameter === null || typeof parameter !== 'object' ? null : safeJson(parameter);
  if (text === null || text.length < MIN_WITHHELD) return;
  found.add(text);
  // A JSON parameter's own strings (an answer inside `answers`) can appear on their own elsewhere.
  if (typeof parameter === 'object' || text.startsWith('{') || text.startsWith('[')) {
    for (const match of text.matchAll(/"((?:[^"\\]|\\.)*)"/g)) if (match[1]!.length >= MIN_WITHHELD) found.add(match[1]!);
  }
}

function safeJson(value: unknown): string | null {
  try {
    return JSON.stringify(value) ?? null;
  } catch {
    return null;
  }
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/** A string fit for a log line: withheld texts replaced, anything after a data marker cut, length capped. */
export function cleanText(text: string, withheld: ReadonlySet<string> = new Set()): string {
  let clean = text;
  // Longest first, so a statement's whole parameter list goes before any one of its parts.
  for (const quoted of [...withheld].sort((a, b) => b.length - a.length)) if (clean.includes(quoted)) clean = clean.split(quoted).join(WITHHELD);
  const marker = DATA_MARKERS.exec(clean);
  if (marker) clean = `${clean.slice(0, marker.index)}${WITHHELD}`;
  return clean.length > MAX_TEXT ? `${clean.slice(0, MAX_TEXT)}…` : clean;
}

/** Only the call frames of a stack: its first lines repeat the message. */
function framesOf(stack: unknown): string | undefined {
  if (typeof stack !== 'string') return undefined;
  const frames = stack.split('\n').filter((line) => /^\s+at /.test(line));
  return frames.length > 0 ? frames.join('\n') : undefined;
}

/** The error's class: its constructor's name when `name` is the generic one (DrizzleQueryError, PGlite's minified class). */
function typeOf(error: Error & Record<string, unknown>): string {
  if (isDatabaseError(error) && (error.name === 'error' || error.name === 'Error')) return 'DatabaseError';
  if (typeof error.name === 'string' && error.name !== 'Error' && error.name !== 'error') return error.name;
  const constructorName = (error.constructor as { name?: unknown } | undefined)?.name;
  return typeof constructorName === 'string' && constructorName.length > 2 ? constructorName : 'Error';
}

/**
 * The log's copy of an error: its class, PostgreSQL's SQLSTATE `code`, constraint, table, column and
 * routine, a message only when it cannot quote data, the call frames, and its causes the same way.
 */
export function serializeError(error: unknown, withheld: ReadonlySet<string> = withheldTexts(error), depth = 0): Json {
  if (!isErrorLike(error)) return sanitizeLogValue(error, withheld);
  const out: Record<string, Json | undefined> = {};
  out.type = typeOf(error);
  if (isDatabaseError(error)) {
    const code = String(error.code);
    out.code = code;
    for (const [key, spellings] of Object.entries(DATABASE_FIELDS)) {
      const found = spellings.map((field) => error[field]).find((value) => typeof value === 'string');
      if (typeof found === 'string') out[key] = cleanText(found, withheld);
    }
    out.message = MESSAGE_NAMES_OBJECTS_ONLY.has(code.slice(0, 2))
      ? cleanText(error.message)
      : `PostgreSQL error ${code} (its message is withheld: it may quote the value refused)`;
  } else if (isQueryError(error)) {
    out.message = 'Failed query (statement and parameters withheld)';
  } else {
    out.message = cleanText(error.message, withheld);
    // Node system errors (ECONNREFUSED) and GraphQL errors name what failed by a code.
    if (typeof error.code === 'string' || typeof error.code === 'number') out.code = typeof error.code === 'string' ? cleanText(error.code, withheld) : error.code;
    if (typeof error.syscall === 'string') out.syscall = error.syscall;
    const extensionsCode = (error.extensions as { code?: unknown } | undefined)?.code;
    if (typeof extensionsCode === 'string') out.extensionsCode = extensionsCode;
  }
  out.stack = framesOf(error.stack);
  if (depth < MAX_DEPTH && error.cause !== undefined) out.cause = serializeError(error.cause, withheld, depth + 1);
  if (depth < MAX_DEPTH && Array.isArray(error.errors)) {
    out.errors = error.errors.slice(0, MAX_ITEMS).map((inner) => serializeError(inner, withheld, depth + 1));
  }
  return out;
}

/** Any value of a log line: errors at any depth serialized, strings cleaned; plain objects and arrays walked. */
export function sanitizeLogValue(value: unknown, withheld: ReadonlySet<string>, depth = 0, seen = new Set<object>()): Json {
  if (typeof value === 'string') return cleanText(value, withheld);
  if (typeof value !== 'object' || value === null) {
    return typeof value === 'number' || typeof value === 'boolean' || value === null ? value : typeof value === 'bigint' ? String(value) : null;
  }
  if (isErrorLike(value)) return serializeError(value, withheld);
  if (seen.has(value)) return '[circular]';
  if (depth >= MAX_DEPTH) return '[too deep]';
  seen.add(value);
  if (Array.isArray(value)) return value.slice(0, MAX_ITEMS).map((item) => sanitizeLogValue(item, withheld, depth + 1, seen));
  if (!isPlainObject(value)) {
    // Dates, URLs, class instances: their JSON form, cleaned like any string.
    const json = safeJson(value);
    return json === null ? null : sanitizeLogValue(JSON.parse(json), withheld, depth + 1, seen);
  }
  const out: Record<string, Json | undefined> = {};
  for (const [key, item] of Object.entries(value)) if (item !== undefined) out[key] = sanitizeLogValue(item, withheld, depth + 1, seen);
  return out;
}

/**
 * A log call's arguments made safe (pino's `hooks.logMethod`): `(err)`, `(obj, msg, ...args)` or
 * `(msg, ...args)`. An Error passed alone becomes `{ err }` with its safe message, as pino would
 * otherwise log the raw `err.message` as the line's `msg`.
 */
export function sanitizeLogArguments(args: readonly unknown[]): unknown[] {
  const withheld = withheldTexts(args);
  const [first, ...rest] = args;
  const clean = rest.map((arg) => (isErrorLike(arg) ? describeError(arg, withheld) : sanitizeLogValue(arg, withheld)));
  if (isErrorLike(first)) {
    const err = serializeError(first, withheld) as { message?: string };
    return [{ err }, ...(clean.length > 0 ? clean : [err.message ?? ''])];
  }
  if (typeof first === 'string') return [cleanText(first, withheld), ...clean];
  const object = sanitizeLogValue(first, withheld);
  // pino falls back to `err.message` for the line's msg; give it the cleaned one.
  return [object, ...clean];
}

/** One line for a person to read (CLIs): "Type: message (code …, constraint …) ← cause …". */
export function describeError(error: unknown, withheld: ReadonlySet<string> = withheldTexts(error)): string {
  const parts: string[] = [];
  let current = serializeError(error, withheld) as Record<string, Json | undefined> | null;
  for (let depth = 0; current && typeof current === 'object' && depth < MAX_DEPTH; depth += 1) {
    const facts = ['code', 'constraint', 'table', 'column'].filter((key) => typeof current![key] === 'string').map((key) => `${key} ${current![key]}`);
    const message = typeof current.message === 'string' ? current.message : '';
    parts.push(`${current.type && current.type !== 'Error' ? `${current.type}: ` : ''}${message}${facts.length > 0 ? ` (${facts.join(', ')})` : ''}`);
    current = (current.cause as Record<string, Json | undefined> | undefined) ?? null;
  }
  return parts.length > 0 ? parts.join(' ← caused by ') : cleanText(String(error), withheld);
}
