import type { Viewer } from '../../src/auth/viewer.ts';
import { MAX_ALIASES } from '../../src/graphql/limits/document-limits.ts';
import type { TestApi } from './test-api.ts';

/**
 * A walk of the whole schema by introspection: for every root query field, queries selecting every
 * field reachable from it (each type at most once per path, so cycles end), split to fit the
 * server's limits. Privacy tests run it as some viewer and look for values that must not come back.
 */

interface TypeRef { kind: string; name: string | null; ofType: TypeRef | null }
interface Field { name: string; args: { name: string; type: TypeRef; defaultValue: string | null }[]; type: TypeRef }
interface FullType { kind: string; name: string; fields: Field[] | null; possibleTypes: { name: string }[] | null }

const INTROSPECTION = `{ __schema { queryType { name } types { kind name possibleTypes { name }
  fields { name type { ...T } args { name defaultValue type { ...T } } } } } }
  fragment T on __Type { kind name ofType { kind name ofType { kind name ofType { kind name ofType { kind name } } } } }`;

/**
 * A selection: a field (aliased by its type only where sibling fragments would clash) or an inline
 * fragment, with its own selections. Every object selection starts with `__typename`, so a test can
 * tell which type a value came from without aliases, which the server limits (MAX_ALIASES).
 */
export interface Sel {
  head: string;
  children: Sel[] | null;
}

export interface WalkRun {
  query: string;
  result: Awaited<ReturnType<TestApi['execute']>>;
}

export interface SchemaWalk {
  /** The walk: one or more queries per root field, together covering everything reachable. */
  queries(): { field: string; piece: Sel }[];
  /** Runs a piece, halving it until the server accepts every part; returns each accepted result. */
  run(piece: Sel, viewer: Viewer | undefined): Promise<WalkRun[]>;
}

/**
 * Root fields that need one of their optional arguments, pointed at the roster person's seat, or a
 * required one no other field shares: staff's people search looks for the privacy walks' person.
 */
const PORTLAND_ROOT_ARGUMENTS: Record<string, string> = {
  division: '(ocdId: "ocd-division/country:us/state:or/place:portland/council_district:3")',
  organization: '(slug: "city-council")',
  peopleSearch: '(query: "Walk Roster Person", first: 2)',
};

export interface SchemaWalkOptions {
  /** Literals for optional arguments wherever a field takes them, e.g. `{ jurisdiction: '"nyc"' }`. */
  optionalArguments?: Record<string, string>;
  /** The whole argument list of root fields that need an optional one (Portland's council by default). */
  rootArguments?: Record<string, string>;
}

/** The server refuses deeper queries (src/graphql/limits), so the walk stops there too. */
const MAX_FIELD_DEPTH = 14;
/** Under the server's parse limit (5000 tokens), with room to spare. */
const TOKEN_BUDGET = 4000;
/** Refusals for size alone: the piece is halved and retried, so nothing is skipped. */
const SIZE_REFUSALS = new Set(['QUERY_TOO_COSTLY', 'TOO_MANY_ALIASES', 'GRAPHQL_PARSE_FAILED']);

/**
 * `argumentValues` gives, by argument name, the literal passed to any field with a required
 * argument of that name; fields needing another required argument are left out.
 */
