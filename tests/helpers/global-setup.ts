import { randomBytes } from 'node:crypto';
import { cp, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import postgres from 'postgres';
import type { TestProject } from 'vitest/node';
import { createDatabase } from '../../src/db/client.ts';
import { migrateDatabase } from '../../src/db/migrate.ts';
import { importDataset } from '../../src/import/import-dataset.ts';
import { DATASET_FILES } from '../../src/datasets/format.ts';

export type TestDatabaseTemplate =
  | { kind: 'pglite'; snapshotPath: string }
  | { kind: 'postgres'; adminUrl: string; database: string };

declare module 'vitest' {
  export interface ProvidedContext {
    testDatabaseTemplate: TestDatabaseTemplate;
  }
}

const portlandFolder = fileURLToPath(new URL('../../src/datasets/portland', import.meta.url));

/**
 * The template holds Portland without its officials (people.csv, memberships.csv): tests fill the
 * council's seats with their own people. tests/import/officials.test.ts imports the officials.
 */
async function portlandWithoutOfficials(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'civic-graph-portland-'));
  const officials: string[] = [DATASET_FILES.people, DATASET_FILES.memberships];
  for (const name of Object.values(DATASET_FILES)) {
    if (!officials.includes(name)) await cp(join(portlandFolder, name), join(dir, name));
  }
  return dir;
}

/** Migrates and imports Portland once per run; test files copy the result instead of redoing it. */
export default async function setup(project: TestProject) {
  const portlandDataset = await portlandWithoutOfficials();
  const adminUrl = process.env.TEST_DATABASE_URL;
  if (adminUrl) {
    const database = `civic_graph_template_${randomBytes(6).toString('hex')}`;
    const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
    await admin.unsafe(`create database "${database}"`);
    const url = new URL(adminUrl);
    url.pathname = `/${database}`;
    const handle = await createDatabase({ url: url.toString() });
    await migrateDatabase(handle);
    await importDataset(handle.db, portlandDataset);
    await handle.close();
    project.provide('testDatabaseTemplate', { kind: 'postgres', adminUrl, database });
    return async () => {
      await rm(portlandDataset, { recursive: true, force: true });
      await admin.unsafe(`drop database if exists "${database}" with (force)`);
      await admin.end();
    };
  }
  const handle = await createDatabase({ dataDir: 'memory://' });
  await migrateDatabase(handle);
  await importDataset(handle.db, portlandDataset);
  const snapshotPath = join(tmpdir(), `civic-graph-test-${process.pid}-${randomBytes(4).toString('hex')}.tar`);
  await writeFile(snapshotPath, Buffer.from(await (await handle.dump!()).arrayBuffer()));
  await handle.close();
  project.provide('testDatabaseTemplate', { kind: 'pglite', snapshotPath });
  return async () => {
    await rm(snapshotPath, { force: true });
    await rm(portlandDataset, { recursive: true, force: true });
  };
}
