import fc from 'fast-check';
import { sql } from 'drizzle-orm';
import {
  buildSchema,
  getNamedType,
  isEnumType,
  isInputObjectType,
  isListType,
  isNonNullType,
  isObjectType,
  isScalarType,
  type GraphQLField,
  type GraphQLInputType,
  type GraphQLSchema,
} from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Viewer } from '../../src/auth/viewer.ts';
import { toGlobalId, type NodeType } from '../../src/graphql/global-id.ts';
import { loadTypeDefs } from '../../src/graphql/type-defs.ts';
import { createMembership, createOrganization, createPerson, createPost, organizationBySlug } from '../helpers/factories.ts';
import { createTestApi, type TestApi } from '../helpers/test-api.ts';

/**
 * Issue 12 item 5, as a property: every root query field and every mutation, found in the schema
 * itself, driven as the public and as staff with hostile strings (NUL, C0 and C1 controls, lone
 * surrogates, very long text, right-to-left overrides), dates (year 0, 2027-02-30, ±275760, no zone)
 * and ids (forged, of another type, huge, negative). For every call: no INTERNAL_SERVER_ERROR; a
 * refused mutation leaves every table as it was; the server still answers afterwards; and no log
 * line carries a hostile value's marker. Seeded, and a bounded number of runs per field.
 */

/** Every hostile string carries this, so that a log line quoting one is found. */
const MARK = 'Hq7xMARK';
/** Runs per field and caller; HOSTILE_INPUT_RUNS raises it for a longer local search. */
const RUNS_PER_FIELD = Number(process.env.HOSTILE_INPUT_RUNS ?? 4);
/** HOSTILE_INPUT_SEED searches elsewhere; CI keeps this one. */
const SEED = Number(process.env.HOSTILE_INPUT_SEED ?? 20261207);

const HOSTILE_PIECES = ['\u0000', '\u0001', '\u0007', '\u001b', '\u007f', '\u0085', '\u009f', '\ud83c', '\udfff', '\u202e', '\u2066', '\r\n', '\t', '\ufeff', '\uffff', '\n'];
const PLAUSIBLE = ['portland', 'buckman', 'Parks', 'city-council', 'ocd-division/country:us/state:or/place:portland', 'es', 'name@example.org', 'https://example.org/x', '+1 503 555 0100', ''];

/** What PostgreSQL refuses or a driver mangles: the pieces behind the 500s of issue 12. */
const DATABASE_BREAKERS = ['\u0000', '\ud83c', '\udc00'];

const hostileString: fc.Arbitrary<string> = fc.oneof(
  { weight: 6, arbitrary: fc.tuple(fc.constantFrom(...PLAUSIBLE), fc.constantFrom(...DATABASE_BREAKERS), fc.nat(999)).map(([base, piece, n]) => `${base} ${MARK}${n}${piece}`) },
  fc.tuple(fc.constantFrom(...PLAUSIBLE), fc.constantFrom(...HOSTILE_PIECES), fc.nat(999)).map(([base, piece, n]) => `${base}${MARK}${n}${piece}`),
  fc.tuple(fc.constantFrom(...HOSTILE_PIECES), fc.nat(999)).map(([piece, n]) => `${piece}${MARK}${n}${piece}end`),
  fc.constantFrom(`${MARK}${'é'.repeat(20_000)}`, `${MARK}${'x'.repeat(100_000)}`, `${MARK}\u202egnp.exe`),
  { weight: 3, arbitrary: fc.constantFrom(...PLAUSIBLE.filter(Boolean)) },
);
const HOSTILE_DATES = ['0000-01-01', '0001-01-01', '9999-12-31', '2027-02-30', '2024-02-29', '+275760-09-13', '-271821-04-20', '1899-12-31', 'March 7, 2027', '2025-01-01', ''];
const HOSTILE_INSTANTS = ['2027-02-30T18:00:00Z', 'March 7, 2027', '2027-03-07T18:00:00', '0000-01-01T00:00:00Z', '+275760-09-13T00:00:00Z', '-271821-04-20T00:00:00Z', '9999-12-31T23:59:59.999Z', '0001-01-01T00:00:00Z', '2026-11-22T19:14:00Z', '2026-11-22T11:14:00-08:00'];
const HOSTILE_INTS = [0, -1, 101, 2 ** 31 - 1, -(2 ** 31), 1_000_000];
/** Mostly ordinary counts, so that one hostile value elsewhere gets as far as the code that reads it. */
const intValue = fc.oneof({ weight: 2, arbitrary: fc.constantFrom(1, 2, 5, 20, 100) }, { weight: 1, arbitrary: fc.constantFrom(...HOSTILE_INTS) });
const HOSTILE_FLOATS = [0, 45.52, -122.65, 91, -181, 1e308, -1e308, 5e-324];
const NODE_TYPES: NodeType[] = ['Jurisdiction', 'Division', 'Organization', 'Post', 'Membership', 'Person', 'ApiKey', 'VacancyPosting', 'Application', 'Meeting'];
/** A small square far from Portland, for the one GeoJSON argument (its validity is tested elsewhere). */
const SQUARE = { type: 'MultiPolygon', coordinates: [[[[0, 0], [0, 0.001], [0.001, 0.001], [0.001, 0], [0, 0]]]] };

