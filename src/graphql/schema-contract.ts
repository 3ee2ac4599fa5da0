import { diff, CriticalityLevel, type Change } from '@graphql-inspector/core';
import {
  buildSchema,
  getNamedType,
  isEnumType,
  isInputObjectType,
  isInterfaceType,
  isObjectType,
  type GraphQLSchema,
} from 'graphql';

/**
 * The schema as a contract (`npm run schema:check`): the printed schema
 * (src/graphql/__generated__/schema.graphql) against the last released one
 * (src/graphql/released/schema.graphql), compared by GraphQL Inspector.
 *
 * Every change Inspector calls breaking fails, except removing or retyping a field, an argument, an
 * input field or an enum value that the released schema already deprecated with a date (the
 * project's reasons start with one: `@deprecated(reason: "2026-12-07: use …")`), i.e. at least one
 * release earlier; and removing a type that only such elements referred to. A deprecation without a
 * date in the current schema fails too, so every deprecation can be removed one release later.
 */

/** A deprecation reason that starts with a real ISO date: `2026-12-07: …`. */
export function deprecationDate(reason: string | null | undefined): string | null {
  const match = /^(\d{4})-(\d{2})-(\d{2})\b/.exec(reason ?? '');
  if (!match) return null;
  const [date, year, month, day] = match as unknown as [string, string, string, string];
  const parsed = new Date(Date.UTC(Number(year), Number(month) - 1, Number(day)));
  const real = parsed.getUTCFullYear() === Number(year) && parsed.getUTCMonth() === Number(month) - 1 && parsed.getUTCDate() === Number(day);
  return real ? date : null;
}

/** Changes whose element may go once the released schema deprecated it with a date. */
const REMOVABLE_WHEN_DEPRECATED = new Set<string>([
  'FIELD_REMOVED',
  'FIELD_TYPE_CHANGED',
  'FIELD_ARGUMENT_REMOVED',
  'FIELD_ARGUMENT_TYPE_CHANGED',
  'INPUT_FIELD_REMOVED',
  'INPUT_FIELD_TYPE_CHANGED',
  'ENUM_VALUE_REMOVED',
]);

/**
 * The dated deprecation of the element at `path` in a schema (`Type.field`, `Type.field.argument`,
 * `Input.field`, `Enum.VALUE`), or of the field an argument belongs to; null when none.
 */
function datedDeprecation(schema: GraphQLSchema, path: string | undefined): string | null {
  const [typeName, member, argument] = (path ?? '').split('.');
  const type = typeName ? schema.getType(typeName) : undefined;
  if (!type || !member) return null;
  if (isEnumType(type)) return deprecationDate(type.getValue(member)?.deprecationReason);
  if (isInputObjectType(type)) return deprecationDate(type.getFields()[member]?.deprecationReason);
  if (isObjectType(type) || isInterfaceType(type)) {
    const field = type.getFields()[member];
    if (!field) return null;
    const ofField = deprecationDate(field.deprecationReason);
    if (argument === undefined || ofField) return ofField;
    return deprecationDate(field.args.find((a) => a.name === argument)?.deprecationReason);
  }
  return null;
}

/**
 * Where a type is referred to in a schema, each with the dated deprecation that covers it (or null):
 * fields returning it, arguments and input fields taking it.
 */
function referencesTo(schema: GraphQLSchema, typeName: string): { at: string; deprecated: string | null }[] {
  const found: { at: string; deprecated: string | null }[] = [];
  for (const type of Object.values(schema.getTypeMap())) {
    if (type.name.startsWith('__')) continue;
    if (isObjectType(type) || isInterfaceType(type)) {
      for (const field of Object.values(type.getFields())) {
        const ofField = deprecationDate(field.deprecationReason);
        if (getNamedType(field.type).name === typeName) found.push({ at: `${type.name}.${field.name}`, deprecated: ofField });
        for (const arg of field.args) {
          if (getNamedType(arg.type).name === typeName) {
            found.push({ at: `${type.name}.${field.name}.${arg.name}`, deprecated: ofField ?? deprecationDate(arg.deprecationReason) });
          }
        }
      }
    } else if (isInputObjectType(type)) {
      for (const field of Object.values(type.getFields())) {
        if (getNamedType(field.type).name === typeName) found.push({ at: `${type.name}.${field.name}`, deprecated: deprecationDate(field.deprecationReason) });
      }
    }
  }
  return found;
}

/** Deprecations in a schema whose reason does not start with an ISO date. */
export function undatedDeprecations(schema: GraphQLSchema): string[] {
  const undated: string[] = [];
  const check = (at: string, reason: string | null | undefined) => {
    if (reason != null && !deprecationDate(reason)) undated.push(at);
  };
  for (const type of Object.values(schema.getTypeMap())) {
    if (type.name.startsWith('__')) continue;
    if (isObjectType(type) || isInterfaceType(type)) {
      for (const field of Object.values(type.getFields())) {
        check(`${type.name}.${field.name}`, field.deprecationReason);
        for (const arg of field.args) check(`${type.name}.${field.name}.${arg.name}`, arg.deprecationReason);
      }
    } else if (isInputObjectType(type)) {
      for (const field of Object.values(type.getFields())) check(`${type.name}.${field.name}`, field.deprecationReason);
    } else if (isEnumType(type)) {
      for (const value of type.getValues()) check(`${type.name}.${value.name}`, value.deprecationReason);
    }
  }
  return undated;
}

export interface ContractReport {
  /** Breaking changes not covered by a dated deprecation in the released schema: CI fails. */
  breaking: string[];
  /** Breaking changes to elements the released schema deprecated with a date: allowed. */
  allowed: string[];
  /** Changes that may surprise a client without breaking its documents (a new enum value, a new default). */
  dangerous: string[];
  /** Additions and other safe changes. */
  safe: string[];
}

function describe(change: Change): string {
  return `${change.criticality.level} ${change.type} ${change.path ?? ''}: ${change.message}`.replace(/ {2}/g, ' ');
}

/** Compares the released schema with the current one (both as SDL). */
export async function checkSchemaChange(releasedSdl: string, currentSdl: string): Promise<ContractReport> {
  const released = buildSchema(releasedSdl);
  const current = buildSchema(currentSdl);
  const report: ContractReport = { breaking: [], allowed: [], dangerous: [], safe: [] };
  for (const change of await diff(released, current)) {
    const line = describe(change);
    if (change.criticality.level === CriticalityLevel.NonBreaking) {
      report.safe.push(line);
    } else if (change.criticality.level === CriticalityLevel.Dangerous) {
      report.dangerous.push(line);
    } else if (REMOVABLE_WHEN_DEPRECATED.has(change.type)) {
      const since = datedDeprecation(released, change.path);
      if (since) report.allowed.push(`${line} (deprecated ${since})`);
      else report.breaking.push(`${line} (not deprecated with a date in the released schema)`);
    } else if (change.type === 'TYPE_REMOVED') {
      const name = (change.meta as { removedTypeName: string }).removedTypeName;
      const references = referencesTo(released, name);
      if (references.length > 0 && references.every((r) => r.deprecated)) {
        report.allowed.push(`${line} (only deprecated elements used it: ${references.map((r) => r.at).join(', ')})`);
      } else {
        report.breaking.push(line);
      }
    } else {
      report.breaking.push(line);
    }
  }
  for (const at of undatedDeprecations(current)) {
    report.breaking.push(`UNDATED_DEPRECATION ${at}: a deprecation reason must start with its ISO date ("2026-12-07: use …")`);
  }
  return report;
}
