/**
 * `npm run db:migrate`: applies drizzle/ to the configured database (DATABASE_URL, else the PGlite
 * folder DATA_DIR) with the same migrator that `npm start` and the tests use.
 */
import { loadConfig } from '../config.ts';
import { createDatabase } from '../db/client.ts';
import { migrateDatabase } from '../db/migrate.ts';
import { describeError } from '../log-safety.ts';

try {
  const config = loadConfig();
  const handle = await createDatabase({ url: config.DATABASE_URL, dataDir: config.DATA_DIR });
  try {
    await migrateDatabase(handle);
    console.log(`Migrations applied (${handle.driver === 'postgres' ? 'PostgreSQL' : `PGlite in ${config.DATA_DIR}`}).`);
  } finally {
    await handle.close();
  }
} catch (error) {
  // Not Node's report of an uncaught error, which prints a failed statement's parameters.
  console.error(`db:migrate: ${describeError(error)}`);
  process.exit(1);
}
