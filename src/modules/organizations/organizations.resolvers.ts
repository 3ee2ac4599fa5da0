import type {
  DivisionResolvers,
  MutationResolvers,
  OrganizationConnectionResolvers,
  OrganizationLinkResolvers,
  OrganizationResolvers,
  OrganizationContactChannelResolvers,
  QueryResolvers,
} from '../../graphql/__generated__/resolvers-types.ts';
import { toGlobalId } from '../../graphql/global-id.ts';
import { connectionFields } from '../../graphql/mappers.ts';
import { asOf } from '../jurisdictions/jurisdictions.service.ts';
import { membershipsOf, postsOf } from '../seats/seats.service.ts';
import { associationBoundarySet } from './boundary.service.ts';
import { associationCoalitionMove, organizationCreate, organizationUpdate, recognitionChange } from './organizations.mutations.ts';
import {
  coalitionOf,
  districtCoalitions,
  findOrganization,
  listOrganizations,
  memberOrganizations,
  overlapAgreementsOf,
  recognitionOf,
} from './organizations.service.ts';
import { organizationRosterStatusSet, registrationsExpiring } from './roster.service.ts';
import { organizationRegister, organizationRegistrationRenew, registrationOf, registrationsOf } from './registration.service.ts';
import { contactChannelAdd, contactChannelRemove, contactChannelUpdate, type ChannelChange } from './contact-channels.service.ts';
import type { MutationOutcome } from '../../graphql/mutation.ts';

export const Query: Pick<
  QueryResolvers,
  'organization' | 'organizations' | 'neighborhoodAssociations' | 'businessDistrictAssociations' | 'advisoryBodies' | 'districtCoalitions' | 'registrationsExpiring'
> = {
  registrationsExpiring: (_parent, args, ctx) => registrationsExpiring(ctx, args),
  organization: (_parent, args, ctx) => findOrganization(ctx, args),
  organizations: (_parent, args, ctx) => listOrganizations(ctx, args, null),
  neighborhoodAssociations: (_parent, args, ctx) => listOrganizations(ctx, args, 'NEIGHBORHOOD_ASSOCIATION'),
  businessDistrictAssociations: (_parent, args, ctx) => listOrganizations(ctx, args, 'BUSINESS_DISTRICT_ASSOCIATION'),
  advisoryBodies: (_parent, args, ctx) => listOrganizations(ctx, args, 'ADVISORY_BODY'),
  districtCoalitions: (_parent, args, ctx) => districtCoalitions(ctx, args),
};

export const Organization: OrganizationResolvers = {
  id: (row) => toGlobalId('Organization', row.id),
  division: (row, _args, ctx) => (row.divisionId != null ? ctx.loaders.divisionById.load(row.divisionId) : null),
  boundary: async (row, _args, ctx) => (row.divisionId != null ? ((await ctx.loaders.divisionById.load(row.divisionId))?.boundary ?? null) : null),
  councilDistricts: async (row, _args, ctx) => {
    if (row.divisionId == null) return [];
    // Divisions whose kind has the COUNCIL_DISTRICT category; a coalition office whose area is a
    // council district lies wholly inside it (one statement, kinds looked up in it).
    return ctx.loaders.overlapsByDivisionId.load({ id: row.divisionId, params: { kinds: null, councilDistricts: true } });
  },
  coalition: (row, { at }, ctx) => coalitionOf(ctx, row, at),
  memberOf: (row, { kind, at }, ctx) => ctx.loaders.linksByMemberId.load({ id: row.id, params: { kind: kind ?? null, at: at ?? null } }),
  memberOrganizations: (row, args, ctx) => memberOrganizations(ctx, row, args),
  posts: (row, args, ctx) => postsOf(ctx, row, args),
  memberships: (row, args, ctx) => membershipsOf(ctx, 'organization', row, { ...args, status: args.status ?? 'CURRENT' }),
  recognition: (row, { at }, ctx) => recognitionOf(ctx, row, at),
  recognitionHistory: (row, _args, ctx) => ctx.loaders.recognitionsByOrganizationId.load(row.id),
  contactChannels: async (row, { at }, ctx) => ctx.loaders.contactChannelsByOrganizationId.load({ id: row.id, params: { at: await asOf(ctx, row.jurisdictionId, at) } }),
  roster: (row) => ({ status: row.rosterStatus, asOf: row.rosterAsOf }),
  registration: (row, { at }, ctx) => registrationOf(ctx, row, at),
  registrations: (row, { at }, ctx) => registrationsOf(ctx, row, at),
};

