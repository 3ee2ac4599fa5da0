import type { NoticeListResolvers, NoticeProcedureResolvers, NoticeRecipientResolvers, NoticeRuleResolvers, QueryResolvers } from '../../graphql/__generated__/resolvers-types.ts';
import { listProcedures, noticeRecipients } from './notices.service.ts';

export const Query: Pick<QueryResolvers, 'noticeProcedures' | 'noticeRecipients'> = {
  noticeProcedures: (_parent, args, ctx) => listProcedures(ctx, args),
  noticeRecipients: (_parent, args, ctx) => noticeRecipients(ctx, args),
};

export const NoticeList: NoticeListResolvers = {
  councilDistrict: (list, _args, ctx) => (list.councilDistrictId != null ? ctx.loaders.divisionById.load(list.councilDistrictId) : null),
};

export const NoticeProcedure: NoticeProcedureResolvers = {
  deadlines: (procedure) => procedure.deadlines,
};

export const NoticeRule: NoticeRuleResolvers = {
  organizationKindCode: (rule) => rule.organizationKind,
};

export const NoticeRecipient: NoticeRecipientResolvers = {
  requirement: (recipient) => recipient.rule.requirement,
  reach: (recipient) => recipient.rule.reach,
  role: (recipient) => recipient.rule.role,
  preferredChannel: async (recipient, _args, ctx) =>
    // The channel preferred on the filing day: notice goes where the organization asked then.
    (await ctx.loaders.contactChannelsByOrganizationId.load({ id: recipient.organization.id, params: { at: recipient.filedOn } })).find((c) => c.preferredForNotices) ?? null,
};
