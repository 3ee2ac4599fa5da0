import type { ConnectionMapper, EdgeMapper } from '../../graphql/mappers.ts';
import type { SearchHit } from './search.repository.ts';

/** What SearchConnection and SearchEdge resolvers receive (codegen mappers). */
export type SearchConnectionMapper = ConnectionMapper<SearchHit>;
export type SearchEdgeMapper = EdgeMapper<SearchHit>;
