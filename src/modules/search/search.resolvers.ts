import type {
  PersonSearchConnectionResolvers,
  PersonSearchEdgeResolvers,
  QueryResolvers,
  SearchConnectionResolvers,
  SearchEdgeResolvers,
  SearchResultResolvers,
} from '../../graphql/__generated__/resolvers-types.ts';
import { connectionFields } from '../../graphql/mappers.ts';
import { peopleSearch } from './people-search.service.ts';
import { matchOf, scoreOf } from './search.repository.ts';
import { resultOf, search } from './search.service.ts';

export const Query: Pick<QueryResolvers, 'search' | 'peopleSearch'> = {
  search: (_parent, args, ctx) => search(ctx, args),
  peopleSearch: (_parent, args, ctx) => peopleSearch(ctx, args),
};

export const SearchConnection: SearchConnectionResolvers = {
  ...connectionFields,
  nodes: (connection, _args, ctx) => Promise.all(connection.nodes.map((hit) => resultOf(ctx, hit))),
};

export const SearchEdge: SearchEdgeResolvers = {
  node: (edge, _args, ctx) => resultOf(ctx, edge.node),
  kind: (edge) => edge.node.kind,
  kindCode: async (edge, _args, ctx) => (edge.node.source === 'ORGANIZATION' ? ((await resultOf(ctx, edge.node)) as { kind: string }).kind : null),
  match: (edge) => matchOf(edge.node),
  score: (edge) => scoreOf(edge.node),
  matchedText: (edge) => edge.node.matchedText,
};

export const SearchResult: SearchResultResolvers = {
  // Rows carry no type name: a posting is the row with a title, an organization the one with a slug.
  __resolveType: (row) => ('title' in row ? 'VacancyPosting' : 'Organization'),
};

export const PersonSearchConnection: PersonSearchConnectionResolvers = {
  ...connectionFields,
  nodes: (connection) => connection.nodes.map((hit) => hit.person),
};

export const PersonSearchEdge: PersonSearchEdgeResolvers = {
  node: (edge) => edge.node.person,
  match: (edge) => matchOf(edge.node),
  score: (edge) => scoreOf(edge.node),
};
