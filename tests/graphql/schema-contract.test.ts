import { readFileSync } from 'node:fs';
import { buildSchema, lexicographicSortSchema, printSchema } from 'graphql';
import { describe, expect, it } from 'vitest';
import { checkSchemaChange, deprecationDate } from '../../src/graphql/schema-contract.ts';
import { loadTypeDefs } from '../../src/graphql/type-defs.ts';
import { projectPath } from '../../src/project-root.ts';

// The breaking-change check CI runs (`npm run schema:check`), fed small schemas.
const released = `
  type Query {
    division(id: ID!, at: String): Division
    divisionByName(name: String!): Division @deprecated(reason: "2026-12-07: use division(id:)")
    legacy: String @deprecated(reason: "use division")
  }
  type Division {
    id: ID!
    name: String!
    kind: Kind! @deprecated(reason: "2026-12-07: use kindCode")
    kindCode: String!
    area: Area @deprecated(reason: "2026-12-07: use boundary")
  }
  type Area {
    squareMeters: Float!
  }
  enum Kind {
    DISTRICT
    NEIGHBORHOOD
    OTHER @deprecated(reason: "2026-12-07: read kindCode")
  }
`;

/** The released schema with one line taken out or replaced (each must be found). */
function edit(sdl: string, from: string | RegExp, to = ''): string {
  const edited = sdl.replace(from, to);
  if (edited === sdl) throw new Error(`fixture edit found nothing: ${String(from)}`);
  return edited;
}

const breakingBesidesUndated = (breaking: string[]) => breaking.filter((b) => !b.startsWith('UNDATED_DEPRECATION Query.legacy'));