/** Rows of a plain SQL statement, whichever driver ran it (postgres.js: an array; PGlite: { rows }). */
async function rowsOf<T>(statement: ReturnType<typeof sql>): Promise<T[]> {
  const result = (await api.db.execute(statement)) as unknown;
  return Array.isArray(result) ? (result as T[]) : (result as { rows: T[] }).rows;
}

let api: TestApi;
let schema: GraphQLSchema;
/** Real ids by type, so that a call gets past "no such object" to the code that stores its text. */
const realIds = new Map<NodeType, string[]>();

beforeAll(async () => {
  api = await createTestApi();
  schema = buildSchema(loadTypeDefs());
  const organization = await createOrganization(api.db, { jurisdictionId: api.jurisdictionId });
  const post = await createPost(api.db, { jurisdictionId: api.jurisdictionId, organizationId: organization.id, createdOn: '2000-01-01' });
  const person = await createPerson(api.db, api.jurisdictionId);
  const membership = await createMembership(api.db, { jurisdictionId: api.jurisdictionId, personId: person.id, organizationId: organization.id, postId: post.id, startDate: '2024-01-01' });
  const buckman = await organizationBySlug(api.db, 'buckman');
  const divisions = await rowsOf<{ id: number }>(sql`select id from divisions order by id limit 3`);
  const coalitions = await rowsOf<{ id: number }>(sql`select id from organizations where kind = 'DISTRICT_COALITION' order by id limit 1`);
  const add = (type: NodeType, ids: number[]) => realIds.set(type, ids.map((id) => toGlobalId(type, Number(id))));
  add('Organization', [organization.id, buckman.id, ...coalitions.map((c) => c.id)]);
  add('Post', [post.id]);
  add('Person', [person.id]);
  add('Membership', [membership.id]);
  add('Division', divisions.map((d) => d.id));
  add('Jurisdiction', [api.jurisdictionId]);
});
afterAll(() => api.dispose());

/** The type an id argument names, from its name (`postId`, `coalitionId`, `ids`: any). */
function typeOfIdArgument(name: string): NodeType | null {
  const stem = name.replace(/Ids?$/, '').toLowerCase();
  const byStem: Record<string, NodeType> = { organization: 'Organization', coalition: 'Organization', post: 'Post', person: 'Person', membership: 'Membership', division: 'Division', councildistrict: 'Division', residencedivision: 'Division', posting: 'VacancyPosting', meeting: 'Meeting', application: 'Application', apikey: 'ApiKey' };
  return byStem[stem] ?? null;
}

/** Mostly a real id of the type the argument names; else forged, of another type, huge, negative or hostile text. */
function idValue(name: string): fc.Arbitrary<string> {
  const type = typeOfIdArgument(name);
  const real = type ? (realIds.get(type) ?? []) : [...realIds.values()].flat();
  const forged = fc.oneof(
    fc.constantFrom(...[...realIds.values()].flat()),
    fc.tuple(fc.constantFrom(...NODE_TYPES), fc.constantFrom(1, 0, -1, 2 ** 31, 2 ** 53, 99_999_999)).map(([t, id]) => Buffer.from(`v1:${t}:${id}`).toString('base64url')),
    fc.constantFrom(Buffer.from('v1:Nope:1').toString('base64url'), Buffer.from('v2:Person:1').toString('base64url'), 'not-an-id', '', '12'),
    hostileString,
  );
  return real.length ? fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...real) }, { weight: 1, arbitrary: forged }) : forged;
}

/** An optional value: often left out, so that the others get a chance to reach the code behind them. */
const optional = (value: fc.Arbitrary<unknown>) =>
  fc.oneof({ weight: 2, arbitrary: value }, { weight: 2, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: fc.constant(null) });

/** Values for an input type; `depth` bounds input objects inside input objects. */
function valueOf(type: GraphQLInputType, name: string, depth = 0): fc.Arbitrary<unknown> {
  if (isNonNullType(type)) return valueOf(type.ofType, name, depth);
  if (isListType(type)) return fc.array(valueOf(type.ofType, name, depth), { maxLength: 3 });
  if (isEnumType(type)) return fc.constantFrom(...type.getValues().map((v) => v.name));
  if (isInputObjectType(type)) {
    if (depth > 3) return fc.constant({});
    const fields = Object.values(type.getFields()).map((field) => {
      const value = valueOf(field.type, field.name, depth + 1);
      const arbitrary = isNonNullType(field.type) ? value : optional(value);
      return arbitrary.map((v) => [field.name, v] as const);
    });
    return fc.tuple(...fields).map((entries) => Object.fromEntries(entries.filter(([, v]) => v !== undefined)));
  }
  if (!isScalarType(type)) throw new Error(`unexpected input type ${String(type)}`);
  switch (type.name) {
    case 'String':
      return hostileString;
    case 'ID':
      return idValue(name);
    case 'Int':
      return intValue;
    case 'Float':
      return fc.constantFrom(...HOSTILE_FLOATS);
    case 'Boolean':
      return fc.boolean();
    case 'Date':
      return fc.constantFrom(...HOSTILE_DATES);
    case 'DateTime':
      return fc.constantFrom(...HOSTILE_INSTANTS);
    case 'GeoJSON':
      return fc.constant(SQUARE);
    default:
      throw new Error(`no values for the scalar ${type.name}: add them`);
  }
}

