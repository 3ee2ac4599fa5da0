import type { PostResolvers, QueryResolvers } from '../../graphql/__generated__/resolvers-types.ts';
import { applicationDeadlineOf, eligibilityRulesOf, openingsOf, openPostingOf, openSeats, vacancyReasonOf } from './open-seats.service.ts';

/** A resident's view of seats: which are open to them, why, until when, and for whom. */
export const Query: Pick<QueryResolvers, 'openSeats'> = {
  openSeats: (_parent, args, ctx) => openSeats(ctx, args),
};

export const Post: Pick<PostResolvers, 'vacancyReason' | 'openings' | 'applicationDeadline' | 'openPosting' | 'eligibilityRules'> = {
  vacancyReason: (row, { at }, ctx) => vacancyReasonOf(ctx, row, at),
  openings: (row, { at }, ctx) => openingsOf(ctx, row, at),
  applicationDeadline: (row, { at }, ctx) => applicationDeadlineOf(ctx, row, at),
  openPosting: (row, { at }, ctx) => openPostingOf(ctx, row, at),
  eligibilityRules: (row, { at }, ctx) => eligibilityRulesOf(ctx, row, at),
};
