import { Writable } from 'node:stream';
import type { GraphQLFormattedError } from 'graphql';
import { createLogger } from '../../src/logger.ts';
import type { Viewer } from '../../src/auth/viewer.ts';
import { createContext } from '../../src/context.ts';
import { withReadReplicas } from '../../src/db/replicas.ts';
import type { Database, DatabaseHandle } from '../../src/db/client.ts';
import { createApolloServer } from '../../src/server.ts';
import { openTestDatabase, type TestDatabaseOptions } from './portland-database.ts';

export interface ExecuteResult<T> {
  data: T | null | undefined;
  errors: readonly GraphQLFormattedError[] | undefined;
}

export interface TestApi {
  db: Database;
  /** The driver's handle (sessions for background jobs, LISTEN). */
  handle: DatabaseHandle;
  jurisdictionId: number;
  /** Runs an operation through the real Apollo server (parse, validate, execute, formatError). */
  execute<T = Record<string, any>>(query: string, variables?: Record<string, unknown>, options?: { viewer?: Viewer; clientAddress?: string; acceptLanguage?: string; idempotencyKey?: string }): Promise<ExecuteResult<T>>;
  /** A staff (or admin) viewer of Portland, or of another jurisdiction id. */
  staff(options?: { role?: 'STAFF' | 'ADMIN'; jurisdictionId?: number | null; subject?: string }): Viewer;
  /** SQL statements Drizzle sent since the last reset. */
  statements: { count: () => number; reset: () => void; log: string[] };
  /** Every JSON log line the server wrote. */
  logs: Record<string, unknown>[];
  dispose(): Promise<void>;
}

/** A real server over a fresh database holding the Portland dataset (and sample members if asked). */
export interface TestApiOptions extends TestDatabaseOptions {
  /** The server's MAX_QUERY_COST (default the production default). */
  maxQueryCost?: number;
  /**
   * Route reads over this many "replicas" (each the test database itself), as DATABASE_REPLICA_URLS
   * with several URLs does: every request then reads through its own pinned view of one of them.
   */
  readReplicas?: number;
}

export async function createTestApi(options: TestApiOptions = {}): Promise<TestApi> {
  const log: string[] = [];
  const database = await openTestDatabase({ ...options, onQuery: (sql) => log.push(sql) });
  const logs: Record<string, unknown>[] = [];
  const sink = new Writable({
    write(chunk, _encoding, done) {
      for (const line of String(chunk).split('\n').filter(Boolean)) logs.push(JSON.parse(line));
      done();
    },
  });
  const logger = createLogger('info', sink);
  const apollo = createApolloServer({ logger, production: false, maxQueryCost: options.maxQueryCost });
  const db = options.readReplicas ? withReadReplicas(database.db, Array.from({ length: options.readReplicas }, () => database.db)) : database.db;
  await apollo.start();
  log.length = 0;
  return {
    db: database.db,
    handle: database.handle,
    jurisdictionId: database.jurisdictionId,
    async execute<T>(query: string, variables?: Record<string, unknown>, options?: { viewer?: Viewer; clientAddress?: string; acceptLanguage?: string; idempotencyKey?: string }): Promise<ExecuteResult<T>> {
      const response = await apollo.executeOperation(
        { query, variables },
        { contextValue: createContext({ db, defaultJurisdiction: 'portland', logger, viewer: options?.viewer, requestId: 'test', clientAddress: options?.clientAddress ?? null, acceptLanguage: options?.acceptLanguage, idempotencyKey: options?.idempotencyKey }) },
      );
      if (response.body.kind !== 'single') throw new Error('incremental delivery is not used by this API');
      return { data: response.body.singleResult.data as T, errors: response.body.singleResult.errors };
    },
    staff: (options = {}) => ({
      role: options.role ?? 'STAFF',
      subject: options.subject ?? 'staff@example.gov',
      name: 'Test Staff',
      jurisdictionId: options.jurisdictionId === undefined ? database.jurisdictionId : options.jurisdictionId,
      apiKeyId: null,
    }),
    statements: { count: () => log.length, reset: () => (log.length = 0), log },
    logs,
    async dispose() {
      await apollo.stop();
      await database.dispose();
    },
  };
}
