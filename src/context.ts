import type { Logger } from 'pino';
import { PUBLIC_VIEWER, type Viewer } from './auth/viewer.ts';
import type { Database } from './db/client.ts';
import { pinReplica } from './db/replicas.ts';
import type { RequestBudget } from './graphql/limits/request-budget.ts';
import { createGeographyLoaders } from './modules/geography/geography.loaders.ts';
import { createJurisdictionLoaders } from './modules/jurisdictions/jurisdictions.loaders.ts';
import { createOrganizationLoaders } from './modules/organizations/organizations.loaders.ts';
import { createRecruitmentLoaders } from './modules/recruitment/recruitment.loaders.ts';
import { defaultSubmissionRateLimit, type SubmissionRateLimit } from './modules/recruitment/submission-rate-limit.ts';
import { createSeatLoaders } from './modules/seats/seats.loaders.ts';

export function createLoaders(db: Database) {
  return {
    ...createJurisdictionLoaders(db),
    ...createGeographyLoaders(db),
    ...createOrganizationLoaders(db),
    ...createSeatLoaders(db),
    ...createRecruitmentLoaders(db),
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
  /** The caller's rate-limit budget; set by the HTTP server, absent when nothing limits the request. */
  budget: RequestBudget | null;
  /** The client's network address, for per-client rate limits; null when unknown. */
  clientAddress: string | null;
  /** The server's limit on application submissions per client (shared through Redis when configured). */
  submissionRateLimit: SubmissionRateLimit;
}

export interface ContextOptions {
  db: Database;
  defaultJurisdiction: string;
  logger: Logger;
  viewer?: Viewer;
  requestId?: string | null;
  budget?: RequestBudget | null;
  clientAddress?: string | null;
  submissionRateLimit?: SubmissionRateLimit;
}

export function createContext(options: ContextOptions): GraphQLContext {
  // Every read of the request from one replica (src/db/replicas.ts).
  const db = pinReplica(options.db);
  return {
    db,
    loaders: createLoaders(db),
    viewer: options.viewer ?? PUBLIC_VIEWER,
    defaultJurisdiction: options.defaultJurisdiction,
    logger: options.logger,
    requestId: options.requestId ?? null,
    budget: options.budget ?? null,
    clientAddress: options.clientAddress ?? null,
    submissionRateLimit: options.submissionRateLimit ?? defaultSubmissionRateLimit(),
  };
}
