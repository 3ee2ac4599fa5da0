import type {
  DivisionKindInfoResolvers,
  DivisionResolvers,
  JurisdictionResolvers,
  LocationResolvers,
  OrganizationKindInfoResolvers,
  OrganizationResolvers,
} from '../../graphql/__generated__/resolvers-types.ts';
import { byLocatePolicy, divisionKindInfo, kindName, kindsOf, legacyDivisionKind, legacyOrganizationKind, organizationKindInfo } from './kinds.service.ts';

export const Division: Pick<DivisionResolvers, 'kind' | 'kindInfo'> = {
  kind: (row) => legacyDivisionKind(row.kind),
  kindInfo: (row, _args, ctx) => divisionKindInfo(ctx, row),
};

export const Organization: Pick<OrganizationResolvers, 'kind' | 'kindInfo'> = {
  kind: (row) => legacyOrganizationKind(row.kind),
  kindInfo: (row, _args, ctx) => organizationKindInfo(ctx, row),
};

export const Jurisdiction: Pick<JurisdictionResolvers, 'divisionKinds' | 'organizationKinds'> = {
  divisionKinds: async (row, _args, ctx) => [...(await kindsOf(ctx, row.id)).division.values()],
  organizationKinds: async (row, _args, ctx) => [...(await kindsOf(ctx, row.id)).organization.values()],
};

export const DivisionKindInfo: DivisionKindInfoResolvers = {
  name: (kind, { locale }, ctx) => kindName(ctx, kind, false, locale),
  pluralName: (kind, { locale }, ctx) => kindName(ctx, kind, true, locale),
};

export const OrganizationKindInfo: OrganizationKindInfoResolvers = {
  name: (kind, { locale }, ctx) => kindName(ctx, kind, false, locale),
  pluralName: (kind, { locale }, ctx) => kindName(ctx, kind, true, locale),
};

/** The kind-aware parts of `locate` (the Portland fields stay in geography.resolvers). */
export const Location: Pick<LocationResolvers, 'organizations' | 'locatedDivisions'> = {
  organizations: async (loc, args, ctx) => {
    const jurisdictionId = loc.jurisdictionId ?? loc.divisions[0]?.jurisdictionId;
    if (jurisdictionId === undefined) return [];
    // By name, as the divisions' organizations came (sorted again: several divisions contribute).
    const rows = [...loc.organizations].sort((a, b) => (a.name.toLowerCase() < b.name.toLowerCase() ? -1 : a.name.toLowerCase() > b.name.toLowerCase() ? 1 : a.id - b.id));
    return byLocatePolicy(rows, (await kindsOf(ctx, jurisdictionId)).organization, args);
  },
  locatedDivisions: async (loc, args, ctx) => {
    const jurisdictionId = loc.jurisdictionId ?? loc.divisions[0]?.jurisdictionId;
    if (jurisdictionId === undefined) return [];
    return byLocatePolicy(loc.divisions, (await kindsOf(ctx, jurisdictionId)).division, args);
  },
};
