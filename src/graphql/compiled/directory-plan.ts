/**
 * Compiles the selection set of a directory root field (`councilDistricts`) into ONE SQL statement
 * whose single JSON value is already shaped like the response: every object is a
 * `json_build_object` keyed by the response keys (aliases included), every list a `json_agg`.
 * PostgreSQL builds the tree; graphql-js only walks it (see compiled-fields.ts), so a nested
 * directory of ~500 objects costs one statement and no per-row JavaScript mapping.
 *
 * The compiler knows a fixed set of fields (below), each written to mean exactly what its resolver
 * means (same predicates, same order, same `at` default: today in the jurisdiction's time zone).
 * Anything else in the selection (cursors, ids, fragments, directives, staff-only or private
 * fields, geometry) makes `compileDirectory` return null, and the ordinary resolvers answer.
 * Plans are cached per field node, that is per parsed document (Apollo caches documents).
 */
import { getArgumentValues, type FieldNode, type GraphQLField, type GraphQLObjectType, type GraphQLSchema, type SelectionSetNode } from 'graphql';
import { LEGACY_DIVISION_KINDS, LEGACY_ORGANIZATION_KINDS } from '../../db/schema/index.ts';
import { MAX_PAGE_SIZE, DEFAULT_PAGE_SIZE } from '../pagination.ts';

/** A value the plan binds at execution, from the field arguments (variables resolved). */
type ParamSource = (variables: Record<string, unknown>) => unknown;

export interface DirectoryPlan {
  /** SQL text with $1…$n; $1 is the jurisdiction slug. */
  text: string;
  params: ParamSource[];
  /**
   * Arguments read only to refuse what the resolvers refuse, not bound: PostgreSQL counts a
   * statement's parameters by those its text uses (a connection's page size when only its
   * `totalCount` is asked).
   */
  checks: ParamSource[];
}

/** Marks an object built by SQL: fields of such objects are read by response key (compiled-fields.ts). */
export const COMPILED_KEY = '__compiled';

class Unsupported extends Error {}

export interface Builder {
  schema: GraphQLSchema;
  params: ParamSource[];
  checks: ParamSource[];
  aliases: number;
  /** Mark every object with COMPILED_KEY (for graphql-js to read); off when the JSON is the response itself. */
  markers: boolean;
}

export interface CompileOptions {
  /**
   * true: objects carry COMPILED_KEY, for graphql-js to walk (compiled-fields.ts). false: the JSON
   * is exactly the `data` of the response, for an operation answered without execution
   * (compiled-operation.plugin.ts).
   */
  markers: boolean;
}

export const quote = (key: string) => `'${key}'`; // response keys are GraphQL names: [_A-Za-z][_0-9A-Za-z]*

export function param(b: Builder, source: ParamSource, cast: string): string {
  b.params.push(source);
  return `$${b.params.length + 1}::${cast}`;
}

export function alias(b: Builder, prefix: string): string {
  b.aliases += 1;
  return `${prefix}${b.aliases}`;
}

/** Reads one argument of a field (default values applied), per request. */
export function arg(field: GraphQLField<unknown, unknown>, node: FieldNode, name: string): ParamSource {
  return (variables) => getArgumentValues(field, node, variables)[name] ?? null;
}

/** `at` for a nested field: the argument, else today in the jurisdiction (the `j` row of the statement). */
function atParam(b: Builder, field: GraphQLField<unknown, unknown>, node: FieldNode): string {
  return `coalesce(${param(b, arg(field, node, 'at'), 'date')}, j.today)`;
}

const inEffect = (start: string, end: string, at: string) => `(${start} is null or ${start} <= ${at}) and (${end} is null or ${end} > ${at})`;

/**
 * A page size the resolvers would accept; anything else falls back to them (they raise the error).
 * Checked on every request; bound as a parameter when the text first asks for it.
 */
export function pageSize(b: Builder, field: GraphQLField<unknown, unknown>, node: FieldNode): () => string {
  for (const name of ['after', 'last', 'before']) {
    if (node.arguments?.some((a) => a.name.value === name)) throw new Unsupported(name);
  }
  const first = arg(field, node, 'first');
  const source: ParamSource = (variables) => {
    const value = first(variables) as number | null;
    if (value != null && (value < 0 || value > MAX_PAGE_SIZE)) throw new Unsupported('first out of range');
    return value ?? DEFAULT_PAGE_SIZE;
  };
  b.checks.push(source);
  let placeholder: string | undefined;
  return () => {
    if (placeholder === undefined) {
      b.checks.splice(b.checks.indexOf(source), 1);
      placeholder = param(b, source, 'int');
    }
    return placeholder;
  };
}

