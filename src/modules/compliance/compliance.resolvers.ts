import type {
  ComplianceEvidenceResolvers,
  ComplianceRequirementResolvers,
  MutationResolvers,
  OrganizationComplianceResolvers,
  OrganizationResolvers,
  QueryResolvers,
} from '../../graphql/__generated__/resolvers-types.ts';
import { toGlobalId } from '../../graphql/global-id.ts';
import { complianceDue, complianceEvidenceOf, complianceEvidenceRecord, complianceEvidenceWithdraw, complianceOf, complianceOverdue, staffOnly } from './compliance.service.ts';

export const Query: Pick<QueryResolvers, 'complianceOverdue' | 'complianceDue'> = {
  complianceOverdue: (_parent, args, ctx) => complianceOverdue(ctx, args),
  complianceDue: (_parent, args, ctx) => complianceDue(ctx, args),
};

export const Organization: Pick<OrganizationResolvers, 'compliance' | 'complianceEvidence'> = {
  compliance: (row, args, ctx) => complianceOf(ctx, row, args),
  complianceEvidence: (row, { includeWithdrawn }, ctx) => complianceEvidenceOf(ctx, row, includeWithdrawn),
};

export const OrganizationCompliance: OrganizationComplianceResolvers = {
  isCompliant: (c) => c.requirements.every((r) => r.status !== 'OVERDUE'),
  requirements: (c, { status }) => (status ? c.requirements.filter((r) => r.status === status) : c.requirements),
};

export const ComplianceRequirement: ComplianceRequirementResolvers = {
  organizationKindCode: (r) => r.organizationKind,
};

export const ComplianceEvidence: ComplianceEvidenceResolvers = {
  id: (e) => toGlobalId('ComplianceEvidence', e.id),
  recordedBy: (e, _args, ctx) => staffOnly(ctx, e, e.recordedBy),
  note: (e, _args, ctx) => staffOnly(ctx, e, e.note),
  withdrawnBy: (e, _args, ctx) => staffOnly(ctx, e, e.withdrawnBy),
  withdrawalReason: (e, _args, ctx) => staffOnly(ctx, e, e.withdrawalReason),
};

export const Mutation: Pick<MutationResolvers, 'complianceEvidenceRecord' | 'complianceEvidenceWithdraw'> = {
  complianceEvidenceRecord: async (_parent, { input }, ctx) => {
    const { value, userErrors } = await complianceEvidenceRecord(ctx, input);
    return { evidence: value, organization: value ? await ctx.loaders.organizationById.load(value.organizationId) : null, userErrors };
  },
  complianceEvidenceWithdraw: async (_parent, { input }, ctx) => {
    const { value, userErrors } = await complianceEvidenceWithdraw(ctx, input);
    return { evidence: value, organization: value ? await ctx.loaders.organizationById.load(value.organizationId) : null, userErrors };
  },
};
