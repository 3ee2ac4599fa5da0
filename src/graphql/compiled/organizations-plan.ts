/**
 * Compiled organization roots (see directory-plan.ts for the compiler): `organization(id:)` /
 * `organization(slug:)` and the organization lists (`organizations`, `neighborhoodAssociations`,
 * `businessDistrictAssociations`, `advisoryBodies`), each one statement returning the field's JSON.
 *
 * Each means exactly what its resolver means (organizations.service findOrganization,
 * listOrganizations): the lists are every organization of the kind in the jurisdiction (no date
 * filter: `at` only matters to the `coalition` filter), ordered by the keyset
 * `lower(name) collate "C", id`, with the resolvers' page sizes and byte-identical cursors. What is
 * not supported falls back to the resolvers, which answer or raise their error: `after`, `before`
 * and `last`, `first` out of range, filters other than `kind` and `status`, `orderBy` given by a
 * variable, an id that is not an Organization's, both or neither of `id` and `slug`, an
 * organization of another jurisdiction than the server's (its texts' language is negotiated
 * against its own), a slug longer than the resolver reads, and an unknown jurisdiction.
 */
import { valueFromAST, type FieldNode, type GraphQLField, type GraphQLSchema } from 'graphql';
import { parseGlobalId } from '../global-id.ts';
import {
  alias,
  arg,
  base64url,
  fieldsOf,
  object,
  pageSize,
  param,
  quote,
  COMPILED_KEY,
  UnsupportedSelection,
  type Builder,
  type CompileOptions,
  type DirectoryPlan,
} from './directory-plan.ts';

type OrganizationKind = 'NEIGHBORHOOD_ASSOCIATION' | 'BUSINESS_DISTRICT_ASSOCIATION' | 'ADVISORY_BODY';

/** The jurisdiction and its today (nested fields default `at` to it), computed once (`offset 0`). */
const JURISDICTION = `(select id, (now() at time zone timezone)::date as today from jurisdictions where slug = $1 offset 0) j`;

/** The cursor of a row (pagination.ts encodeCursor of organizationKeyset's [name, id]): JSON.stringify's text, base64url. */
const cursorOf = (row: string) => base64url(`'[' || to_json(${row}.name)::text || ',' || ${row}.id || ']'`);

function compileWith(build: (b: Builder) => string) {
  return (schema: GraphQLSchema, _field: GraphQLField<unknown, unknown>, node: FieldNode, { markers }: CompileOptions): DirectoryPlan | null => {
    if (!node.selectionSet || node.directives?.length) return null;
    const b: Builder = { schema, params: [], checks: [], aliases: 0, markers };
    try {
      const text = build(b);
      return { text, params: b.params, checks: b.checks };
    } catch (error) {
      if (error instanceof UnsupportedSelection) return null;
      throw error;
    }
  };
}

const hasArgument = (node: FieldNode, name: string) => node.arguments?.some((a) => a.name.value === name) ?? false;

/**
 * `organization(id:)` or `organization(slug:, jurisdiction:)`. By id, the resolver ignores the
 * jurisdiction; the statement answers only for an organization of the server's jurisdiction
 * ($1, see compiled-roots.ts) or none at all, and yields no row (fallback) for another's.
 */
export function compileOrganization(schema: GraphQLSchema, field: GraphQLField<unknown, unknown>, node: FieldNode, options: CompileOptions): DirectoryPlan | null {
  const byId = hasArgument(node, 'id');
  if (byId === hasArgument(node, 'slug')) return null; // both or neither: the resolver's error
  const id = arg(field, node, 'id');
  const slug = arg(field, node, 'slug');
  return compileWith((b) => {
    const o = alias(b, 'o');
    const value = object(b, 'Organization', o, node.selectionSet!);
    if (byId) {
      const key = param(
        b,
        (variables) => {
          const decoded = parseGlobalId(String(id(variables) ?? ''));
          if (decoded?.type !== 'Organization') throw new UnsupportedSelection('not an Organization id');
          return decoded.id;
        },
        'int',
      );
      return `select (select ${value} from organizations ${o} where ${o}.id = ${key}) as result from ${JURISDICTION}
        where not exists (select 1 from organizations other where other.id = ${key} and other.jurisdiction_id <> j.id)`;
    }
    const wanted = param(
      b,
      (variables) => {
        const value = slug(variables) as string | null;
        // findOrganization answers null past 200 characters; null slug means neither argument.
        if (value == null || value.length > 200) throw new UnsupportedSelection('slug');
        return value;
      },
      'text',
    );
    return `select (select ${value} from organizations ${o} where ${o}.jurisdiction_id = j.id and ${o}.slug = ${wanted}) as result from ${JURISDICTION}`;
  })(schema, field, node, options);
}

