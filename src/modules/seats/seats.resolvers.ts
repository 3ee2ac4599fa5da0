import type {
  MutationResolvers,
  MembershipConnectionResolvers,
  MembershipResolvers,
  PersonResolvers,
  PostConnectionResolvers,
  PostResolvers,
  QueryResolvers,
} from '../../graphql/__generated__/resolvers-types.ts';
import { canManage } from '../../auth/viewer.ts';
import { toGlobalId } from '../../graphql/global-id.ts';
import { connectionFields } from '../../graphql/mappers.ts';
import {
  expiringMemberships,
  membershipEnd,
  membershipReappoint,
  postAbolish,
  postCreate,
  postsFallingVacant,
  postUpdate,
  seatAppoint,
} from './appointments.service.ts';
import { holdersOf, jurisdictionMemberships, jurisdictionPosts, knownVacanciesOf, membershipsOf, vacanciesOf, vacancyStatusOf } from './seats.service.ts';

export const Query: Pick<QueryResolvers, 'posts' | 'memberships' | 'expiringMemberships' | 'postsFallingVacant'> = {
  posts: (_parent, args, ctx) => jurisdictionPosts(ctx, args),
  memberships: (_parent, args, ctx) => jurisdictionMemberships(ctx, args),
  expiringMemberships: (_parent, args, ctx) => expiringMemberships(ctx, args),
  postsFallingVacant: (_parent, args, ctx) => postsFallingVacant(ctx, args),
};

export const Post: PostResolvers = {
  id: (row) => toGlobalId('Post', row.id),
  organization: async (row, _args, ctx) => (await ctx.loaders.organizationById.load(row.organizationId))!,
  division: (row, _args, ctx) => (row.divisionId != null ? ctx.loaders.divisionById.load(row.divisionId) : null),
  holders: (row, { at }, ctx) => holdersOf(ctx, row, at),
  vacancies: (row, { at }, ctx) => vacanciesOf(ctx, row, at),
  knownVacancies: (row, { at }, ctx) => knownVacanciesOf(ctx, row, at),
  vacancyStatus: (row, { at }, ctx) => vacancyStatusOf(ctx, row, at),
  memberships: (row, args, ctx) => membershipsOf(ctx, 'post', row, args),
};

export const Membership: MembershipResolvers = {
  id: (row) => toGlobalId('Membership', row.id),
  person: async (row, _args, ctx) => (await ctx.loaders.personById.load(row.personId))!,
  organization: async (row, _args, ctx) => (await ctx.loaders.organizationById.load(row.organizationId))!,
  post: (row, _args, ctx) => (row.postId != null ? ctx.loaders.postById.load(row.postId) : null),
  // May hold personal information: staff of the membership's jurisdiction only.
  residencyOverrideReason: (row, _args, ctx) => (canManage(ctx.viewer, row.jurisdictionId) ? row.residencyOverrideReason : null),
};

export const Person: PersonResolvers = {
  id: (row) => toGlobalId('Person', row.id),
  memberships: (row, args, ctx) => membershipsOf(ctx, 'person', row, args),
};

export const PostConnection: PostConnectionResolvers = connectionFields;
export const MembershipConnection: MembershipConnectionResolvers = connectionFields;

/** Staff mutations on seats and terms; rules and authorization live in appointments.service.ts. */
export const Mutation: MutationResolvers = {
  postCreate: async (_parent, { input }, ctx) => {
    const { value, userErrors } = await postCreate(ctx, input);
    return { post: value, userErrors };
  },
  postUpdate: async (_parent, { input }, ctx) => {
    const { value, userErrors } = await postUpdate(ctx, input);
    return { post: value, userErrors };
  },
  postAbolish: async (_parent, { input }, ctx) => {
    const { value, userErrors } = await postAbolish(ctx, input);
    return { post: value?.post ?? null, endedMemberships: value?.ended ?? [], userErrors };
  },
  seatAppoint: async (_parent, { input }, ctx) => {
    const { value, userErrors } = await seatAppoint(ctx, input);
    return { membership: value, userErrors };
  },
  membershipEnd: async (_parent, { input }, ctx) => {
    const { value, userErrors } = await membershipEnd(ctx, input);
    return { membership: value, userErrors };
  },
  membershipReappoint: async (_parent, { input }, ctx) => {
    const { value, userErrors } = await membershipReappoint(ctx, input);
    return { membership: value?.membership ?? null, previousMembership: value?.previous ?? null, userErrors };
  },
};
