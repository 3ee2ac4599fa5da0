import type { JurisdictionResolvers, QueryResolvers } from '../../graphql/__generated__/resolvers-types.ts';
import { toGlobalId } from '../../graphql/global-id.ts';
import { resolveJurisdiction } from './jurisdictions.service.ts';

export const Query: Pick<QueryResolvers, 'jurisdiction'> = {
  jurisdiction: async (_parent, { slug }, ctx) => {
    if (slug == null) return resolveJurisdiction(ctx, null);
    return slug.length <= 100 ? ctx.loaders.jurisdictionBySlug.load(slug) : null;
  },
};

export const Jurisdiction: JurisdictionResolvers = {
  id: (row) => toGlobalId('Jurisdiction', row.id),
};
