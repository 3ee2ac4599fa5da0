import { sql } from 'drizzle-orm';
import { check, date, foreignKey, index, integer, pgEnum, pgTable, primaryKey, serial, smallint, text, timestamp } from 'drizzle-orm/pg-core';
import { recordOrigin, timestamps } from './columns.ts';
import { jurisdictions } from './jurisdictions.ts';
import { organizationKinds } from './kinds.ts';
import { organizations } from './organizations.ts';

/**
 * Compliance (issue 15): what each kind of organization must do to keep its standing, read from the
 * dataset's compliance_requirements.csv, and the evidence staff record that it did. A requirement's
 * status on a date is derived from the evidence (or, for a registration renewal, from the
 * organization's registration dates), never stored.
 */

/** How a requirement is shown to be met: by evidence staff record, or by the organization's registration dates. */
export const complianceMetBy = pgEnum('compliance_met_by', ['EVIDENCE', 'REGISTRATION']);

const CODE_CHECK = `'^[A-Z][A-Z0-9_]*$'`;

export const complianceRequirements = pgTable(
  'compliance_requirements',
  {
    jurisdictionId: integer().notNull(),
    organizationKind: text().notNull(),
    code: text().notNull(),
    name: text().notNull(),
    description: text().notNull(),
    /** Months one piece of evidence counts for; null: met once for good (bylaws on file). */
    recurrenceMonths: smallint(),
    metBy: complianceMetBy().notNull(),
    /** The law or standard the requirement comes from, with a URL where one is known. */
    source: text().notNull(),
    sortOrder: smallint().notNull().default(0),
    origin: recordOrigin().notNull().default('STAFF'),
    ...timestamps,
  },
  (t) => [
    primaryKey({ name: 'compliance_requirements_pkey', columns: [t.jurisdictionId, t.organizationKind, t.code] }),
    foreignKey({ name: 'compliance_requirements_kind_fk', columns: [t.jurisdictionId, t.organizationKind], foreignColumns: [organizationKinds.jurisdictionId, organizationKinds.code] })
      .onDelete('cascade')
      .onUpdate('cascade'),
    check('compliance_requirements_code_check', sql`${t.code} ~ ${sql.raw(CODE_CHECK)}`),
    check('compliance_requirements_recurrence_check', sql`${t.recurrenceMonths} is null or ${t.recurrenceMonths} between 1 and 120`),
    check('compliance_requirements_registration_check', sql`${t.metBy} = 'EVIDENCE' or ${t.recurrenceMonths} is null`),
  ],
);

/**
 * Evidence that an organization met a requirement on a date. Staff-written and never deleted: a
 * mistake is withdrawn (a dated correction, with who and why), and the withdrawn row stays. No
 * foreign key to the requirement: an import replaces the requirements, and evidence must outlive that.
 */
export const complianceEvidence = pgTable(
  'compliance_evidence',
  {
    id: serial().primaryKey(),
    jurisdictionId: integer()
      .notNull()
      .references(() => jurisdictions.id, { onDelete: 'cascade' }),
    organizationId: integer()
      .notNull()
      .references(() => organizations.id, { onDelete: 'cascade' }),
    requirementCode: text().notNull(),
    /** The day the requirement was met (the annual meeting's date, the day the bylaws were adopted). */
    metOn: date({ mode: 'string' }).notNull(),
    /** The public document showing it (minutes, bylaws), http(s). */
    documentUrl: text(),
    /** Staff's note: staff-only. */
    note: text(),
    recordedBy: text().notNull(),
    recordedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    /** The city's local date of the withdrawal: the evidence no longer counts from that day on. */
    withdrawnOn: date({ mode: 'string' }),
    withdrawnAt: timestamp({ withTimezone: true }),
    withdrawnBy: text(),
    withdrawalReason: text(),
    ...timestamps,
  },
  (t) => [
    index('compliance_evidence_organization_id_idx').on(t.organizationId, t.requirementCode, t.metOn),
    index('compliance_evidence_jurisdiction_id_idx').on(t.jurisdictionId, t.requirementCode),
    check('compliance_evidence_code_check', sql`${t.requirementCode} ~ ${sql.raw(CODE_CHECK)}`),
    check('compliance_evidence_document_url_check', sql`${t.documentUrl} is null or ${t.documentUrl} ~* '^https?://'`),
    check(
      'compliance_evidence_withdrawal_check',
      sql`(${t.withdrawnOn} is null) = (${t.withdrawnAt} is null) and (${t.withdrawnOn} is null) = (${t.withdrawnBy} is null) and (${t.withdrawnOn} is null) = (${t.withdrawalReason} is null)`,
    ),
  ],
);

/**
 * Each lapse of an organization's requirement, recorded once by the lapse job
 * (src/modules/compliance/compliance-lapses.ts) on the first day it reads OVERDUE: the status is
 * derived from dates, so nothing else changes that day, and this row is what reaches the change
 * feed (it touches the organization).
 */
export const complianceLapses = pgTable(
  'compliance_lapses',
  {
    organizationId: integer()
      .notNull()
      .references(() => organizations.id, { onDelete: 'cascade' }),
    requirementCode: text().notNull(),
    /** The first day OVERDUE: the day after the last evidence's `nextDueOn`. */
    lapsedOn: date({ mode: 'string' }).notNull(),
    recordedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ name: 'compliance_lapses_pkey', columns: [t.organizationId, t.requirementCode, t.lapsedOn] })],
);

export type ComplianceRequirementRow = typeof complianceRequirements.$inferSelect;
export type ComplianceEvidenceRow = typeof complianceEvidence.$inferSelect;
export type ComplianceMetBy = (typeof complianceMetBy.enumValues)[number];
