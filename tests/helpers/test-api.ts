import { Writable } from 'node:stream';
import type { GraphQLFormattedError } from 'graphql';
import { pino } from 'pino';
import { createContext } from '../../src/context.ts';
import type { Database } from '../../src/db/client.ts';
import { createApolloServer } from '../../src/server.ts';
import { openTestDatabase, type TestDatabaseOptions } from './portland-database.ts';

export interface ExecuteResult<T> {
  data: T | null | undefined;
  errors: readonly GraphQLFormattedError[] | undefined;
}

export interface TestApi {
  db: Database;
  jurisdictionId: number;
  /** Runs an operation through the real Apollo server (parse, validate, execute, formatError). */
  execute<T = Record<string, any>>(query: string, variables?: Record<string, unknown>): Promise<ExecuteResult<T>>;
  /** SQL statements Drizzle sent since the last reset. */
  statements: { count: () => number; reset: () => void; log: string[] };
  /** Every JSON log line the server wrote. */
  logs: Record<string, unknown>[];
  dispose(): Promise<void>;
}

/** A real server over a fresh database holding the Portland dataset (and sample members if asked). */
export async function createTestApi(options: TestDatabaseOptions = {}): Promise<TestApi> {
  const log: string[] = [];
  const database = await openTestDatabase({ ...options, onQuery: (sql) => log.push(sql) });
  const logs: Record<string, unknown>[] = [];
  const sink = new Writable({
    write(chunk, _encoding, done) {
      for (const line of String(chunk).split('\n').filter(Boolean)) logs.push(JSON.parse(line));
      done();
    },
  });
  const logger = pino({ level: 'info' }, sink);
  const apollo = createApolloServer({ logger, production: false });
  await apollo.start();
  log.length = 0;
  return {
    db: database.db,
    jurisdictionId: database.jurisdictionId,
    async execute<T>(query: string, variables?: Record<string, unknown>): Promise<ExecuteResult<T>> {
      const response = await apollo.executeOperation(
        { query, variables },
        { contextValue: createContext(database.db, 'portland', logger) },
      );
      if (response.body.kind !== 'single') throw new Error('incremental delivery is not used by this API');
      return { data: response.body.singleResult.data as T, errors: response.body.singleResult.errors };
    },
    statements: { count: () => log.length, reset: () => (log.length = 0), log },
    logs,
    async dispose() {
      await apollo.stop();
      await database.dispose();
    },
  };
}
