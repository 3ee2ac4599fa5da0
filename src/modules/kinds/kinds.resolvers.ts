import type {
  DivisionKindInfoResolvers,
  DivisionResolvers,
  JurisdictionResolvers,
  OrganizationKindInfoResolvers,
  OrganizationResolvers,
} from '../../graphql/__generated__/resolvers-types.ts';
import { divisionKindInfo, kindName, kindsOf, legacyDivisionKind, legacyOrganizationKind, organizationKindInfo } from './kinds.service.ts';

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