type FieldCompiler = (b: Builder, row: string, field: GraphQLField<unknown, unknown>, node: FieldNode) => string;

const column = (name: string): FieldCompiler => (_b, row) => `${row}.${name}`;

/** Scalar columns per type: only public columns (the same ones the types expose to anyone). */
const SCALARS: Record<string, Record<string, string>> = {
  Division: { name: 'name', ocdId: 'ocd_id', validFrom: 'valid_from', validUntil: 'valid_until' },
  Organization: {
    slug: 'slug', name: 'name', shortName: 'short_name', description: 'description', website: 'website',
    status: 'status', foundedOn: 'founded_on', dissolvedOn: 'dissolved_on', overseenBy: 'overseen_by',
    minMembers: 'min_members', maxMembers: 'max_members', sourceUrl: 'source_url', bodyKind: 'body_kind',
  },
  Post: {
    label: 'label', role: 'role', appointingAuthority: 'appointing_authority', selectionMethod: 'selection_method',
    maxHolders: 'max_holders', termLengthMonths: 'term_length_months', termLimit: 'term_limit',
    takesApplications: 'takes_applications', eligibility: 'eligibility', createdOn: 'created_on', abolishedOn: 'abolished_on',
  },
  Membership: { role: 'role', startDate: 'start_date', endDate: 'end_date', scheduledEndDate: 'scheduled_end_date', endReason: 'end_reason', sourceUrl: 'source_url' },
  Person: { name: 'name', sortName: 'sort_name', publicBio: 'public_bio', isSample: 'is_sample', sourceUrl: 'source_url' },
};

/** seat-filling.service servesOn: a holdover past the seat's holdover limit no longer holds it. */
const servesOn = (p: string, m: string, at: string) =>
  `(${p}.holdover_limit_months is null or ${m}.scheduled_end_date is null or (${m}.scheduled_end_date + make_interval(months => ${p}.holdover_limit_months))::date > ${at})`;

export const byName = (row: string) => `lower(${row}.name) collate "C", ${row}.id`;

/**
 * A value as base64url with no padding, as Node's `Buffer.toString('base64url')` writes it
 * (PostgreSQL's base64 breaks lines every 76 characters: those go too).
 */
export const base64url = (text: string) => `translate(encode(convert_to(${text}, 'UTF8'), 'base64'), E'+/=\\n', '-_')`;

/** The global id of a row (global-id.ts toGlobalId): base64url of `v1:<Type>:<id>`. */
export const globalId = (type: string, row: string) => base64url(`'v1:${type}:' || ${row}.id`);

/** Relations per type, each the SQL twin of its resolver (see the service named in each comment). */
/** The deprecated `kind` enum fields (kinds.service legacyDivisionKind): a code outside the old list reads OTHER. */
const legacyKind = (codes: readonly string[]): FieldCompiler => (_b, row) =>
  `(case when ${row}.kind in (${codes.map((c) => `'${c}'`).join(', ')}) then ${row}.kind else 'OTHER' end)`;

/** Whether a row's kind has this category in its jurisdiction (division_kinds / organization_kinds). */
export const kindHasCategory = (table: 'division_kinds' | 'organization_kinds', row: string, category: string) =>
  `exists (select 1 from ${table} kc where kc.jurisdiction_id = ${row}.jurisdiction_id and kc.code = ${row}.kind and kc.category = '${category}')`;

