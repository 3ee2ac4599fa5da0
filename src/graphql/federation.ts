import { buildSubgraphSchema } from '@apollo/subgraph';
import { Kind, parse, type ConstDirectiveNode, type DocumentNode, type GraphQLSchema } from 'graphql';
import type { GraphQLContext } from '../context.ts';
import { badUserInput } from '../errors.ts';
import { MAX_ENTITY_REPRESENTATIONS } from './limits/list-sizes.ts';
import { loadNode } from '../modules/node/node.resolvers.ts';
import { parseGlobalId, type NodeType } from './global-id.ts';

/**
 * Apollo Federation: the same schema served as a subgraph (FEDERATION=on), so a city that runs a
 * supergraph (Apollo Router or Gateway) can add this API to it. schema/*.graphql stays plain
 * GraphQL (codegen and the public contract read it as is); the federation additions are made here:
 * the Federation 2 @link, and @key(fields: "id") on the entity types.
 */
export const ENTITY_TYPES = ['Jurisdiction', 'Division', 'Organization', 'Post', 'Membership', 'Person'] as const satisfies readonly NodeType[];

const FEDERATION_LINK = 'extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key", "@shareable"])';

function keyDirective(): ConstDirectiveNode {
  return {
    kind: Kind.DIRECTIVE,
    name: { kind: Kind.NAME, value: 'key' },
    arguments: [{ kind: Kind.ARGUMENT, name: { kind: Kind.NAME, value: 'fields' }, value: { kind: Kind.STRING, value: 'id' } }],
  };
}

/** The SDL with the federation link and a @key on each entity type. */
export function federatedTypeDefs(typeDefs: string): DocumentNode {
  const document = parse(`${FEDERATION_LINK}\n${typeDefs}`);
  const entities = new Set<string>(ENTITY_TYPES);
  return {
    ...document,
    definitions: document.definitions.map((definition) =>
      definition.kind === Kind.OBJECT_TYPE_DEFINITION && entities.has(definition.name.value)
        ? { ...definition, directives: [...(definition.directives ?? []), keyDirective()] }
        : definition,
    ),
  };
}

/**
 * An entity reference from the router is resolved exactly as node(id:) resolves that id for the
 * same viewer: the same loaders, and a person only when on a public roster (or to their staff).
 * An id of another type or not ours resolves to null, like an unknown node.
 */
function referenceResolver(type: NodeType) {
  return (reference: { id?: unknown }, ctx: GraphQLContext) => {
    if (typeof reference.id !== 'string') return null;
    const decoded = parseGlobalId(reference.id);
    if (!decoded || decoded.type !== type) return null;
    return loadNode(ctx, reference.id);
  };
}

export function buildFederatedSchema(typeDefs: string, resolvers: object): GraphQLSchema {
  const withReferences: Record<string, object> = { ...(resolvers as Record<string, object>) };
  for (const type of ENTITY_TYPES) withReferences[type] = { ...withReferences[type], __resolveReference: referenceResolver(type) };
  // The map is codegen-checked against the SDL (src/graphql/resolvers.ts); the subgraph library's
  // own resolver-map type is looser and differently shaped, hence the cast.
  const schema = buildSubgraphSchema({ typeDefs: federatedTypeDefs(typeDefs), resolvers: withReferences } as Parameters<typeof buildSubgraphSchema>[0] & object);
  // The library's _entities takes any number of representations; bound it as nodes(ids:) is
  // bounded, so the cost analysis (src/graphql/limits/list-sizes.ts) holds for it too.
  const entities = schema.getQueryType()?.getFields()._entities;
  const resolveEntities = entities?.resolve;
  if (entities && resolveEntities) {
    entities.resolve = (source, args: { representations?: unknown[] }, context, info) => {
      const count = args.representations?.length ?? 0;
      if (count > MAX_ENTITY_REPRESENTATIONS) {
        throw badUserInput(`_entities accepts at most ${MAX_ENTITY_REPRESENTATIONS} representations; got ${count}`, 'representations');
      }
      return resolveEntities(source, args, context, info);
    };
  }
  return schema;
}
