/**
 * `npm run db:migrate`: applies drizzle/ to the configured database (DATABASE_URL, else the PGlite
 * folder DATA_DIR) with the same migrator that `npm start` and the tests use.
 */
import { loadConfig } from '../config.ts';
import { createDatabase } from '../db/client.ts';
import { migrateDatabase } from '../db/migrate.ts';

const config = loadConfig();
const handle = await createDatabase({ url: config.DATABASE_URL, dataDir: config.DATA_DIR });
try {
  await migrateDatabase(handle);
  console.log(`Migrations applied (${handle.driver === 'postgres' ? 'PostgreSQL' : `PGlite in ${config.DATA_DIR}`}).`);
} finally {
  await handle.close();
}
