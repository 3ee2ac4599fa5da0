/**
 * `npm run import -- <folder> [<folder> …]`: migrates the database, imports civic dataset folders
 * (one city each, one transaction each) and prints what changed. Uses DATABASE_URL when set, else the
 * PGlite folder DATA_DIR (see src/config.ts). Holds the same lock as a starting server's preparation,
 * so an import and a server starting on the same database take turns instead of colliding.
 */
import { resolve } from 'node:path';
import { loadConfig } from '../config.ts';
import { createDatabase, type DatabaseHandle } from '../db/client.ts';
import { migrateDatabase } from '../db/migrate.ts';
import { withAdvisoryLock } from '../db/advisory-lock.ts';
import { PREPARE_LOCK } from '../app.ts';
import { formatSummary, importDataset } from '../import/index.ts';
import { describeError } from '../log-safety.ts';

async function main(argv: string[]): Promise<void> {
  if (argv.length === 0) throw new Error('Usage: npm run import -- <dataset folder> [<dataset folder> …]');
  const config = loadConfig();
  let handle: DatabaseHandle | undefined;
  try {
    handle = await createDatabase({ url: config.DATABASE_URL, dataDir: config.DATA_DIR, poolMax: config.DATABASE_POOL_MAX });
    console.log(handle.driver === 'postgres' ? 'Database: PostgreSQL (DATABASE_URL)' : `Database: PGlite in ${config.DATA_DIR}`);
    const database = handle;
    const session = await database.openSession();
    try {
      await withAdvisoryLock(session.db, PREPARE_LOCK, async () => {
        await migrateDatabase(database);
        for (const folder of argv) {
          const started = Date.now();
          const summary = await importDataset(database.db, resolve(folder), {
            onProgress: (step) => console.log(`  ${folder}: ${step} (${((Date.now() - started) / 1000).toFixed(1)} s)`),
          });
          console.log(formatSummary(summary));
        }
      });
    } finally {
      await session.close();
    }
  } finally {
    await handle?.close();
  }
}

main(process.argv.slice(2)).catch((error: unknown) => {
  console.error(`Import failed: ${describeError(error)}`);
  process.exit(1);
});
