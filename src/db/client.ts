import { mkdirSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import { btree_gist } from '@electric-sql/pglite/contrib/btree_gist';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { unaccent } from '@electric-sql/pglite/contrib/unaccent';
import type { Logger } from 'drizzle-orm';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { drizzle as drizzlePostgres } from 'drizzle-orm/postgres-js';
import postgres from 'postgres';
import { withReadReplicas } from './replicas.ts';
import * as schema from './schema/index.ts';

export type Schema = typeof schema;
/** Both drivers produce this type; the app never depends on which one it got. */
export type Database = PgDatabase<PgQueryResultHKT, Schema>;

export interface DatabaseHandle {
  db: Database;
  driver: 'pglite' | 'postgres';
  close(): Promise<void>;
  /**
   * Calls `onNotify` for every NOTIFY on `channel` (on the primary), and `onListening` each time the
   * listening connection is (re)established: notifications sent while it was away are lost.
   */
  listen(channel: string, onNotify: () => void, onListening: () => void): Promise<void>;
  /** PGlite only: a tarball of the data folder (used to snapshot a prepared test database). */
  dump?: () => Promise<Blob>;
}

export interface DatabaseOptions {
  /** PostgreSQL URL; when absent the embedded PGlite database is used. */
  url?: string | undefined;
  /** PGlite data folder; `memory://` keeps it in memory (tests). */
  dataDir?: string;
  poolMax?: number;
  /** A PGlite data-folder dump to start from (tests start every file from one migrated snapshot). */
  loadDataDir?: Blob;
  /** Called for every SQL statement Drizzle sends (tests count statements with it). */
  onQuery?: (sql: string) => void;
  /** Read-only replicas of `url` (PostgreSQL only): queries read from them, writes go to `url`. */
  replicaUrls?: string[];
  /** PostgreSQL cancels a statement running longer than this (`statement_timeout`, every connection). */
  statementTimeoutMs?: number;
}

export async function createDatabase(options: DatabaseOptions): Promise<DatabaseHandle> {
  const logger: Logger | undefined = options.onQuery
    ? { logQuery: (query) => options.onQuery?.(query) }
    : undefined;
  const casing = 'snake_case' as const;

  if (options.url) {
    const open = (url: string) =>
      postgres(url, {
        max: options.poolMax ?? 10,
        onnotice: () => {},
        // A startup parameter: applies to every connection the pool opens, with no extra round trip.
        ...(options.statementTimeoutMs ? { connection: { statement_timeout: options.statementTimeoutMs } } : {}),
        // Dates stay ISO strings end to end: the API speaks in calendar dates, not instants.
        types: { date: { to: 1082, from: [1082], serialize: (v: string) => v, parse: (v: string) => v } },
      });
    const client = open(options.url);
    const replicas = (options.replicaUrls ?? []).map(open);
    const primary = drizzlePostgres(client, { schema, casing, logger }) as unknown as Database;
    const db = withReadReplicas(
      primary,
      replicas.map((replica) => drizzlePostgres(replica, { schema, casing, logger }) as unknown as Database),
    );
    return {
      db,
      driver: 'postgres',
      // postgres.js keeps one connection for LISTEN, re-listens after a reconnect and calls onlisten each time.
      listen: async (channel, onNotify, onListening) => {
        await client.listen(channel, onNotify, onListening);
      },
      close: async () => {
        await Promise.all([client, ...replicas].map((c) => c.end({ timeout: 5 })));
      },
    };
  }

  const dataDir = options.dataDir ?? 'memory://';
  if (!dataDir.startsWith('memory://')) mkdirSync(dataDir, { recursive: true });
  const client = await PGlite.create(dataDir, {
    // Contrib extensions the migrations create: exclusion constraints, and typo- and accent-tolerant search.
    extensions: { btree_gist, pg_trgm, unaccent },
    ...(options.loadDataDir ? { loadDataDir: options.loadDataDir } : {}),
  });
  if (options.statementTimeoutMs) await client.exec(`set statement_timeout = ${Math.trunc(options.statementTimeoutMs)}`);
  const db = drizzlePglite(client, { schema, casing, logger }) as unknown as Database;
  return {
    db,
    driver: 'pglite',
    // In-process: the connection never drops, so it is listening from here on.
    listen: async (channel, onNotify, onListening) => {
      await client.listen(channel, onNotify);
      onListening();
    },
    close: () => client.close(),
    dump: async () => client.dumpDataDir('none'),
  };
}
