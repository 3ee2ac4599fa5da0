import type { MeetingConnectionResolvers, MeetingResolvers, MutationResolvers, OrganizationResolvers, QueryResolvers } from '../../graphql/__generated__/resolvers-types.ts';
import { toGlobalId } from '../../graphql/global-id.ts';
import { connectionFields } from '../../graphql/mappers.ts';
import { meetingCancel, meetings, meetingSchedule, meetingsOfOrganization, meetingUpdate } from './meetings.service.ts';

export const Query: Pick<QueryResolvers, 'meetings'> = {
  meetings: (_parent, args, ctx) => meetings(ctx, args),
};

export const Organization: Pick<OrganizationResolvers, 'meetings'> = {
  meetings: (row, args, ctx) => meetingsOfOrganization(ctx, row, args),
};

// Every field of a meeting is public, a cancelled one's too: no per-field checks.
export const Meeting: MeetingResolvers = {
  id: (row) => toGlobalId('Meeting', row.id),
  organization: async (row, _args, ctx) => (await ctx.loaders.organizationById.load(row.organizationId))!,
  isCancelled: (row) => row.status === 'CANCELLED',
};

export const MeetingConnection: MeetingConnectionResolvers = connectionFields;

export const Mutation: Pick<MutationResolvers, 'meetingSchedule' | 'meetingUpdate' | 'meetingCancel'> = {
  meetingSchedule: async (_parent, { input }, ctx) => {
    const { value, userErrors } = await meetingSchedule(ctx, input);
    return { meeting: value, userErrors };
  },
  meetingUpdate: async (_parent, { input }, ctx) => {
    const { value, userErrors } = await meetingUpdate(ctx, input);
    return { meeting: value, userErrors };
  },
  meetingCancel: async (_parent, { input }, ctx) => {
    const { value, userErrors } = await meetingCancel(ctx, input);
    return { meeting: value, userErrors };
  },
};
