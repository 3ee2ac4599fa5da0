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
import { lockDataFolder } from './data-folder-lock.ts';
import { FairQueue } from './fair-queue.ts';
import { withReadReplicas } from './replicas.ts';
import { resilientClient } from './resilient-client.ts';
import * as schema from './schema/index.ts';

export type Schema = typeof schema;
/** Both drivers produce this type; the app never depends on which one it got. */
export type Database = PgDatabase<PgQueryResultHKT, Schema>;

/** Connections of the primary pool by PostgreSQL session state (pg_stat_activity.state). */
export type PoolConnectionState = 'active' | 'idle' | 'idle_in_transaction' | 'other';

export interface PoolStats {
  /** The configured most connections (DATABASE_POOL_MAX); 1 for the embedded PGlite. */
  max: number;
  /** Open connections by state; null on PGlite, whose one connection is always open and has no session states. */
  connections: Record<PoolConnectionState, number> | null;
}

/**
 * One connection of its own, kept until closed: session-level state (advisory locks, see
 * advisory-lock.ts) holds for every statement sent through `db`. PostgreSQL opens a connection
 * outside the pool, with no statement timeout; PGlite's one connection is every session.
 */
export interface DatabaseSession {
  db: Database;
  close(): Promise<void>;
}

export interface DatabaseHandle {
  db: Database;
  /** A connection of its own for session-level locks (migrations, background-job leadership). */
  openSession(): Promise<DatabaseSession>;
  driver: 'pglite' | 'postgres';
  /** PostgreSQL: the application_name every connection of the primary pool carries (pg_stat_activity). */
  applicationName?: string;
  /** The primary pool as it stands, for the /metrics gauges; read at scrape time, never per statement. */
  poolStats(): Promise<PoolStats>;
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
  /** PostgreSQL application_name of the primary pool's connections; default unique per pool (see poolName). */
  applicationName?: string;
  /**
   * PGlite in a folder: called if the folder's lock is lost while open (see data-folder-lock.ts);
   * the process must stop writing. Default: throw.
   */
  onDataFolderLost?: (error: Error) => void;
}

let pools = 0;
/**
 * `civic-graph-<pid>-<n>`: distinct for every pool of every process, so that pg_stat_activity
 * shows which connections are this pool's (several instances, and tests, share one server).
 */
function poolName(): string {
  pools += 1;
  return `civic-graph-${process.pid}-${pools}`;
}

const STATES: Record<string, PoolConnectionState> = { active: 'active', idle: 'idle', 'idle in transaction': 'idle_in_transaction' };

/**
 * Counts the pool's connections by state in pg_stat_activity, over a connection of its own: asking
 * through the pool would queue behind the very saturation the gauges must show, and count itself.
 */
function poolStatsReader(url: string, applicationName: string, max: number): { read: () => Promise<PoolStats>; close: () => Promise<void> } {
  let monitor: postgres.Sql | undefined;
  return {
    async read() {
      monitor ??= postgres(url, {
        max: 1,
        idle_timeout: 120,
        onnotice: () => {},
        connection: { application_name: `${applicationName}-monitor`, statement_timeout: 2_000 },
      });
      const rows = await monitor<{ state: string | null; count: number }[]>`
        select state, count(*)::int as count from pg_stat_activity where application_name = ${applicationName} group by state`;
      const connections: Record<PoolConnectionState, number> = { active: 0, idle: 0, idle_in_transaction: 0, other: 0 };
      for (const row of rows) connections[STATES[row.state ?? ''] ?? 'other'] += row.count;
      return { max, connections };
    },
    close: async () => {
      await monitor?.end({ timeout: 5 });
    },
  };
}

/**
 * The embedded database's buffer cache. PostgreSQL's default (128 MB) is allocated and zeroed in
 * PGlite's WebAssembly memory at every open: about 300 ms of a warm `npm start` and of every test
 * file's fresh database, and 128 MB of resident memory. The three cities' data is about 64 MB on
 * disk and a request reads a small part of it; pages outside the cache are read from the data
 * folder (the operating system's page cache) or, in memory://, from PGlite's in-memory files.
 */
const EMBEDDED_SHARED_BUFFERS = '32MB';

