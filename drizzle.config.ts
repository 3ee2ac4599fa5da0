import { defineConfig } from 'drizzle-kit';

// drizzle-kit only generates SQL from src/db/schema; the app applies it with its own migrator
// (src/db/migrate.ts) on PGlite and PostgreSQL alike.
export default defineConfig({
  dialect: 'postgresql',
  schema: './src/db/schema/index.ts',
  out: './drizzle',
  casing: 'snake_case',
});
