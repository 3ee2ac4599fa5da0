import type { MutationResolvers, QueryResolvers } from '../../graphql/__generated__/resolvers-types.ts';
import { demographicQuestions, demographicSurveyInvite, demographicSurveySubmit } from './demographics.service.ts';

// No resolver returns a demographic response: the API writes them and never reads one back.
export const Query: Pick<QueryResolvers, 'demographicQuestions'> = {
  demographicQuestions: () => demographicQuestions(),
};

export const Mutation: Pick<MutationResolvers, 'demographicSurveyInvite' | 'demographicSurveySubmit'> = {
  demographicSurveyInvite: async (_parent, { input }, ctx) => {
    const { value, userErrors } = await demographicSurveyInvite(ctx, input);
    return { tokens: value?.tokens ?? null, expiresAt: value?.expiresAt ?? null, userErrors };
  },
  demographicSurveySubmit: async (_parent, { input }, ctx) => {
    const { value, userErrors, retryAfterSeconds } = await demographicSurveySubmit(ctx, input);
    return { isRecorded: value === true, retryAfterSeconds: retryAfterSeconds ?? null, userErrors };
  },
};
