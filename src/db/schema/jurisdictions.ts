import { integer, pgTable, text } from 'drizzle-orm/pg-core';
import { timestamps } from './columns.ts';

/** A city using the platform. Every other row belongs to exactly one. */
export const jurisdictions = pgTable('jurisdictions', {
  id: integer().primaryKey().generatedAlwaysAsIdentity(),
  slug: text().notNull().unique('jurisdictions_slug_unique'),
  name: text().notNull(),
  ocdId: text().notNull().unique('jurisdictions_ocd_id_unique'),
  timezone: text().notNull(),
  ...timestamps,
});

export type JurisdictionRow = typeof jurisdictions.$inferSelect;
export type NewJurisdictionRow = typeof jurisdictions.$inferInsert;
