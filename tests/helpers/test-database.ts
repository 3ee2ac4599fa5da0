import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import postgres from 'postgres';
import { inject } from 'vitest';
import { createDatabase, type DatabaseHandle } from '../../src/db/client.ts';

export interface TestDatabase {
  handle: DatabaseHandle;
  /** PostgreSQL only: the database's URL, for a second pool on it. */
  url?: string;
  dispose(): Promise<void>;
}

/**
 * A fresh, migrated, empty database private to the caller: a copy of the migrated template that
 * global-setup.ts builds once per run, in-memory PGlite or, when TEST_DATABASE_URL is set, a uniquely
 * named database created from the template database on that server and dropped by dispose().
 */
export async function createTestDatabase(options: { onQuery?: (sql: string) => void; poolMax?: number } = {}): Promise<TestDatabase> {
  const template = inject('emptyDatabaseTemplate');
  if (template.kind === 'pglite') {
    const handle = await createDatabase({ loadDataDir: new Blob([await readFile(template.snapshotPath)]), onQuery: options.onQuery });
    return { handle, dispose: () => handle.close() };
  }

  const { adminUrl } = template;
  const name = `civic_graph_test_${randomBytes(6).toString('hex')}`;
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
  try {
    await admin.unsafe(`create database "${name}" template "${template.database}"`);
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
