import { randomBytes } from 'node:crypto';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import postgres from 'postgres';
import type { TestProject } from 'vitest/node';
import { createDatabase, type DatabaseHandle } from '../../src/db/client.ts';
import { migrateDatabase } from '../../src/db/migrate.ts';
import { DATASET_FILES } from '../../src/datasets/format.ts';
import { VENDORED_CITIES } from '../../src/datasets/vendored.ts';
import { importDataset } from '../../src/import/import-dataset.ts';

export type TestDatabaseTemplate =
  | { kind: 'pglite'; snapshotPath: string }
  | { kind: 'postgres'; adminUrl: string; database: string };

declare module 'vitest' {
  export interface ProvidedContext {
    /** Portland alone: what most tests need, and the quickest to copy. */
    testDatabaseTemplate: TestDatabaseTemplate;
    /** Every vendored city (src/datasets/vendored.ts), for the tests of several cities. */
    citiesDatabaseTemplate: TestDatabaseTemplate;
    /** The migrated schema and no rows: what createTestDatabase() copies (test-database.ts). */
    emptyDatabaseTemplate: TestDatabaseTemplate;
  }
}

const datasetDir = (city: string) => fileURLToPath(new URL(`../../src/datasets/${city}`, import.meta.url));

/**
 * The templates hold each city without its officials (people.csv, memberships.csv): tests fill the
 * council's seats with their own people. tests/import/officials.test.ts imports Portland's officials.
 */
async function withoutOfficials(city: string, into: string[]): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), `civic-graph-${city}-`));
  into.push(dir);
  const officials: string[] = [DATASET_FILES.people, DATASET_FILES.memberships];
  for (const name of Object.values(DATASET_FILES)) {
    if (officials.includes(name)) continue;
    await cp(join(datasetDir(city), name), join(dir, name)).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== 'ENOENT') throw error; // optional files may be absent
    });
  }
  return dir;
}

/**
 * Migrates once per run, then imports twice: Portland alone, and every vendored city. Test files copy
 * a result instead of redoing it; createTestDatabase() copies the migrated, empty one.
 */
export default async function setup(project: TestProject) {
  const adminUrl = process.env.TEST_DATABASE_URL;
  const built: Array<() => Promise<void>> = [];
  const copies: string[] = [];
  built.push(async () => {
    for (const dir of copies) await rm(dir, { recursive: true, force: true });
  });
  const admin = async (statement: string) => {
    const connection = postgres(adminUrl!, { max: 1, onnotice: () => {} });
    try {
      await connection.unsafe(statement);
    } finally {
      await connection.end();
    }
  };
  const snapshot = async (handle: DatabaseHandle): Promise<TestDatabaseTemplate> => {
    const snapshotPath = join(tmpdir(), `civic-graph-test-${process.pid}-${randomBytes(4).toString('hex')}.tar`);
    await writeFile(snapshotPath, Buffer.from(await (await handle.dump!()).arrayBuffer()));
    built.push(() => rm(snapshotPath, { force: true }));
    return { kind: 'pglite', snapshotPath };
  };
  /** A new template: a PostgreSQL database created from `from` (or empty), or a PGlite loaded from its snapshot. */
  const open = async (from: TestDatabaseTemplate | null): Promise<{ handle: DatabaseHandle; database?: string }> => {
    if (adminUrl) {
      const database = `civic_graph_template_${randomBytes(6).toString('hex')}`;
      await admin(`create database "${database}"${from?.kind === 'postgres' ? ` template "${from.database}"` : ''}`);
      built.push(() => admin(`drop database if exists "${database}" with (force)`));
      const url = new URL(adminUrl);
      url.pathname = `/${database}`;
      return { handle: await createDatabase({ url: url.toString() }), database };
    }
    if (from?.kind === 'pglite') return { handle: await createDatabase({ loadDataDir: new Blob([await readFile(from.snapshotPath)]) }) };
    return { handle: await createDatabase({ dataDir: 'memory://' }) };
  };
  const close = async ({ handle, database }: { handle: DatabaseHandle; database?: string }): Promise<TestDatabaseTemplate> => {
    if (database) {
      await handle.close();
      return { kind: 'postgres', adminUrl: adminUrl!, database };
    }
    const template = await snapshot(handle);
    await handle.close();
    return template;
  };

  const emptyOpened = await open(null);
  await migrateDatabase(emptyOpened.handle);
  const empty = await close(emptyOpened);
  project.provide('emptyDatabaseTemplate', empty);
  const build = async (cities: readonly string[]): Promise<TestDatabaseTemplate> => {
    const opened = await open(empty);
    for (const city of cities) await importDataset(opened.handle.db, await withoutOfficials(city, copies));
    return close(opened);
  };
  const portland = await build(['portland']);
  project.provide('testDatabaseTemplate', portland);
  const vendored: readonly string[] = VENDORED_CITIES;
  const onlyPortland = vendored.length === 1 && vendored[0] === 'portland';
  project.provide('citiesDatabaseTemplate', onlyPortland ? portland : await build(VENDORED_CITIES));
  return async () => {
    for (const remove of built.reverse()) await remove();
  };
}
