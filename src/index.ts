import { loadConfig } from './config.ts';
import { createContext } from './context.ts';
import { createDatabase } from './db/client.ts';
import { createCostLimiter } from './graphql/limits/rate-limiter.ts';
import { Metrics } from './http/metrics.ts';
import { createReadinessCheck } from './http/readiness.ts';
import { createRedis, redisState } from './redis/client.ts';
import { exportsRoute } from './http/exports-route.ts';
import { representationReportRoute } from './http/representation-report-route.ts';
import { beginDrain, createHttpServer } from './http/http-server.ts';
import { prepareDatabase } from './app.ts';
import { createAuthenticator } from './auth/authenticate.ts';
import { createJwtVerifier } from './auth/jwt.ts';
import { createLogger } from './logger.ts';
import { readTrustedDocuments } from './graphql/persisted/manifest.ts';
import { redisKeyValueCache } from './graphql/persisted/redis-apq-cache.ts';
import { memoryResponseStore, redisResponseStore } from './graphql/caching/response-store.ts';
import { createApolloServer } from './server.ts';
import { startBackgroundJobs } from './background.ts';
import { createSubmissionRateLimit } from './graphql/limits/submission-rate-limit.ts';
import { startJurisdictionCache } from './modules/jurisdictions/jurisdiction-cache.ts';
import { vendoredCityDirs } from './datasets/vendored.ts';
import { checkPortAvailable, listen } from './http/port-check.ts';
import { refuseToStart } from './startup-refusal.ts';

const config = loadConfig();
const logger = createLogger(config.LOG_LEVEL);
// A failure at startup (migrations, the dataset import) goes through the logger too: Node's own
// report of an uncaught error prints every field of it, a failed statement's parameters included.
process.on('uncaughtException', (error) => {
  logger.fatal({ err: error }, 'stopped by an uncaught error');
  process.exit(1);
});
const started = Date.now();
const refuse = refuseToStart(logger);
// The cities to serve, checked before anything is opened: a misspelt city refuses the start.
const datasetDirs = await Promise.resolve()
  .then(() => (config.DATASET_DIR ? [config.DATASET_DIR] : vendoredCityDirs(config.CITIES)))
  .catch(refuse);
// Before the database is opened, migrated or imported: a taken port then changes nothing.
await checkPortAvailable(config.PORT, config.HOST).catch(refuse);

const metrics = new Metrics();
if (config.DATABASE_REPLICA_URLS.length > 0 && !config.DATABASE_URL) throw new Error('Invalid configuration: DATABASE_REPLICA_URLS needs DATABASE_URL');
const database = await createDatabase({
  url: config.DATABASE_URL,
  dataDir: config.DATA_DIR,
  poolMax: config.DATABASE_POOL_MAX,
  replicaUrls: config.DATABASE_REPLICA_URLS,
  statementTimeoutMs: config.DATABASE_STATEMENT_TIMEOUT_MS,
  onQuery: () => metrics.databaseStatements.inc(),
  onDataFolderLost: (error) => {
    logger.fatal({ err: error }, 'the data folder lock was lost (its heartbeat stalled and another process took the folder); exiting');
    process.exit(1);
  },
}).catch(refuse);
metrics.observeDatabasePool(database.poolStats);
logger.info(
  { driver: database.driver, dataDir: database.driver === 'pglite' ? config.DATA_DIR : undefined, replicas: config.DATABASE_REPLICA_URLS.length },
  'database opened',
);
const redis = config.REDIS_URL ? await createRedis(config.REDIS_URL) : undefined;
if (redis) metrics.observeRedis(() => redisState(redis));
redis?.on('error', (error) => logger.warn({ err: error }, 'redis unavailable: rate limits (query budgets, application submissions) count per instance and persisted queries miss until it is back'));
const rateLimiter = createCostLimiter({
  windowSeconds: config.RATE_LIMIT_WINDOW_SECONDS,
  budgets: { public: config.RATE_LIMIT_PUBLIC, partner: config.RATE_LIMIT_PARTNER, staff: config.RATE_LIMIT_STAFF },
  redis,
});
const submissionRateLimit = createSubmissionRateLimit({ redis, onRefused: () => metrics.applicationSubmitRefusals.inc() });
await prepareDatabase(database, {
  datasetDirs,
  sampleMembers: config.SAMPLE_MEMBERS,
  jurisdiction: config.DEFAULT_JURISDICTION,
  logger,
});

// Jurisdictions stay in memory, forgotten on every write to them (a trigger notifies at commit).
await startJurisdictionCache(database);

const responseCache =
  config.RESPONSE_CACHE === 'redis' && redis ? redisResponseStore(redis) : config.RESPONSE_CACHE === 'memory' ? memoryResponseStore() : null;
