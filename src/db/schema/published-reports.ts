import { sql } from 'drizzle-orm';
import { check, integer, jsonb, pgTable, smallint, text, timestamp, unique } from 'drizzle-orm/pg-core';
import { jurisdictions } from './jurisdictions.ts';

/** One published count as stored: the number, or null when it is withheld (its true value is never stored). */
export type StoredCell = number | null;

/** One table of a frozen publication: the published (already suppressed) cells of one group. */
export interface StoredTable {
  respondents: StoredCell;
  questions: { question: string; statuses: [string, StoredCell][]; categories: [string, StoredCell][] }[];
  interpretation: { requests: StoredCell; languages: [string, StoredCell][] };
}

/** The frozen publication set of one (jurisdiction, year, context): k and every group's published table. */
export interface StoredPublication {
  k: number;
  /** By group key (`city`, `kind:BOARD`, `body:12`, `district:7`, `district:UNKNOWN`). */
  groups: Record<string, StoredTable>;
}

/**
 * A year's representation report as first read, frozen: later reads serve this copy, so nothing
 * that changes afterwards (a body's kind, k, a late response, an amended application) can make two
 * reads differ by a withheld count. Holds only what the report published: a withheld cell is null.
 */
export const publishedReports = pgTable(
  'published_reports',
  {
    id: integer().primaryKey().generatedAlwaysAsIdentity(),
    jurisdictionId: integer()
      .notNull()
      .references(() => jurisdictions.id, { onDelete: 'cascade' }),
    reportingYear: smallint().notNull(),
    /** APPLICANT, MEMBER or EXIT (the demographic response context). */
    context: text().notNull(),
    publishedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    tables: jsonb().$type<StoredPublication>().notNull(),
  },
  (t) => [
    unique('published_reports_jurisdiction_id_reporting_year_context_unique').on(t.jurisdictionId, t.reportingYear, t.context),
    check('published_reports_context_check', sql`${t.context} in ('APPLICANT', 'MEMBER', 'EXIT')`),
    check('published_reports_reporting_year_check', sql`${t.reportingYear} between 2000 and 2100`),
  ],
);

export type PublishedReportRow = typeof publishedReports.$inferSelect;
