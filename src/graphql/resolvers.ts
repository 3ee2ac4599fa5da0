import type { Resolvers } from './__generated__/resolvers-types.ts';
import * as changes from '../modules/changes/changes.resolvers.ts';
import * as demographics from '../modules/demographics/demographics.resolvers.ts';
import * as reports from '../modules/demographics/reports.resolvers.ts';
import * as geography from '../modules/geography/geography.resolvers.ts';
import * as jurisdictions from '../modules/jurisdictions/jurisdictions.resolvers.ts';
import * as kinds from '../modules/kinds/kinds.resolvers.ts';
import * as language from '../modules/language/language.resolvers.ts';
import * as meetings from '../modules/meetings/meetings.resolvers.ts';
import * as node from '../modules/node/node.resolvers.ts';
import * as notices from '../modules/notices/notices.resolvers.ts';
import * as compliance from '../modules/compliance/compliance.resolvers.ts';
import * as organizations from '../modules/organizations/organizations.resolvers.ts';
import * as recruitment from '../modules/recruitment/recruitment.resolvers.ts';
import * as search from '../modules/search/search.resolvers.ts';
import * as openSeats from '../modules/seats/open-seats.resolvers.ts';
import * as seats from '../modules/seats/seats.resolvers.ts';
import * as seatFilling from '../modules/seats/seat-filling.resolvers.ts';
import * as staff from '../modules/staff/staff.resolvers.ts';
import { compiledRoot, withCompiledFields } from './compiled/compiled-fields.ts';
import { COMPILED_ROOT_FIELDS } from './compiled/compiled-roots.ts';
import { DateScalar, DateTimeScalar, GeoJSONScalar } from './scalars.ts';
import { withMutationCalls } from './idempotency.ts';

type ResolverMap = Record<string, object>;

/** Merges module maps type by type, so a module can extend a type another defines (Query, Person). */
function mergeResolverMaps(...maps: ResolverMap[]): ResolverMap {
  const merged: Record<string, Record<string, unknown>> = {};
  for (const map of maps) {
    for (const [type, fields] of Object.entries(map)) {
      for (const [field, resolver] of Object.entries(fields)) {
        if (merged[type]?.[field]) throw new Error(`Two modules resolve ${type}.${field}`);
        (merged[type] ??= {})[field] = resolver;
      }
    }
  }
  return merged;
}

/** Every module's resolver map, merged; codegen's Resolvers type checks the whole against the SDL. */
const moduleResolvers: Resolvers = {
  Date: DateScalar,
  DateTime: DateTimeScalar,
  GeoJSON: GeoJSONScalar,
  ...(mergeResolverMaps(node, jurisdictions, geography, organizations, seats, seatFilling, openSeats, search, staff, recruitment, changes, language, reports, demographics, meetings, kinds, notices, compliance) as Resolvers),
};

/**
 * The same, with the compiled roots (src/graphql/compiled): `councilDistricts`, `organization` and
 * the organization lists answered by one prepared statement shaped like the response when their
 * selection compiles, and every field able to read such pre-built objects. Modules stay unaware of it.
 */
const query = moduleResolvers.Query as Record<string, unknown>;
export const resolvers: Resolvers = withCompiledFields({
  ...moduleResolvers,
  // Every mutation tells the pipeline its field and arguments (Idempotency-Key, src/graphql/idempotency.ts).
  Mutation: withMutationCalls(moduleResolvers.Mutation as Record<string, unknown>),
  Query: {
    ...query,
    ...Object.fromEntries([...COMPILED_ROOT_FIELDS].map(([name, root]) => [name, compiledRoot(query[name] as never, root)])),
  },
});
