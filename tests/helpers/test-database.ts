import { randomBytes } from 'node:crypto';
import postgres from 'postgres';
import { createDatabase, type DatabaseHandle } from '../../src/db/client.ts';
import { migrateDatabase } from '../../src/db/migrate.ts';

export interface TestDatabase {
  handle: DatabaseHandle;
  /** PostgreSQL only: the database's URL, for a second pool on it. */
  url?: string;
  dispose(): Promise<void>;
}

/**
 * A fresh, migrated, empty database private to the caller: in-memory PGlite, or, when
 * TEST_DATABASE_URL is set, a uniquely named database created on that server and dropped by dispose().
 */
export async function createTestDatabase(options: { onQuery?: (sql: string) => void; poolMax?: number } = {}): Promise<TestDatabase> {
  const adminUrl = process.env.TEST_DATABASE_URL;
  if (!adminUrl) {
    const handle = await createDatabase({ dataDir: 'memory://', onQuery: options.onQuery });
    await migrateDatabase(handle);
    return { handle, dispose: () => handle.close() };
  }

  const name = `civic_graph_test_${randomBytes(6).toString('hex')}`;
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
  try {
    await admin.unsafe(`create database "${name}"`);
  } finally {
    await admin.end();
  }
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const drop = async () => {
    const cleanup = postgres(adminUrl, { max: 1, onnotice: () => {} });
    try {
      await cleanup.unsafe(`drop database if exists "${name}" with (force)`);
    } finally {
      await cleanup.end();
    }
  };
  let handle: DatabaseHandle | undefined;
  try {
    handle = await createDatabase({ url: url.toString(), onQuery: options.onQuery, poolMax: options.poolMax });
    await migrateDatabase(handle);
  } catch (error) {
    await handle?.close();
    await drop();
    throw error;
  }
  const opened = handle;
  return {
    handle: opened,
    url: url.toString(),
    async dispose() {
      await opened.close();
      await drop();
    },
  };
}
