import type { Logger } from 'pino';
import { PUBLIC_VIEWER, type Viewer } from './auth/viewer.ts';
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

/**
 * Per-request state: who is asking, the database, fresh loaders (never shared between requests or
 * viewers; replaced after a mutation commits so the payload reads what was written).
 */
export interface GraphQLContext {
  db: Database;
  loaders: Loaders;
  viewer: Viewer;
  defaultJurisdiction: string;
  logger: Logger;
  requestId: string | null;
}

export interface ContextOptions {
  db: Database;
  defaultJurisdiction: string;
  logger: Logger;
  viewer?: Viewer;
  requestId?: string | null;
}

export function createContext(options: ContextOptions): GraphQLContext {
  return {
    db: options.db,
    loaders: createLoaders(options.db),
    viewer: options.viewer ?? PUBLIC_VIEWER,
    defaultJurisdiction: options.defaultJurisdiction,
    logger: options.logger,
    requestId: options.requestId ?? null,
  };
}