const RELATIONS: Record<string, Record<string, FieldCompiler>> = {
  Division: {
    kind: legacyKind(LEGACY_DIVISION_KINDS),
    // geography.repository councilPostsByDivisionIds: the first unabolished COUNCIL post of the district.
    councilPost: (b, d, _f, node) => {
      const p = alias(b, 'p');
      return `(case when ${kindHasCategory('division_kinds', d, 'COUNCIL_DISTRICT')} then (select ${object(b, 'Post', p, node.selectionSet!)} from posts ${p}
        join organizations council on council.id = ${p}.organization_id and ${kindHasCategory('organization_kinds', 'council', 'COUNCIL')}
        where ${p}.division_id = ${d}.id and ${p}.abolished_on is null order by ${p}.id limit 1) end)`;
    },
    // organizations.repository organizationsByDivisionIds: by name, existing on `at`.
    organizations: (b, d, field, node) => {
      const o = alias(b, 'o');
      const at = atParam(b, field, node);
      if (node.arguments?.some((a) => a.name.value === 'kindCode')) throw new Unsupported('organizations(kindCode:)');
      const kind = param(b, arg(field, node, 'kind'), 'text');
      return `coalesce((select json_agg(${object(b, 'Organization', o, node.selectionSet!)} order by ${byName(o)}) from organizations ${o}
        where ${o}.division_id = coalesce(${d}.version_of, ${d}.id) and (${kind} is null or ${o}.kind = ${kind}) and ${inEffect(`${o}.founded_on`, `${o}.dissolved_on`, at)}), '[]'::json)`;
    },
  },
  Organization: {
    kind: legacyKind(LEGACY_ORGANIZATION_KINDS),
    // organizations.resolvers Organization.id.
    id: (_b, o) => globalId('Organization', o),
    // organizations.repository coalitionsByMemberIds.
    coalition: (b, o, field, node) => {
      const l = alias(b, 'l');
      const c = alias(b, 'c');
      const at = atParam(b, field, node);
      return `(select ${object(b, 'Organization', c, node.selectionSet!)} from organization_links ${l} join organizations ${c} on ${c}.id = ${l}.parent_id
        where ${l}.member_id = ${o}.id and ${l}.kind = 'DISTRICT_COALITION' and ${inEffect(`${l}.start_date`, `${l}.end_date`, at)} limit 1)`;
    },
    // organizations.repository memberOrganizationPages / memberOrganizationCounts.
    memberOrganizations: (b, o, field, node) => {
      const at = atParam(b, field, node);
      const kind = param(b, arg(field, node, 'kind'), 'organization_link_kind');
      const where = (l: string) => `${l}.parent_id = ${o}.id and (${kind} is null or ${l}.kind = ${kind}) and ${inEffect(`${l}.start_date`, `${l}.end_date`, at)}`;
      // By the link's copy of the member's key (= byName: lower(name) in "C", then the id), which the
      // index (parent_id, member_sort_name, member_id, …) gives without reading every member.
      return connection(b, node, field, 'Organization', (m, size) => {
        const l = alias(b, 'l');
        return `select ${m}.*, ${l}.member_sort_name from organization_links ${l} join organizations ${m} on ${m}.id = ${l}.member_id where ${where(l)} order by ${l}.member_sort_name, ${l}.member_id limit ${size}`;
      }, (m) => `${m}.member_sort_name, ${m}.id`, () => {
        const l = alias(b, 'l');
        return `select count(*)::int from organization_links ${l} where ${where(l)}`;
      });
    },
    // seats.service postsOf: by label, unabolished today unless includeAbolished.
    posts: (b, o, field, node) => {
      const include = param(b, arg(field, node, 'includeAbolished'), 'boolean');
      const where = (s: string) => `${s}.organization_id = ${o}.id and (coalesce(${include}, false) or ${s}.abolished_on is null or ${s}.abolished_on > j.today)`;
      const byLabel = (s: string) => `lower(${s}.label) collate "C", ${s}.id`;
      return connection(b, node, field, 'Post', (s, size) => `select ${s}.* from posts ${s} where ${where(s)} order by ${byLabel(s)} limit ${size}`, byLabel, () => {
        const s = alias(b, 's');
        return `select count(*)::int from posts ${s} where ${where(s)}`;
      });
    },
  },
  Post: {
    // seats.repository holdersByPostIds: terms in effect on `at`, by start date.
    holders: (b, p, field, node) => {
      const m = alias(b, 'm');
      const at = atParam(b, field, node);
      return `coalesce((select json_agg(${object(b, 'Membership', m, node.selectionSet!)} order by ${m}.start_date, ${m}.id) from memberships ${m}
        where ${m}.post_id = ${p}.id and ${inEffect(`${m}.start_date`, `${m}.end_date`, at)} and ${servesOn(p, m, at)}), '[]'::json)`;
    },
    // seats.service vacanciesOf: none outside the seat's lifetime, none where the body's roster is not recorded.
    vacancies: (b, p, field, node) => {
      const m = alias(b, 'm');
      const ro = alias(b, 'ro');
      const at = atParam(b, field, node);
      return `(case when ${inEffect(`${p}.created_on`, `${p}.abolished_on`, at)}
          and (select ${ro}.roster_status from organizations ${ro} where ${ro}.id = ${p}.organization_id) <> 'NOT_RECORDED'
        then greatest(0, ${p}.max_holders - (select count(*)::int from memberships ${m}
        where ${m}.post_id = ${p}.id and ${inEffect(`${m}.start_date`, `${m}.end_date`, at)} and ${servesOn(p, m, at)})) else 0 end)`;
    },
  },
  Membership: {
    // seats.resolvers Membership.person: the public roster row.
    person: (b, m, _f, node) => {
      const pe = alias(b, 'pe');
      return `(select ${object(b, 'Person', pe, node.selectionSet!)} from people ${pe} where ${pe}.id = ${m}.person_id)`;
    },
  },
};

