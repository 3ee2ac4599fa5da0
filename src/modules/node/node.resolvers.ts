import { canManage } from '../../auth/viewer.ts';
import type { GraphQLContext } from '../../context.ts';
import type { PersonRow, VacancyPostingRow } from '../../db/schema/index.ts';
import { badUserInput } from '../../errors.ts';
import type { QueryResolvers, NodeResolvers } from '../../graphql/__generated__/resolvers-types.ts';
import { parseGlobalId, type DecodedGlobalId, type NodeType } from '../../graphql/global-id.ts';
import { isPostingVisible } from '../recruitment/postings.service.ts';

const MAX_NODES = 100;

/** Rows carry no type of their own, so node lookups tag them for Node.__resolveType. */
type Tagged = { __typename: NodeType };

async function isPublicOrManaged(ctx: GraphQLContext, person: PersonRow): Promise<boolean> {
  return canManage(ctx.viewer, person.jurisdictionId) || ctx.loaders.isOnRosterByPersonId.load(person.id);
}

/** The row behind a global id, as node(id:) sees it: a person only when public to this viewer. */
export async function loadNode(ctx: GraphQLContext, globalId: string): Promise<(object & Tagged) | null> {
  const decoded = parseGlobalId(globalId);
  if (!decoded) throw badUserInput(`"${globalId.slice(0, 100)}" is not a valid id`, 'id');
  return loadNodeOfType(ctx, decoded);
}

/** The object behind a decoded global id, as `node(id:)` returns it: null when absent or not visible. */
export async function loadNodeOfType(ctx: GraphQLContext, decoded: DecodedGlobalId): Promise<(object & Tagged) | null> {
  const loaders = {
    Jurisdiction: ctx.loaders.jurisdictionById,
    Division: ctx.loaders.divisionById,
    Organization: ctx.loaders.organizationById,
    Post: ctx.loaders.postById,
    Membership: ctx.loaders.membershipById,
    Person: ctx.loaders.personById,
    VacancyPosting: ctx.loaders.vacancyPostingById,
    Meeting: ctx.loaders.meetingById,
  } as const;
  if (!(decoded.type in loaders)) return null;
  const row = await loaders[decoded.type as keyof typeof loaders].load(decoded.id);
  if (!row) return null;
  // A person is public only as a roster entry: people who never held a membership (for example a
  // person staff recorded, or later an applicant) are visible to staff of their jurisdiction only.
  if (decoded.type === 'Person' && !(await isPublicOrManaged(ctx, row as PersonRow))) {
    return null;
  }
  // Drafts and cancelled postings read as absent except to staff of their jurisdiction.
  if (decoded.type === 'VacancyPosting' && !isPostingVisible(ctx, row as VacancyPostingRow)) return null;
  return Object.assign(Object.create(null), row, { __typename: decoded.type });
}

export const Query: Pick<QueryResolvers, 'node' | 'nodes'> = {
  node: (_parent, { id }, ctx) => loadNode(ctx, id) as never,
  nodes: (_parent, { ids }, ctx) => {
    if (ids.length > MAX_NODES) throw badUserInput(`nodes accepts at most ${MAX_NODES} ids; got ${ids.length}`, 'ids');
    return Promise.all(ids.map((id) => loadNode(ctx, id))) as never;
  },
};

export const Node: NodeResolvers = {
  __resolveType: (node) => (node as unknown as Tagged).__typename as Exclude<NodeType, 'ApiKey' | 'Application' | 'OrganizationContactChannel' | 'ComplianceEvidence'>,
};
