import { sql } from 'drizzle-orm';
import { boolean, check, date, index, integer, pgEnum, pgTable, text, unique } from 'drizzle-orm/pg-core';
import { recordOrigin, timestamps } from './columns.ts';
import { divisions } from './divisions.ts';
import { jurisdictions } from './jurisdictions.ts';
import { organizations } from './organizations.ts';

export const selectionMethod = pgEnum('selection_method', ['APPOINTED', 'ELECTED', 'EX_OFFICIO', 'SELF_SELECTED']);

/**
 * A seat. Vacancies are derived from memberships, never stored. A trigger in a custom migration
 * keeps overlapping holders at or under max_holders.
 */
export const posts = pgTable(
  'posts',
  {
    id: integer().primaryKey().generatedAlwaysAsIdentity(),
    jurisdictionId: integer()
      .notNull()
      .references(() => jurisdictions.id, { onDelete: 'cascade' }),
    organizationId: integer()
      .notNull()
      .references(() => organizations.id, { onDelete: 'cascade' }),
    /** Stable key within the organization, for idempotent imports ("member", "district-2"). */
    sourceKey: text().notNull(),
    label: text().notNull(),
    role: text().notNull(),
    divisionId: integer().references(() => divisions.id, { onDelete: 'restrict' }),
    appointingAuthority: text(),
    selectionMethod: selectionMethod().notNull(),
    maxHolders: integer().notNull().default(1),
    termLengthMonths: integer(),
    termLimit: integer(),
    takesApplications: boolean().notNull().default(false),
    eligibility: text(),
    createdOn: date({ mode: 'string' }),
    abolishedOn: date({ mode: 'string' }),
    /** DATASET rows follow the dataset on import; a staff edit makes a row STAFF, which imports leave alone. */
    origin: recordOrigin().notNull().default('STAFF'),
    ...timestamps,
  },
  (t) => [
    unique('posts_organization_id_source_key_unique').on(t.organizationId, t.sourceKey),
    // Target of the memberships (post_id, organization_id) foreign key.
    unique('posts_id_organization_id_unique').on(t.id, t.organizationId),
    index('posts_organization_id_label_idx').on(t.organizationId, t.label, t.id),
    index('posts_division_id_idx').on(t.divisionId),
    index('posts_jurisdiction_id_updated_at_idx').on(t.jurisdictionId, t.updatedAt),
    index('posts_jurisdiction_id_open_idx').on(t.jurisdictionId, t.id).where(sql`${t.takesApplications}`),
    check('posts_max_holders_check', sql`${t.maxHolders} >= 1`),
    check('posts_term_length_check', sql`${t.termLengthMonths} is null or ${t.termLengthMonths} > 0`),
    check('posts_term_limit_check', sql`${t.termLimit} is null or ${t.termLimit} >= 1`),
    check('posts_dates_check', sql`${t.abolishedOn} is null or ${t.createdOn} is null or ${t.createdOn} < ${t.abolishedOn}`),
  ],
);

export type PostRow = typeof posts.$inferSelect;
export type NewPostRow = typeof posts.$inferInsert;
