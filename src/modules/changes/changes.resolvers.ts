import type { ChangeEntityType, ChangeFeedResolvers, ChangeResolvers, QueryResolvers } from '../../graphql/__generated__/resolvers-types.ts';
import { toGlobalId } from '../../graphql/global-id.ts';
import { loadNodeOfType } from '../node/node.resolvers.ts';
import { changeFeed, ENTITY_TYPE_NAMES } from './changes.service.ts';

const ENTITY_TYPES = Object.fromEntries(Object.entries(ENTITY_TYPE_NAMES).map(([graphql, name]) => [name, graphql])) as Record<
  string,
  ChangeEntityType
>;

export const Query: Pick<QueryResolvers, 'changes'> = {
  changes: (_parent, args, ctx) => changeFeed(ctx, args),
};

export const ChangeFeed: ChangeFeedResolvers = {};

export const Change: ChangeResolvers = {
  id: (entry) => toGlobalId(entry.entityType, entry.entityId),
  entityType: (entry) => ENTITY_TYPES[entry.entityType]!,
  // Through the same loaders and visibility rules as node(id:); a deleted object reads as null.
  node: (entry, _args, ctx) => (entry.operation === 'DELETE' ? null : (loadNodeOfType(ctx, { type: entry.entityType, id: entry.entityId }) as never)),
};