/** Extends Division (defined by the geography module) with the agreements behind overlaps. */
export const Division: Pick<DivisionResolvers, 'overlapAgreements'> = {
  overlapAgreements: (row, _args, ctx) => overlapAgreementsOf(ctx, row),
};

export const OrganizationLink: OrganizationLinkResolvers = {
  member: async (row, _args, ctx) => (await ctx.loaders.organizationById.load(row.memberId))!,
  parent: async (row, _args, ctx) => (await ctx.loaders.organizationById.load(row.parentId))!,
};

export const OrganizationConnection: OrganizationConnectionResolvers = connectionFields;

/** Staff mutations of this module (issue 3): thin wrappers that shape the services' outcomes. */
/** A contact change's payload: the channel and its organization, or neither when refused. */
async function channelPayload(outcome: Promise<MutationOutcome<ChannelChange>>) {
  const { value, userErrors } = await outcome;
  return { channel: value?.channel ?? null, organization: value?.organization ?? null, userErrors };
}

export const OrganizationContactChannel: OrganizationContactChannelResolvers = {
  id: (row) => toGlobalId('OrganizationContactChannel', row.id),
};

export const Mutation: MutationResolvers = {
  organizationContactChannelAdd: (_parent, { input }, ctx) => channelPayload(contactChannelAdd(ctx, input)),
  organizationContactChannelUpdate: (_parent, { input }, ctx) => channelPayload(contactChannelUpdate(ctx, input)),
  organizationContactChannelRemove: (_parent, { input }, ctx) => channelPayload(contactChannelRemove(ctx, input)),
  organizationCreate: async (_parent, { input }, ctx) => {
    const { value, userErrors } = await organizationCreate(ctx, input);
    return { organization: value, userErrors };
  },
  organizationUpdate: async (_parent, { input }, ctx) => {
    const { value, userErrors } = await organizationUpdate(ctx, input);
    return { organization: value, userErrors };
  },
  associationBoundarySet: async (_parent, { input }, ctx) => {
    const { value, userErrors } = await associationBoundarySet(ctx, input);
    return { organization: value?.organization ?? null, division: value?.division ?? null, userErrors };
  },
  associationRecognize: async (_parent, { input }, ctx) => {
    const { value, userErrors } = await recognitionChange(ctx, input, 'RECOGNIZED', 'associationRecognize');
    return { organization: value?.organization ?? null, recognition: value?.recognition ?? null, userErrors };
  },
  associationRecognitionSuspend: async (_parent, { input }, ctx) => {
    const { value, userErrors } = await recognitionChange(ctx, input, 'SUSPENDED', 'associationRecognitionSuspend');
    return { organization: value?.organization ?? null, recognition: value?.recognition ?? null, userErrors };
  },
  associationRecognitionWithdraw: async (_parent, { input }, ctx) => {
    const { value, userErrors } = await recognitionChange(ctx, input, 'WITHDRAWN', 'associationRecognitionWithdraw');
    return { organization: value?.organization ?? null, recognition: value?.recognition ?? null, userErrors };
  },
  associationCoalitionMove: async (_parent, { input }, ctx) => {
    const { value, userErrors } = await associationCoalitionMove(ctx, input);
    return { organization: value?.organization ?? null, link: value?.link ?? null, userErrors };
  },
  organizationRosterStatusSet: async (_parent, { input }, ctx) => {
    const { value, userErrors } = await organizationRosterStatusSet(ctx, input);
    return { organization: value, userErrors };
  },
  organizationRegister: async (_parent, { input }, ctx) => {
    const { value, userErrors } = await organizationRegister(ctx, input);
    return { organization: value, userErrors };
  },
  organizationRegistrationRenew: async (_parent, { input }, ctx) => {
    const { value, userErrors } = await organizationRegistrationRenew(ctx, input);
    return { organization: value, userErrors };
  },
};
