import { integer, pgTable, text, timestamp } from 'drizzle-orm/pg-core';
import { jurisdictions } from './jurisdictions.ts';

/** One row per import run: lets `npm start` skip an import whose files have not changed. */
export const datasetImports = pgTable('dataset_imports', {
  id: integer().primaryKey().generatedAlwaysAsIdentity(),
  jurisdictionId: integer()
    .notNull()
    .references(() => jurisdictions.id, { onDelete: 'cascade' }),
  contentHash: text().notNull(),
  summary: text().notNull(),
  importedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
});
