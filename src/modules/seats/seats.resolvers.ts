import type {
  MutationResolvers,
  MembershipConnectionResolvers,
  MembershipResolvers,
  PersonResolvers,
  PostConnectionResolvers,
  PostResolvers,
  QueryResolvers,
} from '../../graphql/__generated__/resolvers-types.ts';
import { toGlobalId } from '../../graphql/global-id.ts';
import { connectionFields } from '../../graphql/mappers.ts';
import { holdersOf, membershipsOf, openSeats, vacanciesOf } from './seats.service.ts';

export const Query: Pick<QueryResolvers, 'openSeats'> = {
  openSeats: (_parent, args, ctx) => openSeats(ctx, args),
};

export const Post: PostResolvers = {
  id: (row) => toGlobalId('Post', row.id),
  organization: async (row, _args, ctx) => (await ctx.loaders.organizationById.load(row.organizationId))!,
  division: (row, _args, ctx) => (row.divisionId != null ? ctx.loaders.divisionById.load(row.divisionId) : null),
  holders: (row, { at }, ctx) => holdersOf(ctx, row, at),
  vacancies: (row, { at }, ctx) => vacanciesOf(ctx, row, at),
  memberships: (row, args, ctx) => membershipsOf(ctx, 'post', row, args),
};

export const Membership: MembershipResolvers = {
  id: (row) => toGlobalId('Membership', row.id),
  person: async (row, _args, ctx) => (await ctx.loaders.personById.load(row.personId))!,
  organization: async (row, _args, ctx) => (await ctx.loaders.organizationById.load(row.organizationId))!,
  post: (row, _args, ctx) => (row.postId != null ? ctx.loaders.postById.load(row.postId) : null),
};

export const Person: PersonResolvers = {
  id: (row) => toGlobalId('Person', row.id),
  memberships: (row, args, ctx) => membershipsOf(ctx, 'person', row, args),
};

export const PostConnection: PostConnectionResolvers = connectionFields;
export const MembershipConnection: MembershipConnectionResolvers = connectionFields;

/** Staff mutations of this module (issue 3). */
export const Mutation: MutationResolvers = {};