/** A connection with `nodes` and `totalCount` only (cursors and edges go through the resolvers). */
function connection(
  b: Builder,
  node: FieldNode,
  field: GraphQLField<unknown, unknown>,
  nodeType: string,
  page: (row: string, size: string) => string,
  order: (row: string) => string,
  count: () => string,
): string {
  const size = pageSize(b, field, node);
  const pairs: string[] = b.markers ? [`'${COMPILED_KEY}', true`] : [];
  for (const selection of fieldsOf(node.selectionSet!)) {
    const key = selection.alias?.value ?? selection.name.value;
    if (selection.name.value === '__typename') pairs.push(`${quote(key)}, '${String(field.type).replace(/!$/, '')}'`);
    else if (selection.name.value === 'totalCount') pairs.push(`${quote(key)}, (${count()})`);
    else if (selection.name.value === 'nodes') {
      const row = alias(b, 'n');
      pairs.push(`${quote(key)}, coalesce((select json_agg(${object(b, nodeType, row, selection.selectionSet!)} order by ${order(row)}) from (${page(row, size())}) ${row}), '[]'::json)`);
    } else throw new Unsupported(selection.name.value);
  }
  return `json_build_object(${pairs.join(', ')})`;
}

/**
 * Plain fields only: fragments and directives (@include, @skip) go through the resolvers, and so
 * does a response key asked twice (graphql-js merges such fields; one JSON key cannot hold both).
 */
export function fieldsOf(selectionSet: SelectionSetNode): FieldNode[] {
  const keys = new Set<string>();
  return selectionSet.selections.map((s) => {
    if (s.kind !== 'Field' || s.directives?.length) throw new Unsupported(s.kind);
    const key = s.alias?.value ?? s.name.value;
    if (keys.has(key)) throw new Unsupported(`${key} twice`);
    keys.add(key);
    return s;
  });
}

export function object(b: Builder, typeName: string, row: string, selectionSet: SelectionSetNode): string {
  const type = b.schema.getType(typeName) as GraphQLObjectType;
  const fields = type.getFields();
  const pairs: string[] = b.markers ? [`'${COMPILED_KEY}', true`] : [];
  for (const node of fieldsOf(selectionSet)) {
    const name = node.name.value;
    const key = node.alias?.value ?? name;
    if (name === '__typename') {
      pairs.push(`${quote(key)}, '${typeName}'`);
      continue;
    }
    const scalar = SCALARS[typeName]?.[name];
    const relation = RELATIONS[typeName]?.[name];
    const field = fields[name];
    if (!field) throw new Unsupported(name);
    // A column is the original text: a field with arguments (`name(locale:)`) goes to its resolver.
    if (scalar && node.arguments?.length) throw new Unsupported(`${typeName}.${name} with arguments`);
    if (scalar) pairs.push(`${quote(key)}, ${column(scalar)(b, row, field, node)}`);
    else if (relation) pairs.push(`${quote(key)}, ${relation(b, row, field, node)}`);
    else throw new Unsupported(`${typeName}.${name}`);
  }
  // json_build_object takes at most 100 arguments.
  if (pairs.length > 50) throw new Unsupported('too many fields');
  return `json_build_object(${pairs.join(', ')})`;
}

/**
 * `councilDistricts(jurisdiction, at)`: the districts in effect on `at`, by name (geography.service).
 * The jurisdiction and its today are looked up in the same statement; no row means no such
 * jurisdiction, and the resolver then reports it.
 */
export function compileCouncilDistricts(
  schema: GraphQLSchema,
  field: GraphQLField<unknown, unknown>,
  node: FieldNode,
  { markers }: CompileOptions = { markers: true },
): DirectoryPlan | null {
  if (!node.selectionSet || node.directives?.length) return null;
  const b: Builder = { schema, params: [], checks: [], aliases: 0, markers };
  try {
    const at = param(b, arg(field, node, 'at'), 'date');
    const d = alias(b, 'd');
    const list = `coalesce((select json_agg(${object(b, 'Division', d, node.selectionSet)} order by ${byName(d)}) from divisions ${d}
      where ${d}.jurisdiction_id = j.id and ${kindHasCategory('division_kinds', d, 'COUNCIL_DISTRICT')} and ${inEffect(`${d}.valid_from`, `${d}.valid_until`, `coalesce(${at}, j.today)`)}), '[]'::json)`;
    // `offset 0` keeps `j` a subquery, so today is computed once, not again in every row's filter.
    const text = `select ${list} as result
      from (select id, (now() at time zone timezone)::date as today from jurisdictions where slug = $1 offset 0) j`;
    return { text, params: b.params, checks: b.checks };
  } catch (error) {
    if (error instanceof Unsupported) return null;
    throw error;
  }
}

export { Unsupported as UnsupportedSelection };
