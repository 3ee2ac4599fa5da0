import type { GraphQLContext } from '../../context.ts';
import type { MembershipRow, OrganizationRow, PostRow } from '../../db/schema/index.ts';
import type { SeatVacancyStatus } from '../../graphql/__generated__/resolvers-types.ts';
import type { ConnectionMapper } from '../../graphql/mappers.ts';
import { parsePageArgs, toConnection, type PageArgs } from '../../graphql/pagination.ts';
import { asOf, resolveJurisdiction } from '../jurisdictions/jurisdictions.service.ts';
import {
  jurisdictionMembershipsCount,
  jurisdictionMembershipsPage,
  jurisdictionPostsCount,
  jurisdictionPostsPage,
  membershipByIdKeyset,
  membershipKeyset,
  postByIdKeyset,
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

/** The roster status of the seat's body: NOT_RECORDED means its free places are unknown, not vacant. */
export async function rosterStatusOfPost(ctx: GraphQLContext, post: PostRow): Promise<OrganizationRow['rosterStatus']> {
  return (await ctx.loaders.organizationById.load(post.organizationId))?.rosterStatus ?? 'NOT_RECORDED';
}

/** Derived, never stored: free places by the record on the date, none outside the seat's lifetime; null when the roster is not recorded. */
export async function knownVacanciesOf(ctx: GraphQLContext, post: PostRow, atArg: string | null | undefined): Promise<number | null> {
  const [at, roster] = await Promise.all([asOf(ctx, post.jurisdictionId, atArg), rosterStatusOfPost(ctx, post)]);
  if (roster === 'NOT_RECORDED') return null;
  const exists = (post.createdOn == null || post.createdOn <= at) && (post.abolishedOn == null || post.abolishedOn > at);
  if (!exists) return 0;
  const holders = await ctx.loaders.holdersByPostId.load({ id: post.id, params: { at } });
  return Math.max(0, post.maxHolders - holders.length);
}

/** Post.vacancies (deprecated): as knownVacancies, but 0 where the roster is not recorded, never a vacancy. */
export async function vacanciesOf(ctx: GraphQLContext, post: PostRow, atArg: string | null | undefined): Promise<number> {
  return (await knownVacanciesOf(ctx, post, atArg)) ?? 0;
}

export async function vacancyStatusOf(ctx: GraphQLContext, post: PostRow, atArg: string | null | undefined): Promise<SeatVacancyStatus> {
  const [known, roster] = await Promise.all([knownVacanciesOf(ctx, post, atArg), rosterStatusOfPost(ctx, post)]);
  if (known === null) return 'UNKNOWN';
  if (known === 0) return 'FULL';
  return roster === 'PARTLY_RECORDED' ? 'POSSIBLY_VACANT' : 'VACANT';
}

export interface JurisdictionListArgs extends PageArgs {
  jurisdiction?: string | null;
  filter?: { updatedSince?: Date | string | null } | null;
}

function changedSince(args: JurisdictionListArgs): { updatedSince: Date | null } {
  const since = args.filter?.updatedSince;
  return { updatedSince: since != null ? new Date(since) : null };
}

/** Every seat of a jurisdiction, by id (for partners copying the data). */
export async function jurisdictionPosts(ctx: GraphQLContext, args: JurisdictionListArgs): Promise<ConnectionMapper<PostRow>> {
  const jurisdiction = await resolveJurisdiction(ctx, args.jurisdiction);
  const filter = changedSince(args);
  const page = parsePageArgs(args, postByIdKeyset.keys);
  const rows = await jurisdictionPostsPage(ctx.db, jurisdiction.id, filter, page);
  return toConnection(rows, postByIdKeyset, page, () => jurisdictionPostsCount(ctx.db, jurisdiction.id, filter));
}

/** Every term of service of a jurisdiction, by id (for partners copying rosters). */
export async function jurisdictionMemberships(ctx: GraphQLContext, args: JurisdictionListArgs): Promise<ConnectionMapper<MembershipRow>> {
  const jurisdiction = await resolveJurisdiction(ctx, args.jurisdiction);
  const filter = changedSince(args);
  const page = parsePageArgs(args, membershipByIdKeyset.keys);
  const rows = await jurisdictionMembershipsPage(ctx.db, jurisdiction.id, filter, page);
  return toConnection(rows, membershipByIdKeyset, page, () => jurisdictionMembershipsCount(ctx.db, jurisdiction.id, filter));
}
