import type { Logger } from 'pino';
import { withAdvisoryLock } from './db/advisory-lock.ts';
import type { DatabaseHandle } from './db/client.ts';
import { migrateDatabase } from './db/migrate.ts';
import { jurisdictions } from './db/schema/index.ts';
import { importDataset, isDatasetCurrent } from './import/import-dataset.ts';
import { addSampleMembers } from './import/sample-members.ts';

async function hasAnyJurisdiction(database: DatabaseHandle): Promise<boolean> {
  return (await database.db.select({ id: jurisdictions.id }).from(jurisdictions).limit(1)).length > 0;
}

export interface PrepareOptions {
  datasetDir: string;
  sampleMembers: boolean;
  jurisdiction: string;
  logger: Logger;
}

/** The advisory lock held while a process prepares the database; see prepareDatabase. */
export const PREPARE_LOCK = 'civic-graph:prepare-database';

/**
 * Brings a database to a servable state: migrations, the city's dataset when it is new or has
 * changed (a warm start skips it after one hash check), then the demo's sample members if wanted.
 * Instances starting together take turns holding PREPARE_LOCK: the first migrates and imports, the
 * next find both done (two imports at once would collide on their unique keys).
 */
export async function prepareDatabase(database: DatabaseHandle, options: PrepareOptions): Promise<void> {
  const session = await database.openSession();
  try {
    await withAdvisoryLock(session.db, PREPARE_LOCK, () => prepare(database, options));
  } finally {
    await session.close();
  }
}

async function prepare(database: DatabaseHandle, options: PrepareOptions): Promise<void> {
  const { logger } = options;
  let started = Date.now();
  await migrateDatabase(database);
  logger.info({ ms: Date.now() - started }, 'migrations applied');

  if (await isDatasetCurrent(database.db, options.datasetDir)) {
    logger.info({ dataset: options.datasetDir }, 'dataset already imported');
  } else {
    started = Date.now();
    try {
      const summary = await importDataset(database.db, options.datasetDir);
      logger.info({ dataset: options.datasetDir, ms: Date.now() - started, summary }, 'dataset imported');
    } catch (error) {
      // A changed dataset that conflicts with staff edits must not take a serving city offline:
      // the import changed nothing (one transaction), so keep serving what is there and say why.
      if (!(await hasAnyJurisdiction(database))) throw error;
      logger.error({ err: error, dataset: options.datasetDir }, 'dataset import refused; serving the data already in the database');
    }
  }

  if (options.sampleMembers) {
    const added = await addSampleMembers(database.db, options.jurisdiction);
    if (added.people > 0) logger.info(added, 'sample members added (labelled "(sample)"; not real people)');
  }
}
