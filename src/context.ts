import type { Logger } from 'pino';
import { PUBLIC_VIEWER, type Viewer } from './auth/viewer.ts';
import type { Database } from './db/client.ts';
import { pinReplica } from './db/replicas.ts';
import type { RequestBudget } from './graphql/limits/request-budget.ts';
import { createGeographyLoaders } from './modules/geography/geography.loaders.ts';
import { createLanguageLoaders } from './modules/language/language.loaders.ts';
import { createJurisdictionLoaders } from './modules/jurisdictions/jurisdictions.loaders.ts';
import { jurisdictionCacheOf } from './modules/jurisdictions/jurisdiction-cache.ts';
import { RequestLanguage } from './language/request-language.ts';
import { createKindLoaders } from './modules/kinds/kinds.loaders.ts';
import { createMeetingLoaders } from './modules/meetings/meetings.loaders.ts';
import { createOrganizationLoaders } from './modules/organizations/organizations.loaders.ts';
import { createRecruitmentLoaders } from './modules/recruitment/recruitment.loaders.ts';
import { defaultSubmissionRateLimit, type SubmissionRateLimit } from './graphql/limits/submission-rate-limit.ts';
import { createSeatLoaders } from './modules/seats/seats.loaders.ts';
import { createComplianceLoaders } from './modules/compliance/compliance.loaders.ts';

/** Each module makes its own loaders; a request gets a module's set the first time it uses one of them. */
const LOADER_MODULES = [createJurisdictionLoaders, createGeographyLoaders, createOrganizationLoaders, createSeatLoaders, createRecruitmentLoaders, createLanguageLoaders, createMeetingLoaders, createKindLoaders, createComplianceLoaders] as const;

export type Loaders = ReturnType<typeof createJurisdictionLoaders> &
  ReturnType<typeof createGeographyLoaders> &
  ReturnType<typeof createOrganizationLoaders> &
  ReturnType<typeof createSeatLoaders> &
  ReturnType<typeof createRecruitmentLoaders> &
  ReturnType<typeof createLanguageLoaders> &
  ReturnType<typeof createMeetingLoaders> &
  ReturnType<typeof createKindLoaders> &
  ReturnType<typeof createComplianceLoaders>;

const DATABASE = Symbol('loaders database');
type LazyLoaders = { [DATABASE]: Database } & Record<string, unknown>;

/**
 * The prototype of every request's loaders: one getter per loader that builds the loaders of its
 * module (for this request's database) on first use and keeps them on the request's object. Most
 * requests touch one or two modules; building all ~40 DataLoaders per request showed as 6% of the
 * CPU of `{ __typename }`. The keys are learned once per process by calling each factory, which only
 * constructs loaders (no statement is sent before a loader is asked for something).
 */
const lazyLoadersPrototype: object = (() => {
  const prototype = {};
  for (const factory of LOADER_MODULES) {
    for (const key of Object.keys(factory(null as unknown as Database))) {
      Object.defineProperty(prototype, key, {
        configurable: true,
        get(this: LazyLoaders) {
          const made = factory(this[DATABASE]) as Record<string, unknown>;
          for (const [name, loader] of Object.entries(made)) {
            Object.defineProperty(this, name, { value: loader, enumerable: true, writable: true, configurable: true });
          }
          return made[key];
        },
      });
    }
  }
  return prototype;
})();

/** Fresh loaders for one request (or for what a mutation reads after it commits); built lazily, per module. */
export function createLoaders(db: Database): Loaders {
  const loaders = Object.create(lazyLoadersPrototype) as LazyLoaders;
  loaders[DATABASE] = db;
  return loaders as unknown as Loaders;
}

/**
 * What a service needs of whoever asks, built the same way by GraphQL (createContext) and by an HTTP
 * route (createServiceScope): who is asking, the database, fresh loaders (never shared between
 * requests or viewers), the server's jurisdiction and the request's language.
 */
export interface ServiceScope {
  db: Database;
  loaders: Loaders;
  viewer: Viewer;
  defaultJurisdiction: string;
  logger: Logger;
  requestId: string | null;
  /**
   * The request's language: the Accept-Language header, parsed (most wanted first; empty when absent
   * or unreadable), and the locale negotiated from it once asked for (src/language/request-language.ts).
   */
  language: RequestLanguage;
}

/**
 * Per-request state of a GraphQL operation: the service scope (its loaders replaced after a mutation
 * commits so the payload reads what was written), the caller's limits and the request's headers.
 */
export interface GraphQLContext extends ServiceScope {
  /** The caller's rate-limit budget; set by the HTTP server, absent when nothing limits the request. */
  budget: RequestBudget | null;
  /** The client's network address, for per-client rate limits; null when unknown. */
  clientAddress: string | null;
  /** The server's limit on application submissions per client (shared through Redis when configured). */
  submissionRateLimit: SubmissionRateLimit;
  /** The request's Idempotency-Key header, if any: creating mutations replay their first result for it. */
  idempotencyKey: string | null;
}

export interface ServiceScopeOptions {
  db: Database;
  defaultJurisdiction: string;
  logger: Logger;
  viewer?: Viewer;
  requestId?: string | null;
  /** The request's Accept-Language header, if any. */
  acceptLanguage?: string | null;
}

export interface ContextOptions extends ServiceScopeOptions {
  budget?: RequestBudget | null;
  clientAddress?: string | null;
  submissionRateLimit?: SubmissionRateLimit;
  /** The request's Idempotency-Key header, if any. */
  idempotencyKey?: string | null;
}

/** The scope of one request outside GraphQL (an HTTP route); createContext builds the same one. */
export function createServiceScope(options: ServiceScopeOptions): ServiceScope {
  // Every read of the request from one replica (src/db/replicas.ts).
  const db = pinReplica(options.db);
  const scope: ServiceScope = {
    db,
    loaders: createLoaders(db),
    viewer: options.viewer ?? PUBLIC_VIEWER,
    defaultJurisdiction: options.defaultJurisdiction,
    logger: options.logger,
    requestId: options.requestId ?? null,
    // Read through the request's current loaders (a mutation reads from the primary).
    language: new RequestLanguage(options.acceptLanguage, options.defaultJurisdiction, {
      bySlug: (slug) => scope.loaders.jurisdictionBySlug.load(slug),
      peek: (slug) => jurisdictionCacheOf(scope.db)?.peekBySlug(slug),
    }),
  };
  return scope;
}

export function createContext(options: ContextOptions): GraphQLContext {
  // Completed in place, not copied: the language reads through this object's loaders.
  return Object.assign(createServiceScope(options), {
    budget: options.budget ?? null,
    clientAddress: options.clientAddress ?? null,
    submissionRateLimit: options.submissionRateLimit ?? defaultSubmissionRateLimit(),
    idempotencyKey: options.idempotencyKey ?? null,
  });
}
