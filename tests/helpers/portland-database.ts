import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { eq } from 'drizzle-orm';
import postgres from 'postgres';
import { inject } from 'vitest';
import { createDatabase, type Database, type DatabaseHandle } from '../../src/db/client.ts';
import { jurisdictions } from '../../src/db/schema/index.ts';
import { addSampleMembers } from '../../src/import/sample-members.ts';

export interface TestDatabaseOptions {
  /** Add the demo's sample members (deterministic) on top of the Portland import. */
  sampleMembers?: boolean;
  onQuery?: (sql: string) => void;
  /** DATABASE_STATEMENT_TIMEOUT_MS: PostgreSQL's statement_timeout, PGlite's per-request budget (src/db/fair-queue.ts). */
  statementTimeoutMs?: number;
  /**
   * `portland` (the default): Portland alone. `cities`: every vendored city, for tests across cities;
   * `jurisdictionId` is still Portland's.
   */
  template?: 'portland' | 'cities';
}

export interface PortlandTestDatabase {
  db: Database;
  /** The driver's handle (LISTEN, the driver's name). */
  handle: DatabaseHandle;
  jurisdictionId: number;
  dispose(): Promise<void>;
}

/**
 * A fresh database holding the migrated schema and the imported Portland dataset, private to the
 * caller. global-setup.ts prepares it once per run: a PGlite snapshot, or a PostgreSQL template
 * database when TEST_DATABASE_URL is set; each test file then starts from a copy in milliseconds.
 */
export async function openTestDatabase(options: TestDatabaseOptions = {}): Promise<PortlandTestDatabase> {
  const template = inject(options.template === 'cities' ? 'citiesDatabaseTemplate' : 'testDatabaseTemplate');
  let handle: DatabaseHandle;
  let drop = async () => {};
  if (template.kind === 'postgres') {
    const name = `civic_graph_test_${randomBytes(6).toString('hex')}`;
    const admin = postgres(template.adminUrl, { max: 1, onnotice: () => {} });
    await admin.unsafe(`create database "${name}" template "${template.database}"`);
    await admin.end();
    const url = new URL(template.adminUrl);
    url.pathname = `/${name}`;
    handle = await createDatabase({ url: url.toString(), poolMax: 20, onQuery: options.onQuery, statementTimeoutMs: options.statementTimeoutMs });
    drop = async () => {
      const cleanup = postgres(template.adminUrl, { max: 1, onnotice: () => {} });
      await cleanup.unsafe(`drop database if exists "${name}" with (force)`);
      await cleanup.end();
    };
  } else {
    const snapshot = new Blob([await readFile(template.snapshotPath)]);
    handle = await createDatabase({ loadDataDir: snapshot, onQuery: options.onQuery, statementTimeoutMs: options.statementTimeoutMs });
  }
  const [portland] = await handle.db.select().from(jurisdictions).where(eq(jurisdictions.slug, 'portland'));
  if (!portland) throw new Error('the test template has no Portland jurisdiction');
  if (options.sampleMembers) await addSampleMembers(handle.db, 'portland');
  return {
    db: handle.db,
    handle,
    jurisdictionId: portland.id,
    async dispose() {
      await handle.close();
      await drop();
    },
  };
}