describe('schema contract: breaking changes against the released schema', () => {
  it('passes the released schema unchanged, apart from the undated deprecation it already had', async () => {
    const report = await checkSchemaChange(released, released);
    expect(report.allowed).toEqual([]);
    expect(report.breaking).toEqual([expect.stringContaining('UNDATED_DEPRECATION Query.legacy')]);
  });

  it('fails when a field that was not deprecated is removed', async () => {
    const report = await checkSchemaChange(released, edit(released, '    name: String!\n'));
    expect(breakingBesidesUndated(report.breaking)).toEqual([expect.stringMatching(/^BREAKING FIELD_REMOVED Division\.name\b.*not deprecated with a date/)]);
  });

  it('passes when a field the released schema deprecated with a date is removed, and the type only it used', async () => {
    const current = edit(edit(released, /    area: Area .*\n/), /  type Area \{[^}]*\}\n/);
    const report = await checkSchemaChange(released, current);
    expect(breakingBesidesUndated(report.breaking)).toEqual([]);
    expect(report.allowed).toHaveLength(2);
    expect(report.allowed).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^BREAKING FIELD_REMOVED Division\.area\b.*\(deprecated 2026-12-07\)$/),
        expect.stringMatching(/^BREAKING TYPE_REMOVED Area\b.*only deprecated elements used it: Division\.area/),
      ]),
    );
  });

  it('passes the removal of a dated-deprecated root field and enum value; fails an undated one', async () => {
    const current = edit(edit(edit(released, /    divisionByName.*\n/), /    legacy.*\n/), /    OTHER .*\n/);
    const report = await checkSchemaChange(released, current);
    expect(report.allowed).toEqual(
      expect.arrayContaining([expect.stringContaining('FIELD_REMOVED Query.divisionByName'), expect.stringContaining('ENUM_VALUE_REMOVED Kind.OTHER')]),
    );
    expect(report.breaking).toEqual([expect.stringMatching(/^BREAKING FIELD_REMOVED Query\.legacy\b.*not deprecated with a date/)]);
  });

  it('passes retyping a dated-deprecated field away from a type it then removes; fails removing a type an undeprecated field used', async () => {
    const current = edit(edit(released, /    area: Area .*\n/, '    area: Float\n'), /  type Area \{[^}]*\}\n/);
    const report = await checkSchemaChange(released, current);
    expect(breakingBesidesUndated(report.breaking)).toEqual([]);
    const stillUsed = released.replace('  type Division {', '  type Plan {\n    name: String\n    area: Area\n  }\n  type Division {\n    plan: Plan');
    const report2 = await checkSchemaChange(stillUsed, edit(edit(stillUsed, /    area: Area .*\n/), /  type Area \{[^}]*\}\n/).replace('    area: Area\n', ''));
    expect(breakingBesidesUndated(report2.breaking)).toEqual(
      expect.arrayContaining([expect.stringMatching(/^BREAKING TYPE_REMOVED Area\b/), expect.stringMatching(/^BREAKING FIELD_REMOVED Plan\.area\b/)]),
    );
  });

  it('passes an added field', async () => {
    const report = await checkSchemaChange(released, edit(released, '    kindCode: String!\n', '    kindCode: String!\n    versionOf: Division\n'));
    expect(breakingBesidesUndated(report.breaking)).toEqual([]);
    expect(report.safe).toEqual([expect.stringContaining('FIELD_ADDED Division.versionOf')]);
  });

  it('fails a retyped argument, a retyped field and a removed argument', async () => {
    const retypedArgument = await checkSchemaChange(released, edit(released, 'at: String)', 'at: Int)'));
    expect(breakingBesidesUndated(retypedArgument.breaking)).toEqual([expect.stringMatching(/^BREAKING FIELD_ARGUMENT_TYPE_CHANGED Query\.division\.at\b/)]);
    const retypedField = await checkSchemaChange(released, edit(released, '    name: String!\n', '    name: Int!\n'));
    expect(breakingBesidesUndated(retypedField.breaking)).toEqual([expect.stringMatching(/^BREAKING FIELD_TYPE_CHANGED Division\.name\b/)]);
    const removedArgument = await checkSchemaChange(released, edit(released, ', at: String)', ')'));
    expect(breakingBesidesUndated(removedArgument.breaking)).toEqual([expect.stringMatching(/^BREAKING FIELD_ARGUMENT_REMOVED Query\.division\.at\b/)]);
  });

  it('passes a retyped argument of a field deprecated with a date', async () => {
    const report = await checkSchemaChange(released, edit(released, 'divisionByName(name: String!)', 'divisionByName(name: ID!)'));
    expect(breakingBesidesUndated(report.breaking)).toEqual([]);
    expect(report.allowed).toEqual([expect.stringContaining('FIELD_ARGUMENT_TYPE_CHANGED Query.divisionByName.name')]);
  });

  it('fails a new undated deprecation, passes a dated one', async () => {
    const undated = await checkSchemaChange(released, edit(released, 'kindCode: String!', 'kindCode: String! @deprecated(reason: "soon")'));
    expect(breakingBesidesUndated(undated.breaking)).toEqual([expect.stringContaining('UNDATED_DEPRECATION Division.kindCode')]);
    const dated = await checkSchemaChange(released, edit(released, 'kindCode: String!', 'kindCode: String! @deprecated(reason: "2027-01-31: soon")'));
    expect(breakingBesidesUndated(dated.breaking)).toEqual([]);
  });

  it('reads only real ISO dates as deprecation dates', () => {
    expect(deprecationDate('2026-12-07: use kindInfo')).toBe('2026-12-07');
    expect(deprecationDate('2027-02-30: no such day')).toBeNull();
    expect(deprecationDate('use kindInfo')).toBeNull();
    expect(deprecationDate(null)).toBeNull();
  });
});

describe('the printed and released schemas', () => {
  it('the printed schema is the schema the server builds from schema/*.graphql', () => {
    const printed = readFileSync(projectPath('src/graphql/__generated__/schema.graphql'), 'utf8');
    expect(printed.trim()).toBe(printSchema(lexicographicSortSchema(buildSchema(loadTypeDefs()))).trim());
  });

  it('the released schema parses, and every deprecation in it is dated', async () => {
    const releasedSchema = readFileSync(projectPath('src/graphql/released/schema.graphql'), 'utf8');
    const report = await checkSchemaChange(releasedSchema, releasedSchema);
    expect(report).toEqual({ breaking: [], allowed: [], dangerous: [], safe: [] });
  });
});
