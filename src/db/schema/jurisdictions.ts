import { sql } from 'drizzle-orm';
import { check, integer, pgTable, smallint, text } from 'drizzle-orm/pg-core';
import { timestamps } from './columns.ts';

/** A city using the platform. Every other row belongs to exactly one. */
export const jurisdictions = pgTable('jurisdictions', {
  id: integer().primaryKey().generatedAlwaysAsIdentity(),
  slug: text().notNull().unique('jurisdictions_slug_unique'),
  name: text().notNull(),
  ocdId: text().notNull().unique('jurisdictions_ocd_id_unique'),
  timezone: text().notNull(),
  /**
   * k of the representation reports' small-number suppression: a non-zero count under it is never
   * published. 10 by default (CMS publishes no 1–10, Washington DOH no count under 10); never below 5.
   */
  reportMinimumCount: smallint().notNull().default(10),
  /** The language originals are written in (canonical BCP-47): text in it is never a translation. */
  defaultLocale: text().notNull().default('en'),
  /** The site languages (canonical BCP-47, the default among them): the locales translations may be in. */
  locales: text().array().notNull().default(sql`'{en}'::text[]`),
  /**
   * The division kind (a divisions.kind code) whose divisions' union is the city's own boundary
   * (Portland: COUNCIL_DISTRICT). `locate.isInJurisdiction` and citywide residency use it; null only
   * for a jurisdiction imported before 0031 (city extent) without any such division.
   */
  extentKind: text(),
  ...timestamps,
}, (t) => [
  check('jurisdictions_report_minimum_count_check', sql`${t.reportMinimumCount} between 5 and 100`),
  check('jurisdictions_default_locale_listed_check', sql`${t.defaultLocale} = any(${t.locales})`),
  check('jurisdictions_extent_kind_check', sql`${t.extentKind} ~ '^[A-Z][A-Z0-9_]*$'`),
]);

export type JurisdictionRow = typeof jurisdictions.$inferSelect;
export type NewJurisdictionRow = typeof jurisdictions.$inferInsert;
