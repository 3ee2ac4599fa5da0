import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Viewer } from '../../src/auth/viewer.ts';
import { councilPost, createMembership } from '../helpers/factories.ts';
import { createTestApi, type TestApi } from '../helpers/test-api.ts';

/**
 * Walks the whole schema by introspection: for every root query field, a query selecting every
 * field reachable from it (each type at most once per path, so cycles end), run as PUBLIC and as
 * PARTNER. No private value of a person seeded on a public roster may come back by any path:
 * a field, a connection, node(), or an error message.
 */

interface TypeRef { kind: string; name: string | null; ofType: TypeRef | null }
interface Field { name: string; args: { name: string; type: TypeRef; defaultValue: string | null }[]; type: TypeRef }
interface FullType { kind: string; name: string; fields: Field[] | null; possibleTypes: { name: string }[] | null }

const INTROSPECTION = `{ __schema { queryType { name } types { kind name possibleTypes { name }
  fields { name type { ...T } args { name defaultValue type { ...T } } } } } }
  fragment T on __Type { kind name ofType { kind name ofType { kind name ofType { kind name ofType { kind name } } } } }`;

const SECRETS = {
  // Distinctive coordinates, unlike any the walk passes as arguments, so a leak of them shows.
  homeLatitude: '45.5123457',
  homeLongitude: '-122.6543211',
  email: 'walk.secret@example.org',
  phone: '+1 503 555 0142',
  homeAddress: '4242 SE Hidden Ave, Portland',
  preferredLanguage: 'tlh-Xwalk42',
  accessibilityNeeds: 'secret-needs-marker',
};

let api: TestApi;
let types: Map<string, FullType>;
let argumentValues: Record<string, string>;

beforeAll(async () => {
  // The walk proves privacy, not cost: selections nested through every list multiply far past
  // MAX_QUERY_COST (tested in limits.test.ts) even for one leaf, so the walk's server lifts it.
  api = await createTestApi({ sampleMembers: true, maxQueryCost: Number.MAX_SAFE_INTEGER });
  const created = await api.execute(
    `mutation($input: PersonCreateInput!) { personCreate(input: $input) { person { id } userErrors { message } } }`,
    { input: { name: 'Walk Roster Person', privateDetails: { ...SECRETS, homeLatitude: Number(SECRETS.homeLatitude), homeLongitude: Number(SECRETS.homeLongitude), interpreterNeeded: true } } },
    { viewer: api.staff() },
  );
  const personId: string = created.data!.personCreate.person.id;
  const post = await councilPost(api.db, 3);
  const { parseGlobalId } = await import('../../src/graphql/global-id.ts');
  const membership = await createMembership(api.db, {
    jurisdictionId: api.jurisdictionId, personId: parseGlobalId(personId)!.id, organizationId: post.organizationId, postId: post.id, startDate: '2025-01-01',
  });
  const { toGlobalId } = await import('../../src/graphql/global-id.ts');
  argumentValues = {
    id: JSON.stringify(personId),
    ids: JSON.stringify([personId, toGlobalId('Membership', membership.id), toGlobalId('Post', post.id)]),
    latitude: '45.5197',
    longitude: '-122.6489',
    within: '3650',
  };
  const schema = (await api.execute(INTROSPECTION)).data!.__schema;
  types = new Map(schema.types.map((t: FullType) => [t.name, t]));
});
afterAll(() => api.dispose());

function named(type: TypeRef): TypeRef {
  return type.ofType ? named(type.ofType) : type;
}

/** A selection: a field (aliased by its type) or an inline fragment, with its own selections. */
interface Sel {
  head: string;
  children: Sel[] | null;
}

function argumentsText(field: Field): string | null {
  const required = field.args.filter((a) => a.type.kind === 'NON_NULL' && a.defaultValue === null);
  if (required.some((a) => !(a.name in argumentValues))) return null;
  const given = required.map((a) => `${a.name}: ${argumentValues[a.name]}`);
  // Small pages keep the nested cost under the server's limit, as a real client would.
  if (field.args.some((a) => a.name === 'first')) given.push('first: 2');
  return given.length ? `(${given.join(', ')})` : '';
}

/** The server refuses deeper queries (src/graphql/limits), so the walk stops there too. */
const MAX_FIELD_DEPTH = 14;

/** Every field of `typeName`, recursively, each type at most once per path. */
function selectionsOf(typeName: string, path: string[], depth = 1): Sel[] {
  const type = types.get(typeName)!;
  if (depth > MAX_FIELD_DEPTH) return [];
  if (type.kind === 'INTERFACE' || type.kind === 'UNION') {
    const fragments = (type.possibleTypes ?? [])
      .filter((p) => !path.includes(p.name))
      .map((p) => ({ head: `... on ${p.name}`, children: selectionsOf(p.name, [...path, p.name], depth) }))
      .filter((f) => f.children.length > 0);
    return [{ head: '__typename', children: null }, ...fragments];
  }
  const out: Sel[] = [];
  for (const field of type.fields ?? []) {
    const args = argumentsText(field);
    if (args === null) continue;
    // Aliased by type, so fields of the same name in sibling fragments never conflict.
    const head = `${typeName}__${field.name}: ${field.name}${args}`;
    const target = named(field.type);
    // GeoJSON values are division geometry only, and heavy: left out to keep the walk fast.
    if (target.name === 'GeoJSON') continue;
    if (target.kind === 'SCALAR' || target.kind === 'ENUM') out.push({ head, children: null });
    else if (!path.includes(target.name!)) {
      const children = selectionsOf(target.name!, [...path, target.name!], depth + 1);
      if (children.length) out.push({ head, children });
    }
  }
  return out;
}

