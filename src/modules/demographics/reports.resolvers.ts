import type { MutationResolvers, QueryResolvers } from '../../graphql/__generated__/resolvers-types.ts';
import { populationBaselineImport } from './baselines.service.ts';
import { representationReport } from './reports.service.ts';

/** Representation reports (public, suppressed) and the population baselines they compare with. */
export const Query: Pick<QueryResolvers, 'representationReport'> = {
  representationReport: (_parent, args, ctx) => representationReport(ctx, args),
};

export const Mutation: Pick<MutationResolvers, 'populationBaselineImport'> = {
  populationBaselineImport: async (_parent, { input }, ctx) => {
    const { value, userErrors } = await populationBaselineImport(ctx, input);
    return { importedCount: value, userErrors };
  },
};