logger.info({ responseCache: config.RESPONSE_CACHE }, 'response cache');
const apollo = createApolloServer({
  logger,
  production: config.NODE_ENV === 'production',
  maxQueryCost: config.MAX_QUERY_COST,
  introspectionForPartners: config.INTROSPECTION_FOR_PARTNERS,
  metrics,
  responseCache,
  federation: config.FEDERATION,
  persistedQueryCache: redis ? redisKeyValueCache(redis, 'civic-graph:apq:') : undefined,
  trustedDocuments:
    config.TRUSTED_DOCUMENTS && config.TRUSTED_DOCUMENTS_MODE !== 'off'
      ? { documents: readTrustedDocuments(config.TRUSTED_DOCUMENTS), mode: config.TRUSTED_DOCUMENTS_MODE }
      : undefined,
});
await apollo.start();
const authenticate = createAuthenticator(
  database.db,
  createJwtVerifier({ secret: config.AUTH_JWT_SECRET, jwksUrl: config.AUTH_JWKS_URL, issuer: config.AUTH_JWT_ISSUER, audience: config.AUTH_JWT_AUDIENCE }),
);
const http = createHttpServer(
  apollo,
  async ({ headers, requestId, budget, clientAddress }) =>
    createContext({
      db: database.db,
      defaultJurisdiction: config.DEFAULT_JURISDICTION,
      logger: logger.child({ requestId }),
      viewer: await authenticate(headers.get('authorization')),
      requestId,
      budget,
      clientAddress,
      submissionRateLimit,
      acceptLanguage: headers.get('accept-language'),
      idempotencyKey: headers.get('idempotency-key') ?? null,
    }),
  logger,
  {
    rateLimiter,
    trustProxy: config.TRUST_PROXY,
    requestTimeoutMs: config.REQUEST_TIMEOUT_MS,
    corsOrigins: config.CORS_ORIGINS,
    metrics,
    metricsToken: config.METRICS_TOKEN,
    readiness: createReadinessCheck(database.db, logger, { redis }),
    // The report before the generic exports, which would answer its path with 404.
    routes: [representationReportRoute(database.db, config.DEFAULT_JURISDICTION, logger), exportsRoute(database.db, config.DEFAULT_JURISDICTION, logger)],
  },
);
await listen(http, config.PORT, config.HOST).catch(async (error: unknown) => {
  // Taken since the check at start: give the database (and its folder) back before saying so.
  await database.close();
  refuse(error);
});
// Notification delivery and application expiry run in this process, beside the HTTP server,
// unless BACKGROUND_JOBS=off leaves them to another instance. Started once the server listens:
// their first pass (a few statements each) would otherwise delay the first answer.
const backgroundJobs = startBackgroundJobs(config, { database, logger });
logger.info(
  { url: `http://localhost:${config.PORT}/graphql`, startupMs: Date.now() - started, rateLimiter: rateLimiter.store },
  'civic-graph is ready',
);

/**
 * Drain, then stop: for SHUTDOWN_DRAIN_MS every answer says `Connection: close` (and /readyz 503),
 * so a request arriving on a kept-alive connection is answered and that connection then closed,
 * never reset; only then does the server stop listening and close the connections still idle.
 * In-flight requests finish before the database is released.
 */
let shuttingDown = false;
async function shutdown(signal: string): Promise<void> {
  // A second signal must not kill the process mid-drain: Ctrl-C on `npm start` reaches Node twice
  // (from the terminal and forwarded by npm), and an embedded database must be closed cleanly.
  if (shuttingDown) return;
  shuttingDown = true;
  logger.info({ signal, drainMs: config.SHUTDOWN_DRAIN_MS }, 'shutting down');
  const force = setTimeout(() => {
    logger.error('in-flight requests did not finish within 10 s of the drain; exiting');
    process.exit(1);
  }, config.SHUTDOWN_DRAIN_MS + 10_000).unref();
  beginDrain(http);
  await new Promise((resolve) => setTimeout(resolve, config.SHUTDOWN_DRAIN_MS));
  // close() also closes the connections idle now; busy ones close after their answer (Connection: close).
  const closed = new Promise<void>((resolve) => http.close(() => resolve()));
  const sweeper = setInterval(() => http.closeIdleConnections(), 50);
  await closed;
  clearInterval(sweeper);
  await apollo.stop();
  await backgroundJobs?.stop();
  await database.close();
  redis?.disconnect();
  clearTimeout(force);
  process.exit(0);
}
process.on('unhandledRejection', (reason) => logger.error({ err: reason }, 'unhandled promise rejection'));
process.on('SIGINT', () => void shutdown('SIGINT'));
process.on('SIGTERM', () => void shutdown('SIGTERM'));
