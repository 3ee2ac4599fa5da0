import type { Logger } from 'pino';
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

/**
 * Brings a database to a servable state: migrations, the city's dataset when it is new or has
 * changed (a warm start skips it after one hash check), then the demo's sample members if wanted.
 */
export async function prepareDatabase(database: DatabaseHandle, options: PrepareOptions): Promise<void> {
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
