import type { Logger } from 'pino';
import type { Database } from './db/client.ts';
import { createGeographyLoaders } from './modules/geography/geography.loaders.ts';
import { createJurisdictionLoaders } from './modules/jurisdictions/jurisdictions.loaders.ts';
import { createOrganizationLoaders } from './modules/organizations/organizations.loaders.ts';
import { createSeatLoaders } from './modules/seats/seats.loaders.ts';

export function createLoaders(db: Database) {
  return {
    ...createJurisdictionLoaders(db),
    ...createGeographyLoaders(db),
    ...createOrganizationLoaders(db),
    ...createSeatLoaders(db),
  };
}

export type Loaders = ReturnType<typeof createLoaders>;

/** Per-request state: the database, fresh loaders (never shared between requests), the default city. */
export interface GraphQLContext {
  db: Database;
  loaders: Loaders;
  defaultJurisdiction: string;
  logger: Logger;
}

export function createContext(db: Database, defaultJurisdiction: string, logger: Logger): GraphQLContext {
  return { db, loaders: createLoaders(db), defaultJurisdiction, logger };
}
