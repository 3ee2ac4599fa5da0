import type { GraphQLContext } from '../../context.ts';
import type { DivisionRow, OrganizationLinkRow, OrganizationRow, RecognitionRow } from '../../db/schema/index.ts';
import { badUserInput } from '../../errors.ts';
import { decodeGlobalId } from '../../graphql/global-id.ts';
import type { ConnectionMapper } from '../../graphql/mappers.ts';
import { parsePageArgs, toConnection, type PageArgs } from '../../graphql/pagination.ts';
import { asOf, dateIn, resolveJurisdiction } from '../jurisdictions/jurisdictions.service.ts';
import { kindCodesFilter, organizationCodesOf } from '../kinds/kinds.service.ts';
import {
  coalitionsOn,
  memberKeyset,
  organizationBySlug,
  organizationKeyset,
  organizationsCount,
  organizationsPage,
  type OrganizationFilter,
} from './organizations.repository.ts';
import { recognitionOn } from './recognition.repository.ts';

type OrganizationKind = OrganizationRow['kind'];
type OrganizationKindCategory = import('../../db/schema/index.ts').OrganizationKindCategory;
type LinkKind = OrganizationLinkRow['kind'];

export interface OrganizationFilterInput {
  kind?: OrganizationKind | null;
  kindCode?: readonly string[] | null;
  category?: readonly OrganizationKindCategory[] | null;
  status?: OrganizationRow['status'] | null;
  nameContains?: string | null;
  councilDistrict?: string | null;
  coalition?: string | null;
  updatedSince?: Date | string | null;
}

export interface OrganizationListArgs extends PageArgs {
  jurisdiction?: string | null;
  filter?: OrganizationFilterInput | null;
  at?: string | null;
  orderBy?: { field?: 'NAME'; direction?: 'ASC' | 'DESC' } | null;
}

const MAX_SEARCH_LENGTH = 200;

function toRepositoryFilter(input: OrganizationFilterInput, kinds: string[] | null): OrganizationFilter {
  if (input.nameContains && input.nameContains.length > MAX_SEARCH_LENGTH) {
    throw badUserInput(`filter.nameContains must be at most ${MAX_SEARCH_LENGTH} characters`, 'filter.nameContains');
  }
  return {
    kinds,
    status: input.status ?? null,
    nameContains: input.nameContains ?? null,
    councilDistrictId: input.councilDistrict != null ? decodeGlobalId(input.councilDistrict, 'Division', 'filter.councilDistrict') : null,
    coalitionId: input.coalition != null ? decodeGlobalId(input.coalition, 'Organization', 'filter.coalition') : null,
    updatedSince: input.updatedSince != null ? new Date(input.updatedSince) : null,
  };
}

/**
 * Organizations whose kind has the category `fixedCategory` (the lists of one kind, which ignore the
 * filter's kinds), or of the kinds the filter asks for when it is null; paginated by name.
 */
export async function listOrganizations(
  ctx: GraphQLContext,
  args: OrganizationListArgs,
  fixedCategory: OrganizationKindCategory | null,
): Promise<ConnectionMapper<OrganizationRow>> {
  const jurisdiction = await resolveJurisdiction(ctx, args.jurisdiction);
  const at = dateIn(jurisdiction, args.at);
  const input = args.filter ?? {};
  const codesOf = (c: readonly OrganizationKindCategory[]) => organizationCodesOf(ctx, jurisdiction.id, c);
  const kinds = fixedCategory ? await codesOf([fixedCategory]) : await kindCodesFilter(codesOf, input);
  const filter = toRepositoryFilter(input, kinds);
  const keyset = organizationKeyset(args.orderBy?.direction === 'DESC' ? 'desc' : 'asc');
  const page = parsePageArgs(args, keyset.keys);
  const rows = await organizationsPage(ctx.db, jurisdiction.id, filter, at, keyset, page);
  for (const row of rows) ctx.loaders.organizationById.prime(row.id, row);
  return toConnection(rows, keyset, page, () => organizationsCount(ctx.db, jurisdiction.id, filter, at));
}

export async function findOrganization(
  ctx: GraphQLContext,
  args: { slug?: string | null; id?: string | null; jurisdiction?: string | null },
): Promise<OrganizationRow | null> {
  if ((args.slug == null) === (args.id == null)) throw badUserInput('Pass exactly one of slug or id', 'slug');
  if (args.id != null) return ctx.loaders.organizationById.load(decodeGlobalId(args.id, 'Organization', 'id'));
  const jurisdiction = await resolveJurisdiction(ctx, args.jurisdiction);
  return args.slug!.length <= 200 ? organizationBySlug(ctx.db, jurisdiction.id, args.slug!) : null;
}

export async function districtCoalitions(ctx: GraphQLContext, args: { jurisdiction?: string | null; at?: string | null }): Promise<OrganizationRow[]> {
  const jurisdiction = await resolveJurisdiction(ctx, args.jurisdiction);
  return coalitionsOn(ctx.db, jurisdiction.id, dateIn(jurisdiction, args.at));
}

export async function memberOrganizations(
  ctx: GraphQLContext,
  parent: OrganizationRow,
  args: PageArgs & { kind?: LinkKind | null; at?: string | null },
): Promise<ConnectionMapper<OrganizationRow>> {
  const at = await asOf(ctx, parent.jurisdictionId, args.at);
  const kind = args.kind ?? null;
  const keyset = memberKeyset;
  const page = parsePageArgs(args, keyset.keys);
  const rows = await ctx.loaders.memberOrganizationPage.load({ id: parent.id, params: { kind, at, page } });
  return toConnection(rows, keyset, page, () => ctx.loaders.memberOrganizationCount.load({ id: parent.id, params: { kind, at } }));
}

export async function coalitionOf(ctx: GraphQLContext, organization: OrganizationRow, at: string | null | undefined): Promise<OrganizationRow | null> {
  return ctx.loaders.coalitionByMemberId.load({ id: organization.id, params: { at: await asOf(ctx, organization.jurisdictionId, at) } });
}

/** The recognition status in effect on `at` (default today in the city's time zone). */
export async function recognitionOf(ctx: GraphQLContext, organization: OrganizationRow, at: string | null | undefined): Promise<RecognitionRow | null> {
  const [periods, day] = await Promise.all([ctx.loaders.recognitionsByOrganizationId.load(organization.id), asOf(ctx, organization.jurisdictionId, at)]);
  return recognitionOn(periods, day);
}

/** A division's boundary agreements, each seen from it: `division` is the other side of the pair. */
export async function overlapAgreementsOf(
  ctx: GraphQLContext,
  division: DivisionRow,
): Promise<{ division: DivisionRow; signedOn: string; documentUrl: string | null }[]> {
  const rows = await ctx.loaders.boundaryAgreementsByDivisionId.load(division.id);
  const others = await ctx.loaders.divisionById.loadMany(rows.map((r) => (r.divisionId === division.id ? r.otherDivisionId : r.divisionId)));
  return rows.flatMap((row, i) => {
    const other = others[i];
    return other && !(other instanceof Error) ? [{ division: other, signedOn: row.signedOn, documentUrl: row.documentUrl }] : [];
  });
}
