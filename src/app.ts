import { eq } from 'drizzle-orm';
import type { Logger } from 'pino';
import { withAdvisoryLock } from './db/advisory-lock.ts';
import type { DatabaseHandle } from './db/client.ts';
import { migrateDatabase } from './db/migrate.ts';
import { jurisdictions } from './db/schema/index.ts';
import { datasetSlug, importDataset, isDatasetCurrent } from './import/import-dataset.ts';
import { addSampleMembers } from './import/sample-members.ts';

async function hasJurisdiction(database: DatabaseHandle, slug: string | undefined): Promise<boolean> {
  if (slug === undefined) return false;
  return (await database.db.select({ id: jurisdictions.id }).from(jurisdictions).where(eq(jurisdictions.slug, slug)).limit(1)).length > 0;
}

export interface PrepareOptions {
  /** Civic dataset folders, one per city, imported in this order (each in its own transaction). */
  datasetDirs: readonly string[];
  sampleMembers: boolean;
  jurisdiction: string;
  logger: Logger;
}

/** The advisory lock held while a process prepares the database; see prepareDatabase. */
export const PREPARE_LOCK = 'civic-graph:prepare-database';

/**
 * Brings a database to a servable state: migrations, each city's dataset when it is new or has
 * changed (a warm start skips each after one hash check), then the demo's sample members if wanted.
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
  const started = Date.now();
  await migrateDatabase(database);
  logger.info({ ms: Date.now() - started }, 'migrations applied');

  for (const datasetDir of options.datasetDirs) await prepareCity(database, datasetDir, logger);

  if (options.sampleMembers) {
    const added = await addSampleMembers(database.db, options.jurisdiction);
    if (added.people > 0) logger.info(added, 'sample members added (labelled "(sample)"; not real people)');
  }
}

/**
 * One city's dataset: skipped after one hash check when unchanged, else imported in one transaction.
 * A changed dataset that cannot be imported (it conflicts with staff edits, say) must not take a
 * serving city offline: the import changed nothing, so the city keeps the data it has and the log
 * says why. A city that has never been imported has nothing to serve, so its failure stops the start.
 */
async function prepareCity(database: DatabaseHandle, datasetDir: string, logger: Logger): Promise<void> {
  const slug = await datasetSlug(datasetDir);
  if (await isDatasetCurrent(database.db, datasetDir)) {
    logger.info({ dataset: datasetDir, jurisdiction: slug }, 'dataset already imported');
    return;
  }
  const started = Date.now();
  logger.info({ dataset: datasetDir, jurisdiction: slug }, 'importing dataset');
  try {
    const summary = await importDataset(database.db, datasetDir, {
      onProgress: (step) => logger.info({ jurisdiction: slug, step, ms: Date.now() - started }, 'importing dataset: step'),
    });
    logger.info({ dataset: datasetDir, jurisdiction: slug, ms: Date.now() - started, summary }, 'dataset imported');
  } catch (error) {
    if (!(await hasJurisdiction(database, slug))) throw error;
    logger.error({ err: error, dataset: datasetDir, jurisdiction: slug }, 'dataset import refused; serving the data already in the database');
  }
}
