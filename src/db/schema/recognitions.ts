import { sql } from 'drizzle-orm';
import { check, date, index, integer, pgEnum, pgTable, text } from 'drizzle-orm/pg-core';
import { timestamps } from './columns.ts';
import { divisions } from './divisions.ts';
import { jurisdictions } from './jurisdictions.ts';
import { organizations } from './organizations.ts';

export const recognitionStatus = pgEnum('recognition_status', ['RECOGNIZED', 'SUSPENDED', 'WITHDRAWN']);

/**
 * Dated recognition status of an association, half-open [start_date, end_date). One status per
 * organization at any date (exclusion constraint in a custom migration).
 */
export const recognitions = pgTable(
  'recognitions',
  {
    id: integer().primaryKey().generatedAlwaysAsIdentity(),
    jurisdictionId: integer()
      .notNull()
      .references(() => jurisdictions.id, { onDelete: 'cascade' }),
    organizationId: integer()
      .notNull()
      .references(() => organizations.id, { onDelete: 'cascade' }),
    status: recognitionStatus().notNull(),
    startDate: date({ mode: 'string' }).notNull(),
    endDate: date({ mode: 'string' }),
    /** The rule or decision behind it, e.g. "City Code 3.96". */
    basis: text(),
    note: text(),
    ...timestamps,
  },
  (t) => [
    index('recognitions_organization_id_start_date_idx').on(t.organizationId, t.startDate),
    check('recognitions_dates_check', sql`${t.endDate} is null or ${t.startDate} < ${t.endDate}`),
  ],
);

/** A written agreement that lets two neighborhood boundaries overlap. Stored with the lower id first. */
export const boundaryAgreements = pgTable(
  'boundary_agreements',
  {
    id: integer().primaryKey().generatedAlwaysAsIdentity(),
    jurisdictionId: integer()
      .notNull()
      .references(() => jurisdictions.id, { onDelete: 'cascade' }),
    divisionId: integer()
      .notNull()
      .references(() => divisions.id, { onDelete: 'cascade' }),
    otherDivisionId: integer()
      .notNull()
      .references(() => divisions.id, { onDelete: 'cascade' }),
    signedOn: date({ mode: 'string' }).notNull(),
    documentUrl: text(),
    ...timestamps,
  },
  (t) => [
    index('boundary_agreements_division_id_idx').on(t.divisionId),
    index('boundary_agreements_other_division_id_idx').on(t.otherDivisionId),
    check('boundary_agreements_order_check', sql`${t.divisionId} < ${t.otherDivisionId}`),
  ],
);

export type RecognitionRow = typeof recognitions.$inferSelect;
export type BoundaryAgreementRow = typeof boundaryAgreements.$inferSelect;
