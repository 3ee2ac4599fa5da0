/**
 * A jurisdiction's kinds (issue 13): what code paths ask instead of comparing with Portland's
 * codes — a kind's category, its overlap policy, its locate policy — and the kindInfo types.
 */
import type { GraphQLContext } from '../../context.ts';
import type {
  DivisionKindCategory,
  DivisionRow,
  OrganizationKindCategory,
  OrganizationRow,
} from '../../db/schema/index.ts';
import { LEGACY_DIVISION_KINDS, LEGACY_ORGANIZATION_KINDS } from '../../db/schema/index.ts';
import { canonicalLocale } from '../../language/locales.ts';
import type { JurisdictionKinds } from './kinds.loaders.ts';
import type { DivisionKindInfoMapper, KindNames, OrganizationKindInfoMapper } from './kinds.repository.ts';

// The GraphQL mappers (codegen.ts) are named here, beside the service that returns them.
export type { DivisionKindInfoMapper, OrganizationKindInfoMapper };

export function kindsOf(ctx: GraphQLContext, jurisdictionId: number): Promise<JurisdictionKinds> {
  return ctx.loaders.kindsByJurisdictionId.load(jurisdictionId);
}

export async function divisionKindInfo(ctx: GraphQLContext, row: Pick<DivisionRow, 'jurisdictionId' | 'kind'>): Promise<DivisionKindInfoMapper> {
  const info = (await kindsOf(ctx, row.jurisdictionId)).division.get(row.kind);
  // The composite foreign key makes a missing kind impossible; a bug says which.
  if (!info) throw new Error(`division kind ${row.kind} of jurisdiction ${row.jurisdictionId} is not on record`);
  return info;
}

export async function organizationKindInfo(ctx: GraphQLContext, row: Pick<OrganizationRow, 'jurisdictionId' | 'kind'>): Promise<OrganizationKindInfoMapper> {
  const info = (await kindsOf(ctx, row.jurisdictionId)).organization.get(row.kind);
  if (!info) throw new Error(`organization kind ${row.kind} of jurisdiction ${row.jurisdictionId} is not on record`);
  return info;
}

/** The deprecated enum fields: a code outside Portland's old list reads OTHER. */
export function legacyDivisionKind(code: string): (typeof LEGACY_DIVISION_KINDS)[number] | 'OTHER' {
  return (LEGACY_DIVISION_KINDS as readonly string[]).includes(code) ? (code as (typeof LEGACY_DIVISION_KINDS)[number]) : 'OTHER';
}
export function legacyOrganizationKind(code: string): (typeof LEGACY_ORGANIZATION_KINDS)[number] | 'OTHER' {
  return (LEGACY_ORGANIZATION_KINDS as readonly string[]).includes(code) ? (code as (typeof LEGACY_ORGANIZATION_KINDS)[number]) : 'OTHER';
}

/** The codes of a jurisdiction's division kinds of these categories. */
export async function divisionCodesOf(ctx: GraphQLContext, jurisdictionId: number, categories: readonly DivisionKindCategory[]): Promise<string[]> {
  return [...(await kindsOf(ctx, jurisdictionId)).division.values()].filter((k) => categories.includes(k.category)).map((k) => k.code);
}
export async function organizationCodesOf(ctx: GraphQLContext, jurisdictionId: number, categories: readonly OrganizationKindCategory[]): Promise<string[]> {
  return [...(await kindsOf(ctx, jurisdictionId)).organization.values()].filter((k) => categories.includes(k.category)).map((k) => k.code);
}

/**
 * The kind codes a filter asks for: the codes given (`kindCode`), the deprecated enum value
 * (`kind`, whose OTHER matches no code) and the codes of the categories given, all holding; null
 * when the filter says nothing about kinds.
 */
export async function kindCodesFilter<C extends string>(
  codesOfCategories: (categories: readonly C[]) => Promise<string[]>,
  filter: { kind?: string | null; kindCode?: readonly string[] | null; category?: readonly C[] | null },
): Promise<string[] | null> {
  let codes: string[] | null = null;
  const narrow = (next: readonly string[]) => {
    codes = codes === null ? [...next] : codes.filter((c) => next.includes(c));
  };
  if (filter.kind != null) narrow(filter.kind === 'OTHER' ? [] : [filter.kind]);
  if (filter.kindCode != null) narrow(filter.kindCode);
  if (filter.category != null) narrow(await codesOfCategories(filter.category));
  return codes;
}

/**
 * A kind's name in `locale` (the argument), else in the request's language, when the city names
 * it there; else the name in the city's default language.
 */
export async function kindName(ctx: GraphQLContext, kind: { name: string; pluralName: string; names: KindNames }, plural: boolean, locale: string | null | undefined): Promise<string> {
  const asked = locale != null ? canonicalLocale(locale) : ctx.language.ranges.length ? await ctx.language.locale() : null;
  const named = asked ? (kind.names[asked] ?? kind.names[asked.split('-')[0]!]) : undefined;
  if (named) return plural ? named[1] : named[0];
  return plural ? kind.pluralName : kind.name;
}

/**
 * What `locate` reports of rows at a point by their kinds' `locate` policy: every one of an ALL
 * kind, the first (the rows come by name) of a ONE kind, none of a NONE kind; each row once;
 * filtered by `kindCode` and `category` when given; by kind display order, then as given.
 */
export function byLocatePolicy<Row extends { id: number; kind: string }, K extends { code: string; category: string; locate: string; sortOrder: number }>(
  rows: readonly Row[],
  kinds: Map<string, K>,
  filter: { kindCode?: readonly string[] | null; category?: readonly string[] | null },
): Row[] {
  const seen = new Set<number>();
  const taken = new Map<string, number>();
  const out: Array<{ row: Row; order: number; index: number }> = [];
  rows.forEach((row, index) => {
    const kind = kinds.get(row.kind);
    if (!kind || kind.locate === 'NONE' || seen.has(row.id)) return;
    if (filter.kindCode && !filter.kindCode.includes(kind.code)) return;
    if (filter.category && !filter.category.includes(kind.category)) return;
    if (kind.locate === 'ONE' && taken.has(kind.code)) return;
    seen.add(row.id);
    taken.set(kind.code, 1);
    out.push({ row, order: kind.sortOrder, index });
  });
  return out.sort((a, b) => a.order - b.order || a.index - b.index).map((o) => o.row);
}
