import { randomBytes } from 'node:crypto';
import { cp, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import postgres from 'postgres';
import type { TestProject } from 'vitest/node';
import { createDatabase } from '../../src/db/client.ts';
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
 * Migrates and imports once per run, twice: Portland alone, and every vendored city. Test files copy
 * a result instead of redoing it.
 */
export default async function setup(project: TestProject) {
  const adminUrl = process.env.TEST_DATABASE_URL;
  const built: Array<() => Promise<void>> = [];
  const copies: string[] = [];
  built.push(async () => {
    for (const dir of copies) await rm(dir, { recursive: true, force: true });
  });
  const build = async (cities: readonly string[]): Promise<TestDatabaseTemplate> => {
    if (adminUrl) {
      const database = `civic_graph_template_${randomBytes(6).toString('hex')}`;
      const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
      await admin.unsafe(`create database "${database}"`);
      await admin.end();
      built.push(async () => {
        const cleanup = postgres(adminUrl, { max: 1, onnotice: () => {} });
        await cleanup.unsafe(`drop database if exists "${database}" with (force)`);
        await cleanup.end();
      });
      const url = new URL(adminUrl);
      url.pathname = `/${database}`;
      const handle = await createDatabase({ url: url.toString() });
      await migrateDatabase(handle);
      for (const city of cities) await importDataset(handle.db, await withoutOfficials(city, copies));
      await handle.close();
      return { kind: 'postgres', adminUrl, database };
    }
    const handle = await createDatabase({ dataDir: 'memory://' });
    await migrateDatabase(handle);
    for (const city of cities) await importDataset(handle.db, await withoutOfficials(city, copies));
    const snapshotPath = join(tmpdir(), `civic-graph-test-${process.pid}-${randomBytes(4).toString('hex')}.tar`);
    await writeFile(snapshotPath, Buffer.from(await (await handle.dump!()).arrayBuffer()));
    await handle.close();
    built.push(() => rm(snapshotPath, { force: true }));
    return { kind: 'pglite', snapshotPath };
  };
  const portland = await build(['portland']);
  project.provide('testDatabaseTemplate', portland);
  const vendored: readonly string[] = VENDORED_CITIES;
  const onlyPortland = vendored.length === 1 && vendored[0] === 'portland';
  project.provide('citiesDatabaseTemplate', onlyPortland ? portland : await build(VENDORED_CITIES));
  return async () => {
    for (const remove of built) await remove();
  };
}
