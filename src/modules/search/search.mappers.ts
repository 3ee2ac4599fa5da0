import type { ConnectionMapper, EdgeMapper } from '../../graphql/mappers.ts';
import type { PersonSearchHit } from './people-search.repository.ts';
import type { SearchHit } from './search.repository.ts';

/** What SearchConnection and SearchEdge resolvers receive (codegen mappers). */
export type SearchConnectionMapper = ConnectionMapper<SearchHit>;
export type SearchEdgeMapper = EdgeMapper<SearchHit>;

/** What PersonSearchConnection and PersonSearchEdge resolvers receive. */
export type PersonSearchConnectionMapper = ConnectionMapper<PersonSearchHit>;
export type PersonSearchEdgeMapper = EdgeMapper<PersonSearchHit>;
