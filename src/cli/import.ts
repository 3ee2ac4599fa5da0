/**
 * `npm run import -- <folder>`: migrates the database, imports a civic dataset folder and prints
 * what changed. Uses DATABASE_URL when set, else the PGlite folder DATA_DIR (see src/config.ts).
 */
import { resolve } from 'node:path';
import { loadConfig } from '../config.ts';
import { createDatabase, type DatabaseHandle } from '../db/client.ts';
import { migrateDatabase } from '../db/migrate.ts';
import { formatSummary, importDataset } from '../import/index.ts';
import { describeError } from '../log-safety.ts';

async function main(argv: string[]): Promise<void> {
  const folder = argv[0];
  if (!folder || argv.length > 1) throw new Error('Usage: npm run import -- <dataset folder>');
  const config = loadConfig();
  let handle: DatabaseHandle | undefined;
  try {
    handle = await createDatabase({ url: config.DATABASE_URL, dataDir: config.DATA_DIR, poolMax: config.DATABASE_POOL_MAX });
    console.log(handle.driver === 'postgres' ? 'Database: PostgreSQL (DATABASE_URL)' : `Database: PGlite in ${config.DATA_DIR}`);
    await migrateDatabase(handle);
    const summary = await importDataset(handle.db, resolve(folder));
    console.log(formatSummary(summary));
  } finally {
    await handle?.close();
  }
}

main(process.argv.slice(2)).catch((error: unknown) => {
  console.error(`Import failed: ${describeError(error)}`);
  process.exit(1);
});
