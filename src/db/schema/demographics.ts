import { sql } from 'drizzle-orm';
import { boolean, check, index, integer, jsonb, pgSchema, smallint, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { divisions } from './divisions.ts';
import { jurisdictions } from './jurisdictions.ts';
import { organizations } from './organizations.ts';

/**
 * Voluntary demographic answers live in a schema of their own so that grants can keep them apart:
 * the reporting role reads only the aggregate views of migration 0017, never a row of `responses`.
 */
export const demographicsSchema = pgSchema('demographics');

/** Why the person answered: when applying, while serving, or when leaving a body. */
export const demographicContext = demographicsSchema.enum('response_context', ['APPLICANT', 'MEMBER', 'EXIT']);

/** One question's answer as stored; a question missing from `answers` was not asked. */
export interface StoredAnswer {
  status: 'ANSWERED' | 'DECLINED' | 'DONT_KNOW';
  /** Category codes (or BCP-47 tags, ZIP codes) chosen; only with ANSWERED. */
  values?: string[];
  /** The respondent's own words for a SELF_DESCRIBED choice; stored, never reported. */
  selfDescribed?: string;
}

/**
 * One voluntary demographic response. Deliberately unlinkable to a person or an application: no
 * foreign key to people or applications, no timestamp (only the reporting year), a random id
 * instead of a sequence. It records only what the reports group by.
 */
export const demographicResponses = demographicsSchema.table(
  'responses',
  {
    id: uuid().primaryKey().defaultRandom(),
    jurisdictionId: integer()
      .notNull()
      .references(() => jurisdictions.id, { onDelete: 'cascade' }),
    /** The body applied to, served on or left. */
    organizationId: integer()
      .notNull()
      .references(() => organizations.id, { onDelete: 'restrict' }),
    context: demographicContext().notNull(),
    reportingYear: smallint().notNull(),
    /** The respondent's council district when known (derived from the residence they gave). */
    councilDistrictId: integer().references(() => divisions.id, { onDelete: 'restrict' }),
    answers: jsonb().$type<Record<string, StoredAnswer>>().notNull().default(sql`'{}'::jsonb`),
    /**
     * Set once the unlink job (unlink-job.ts) has rewritten the row in a transaction of its own, in
     * random order: its transaction id and place on disk then no longer match its application's.
     */
    unlinked: boolean().notNull().default(false),
  },
  (t) => [
    index('responses_jurisdiction_id_reporting_year_context_idx').on(t.jurisdictionId, t.reportingYear, t.context),
    index('responses_not_unlinked_idx').on(t.unlinked).where(sql`not ${t.unlinked}`),
    check('responses_reporting_year_check', sql`${t.reportingYear} between 2000 and 2100`),
    check('responses_answers_check', sql`jsonb_typeof(${t.answers}) = 'object'`),
  ],
);

export type DemographicResponseRow = typeof demographicResponses.$inferSelect;
export type NewDemographicResponseRow = typeof demographicResponses.$inferInsert;

/**
 * Anonymous single-use invitations to the members' (MEMBER) or leavers' (EXIT) survey. They name no
 * person and keep only the SHA-256 of the token; answering deletes the invitation in the same
 * transaction that stores the response, so nothing links a token to its response.
 */
export const demographicSurveyInvitations = demographicsSchema.table(
  'survey_invitations',
  {
    tokenHash: text().primaryKey(),
    jurisdictionId: integer()
      .notNull()
      .references(() => jurisdictions.id, { onDelete: 'cascade' }),
    organizationId: integer()
      .notNull()
      .references(() => organizations.id, { onDelete: 'cascade' }),
    context: demographicContext().notNull(),
    expiresAt: timestamp({ withTimezone: true }).notNull(),
  },
  (t) => [
    index('survey_invitations_expires_at_idx').on(t.expiresAt),
    check('survey_invitations_context_check', sql`${t.context} <> 'APPLICANT'`),
  ],
);

export type DemographicSurveyInvitationRow = typeof demographicSurveyInvitations.$inferSelect;
export type NewDemographicSurveyInvitationRow = typeof demographicSurveyInvitations.$inferInsert;