/** The operation for one root field: every argument a variable, the least selection that runs it. */
function operationFor(kind: 'query' | 'mutation', field: GraphQLField<unknown, unknown>): string {
  const variables = field.args.map((a) => `$${a.name}: ${String(a.type)}`).join(', ');
  const args = field.args.map((a) => `${a.name}: $${a.name}`).join(', ');
  const target = getNamedType(field.type);
  const selection = isObjectType(target) && 'userErrors' in target.getFields() ? '{ __typename userErrors { code field message } }' : isScalarType(target) || isEnumType(target) ? '' : '{ __typename }';
  return `${kind}${variables ? `(${variables})` : ''} { ${field.name}${args ? `(${args})` : ''} ${selection} }`;
}

/** Row count and newest row version of every table: any committed insert, update or delete changes it. */
async function tableVersions(): Promise<unknown> {
  const tables = await rowsOf<{ tablename: string }>(sql`select tablename from pg_tables where schemaname = 'public' order by tablename`);
  const rows = await rowsOf(sql.raw(tables.map((t) => `select '${t.tablename}' as t, count(*)::int as n, coalesce(max(xmin::text::bigint), 0)::text as v from "${t.tablename}"`).join(' union all ')));
  return JSON.parse(JSON.stringify(rows));
}

function rootFields(kind: 'query' | 'mutation') {
  const type = kind === 'query' ? schema.getQueryType()! : schema.getMutationType()!;
  return Object.values(type.getFields());
}

async function stillAnswers() {
  const { data, errors } = await api.execute(`{ jurisdiction { slug } }`);
  expect(errors).toBeUndefined();
  expect(data!.jurisdiction.slug).toBe('portland');
}

const viewers = (): [string, Viewer | undefined][] => [
  ['the public', undefined],
  ['staff', api.staff()],
];

describe.each(['query', 'mutation'] as const)('every %s field with hostile arguments', (kind) => {
  // Built lazily: the schema is read in beforeAll.
  it(`answers each ${kind} field without a server error${kind === 'mutation' ? ', and a refused one stores nothing' : ''}`, async () => {
    const logsBefore = api.logs.length;
    const fields = rootFields(kind);
    expect(fields.length).toBeGreaterThan(kind === 'query' ? 25 : 35);
    for (const [index, field] of fields.entries()) {
      const operation = operationFor(kind, field);
      const variables = fc
        .record(Object.fromEntries(field.args.map((a) => [a.name, isNonNullType(a.type) ? valueOf(a.type, a.name) : optional(valueOf(a.type, a.name))])))
        .map((values) => Object.fromEntries(Object.entries(values).filter(([, v]) => v !== undefined)));
      for (const [who, viewer] of viewers()) {
        await fc.assert(
          fc.asyncProperty(variables, async (values) => {
            const before = kind === 'mutation' ? await tableVersions() : null;
            const result = await api.execute(operation, values, { viewer });
            const context = `${field.name} as ${who} with ${JSON.stringify(values).slice(0, 300)}: ${JSON.stringify(result.errors)}`;
            expect(result.errors?.filter((e) => e.extensions?.code === 'INTERNAL_SERVER_ERROR') ?? [], context).toEqual([]);
            if (kind === 'mutation') {
              const payload = result.data?.[field.name] as { userErrors?: unknown[] } | null | undefined;
              const refused = result.errors !== undefined || !payload || (payload.userErrors?.length ?? 0) > 0;
              if (refused) expect(await tableVersions(), `a refused ${context} changed the database`).toEqual(before);
            }
          }),
          // The public is refused a mutation before its input is read: fewer runs suffice.
          { seed: SEED + index, numRuns: kind === 'mutation' && !viewer ? 2 : RUNS_PER_FIELD, endOnFailure: true },
        );
      }
      await stillAnswers();
    }
    const logged = JSON.stringify(api.logs.slice(logsBefore));
    expect(logged.includes(MARK), `a log line quotes a hostile value: ${logged.slice(Math.max(0, logged.indexOf(MARK) - 300), logged.indexOf(MARK) + 100)}`).toBe(false);
  }, 120_000);
});
