import type { GraphQLContext } from '../../context.ts';
import type { MembershipRow, OrganizationRow, PostRow } from '../../db/schema/index.ts';
import { decodeGlobalId } from '../../graphql/global-id.ts';
import type { ConnectionMapper } from '../../graphql/mappers.ts';
import { parsePageArgs, toConnection, type PageArgs } from '../../graphql/pagination.ts';
import { asOf, dateIn, resolveJurisdiction } from '../jurisdictions/jurisdictions.service.ts';
import {
  membershipKeyset,
  openSeatKeyset,
  openSeatsCount,
  openSeatsPage,
  postKeyset,
  type MembershipParent,
  type MembershipStatus,
} from './seats.repository.ts';

export async function postsOf(
  ctx: GraphQLContext,
  organization: { id: number; jurisdictionId: number },
  args: PageArgs & { includeAbolished?: boolean | null },
): Promise<ConnectionMapper<PostRow>> {
  const at = await asOf(ctx, organization.jurisdictionId, null);
  const includeAbolished = args.includeAbolished ?? false;
  const page = parsePageArgs(args, postKeyset.keys);
  const rows = await ctx.loaders.postPageByOrganizationId.load({ id: organization.id, params: { includeAbolished, at, page } });
  return toConnection(rows, postKeyset, page, () =>
    ctx.loaders.postCountByOrganizationId.load({ id: organization.id, params: { includeAbolished, at } }),
  );
}

export async function membershipsOf(
  ctx: GraphQLContext,
  parent: MembershipParent,
  owner: { id: number; jurisdictionId: number },
  args: PageArgs & { status?: MembershipStatus | null; at?: string | null },
): Promise<ConnectionMapper<MembershipRow>> {
  const at = await asOf(ctx, owner.jurisdictionId, args.at);
  const status = args.status ?? 'ALL';
  const page = parsePageArgs(args, membershipKeyset.keys);
  const loaders = ctx.loaders.membershipsOf[parent];
  const rows = await loaders.page.load({ id: owner.id, params: { status, at, page } });
  return toConnection(rows, membershipKeyset, page, () => loaders.count.load({ id: owner.id, params: { status, at } }));
}

export async function holdersOf(ctx: GraphQLContext, post: PostRow, at: string | null | undefined): Promise<MembershipRow[]> {
  return ctx.loaders.holdersByPostId.load({ id: post.id, params: { at: await asOf(ctx, post.jurisdictionId, at) } });
}

/** Derived, never stored: free places on the date, and none outside the seat's lifetime. */
export async function vacanciesOf(ctx: GraphQLContext, post: PostRow, atArg: string | null | undefined): Promise<number> {
  const at = await asOf(ctx, post.jurisdictionId, atArg);
  const exists = (post.createdOn == null || post.createdOn <= at) && (post.abolishedOn == null || post.abolishedOn > at);
  if (!exists) return 0;
  const holders = await ctx.loaders.holdersByPostId.load({ id: post.id, params: { at } });
  return Math.max(0, post.maxHolders - holders.length);
}

export interface OpenSeatArgs extends PageArgs {
  jurisdiction?: string | null;
  at?: string | null;
  filter?: { councilDistrict?: string | null; organizationKind?: OrganizationRow['kind'] | null; organization?: string | null } | null;
}

export async function openSeats(ctx: GraphQLContext, args: OpenSeatArgs): Promise<ConnectionMapper<PostRow>> {
  const jurisdiction = await resolveJurisdiction(ctx, args.jurisdiction);
  const at = dateIn(jurisdiction, args.at);
  const input = args.filter ?? {};
  const filter = {
    councilDistrictId: input.councilDistrict != null ? decodeGlobalId(input.councilDistrict, 'Division', 'filter.councilDistrict') : null,
    organizationKind: input.organizationKind ?? null,
    organizationId: input.organization != null ? decodeGlobalId(input.organization, 'Organization', 'filter.organization') : null,
  };
  const page = parsePageArgs(args, openSeatKeyset.keys);
  const rows = await openSeatsPage(ctx.db, jurisdiction.id, filter, at, page);
  for (const row of rows) ctx.loaders.postById.prime(row.id, row);
  const connection = toConnection(rows, openSeatKeyset, page, () => openSeatsCount(ctx.db, jurisdiction.id, filter, at));
  // Every node is one of `rows`, which carry the organization name the cursor needs.
  return { ...connection, cursorOf: (row) => connection.cursorOf(row as (typeof rows)[number]) };
}