/** `orderBy` written in the document (a variable falls back: the statement's order is fixed text). */
function descending(field: GraphQLField<unknown, unknown>, node: FieldNode): boolean {
  const argument = node.arguments?.find((a) => a.name.value === 'orderBy');
  if (!argument) return false;
  const value = valueFromAST(argument.value, field.args.find((a) => a.name === 'orderBy')!.type);
  if (value === undefined) throw new UnsupportedSelection('orderBy');
  return (value as { direction?: string } | null)?.direction === 'DESC';
}

/** An organization list: `organizations` (fixedKind null) or one of a kind. */
export function compileOrganizationList(fixedKind: OrganizationKind | null) {
  return (schema: GraphQLSchema, field: GraphQLField<unknown, unknown>, node: FieldNode, options: CompileOptions): DirectoryPlan | null => {
    const filterOf = arg(field, node, 'filter');
    const filter = (variables: Record<string, unknown>) => {
      const value = (filterOf(variables) ?? {}) as Record<string, unknown>;
      for (const [name, v] of Object.entries(value)) {
        if (v != null && name !== 'kind' && name !== 'status') throw new UnsupportedSelection(`filter.${name}`);
      }
      return value;
    };
    return compileWith((b) => {
      const direction = descending(field, node) ? 'desc' : 'asc';
      const size = pageSize(b, field, node)(); // the page is always in the text
      // A list of one kind ignores filter.kind (organizations.service toRepositoryFilter).
      const kind = fixedKind ? `'${fixedKind}'::text` : param(b, (v) => filter(v).kind ?? null, 'text');
      const status = param(b, (v) => filter(v).status ?? null, 'organization_status');
      // A list of one kind is every organization whose kind has that category in the jurisdiction.
      const where = (o: string, jurisdiction = 'j.id') =>
        `${o}.jurisdiction_id = ${jurisdiction} and ${fixedKind ? `${o}.kind = any(array(select kc.code from organization_kinds kc where kc.jurisdiction_id = ${jurisdiction} and kc.category = ${kind}::organization_kind_category))` : `(${kind} is null or ${o}.kind = ${kind})`} and (${status} is null or ${o}.status = ${status})`;
      const order = (o: string) => `lower(${o}.name) collate "C" ${direction}, ${o}.id ${direction}`;
      const p = alias(b, 'p');
      // The page plus one row (whether another follows), numbered in the list's order. The
      // jurisdiction is a scalar subquery, not a join with `j`: joined, the planner cannot take the
      // order from the (jurisdiction_id, kind, lower(name), id) index and sorted every organization
      // of the kind (6.9 ms a page at scale 100 against 0.1 ms).
      // A list of one kind reads the page from that index once per code of the category (a
      // `lateral` top-N each, then the top N of those): `kind = any(codes)` would let the planner
      // take no order from it, and it sorted every organization of the kind (7.4 ms a page at scale
      // 100). A category usually has one code, so this is one ordered index scan.
      const rows = (() => {
        if (!fixedKind) return `select ${p}.* from organizations ${p} where ${where(p, '(select j.id from j)')} order by ${order(p)} limit ${size} + 1`;
        const k = alias(b, 'k');
        const q = alias(b, 'q');
        const jurisdiction = '(select j.id from j)';
        return `select ${q}.* from organization_kinds ${k} cross join lateral (
            select ${p}.* from organizations ${p}
            where ${p}.jurisdiction_id = ${jurisdiction} and ${p}.kind = ${k}.code and (${status} is null or ${p}.status = ${status})
            order by ${order(p)} limit ${size} + 1) ${q}
          where ${k}.jurisdiction_id = ${jurisdiction} and ${k}.category = ${kind}::organization_kind_category
          order by ${order(q)} limit ${size} + 1`;
      })();
      const page = `page as (select ${p}.*, row_number() over (order by ${order(p)}) as rn, count(*) over () as fetched
        from (${rows}) ${p})`;
      const nodes = (item: (row: string) => string) => {
        const n = alias(b, 'n');
        return `coalesce((select json_agg(${item(n)} order by ${n}.rn) from page ${n} where ${n}.rn <= ${size}), '[]'::json)`;
      };
      const marker = b.markers ? [`'${COMPILED_KEY}', true`] : [];
      const pairs: string[] = [...marker];
      for (const selection of fieldsOf(node.selectionSet!)) {
        const key = quote(selection.alias?.value ?? selection.name.value);
        switch (selection.name.value) {
          case '__typename':
            pairs.push(`${key}, 'OrganizationConnection'`);
            break;
          case 'nodes':
            pairs.push(`${key}, ${nodes((n) => object(b, 'Organization', n, selection.selectionSet!))}`);
            break;
          case 'totalCount': {
            const c = alias(b, 'c');
            pairs.push(`${key}, (select count(*)::int from organizations ${c} where ${where(c)})`);
            break;
          }
          case 'edges':
            pairs.push(`${key}, ${nodes((n) => edge(b, n, selection))}`);
            break;
          case 'pageInfo':
            pairs.push(`${key}, ${pageInfo(b, selection, size)}`);
            break;
          default:
            throw new UnsupportedSelection(selection.name.value);
        }
      }
      // `j` is a CTE here, so the page (a CTE too) can read it; referenced twice, it is computed once.
      return `with j as (select id, (now() at time zone timezone)::date as today from jurisdictions where slug = $1), ${page}
        select json_build_object(${pairs.join(', ')}) as result from j`;
    })(schema, field, node, options);
  };
}

