import { fileURLToPath } from 'node:url';
import { loadConfig } from './config.ts';
import { createContext } from './context.ts';
import { createDatabase } from './db/client.ts';
import { createHttpServer } from './http/http-server.ts';
import { prepareDatabase } from './app.ts';
import { createAuthenticator } from './auth/authenticate.ts';
import { createJwtVerifier } from './auth/jwt.ts';
import { createLogger } from './logger.ts';
import { createApolloServer } from './server.ts';

const defaultDataset = fileURLToPath(new URL('./datasets/portland', import.meta.url));

const config = loadConfig();
const logger = createLogger(config.LOG_LEVEL);
const started = Date.now();

const database = await createDatabase({ url: config.DATABASE_URL, dataDir: config.DATA_DIR, poolMax: config.DATABASE_POOL_MAX });
logger.info({ driver: database.driver, dataDir: database.driver === 'pglite' ? config.DATA_DIR : undefined }, 'database opened');
await prepareDatabase(database, {
  datasetDir: config.DATASET_DIR ?? defaultDataset,
  sampleMembers: config.SAMPLE_MEMBERS,
  jurisdiction: config.DEFAULT_JURISDICTION,
  logger,
});

const apollo = createApolloServer({ logger, production: config.NODE_ENV === 'production', maxQueryCost: config.MAX_QUERY_COST });
await apollo.start();
const authenticate = createAuthenticator(
  database.db,
  createJwtVerifier({ secret: config.AUTH_JWT_SECRET, jwksUrl: config.AUTH_JWKS_URL, issuer: config.AUTH_JWT_ISSUER, audience: config.AUTH_JWT_AUDIENCE }),
);
const http = createHttpServer(
  apollo,
  async ({ headers, requestId }) =>
    createContext({
      db: database.db,
      defaultJurisdiction: config.DEFAULT_JURISDICTION,
      logger: logger.child({ requestId }),
      viewer: await authenticate(headers.get('authorization')),
      requestId,
    }),
  logger,
);
http.listen(config.PORT, config.HOST, () => {
  logger.info({ url: `http://localhost:${config.PORT}/graphql`, startupMs: Date.now() - started }, 'civic-graph is ready');
});

/**
 * Stop taking connections, let in-flight requests finish, then release the database. Keep-alive
 * connections go idle once their request is answered; closing idle ones repeatedly ends them then.
 */
async function shutdown(signal: string): Promise<void> {
  logger.info({ signal }, 'shutting down');
  const force = setTimeout(() => {
    logger.error('in-flight requests did not finish within 10 s; exiting');
    process.exit(1);
  }, 10_000).unref();
  const closed = new Promise<void>((resolve) => http.close(() => resolve()));
  const sweeper = setInterval(() => http.closeIdleConnections(), 50);
  http.closeIdleConnections();
  await closed;
  clearInterval(sweeper);
  await apollo.stop();
  await database.close();
  clearTimeout(force);
  process.exit(0);
}
process.on('unhandledRejection', (reason) => logger.error({ err: reason }, 'unhandled promise rejection'));
process.once('SIGINT', () => void shutdown('SIGINT'));
process.once('SIGTERM', () => void shutdown('SIGTERM'));
