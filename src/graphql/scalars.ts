import { GraphQLError, GraphQLScalarType, Kind, valueFromASTUntyped } from 'graphql';
import type { Geometry } from 'geojson';
import { EARLIEST_DATE, isIsoDate, LATEST_DATE, parseInstant } from '../input/calendar.ts';

/** A short, JSON-quoted sample of a refused value for the message (the client's own value, cut). */
const sample = (value: unknown) => (JSON.stringify(value) ?? String(value)).slice(0, 40);

function badScalar(message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: 'BAD_USER_INPUT' } });
}

function parseDate(value: unknown): string {
  if (typeof value !== 'string' || !isIsoDate(value)) {
    throw badScalar(`Date must be a calendar date written YYYY-MM-DD (RFC 3339 full-date) from ${EARLIEST_DATE} to ${LATEST_DATE}; got ${sample(value)}`);
  }
  return value;
}

/** RFC 3339 `full-date`, years 0001–9999 (src/input/calendar.ts); fields narrow it to what they mean. */
export const DateScalar = new GraphQLScalarType<string, string>({
  name: 'Date',
  specifiedByURL: 'https://www.rfc-editor.org/rfc/rfc3339#section-5.6',
  serialize: (value) => {
    if (value instanceof Date) return value.toISOString().slice(0, 10);
    if (typeof value === 'string' && isIsoDate(value)) return value;
    throw new TypeError(`Date cannot represent ${String(value)}`);
  },
  parseValue: parseDate,
  parseLiteral: (ast) => parseDate(ast.kind === Kind.STRING ? ast.value : undefined),
});

function parseDateTime(value: unknown): Date {
  const instant = typeof value === 'string' ? parseInstant(value) : null;
  if (!instant) {
    throw badScalar(
      `DateTime must be an RFC 3339 date-time with a zone, such as 2026-11-22T19:14:00Z or 2026-11-22T11:14:00-08:00, from ${EARLIEST_DATE} to ${LATEST_DATE} in UTC; got ${sample(value)}`,
    );
  }
  return instant;
}

/** RFC 3339 `date-time` with a required offset; answered in UTC with milliseconds. */
export const DateTimeScalar = new GraphQLScalarType<Date, string>({
  name: 'DateTime',
  specifiedByURL: 'https://www.rfc-editor.org/rfc/rfc3339#section-5.6',
  serialize: (value) => {
    const date = value instanceof Date ? value : new Date(String(value));
    if (Number.isNaN(date.getTime())) throw new TypeError(`DateTime cannot represent ${String(value)}`);
    return date.toISOString();
  },
  parseValue: parseDateTime,
  parseLiteral: (ast) => parseDateTime(ast.kind === Kind.STRING ? ast.value : undefined),
});

function parseGeoJSON(value: unknown): unknown {
  if (!value || typeof value !== 'object' || Array.isArray(value) || typeof (value as { type?: unknown }).type !== 'string') {
    throw new GraphQLError('GeoJSON must be a geometry object with a "type"', { extensions: { code: 'BAD_USER_INPUT' } });
  }
  return value;
}

/**
 * Any GeoJSON geometry object. Only its shape is checked here; the mutation that takes a boundary
 * validates it fully (MultiPolygon, closed rings, WGS84 ranges, size) and answers with userErrors.
 */
export const GeoJSONScalar = new GraphQLScalarType<Geometry, Geometry>({
  name: 'GeoJSON',
  serialize: (value) => value as Geometry,
  parseValue: (value) => parseGeoJSON(value) as Geometry,
  parseLiteral: (ast, variables) => parseGeoJSON(valueFromASTUntyped(ast, variables)) as Geometry,
});