export async function createDatabase(options: DatabaseOptions): Promise<DatabaseHandle> {
  const logger: Logger | undefined = options.onQuery
    ? { logQuery: (query) => options.onQuery?.(query) }
    : undefined;
  const casing = 'snake_case' as const;

  if (options.url) {
    const applicationName = options.applicationName ?? poolName();
    const max = options.poolMax ?? 10;
    const open = (url: string, name: string) =>
      postgres(url, {
        max,
        onnotice: () => {},
        // Startup parameters: apply to every connection the pool opens, with no extra round trip.
        connection: {
          application_name: name,
          ...(options.statementTimeoutMs ? { statement_timeout: options.statementTimeoutMs } : {}),
        },
        // Dates stay ISO strings end to end: the API speaks in calendar dates, not instants.
        types: { date: { to: 1082, from: [1082], serialize: (v: string) => v, parse: (v: string) => v } },
      });
    const client = open(options.url, applicationName);
    const url = options.url;
    // Replicas are told apart: a test (or a small deployment) may point one at the primary's server.
    const replicas = (options.replicaUrls ?? []).map((url) => open(url, `${applicationName}-replica`));
    const stats = poolStatsReader(options.url, applicationName, max);
    // Statements follow their request and reads survive one dropped connection (resilient-client.ts).
    const primary = drizzlePostgres(resilientClient(client), { schema, casing, logger }) as unknown as Database;
    const db = withReadReplicas(
      primary,
      replicas.map((replica) => drizzlePostgres(resilientClient(replica), { schema, casing, logger }) as unknown as Database),
    );
    return {
      db,
      driver: 'postgres',
      applicationName,
      poolStats: stats.read,
      openSession: async () => {
        const connection = postgres(url, {
          max: 1,
          // A session holds session-level advisory locks (the jobs' leads) while it sits idle:
          // postgres.js's default lifetime (30–60 min) and an idle timeout would end it and drop
          // them (postgres.js turns both off for its own LISTEN connection for the same reason).
          max_lifetime: null,
          idle_timeout: 0,
          onnotice: () => {},
          connection: {
            application_name: `${applicationName}-session`,
            // The server notices within about a minute that a vanished process's connection is gone
            // (its default is the OS's two hours), and so frees the locks that session held.
            tcp_keepalives_idle: '30',
            tcp_keepalives_interval: '10',
            tcp_keepalives_count: '3',
          },
        });
        return { db: drizzlePostgres(connection, { schema, casing, logger }) as unknown as Database, close: () => connection.end({ timeout: 5 }) };
      },
      // postgres.js keeps one connection for LISTEN, re-listens after a reconnect and calls onlisten each time.
      listen: async (channel, onNotify, onListening) => {
        await client.listen(channel, onNotify, onListening);
      },
      close: async () => {
        await Promise.all([client, ...replicas].map((c) => c.end({ timeout: 5 })));
        await stats.close();
      },
    };
  }

  const dataDir = options.dataDir ?? 'memory://';
  let folderLock: Awaited<ReturnType<typeof lockDataFolder>> | null = null;
  if (!dataDir.startsWith('memory://')) {
    mkdirSync(dataDir, { recursive: true });
    // Before PGlite reads a file: a second process on the folder is refused, naming the first.
    folderLock = await lockDataFolder(dataDir, { onLost: options.onDataFolderLost });
  }
  let client: PGlite;
  try {
    client = await PGlite.create(dataDir, {
      // Contrib extensions the migrations create: exclusion constraints, and typo- and accent-tolerant search.
      extensions: { btree_gist, pg_trgm, unaccent },
      startParams: [...PGlite.defaultStartParams, '-c', `shared_buffers=${EMBEDDED_SHARED_BUFFERS}`],
      ...(options.loadDataDir ? { loadDataDir: options.loadDataDir } : {}),
    });
    if (options.statementTimeoutMs) await client.exec(`set statement_timeout = ${Math.trunc(options.statementTimeoutMs)}`);
  } catch (error) {
    await folderLock?.release();
    throw error;
  }
  // statement_timeout is not enforced by PGlite's WebAssembly build: the queue serves requests in
  // turn and holds each to that much statement time (src/db/fair-queue.ts).
  const queue = new FairQueue(options.statementTimeoutMs ?? 0);
  const scheduled: Pick<PGlite, 'query' | 'exec' | 'transaction'> = {
    query: (...args) => queue.run(() => client.query(...args)),
    exec: (...args) => queue.run(() => client.exec(...args)),
    transaction: (callback) => queue.run(() => client.transaction(callback)),
  };
  const db = drizzlePglite(scheduled as PGlite, { schema, casing, logger }) as unknown as Database;
  return {
    db,
    driver: 'pglite',
    // One process, one connection: session-level locks are taken on it and never contended.
    openSession: async () => ({ db, close: async () => {} }),
    poolStats: async () => ({ max: 1, connections: null }),
    // In-process: the connection never drops, so it is listening from here on.
    listen: async (channel, onNotify, onListening) => {
      await client.listen(channel, onNotify);
      onListening();
    },
    close: async () => {
      await client.close();
      await folderLock?.release();
    },
    dump: async () => client.dumpDataDir('none'),
  };
}
