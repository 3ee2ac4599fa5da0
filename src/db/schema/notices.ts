import { sql } from 'drizzle-orm';
import { boolean, check, doublePrecision, foreignKey, integer, pgEnum, pgTable, primaryKey, smallint, text } from 'drizzle-orm/pg-core';
import { recordOrigin, timestamps } from './columns.ts';
import { jurisdictions } from './jurisdictions.ts';
import { organizationKinds } from './kinds.ts';

/**
 * Who must be told about a land-use case (issue 15), as each city's rules say, read from the
 * dataset's notice_procedures.csv, notice_rules.csv and notice_deadlines.csv. A procedure is a kind
 * of case (Philadelphia's zoning variance, New York's ULURP); its rules name the kinds of
 * organization notified and how far they reach; its deadlines count days from the filing.
 */

/** Whether the rule obliges notice (MUST) or the city asks for it as good practice (SHOULD). */
export const noticeRequirement = pgEnum('notice_requirement', ['MUST', 'SHOULD']);

/** Which organizations of the kind a rule reaches: those whose area holds the site, or those within a distance of it. */
export const noticeReach = pgEnum('notice_reach', ['CONTAINS_SITE', 'WITHIN_DISTANCE']);

/** What a deadline's days count from: the filing, or the end of the step before. */
export const noticeDeadlineStart = pgEnum('notice_deadline_start', ['FILING', 'PREVIOUS_STEP']);

const CODE_CHECK = `'^[A-Z][A-Z0-9_]*$'`;

export const noticeProcedures = pgTable(
  'notice_procedures',
  {
    jurisdictionId: integer()
      .notNull()
      .references(() => jurisdictions.id, { onDelete: 'cascade' }),
    code: text().notNull(),
    name: text().notNull(),
    /** What the procedure is and how notice works in it (coordination, meetings), in plain words. */
    description: text().notNull(),
    /** The law or page the rule comes from. */
    source: text().notNull(),
    sortOrder: smallint().notNull().default(0),
    origin: recordOrigin().notNull().default('STAFF'),
    ...timestamps,
  },
  (t) => [
    primaryKey({ name: 'notice_procedures_pkey', columns: [t.jurisdictionId, t.code] }),
    check('notice_procedures_code_check', sql`${t.code} ~ ${sql.raw(CODE_CHECK)}`),
  ],
);

export const noticeRules = pgTable(
  'notice_rules',
  {
    jurisdictionId: integer().notNull(),
    procedureCode: text().notNull(),
    organizationKind: text().notNull(),
    requirement: noticeRequirement().notNull(),
    reach: noticeReach().notNull(),
    /** For WITHIN_DISTANCE: how far from the site, in meters on the sphere (a rule in feet is converted). */
    distanceMeters: doublePrecision(),
    /** Only organizations registered on the filing date (Philadelphia: a lapsed RCO is not notified). */
    registeredOnly: boolean().notNull().default(false),
    /** What the organization does in the procedure (convenes the community meeting, holds the hearing). */
    role: text().notNull(),
    ...timestamps,
  },
  (t) => [
    primaryKey({ name: 'notice_rules_pkey', columns: [t.jurisdictionId, t.procedureCode, t.organizationKind] }),
    foreignKey({ name: 'notice_rules_procedure_fk', columns: [t.jurisdictionId, t.procedureCode], foreignColumns: [noticeProcedures.jurisdictionId, noticeProcedures.code] })
      .onDelete('cascade')
      .onUpdate('cascade'),
    foreignKey({ name: 'notice_rules_kind_fk', columns: [t.jurisdictionId, t.organizationKind], foreignColumns: [organizationKinds.jurisdictionId, organizationKinds.code] })
      .onDelete('cascade')
      .onUpdate('cascade'),
    check(
      'notice_rules_distance_check',
      sql`(${t.reach} = 'WITHIN_DISTANCE') = (${t.distanceMeters} is not null) and (${t.distanceMeters} is null or ${t.distanceMeters} between 0 and 10000)`,
    ),
  ],
);

export const noticeDeadlines = pgTable(
  'notice_deadlines',
  {
    jurisdictionId: integer().notNull(),
    procedureCode: text().notNull(),
    /** The step's order in the procedure (1, 2, …). */
    step: smallint().notNull(),
    /** What must be done by the deadline ("the community board holds a hearing and recommends"). */
    label: text().notNull(),
    /** Who must do it ("the applicant", "the community board"). */
    responsible: text().notNull(),
    /** Calendar days the step has. */
    days: smallint().notNull(),
    /** Whether the days count from the filing or from the end of the step before (never for step 1). */
    countedFrom: noticeDeadlineStart().notNull(),
    ...timestamps,
  },
  (t) => [
    primaryKey({ name: 'notice_deadlines_pkey', columns: [t.jurisdictionId, t.procedureCode, t.step] }),
    foreignKey({ name: 'notice_deadlines_procedure_fk', columns: [t.jurisdictionId, t.procedureCode], foreignColumns: [noticeProcedures.jurisdictionId, noticeProcedures.code] })
      .onDelete('cascade')
      .onUpdate('cascade'),
    check('notice_deadlines_step_check', sql`${t.step} > 0 and (${t.step} > 1 or ${t.countedFrom} = 'FILING')`),
    check('notice_deadlines_days_check', sql`${t.days} between 0 and 3650`),
  ],
);

export type NoticeProcedureRow = typeof noticeProcedures.$inferSelect;
export type NoticeRuleRow = typeof noticeRules.$inferSelect;
export type NoticeDeadlineRow = typeof noticeDeadlines.$inferSelect;
