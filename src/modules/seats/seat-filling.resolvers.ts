import type {
  CompositionRuleResolvers,
  MembershipResolvers,
  NominatingAuthorityResolvers,
  OrganizationResolvers,
  PostFillingResolvers,
  PostResolvers,
  TermRulesResolvers,
} from '../../graphql/__generated__/resolvers-types.ts';
import { canManage } from '../../auth/viewer.ts';
import type { OrganizationRow, PostRow } from '../../db/schema/index.ts';
import { asOf } from '../jurisdictions/jurisdictions.service.ts';
import { holdoverEndsOn } from './seat-filling.service.ts';

/** How seats are filled (issue 13): Post.filling, Organization.compositionRules, Membership's record of it. */

export const Post: Pick<PostResolvers, 'filling'> = {
  filling: (row) => row,
};

export const PostFilling: PostFillingResolvers = {
  appointingAuthority: (row) => row.appointingAuthority,
  selectionMethod: (row) => row.selectionMethod,
  nominatingAuthorities: async (row, _args, ctx) => {
    const nominators = await ctx.loaders.nominatorsByPostId.load(row.id);
    const rows = await Promise.all(
      nominators.map((n) => (n.nominatorPostId != null ? ctx.loaders.postById.load(n.nominatorPostId) : ctx.loaders.organizationById.load(n.nominatorOrganizationId!))),
    );
    return rows.filter((r): r is PostRow | OrganizationRow => r != null);
  },
  confirmingBody: (row, _args, ctx) => (row.confirmedByOrganizationId != null ? ctx.loaders.organizationById.load(row.confirmedByOrganizationId) : null),
  isVoting: (row) => row.voting,
  isExOfficio: (row) => row.selectionMethod === 'EX_OFFICIO',
  alternateFor: (row, _args, ctx) => (row.alternateForPostId != null ? ctx.loaders.postById.load(row.alternateForPostId) : null),
  term: (row) => row,
};

export const TermRules: TermRulesResolvers = {
  lengthMonths: (row) => row.termLengthMonths,
  anchor: (row) => row.termAnchor,
  staggerClasses: (row) => row.staggerClasses,
  holdoverLimitMonths: (row) => row.holdoverLimitMonths,
  limit: (row) => row.termLimit,
  limitCounting: (row) => row.termLimitCounting,
  minAge: (row) => row.minAge,
};

export const NominatingAuthority: NominatingAuthorityResolvers = {
  // Rows carry no type name: a post is the row with a source key and a role.
  __resolveType: (row) => ('role' in row && 'maxHolders' in row ? 'Post' : 'Organization'),
};

export const CompositionRule: CompositionRuleResolvers = {
  share: (row) => row.numerator / row.denominator,
};

export const Organization: Pick<OrganizationResolvers, 'compositionRules'> = {
  compositionRules: (row, _args, ctx) => ctx.loaders.compositionRulesByOrganizationId.load(row.id),
};

export const Membership: Pick<MembershipResolvers, 'nominatedBy' | 'confirmedBy' | 'confirmedOn' | 'isCityEmployee' | 'holdoverEndsOn' | 'isHoldover'> = {
  nominatedBy: (row, _args, ctx) =>
    row.nominatedByPostId != null
      ? ctx.loaders.postById.load(row.nominatedByPostId)
      : row.nominatedByOrganizationId != null
        ? ctx.loaders.organizationById.load(row.nominatedByOrganizationId)
        : null,
  confirmedBy: (row, _args, ctx) => (row.confirmedByOrganizationId != null ? ctx.loaders.organizationById.load(row.confirmedByOrganizationId) : null),
  confirmedOn: (row) => row.confirmedOn,
  // Employment is about the person: staff of the membership's jurisdiction only.
  isCityEmployee: (row, _args, ctx) => (canManage(ctx.viewer, row.jurisdictionId) ? row.isCityEmployee : null),
  holdoverEndsOn: async (row, _args, ctx) => {
    const post = row.postId != null ? await ctx.loaders.postById.load(row.postId) : null;
    return post ? holdoverEndsOn(post, row) : null;
  },
  isHoldover: async (row, { at }, ctx) => {
    const day = await asOf(ctx, row.jurisdictionId, at);
    if (row.scheduledEndDate == null || day < row.scheduledEndDate || day < row.startDate) return false;
    if (row.endDate != null && row.endDate <= day) return false;
    const post = row.postId != null ? await ctx.loaders.postById.load(row.postId) : null;
    const lapses = post ? holdoverEndsOn(post, row) : null;
    return lapses == null || day < lapses;
  },
};