export async function createSchemaWalk(api: TestApi, argumentValues: Record<string, string>, options: SchemaWalkOptions = {}): Promise<SchemaWalk> {
  const optionalArguments = options.optionalArguments ?? {};
  const rootArguments = options.rootArguments ?? PORTLAND_ROOT_ARGUMENTS;
  const schema = (await api.execute(INTROSPECTION)).data!.__schema;
  const types = new Map<string, FullType>(schema.types.map((t: FullType) => [t.name, t]));

  function named(type: TypeRef): TypeRef {
    return type.ofType ? named(type.ofType) : type;
  }
  const signature = (type: TypeRef): string =>
    type.kind === 'NON_NULL' ? `${signature(type.ofType!)}!` : type.kind === 'LIST' ? `[${signature(type.ofType!)}]` : type.name!;

  /**
   * `Type.field` pairs that must be aliased: a field whose name another possible type of the same
   * interface or union gives another type, so the two would not merge in sibling fragments. Decided
   * once per pair (not per path), so copies of a selection always merge.
   */
  const mustAlias = new Set<string>();
  for (const abstract of schema.types as FullType[]) {
    const members = (abstract.possibleTypes ?? []).map((p) => types.get(p.name)!);
    const byName = new Map<string, Map<string, string[]>>();
    for (const member of members)
      for (const field of member.fields ?? []) {
        const shapes = byName.get(field.name) ?? new Map<string, string[]>();
        shapes.set(signature(field.type), [...(shapes.get(signature(field.type)) ?? []), member.name]);
        byName.set(field.name, shapes);
      }
    for (const [fieldName, shapes] of byName)
      if (shapes.size > 1) for (const owners of shapes.values()) for (const owner of owners) mustAlias.add(`${owner}.${fieldName}`);
  }

  function argumentsText(field: Field): string | null {
    const required = field.args.filter((a) => a.type.kind === 'NON_NULL' && a.defaultValue === null);
    if (required.some((a) => !(a.name in argumentValues))) return null;
    const given = required.map((a) => `${a.name}: ${argumentValues[a.name]}`);
    for (const a of field.args) if (!required.includes(a) && a.name in optionalArguments) given.push(`${a.name}: ${optionalArguments[a.name]}`);
    // Small pages keep the nested cost under the server's limit, as a real client would.
    if (field.args.some((a) => a.name === 'first')) given.push('first: 2');
    return given.length ? `(${given.join(', ')})` : '';
  }

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
    const out: Sel[] = [{ head: '__typename', children: null }];
    for (const field of type.fields ?? []) {
      const args = argumentsText(field);
      if (args === null) continue;
      // Aliased by type where needed, so fields of the same name in sibling fragments never conflict.
      const alias = mustAlias.has(`${typeName}.${field.name}`) ? `${typeName}__${field.name}: ` : '';
      const head = `${alias}${field.name}${args}`;
      const target = named(field.type);
      // GeoJSON values are division geometry only, and heavy: left out to keep the walk fast.
      if (target.name === 'GeoJSON') continue;
      if (target.kind === 'SCALAR' || target.kind === 'ENUM') out.push({ head, children: null });
      else if (!path.includes(target.name!)) {
        const children = selectionsOf(target.name!, [...path, target.name!], depth + 1);
        if (children.length) out.push({ head, children });
      }
    }
    return out.length > 1 ? out : [];
  }

  const render = (sel: Sel): string => (sel.children ? `${sel.head} { ${sel.children.map(render).join(' ')} }` : sel.head);
  const aliasCount = (sel: Sel): number => (/^\w+: /.test(sel.head) ? 1 : 0) + (sel.children ?? []).reduce((n, c) => n + aliasCount(c), 0);
  const fits = (sel: Sel): boolean => tokenCount(render(sel)) <= TOKEN_BUDGET && aliasCount(sel) <= MAX_ALIASES;
  const tokenCount = (text: string): number => text.match(/\.\.\.|[A-Za-z_][A-Za-z0-9_]*|-?\d+(?:\.\d+)?|"(?:[^"\\]|\\.)*"|[{}():,\[\]!$=@|&]/g)?.length ?? 0;

  /** Splits a selection into pieces that each fit the budgets, every piece keeping its full path. */
  function split(sel: Sel): Sel[] {
    if (!sel.children || fits(sel)) return [sel];
    const pieces = sel.children.flatMap(split);
    const groups: Sel[][] = [];
    for (const piece of pieces) {
      const group = groups.at(-1);
      if (group && fits({ head: sel.head, children: [...group, piece] })) group.push(piece);
      else groups.push([piece]);
    }
    return groups.map((children) => ({ head: sel.head, children }));
  }

  function halves(sel: Sel): Sel[] {
    if (!sel.children) throw new Error(`cannot split the single field ${sel.head}`);
    if (sel.children.length === 1) return halves(sel.children[0]!).map((child) => ({ head: sel.head, children: [child] }));
    const middle = Math.ceil(sel.children.length / 2);
    return [sel.children.slice(0, middle), sel.children.slice(middle)].map((children) => ({ head: sel.head, children }));
  }

  async function run(piece: Sel, viewer: Viewer | undefined): Promise<WalkRun[]> {
    const query = `{ ${render(piece)} }`;
    const result = await api.execute(query, {}, { viewer });
    if (result.errors?.some((e) => SIZE_REFUSALS.has(String(e.extensions?.code)))) {
      return (await Promise.all(halves(piece).map((half) => run(half, viewer)))).flat();
    }
    return [{ query, result }];
  }

  function queries(): { field: string; piece: Sel }[] {
    return (types.get('Query')!.fields ?? []).flatMap((field) => {
      const args = rootArguments[field.name] ?? argumentsText(field);
      if (args === null) return [];
      const target = named(field.type);
      const root: Sel = {
        head: `${field.name}${args}`,
        children: target.kind === 'SCALAR' || target.kind === 'ENUM' ? null : selectionsOf(target.name!, ['Query', target.name!], 2),
      };
      return split(root).map((piece) => ({ field: field.name, piece }));
    });
  }

  return { queries, run };
}
