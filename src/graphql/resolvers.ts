import type { Resolvers } from './__generated__/resolvers-types.ts';
import * as geography from '../modules/geography/geography.resolvers.ts';
import * as jurisdictions from '../modules/jurisdictions/jurisdictions.resolvers.ts';
import * as node from '../modules/node/node.resolvers.ts';
import * as organizations from '../modules/organizations/organizations.resolvers.ts';
import * as seats from '../modules/seats/seats.resolvers.ts';
import { DateScalar, DateTimeScalar, GeoJSONScalar } from './scalars.ts';

const { Query: nodeQuery, ...nodeTypes } = node;
const { Query: jurisdictionQuery, ...jurisdictionTypes } = jurisdictions;
const { Query: geographyQuery, ...geographyTypes } = geography;
const { Query: organizationQuery, ...organizationTypes } = organizations;
const { Query: seatQuery, ...seatTypes } = seats;

/** Every module's resolver map, merged; codegen's Resolvers type checks the whole against the SDL. */
export const resolvers: Resolvers = {
  Date: DateScalar,
  DateTime: DateTimeScalar,
  GeoJSON: GeoJSONScalar,
  Query: { ...nodeQuery, ...jurisdictionQuery, ...geographyQuery, ...organizationQuery, ...seatQuery },
  ...nodeTypes,
  ...jurisdictionTypes,
  ...geographyTypes,
  ...organizationTypes,
  ...seatTypes,
};