const render = (sel: Sel): string => (sel.children ? `${sel.head} { ${sel.children.map(render).join(' ')} }` : sel.head);
const tokenCount = (text: string): number => text.match(/\.\.\.|[A-Za-z_][A-Za-z0-9_]*|-?\d+(?:\.\d+)?|"(?:[^"\\]|\\.)*"|[{}():,\[\]!$=@|&]/g)?.length ?? 0;
/** Under the server's parse limit (5000 tokens), with room to spare. */
const TOKEN_BUDGET = 4000;

/** Splits a selection into pieces that each fit the budget, every piece keeping its full path. */
function split(sel: Sel): Sel[] {
  if (!sel.children || tokenCount(render(sel)) <= TOKEN_BUDGET) return [sel];
  const pieces = sel.children.flatMap(split);
  const groups: Sel[][] = [];
  for (const piece of pieces) {
    const group = groups.at(-1);
    if (group && tokenCount(render({ head: sel.head, children: [...group, piece] })) <= TOKEN_BUDGET) group.push(piece);
    else groups.push([piece]);
  }
  return groups.map((children) => ({ head: sel.head, children }));
}

/** Root fields that need one of their optional arguments: pointed at the roster person's seat. */
const ROOT_ARGUMENTS: Record<string, string> = {
  division: '(ocdId: "ocd-division/country:us/state:or/place:portland/council_district:3")',
  organization: '(slug: "city-council")',
};

/** The walk: one or more queries per root field, together covering everything reachable. */
function walkQueries(): { field: string; piece: Sel }[] {
  return (types.get('Query')!.fields ?? []).flatMap((field) => {
    const args = ROOT_ARGUMENTS[field.name] ?? argumentsText(field);
    if (args === null) return [];
    const target = named(field.type);
    const root: Sel = {
      head: `${field.name}${args}`,
      children: target.kind === 'SCALAR' || target.kind === 'ENUM' ? null : selectionsOf(target.name!, ['Query', target.name!], 2),
    };
    return split(root).map((piece) => ({ field: field.name, piece }));
  });
}

/** Refusals for size alone: the piece is halved and retried, so nothing is skipped. */
const SIZE_REFUSALS = new Set(['QUERY_TOO_COSTLY', 'TOO_MANY_ALIASES', 'GRAPHQL_PARSE_FAILED']);

function halves(sel: Sel): Sel[] {
  if (!sel.children) throw new Error(`cannot split the single field ${sel.head}`);
  if (sel.children.length === 1) return halves(sel.children[0]!).map((child) => ({ head: sel.head, children: [child] }));
  const middle = Math.ceil(sel.children.length / 2);
  return [sel.children.slice(0, middle), sel.children.slice(middle)].map((children) => ({ head: sel.head, children }));
}

/** Runs a piece, halving it until the server accepts every part; returns each accepted result. */
async function runCovering(piece: Sel, viewer: Viewer | undefined): Promise<{ query: string; result: Awaited<ReturnType<TestApi['execute']>> }[]> {
  const query = `{ ${render(piece)} }`;
  const result = await api.execute(query, {}, { viewer });
  if (result.errors?.some((e) => SIZE_REFUSALS.has(String(e.extensions?.code)))) {
    return (await Promise.all(halves(piece).map((half) => runCovering(half, viewer)))).flat();
  }
  return [{ query, result }];
}

const viewers: [string, () => Viewer | undefined][] = [
  ['PUBLIC', () => undefined],
  ['PARTNER', () => ({ ...api.staff(), role: 'PARTNER', subject: 'api-key:1', apiKeyId: 1 })],
];

describe.each(viewers)('as %s', (_role, viewerOf) => {
  // Hundreds of operations: allowed several minutes on a loaded 2-core CI machine.
  it('no private value comes back from any root field, at any depth', { timeout: 900_000 }, async () => {
    expect(walkQueries().length).toBeGreaterThan(10);
    const queries = walkQueries();
    expect(queries.map((q) => q.field)).toEqual(expect.arrayContaining(['node', 'nodes', 'locate', 'councilDistricts', 'organizations', 'openSeats']));
    let sawPrivateDetailsField = false;
    const runs = [];
    for (const { piece } of queries) runs.push(...(await runCovering(piece, viewerOf())));
    for (const { query, result } of runs) {
      const text = JSON.stringify(result);
      for (const secret of Object.values(SECRETS)) expect(text, `leak through: ${query.slice(0, 80)}…`).not.toContain(secret);
      // Staff-only roots refuse; nothing else may fail, or the walk would prove nothing.
      const unexpected = (result.errors ?? []).filter((e) => !['UNAUTHENTICATED', 'FORBIDDEN'].includes(String(e.extensions?.code)));
      expect(unexpected, query.slice(0, 120)).toEqual([]);
      expect(text).not.toContain('PersonPrivateDetails__');
      if (text.includes('"Person__privateDetails":null')) sawPrivateDetailsField = true;
    }
    // The walk really reached the roster person's privateDetails field, which answered null.
    expect(sawPrivateDetailsField).toBe(true);
  });
});

describe('as staff of the jurisdiction', () => {
  it('the same walk does return the private values (the test can see a leak)', async () => {
    const runs = [];
    for (const { piece } of walkQueries().filter((q) => q.field === 'node')) runs.push(...(await runCovering(piece, api.staff())));
    expect(runs.map((r) => JSON.stringify(r.result)).join('')).toContain(SECRETS.email);
  });
});
