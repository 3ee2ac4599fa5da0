import type {
  DivisionConnectionResolvers,
  DivisionResolvers,
  LocationResolvers,
  QueryResolvers,
} from '../../graphql/__generated__/resolvers-types.ts';
import { toGlobalId } from '../../graphql/global-id.ts';
import { connectionFields } from '../../graphql/mappers.ts';
import { asOf } from '../jurisdictions/jurisdictions.service.ts';
import { divisionKindInfo, kindCodesFilter } from '../kinds/kinds.service.ts';
import { councilDistricts, findDivision, listDivisions, locate } from './geography.service.ts';

export const Query: Pick<QueryResolvers, 'councilDistricts' | 'division' | 'divisions' | 'locate'> = {
  councilDistricts: (_parent, args, ctx) => councilDistricts(ctx, args),
  division: (_parent, args, ctx) => findDivision(ctx, args),
  divisions: (_parent, args, ctx) => listDivisions(ctx, args),
  locate: (_parent, args, ctx) => locate(ctx, args),
};

export const Division: DivisionResolvers = {
  id: (row) => toGlobalId('Division', row.id),
  parent: (row, _args, ctx) => (row.parentId != null ? ctx.loaders.divisionById.load(row.parentId) : null),
  bbox: (row) =>
    row.boundary && row.minLongitude != null
      ? [row.minLongitude, row.minLatitude!, row.maxLongitude!, row.maxLatitude!]
      : null,
  overlaps: async (row, { kind, kindCode }, ctx) =>
    ctx.loaders.overlapsByDivisionId.load({ id: row.id, params: { kinds: await kindCodesFilter(async () => [], { kind, kindCode }) } }),
  organizations: async (row, { kind, at, kindCode }, ctx) =>
    ctx.loaders.organizationsByDivisionId.load({
      // An earlier version of an area (a dated boundary change) serves the area's organizations.
      id: row.versionOf ?? row.id,
      params: { kinds: await kindCodesFilter(async () => [], { kind, kindCode }), at: await asOf(ctx, row.jurisdictionId, at) },
    }),
  versionOf: (row, _args, ctx) => (row.versionOf != null ? ctx.loaders.divisionById.load(row.versionOf) : null),
  councilPost: async (row, _args, ctx) =>
    (await divisionKindInfo(ctx, row)).category === 'COUNCIL_DISTRICT' ? ctx.loaders.councilPostByDivisionId.load(row.id) : null,
};

export const DivisionConnection: DivisionConnectionResolvers = connectionFields;

/** Picks the parts of a located point; the service already did the geometry. */
export const Location: LocationResolvers = {
  jurisdiction: async (loc, _args, ctx) => (await ctx.loaders.jurisdictionById.load(loc.jurisdictionId!))!,
  isInJurisdiction: (loc) => loc.isInJurisdiction,
  councilDistrict: (loc) => loc.divisions.find((d) => d.kind === 'COUNCIL_DISTRICT') ?? null,
  neighborhoods: (loc) => loc.divisions.filter((d) => d.kind === 'NEIGHBORHOOD'),
  neighborhoodAssociations: (loc) => loc.organizations.filter((o) => o.kind === 'NEIGHBORHOOD_ASSOCIATION'),
  // The associations' own coalitions; only where no association serves the point (an unclaimed
  // area) the coalition office whose service area contains it.
  districtCoalitions: (loc) => {
    const serving = loc.coalitionsOfAssociations.length
      ? loc.coalitionsOfAssociations
      : loc.organizations.filter((o) => o.kind === 'DISTRICT_COALITION');
    return [...new Map(serving.map((o) => [o.id, o])).values()];
  },
  businessDistricts: (loc) => loc.divisions.filter((d) => d.kind === 'BUSINESS_DISTRICT'),
  businessDistrictAssociations: (loc) => loc.organizations.filter((o) => o.kind === 'BUSINESS_DISTRICT_ASSOCIATION'),
  divisions: (loc) => loc.divisions,
};
