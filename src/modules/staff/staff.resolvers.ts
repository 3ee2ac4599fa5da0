import { canManage } from '../../auth/viewer.ts';
import type {
  ApiKeyResolvers,
  AuditEventConnectionResolvers,
  AuditEventResolvers,
  MutationResolvers,
  PersonResolvers,
  QueryResolvers,
  ViewerResolvers,
} from '../../graphql/__generated__/resolvers-types.ts';
import { toGlobalId, type NodeType } from '../../graphql/global-id.ts';
import { connectionFields } from '../../graphql/mappers.ts';
import { resolveJurisdiction } from '../jurisdictions/jurisdictions.service.ts';
import { apiKeyCreate, apiKeyRevoke, changeHistory, listApiKeys, personCreate, personUpdate, privateDetailsFor } from './staff.service.ts';

export const Query: Pick<QueryResolvers, 'viewer' | 'changeHistory' | 'apiKeys'> = {
  viewer: (_parent, _args, ctx) => ctx.viewer,
  changeHistory: (_parent, args, ctx) => changeHistory(ctx, args),
  apiKeys: (_parent, { jurisdiction }, ctx) => listApiKeys(ctx, jurisdiction),
};

export const Mutation: MutationResolvers = {
  personCreate: async (_parent, { input }, ctx) => {
    const { value, userErrors } = await personCreate(ctx, input);
    return { person: value, userErrors };
  },
  personUpdate: async (_parent, { input }, ctx) => {
    const { value, userErrors } = await personUpdate(ctx, input);
    return { person: value, userErrors };
  },
  apiKeyCreate: async (_parent, { input }, ctx) => {
    const { value, userErrors } = await apiKeyCreate(ctx, input);
    return { apiKey: value?.apiKey ?? null, key: value?.key ?? null, userErrors };
  },
  apiKeyRevoke: async (_parent, { input }, ctx) => {
    const { value, userErrors } = await apiKeyRevoke(ctx, input);
    return { apiKey: value, userErrors };
  },
};

export const Viewer: ViewerResolvers = {
  jurisdiction: (viewer, _args, ctx) => (viewer.jurisdictionId != null ? ctx.loaders.jurisdictionById.load(viewer.jurisdictionId) : null),
  viewerCanManage: async (viewer, { jurisdiction }, ctx) => canManage(viewer, (await resolveJurisdiction(ctx, jurisdiction)).id),
  viewerCanReadPrivateData: async (viewer, { jurisdiction }, ctx) => canManage(viewer, (await resolveJurisdiction(ctx, jurisdiction)).id),
};

/** Extends Person (defined by the seats module) with its staff-only field. */
export const Person: Pick<PersonResolvers, 'privateDetails'> = {
  privateDetails: (person, _args, ctx) => privateDetailsFor(ctx, person),
};

export const AuditEvent: AuditEventResolvers = {
  subjectId: (row) => toGlobalId(row.subjectType as NodeType, row.subjectId),
  actor: (row) => row.actorSubject,
  actorRole: (row) => row.actorRole as 'PUBLIC' | 'PARTNER' | 'STAFF' | 'ADMIN',
  changes: (row) =>
    Object.entries(row.changes).map(([field, change]) => ({
      field,
      before: change.before === null ? null : JSON.stringify(change.before),
      after: change.after === null ? null : JSON.stringify(change.after),
    })),
};

export const AuditEventConnection: AuditEventConnectionResolvers = connectionFields;

export const ApiKey: ApiKeyResolvers = {
  id: (row) => toGlobalId('ApiKey', row.id),
  jurisdiction: async (row, _args, ctx) => (await ctx.loaders.jurisdictionById.load(row.jurisdictionId))!,
};