function edge(b: Builder, row: string, node: FieldNode): string {
  const pairs: string[] = b.markers ? [`'${COMPILED_KEY}', true`] : [];
  for (const selection of fieldsOf(node.selectionSet!)) {
    const key = quote(selection.alias?.value ?? selection.name.value);
    if (selection.name.value === '__typename') pairs.push(`${key}, 'OrganizationEdge'`);
    else if (selection.name.value === 'cursor') pairs.push(`${key}, ${cursorOf(row)}`);
    else if (selection.name.value === 'node') pairs.push(`${key}, ${object(b, 'Organization', row, selection.selectionSet!)}`);
    else throw new UnsupportedSelection(selection.name.value);
  }
  return `json_build_object(${pairs.join(', ')})`;
}

/** pagination.ts toConnection, forward from the start (no `after`, no `last`). */
function pageInfo(b: Builder, node: FieldNode, size: string): string {
  const pairs: string[] = b.markers ? [`'${COMPILED_KEY}', true`] : [];
  for (const selection of fieldsOf(node.selectionSet!)) {
    const key = quote(selection.alias?.value ?? selection.name.value);
    const n = alias(b, 'n');
    switch (selection.name.value) {
      case '__typename':
        pairs.push(`${key}, 'PageInfo'`);
        break;
      case 'hasNextPage':
        pairs.push(`${key}, (select count(*) > ${size} from page)`);
        break;
      case 'hasPreviousPage':
        pairs.push(`${key}, false`);
        break;
      case 'startCursor':
        pairs.push(`${key}, (select ${cursorOf(n)} from page ${n} where ${n}.rn = 1 and ${n}.rn <= ${size})`);
        break;
      case 'endCursor':
        pairs.push(`${key}, (select ${cursorOf(n)} from page ${n} where ${n}.rn = least(${n}.fetched, ${size}))`);
        break;
      default:
        throw new UnsupportedSelection(selection.name.value);
    }
  }
  return `json_build_object(${pairs.join(', ')})`;
}
