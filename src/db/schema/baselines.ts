import { sql } from 'drizzle-orm';
import { check, doublePrecision, index, integer, pgTable, smallint, text, unique } from 'drizzle-orm/pg-core';
import { timestamps } from './columns.ts';
import { divisions } from './divisions.ts';
import { jurisdictions } from './jurisdictions.ts';

/**
 * The population a jurisdiction's bodies serve, as shares per demographic question and category
 * (for example from census tables), for the city (division null) or a council district. Imported
 * from CSV; one import replaces the jurisdiction's rows of its source.
 */
export const populationBaselines = pgTable(
  'population_baselines',
  {
    id: integer().primaryKey().generatedAlwaysAsIdentity(),
    jurisdictionId: integer()
      .notNull()
      .references(() => jurisdictions.id, { onDelete: 'cascade' }),
    /** The council district the share is of; null for the whole city. */
    divisionId: integer().references(() => divisions.id, { onDelete: 'cascade' }),
    /** A question key of the catalog (src/modules/demographics/questions.ts). */
    question: text().notNull(),
    /** One of the question's category codes (or a BCP-47 tag, a ZIP code for open lists). */
    category: text().notNull(),
    /** Share of the population, 0 to 1. */
    share: doublePrecision().notNull(),
    /** Where the numbers come from, for example "ACS 2023 5-year, table B03002". */
    source: text().notNull(),
    sourceYear: smallint().notNull(),
    ...timestamps,
  },
  (t) => [
    unique('population_baselines_jurisdiction_id_source_division_id_question_category_unique')
      .on(t.jurisdictionId, t.source, t.divisionId, t.question, t.category)
      .nullsNotDistinct(),
    index('population_baselines_jurisdiction_id_division_id_idx').on(t.jurisdictionId, t.divisionId),
    check('population_baselines_share_check', sql`${t.share} >= 0 and ${t.share} <= 1`),
    check('population_baselines_source_year_check', sql`${t.sourceYear} between 1900 and 2100`),
    check('population_baselines_source_check', sql`length(${t.source}) between 1 and 200`),
  ],
);

export type PopulationBaselineRow = typeof populationBaselines.$inferSelect;
export type NewPopulationBaselineRow = typeof populationBaselines.$inferInsert;
