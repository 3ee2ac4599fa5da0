import { sql } from 'drizzle-orm';
import { boolean, check, date, foreignKey, index, integer, pgEnum, pgTable, text, unique, type AnyPgColumn } from 'drizzle-orm/pg-core';
import { recordOrigin, timestamps } from './columns.ts';
import { divisions } from './divisions.ts';
import { jurisdictions } from './jurisdictions.ts';
import { organizations } from './organizations.ts';

export const selectionMethod = pgEnum('selection_method', ['APPOINTED', 'ELECTED', 'EX_OFFICIO', 'SELF_SELECTED']);
/** How a seat's `term_limit` counts terms: in a row (a gap resets it) or over a whole life. */
export const termLimitCounting = pgEnum('term_limit_counting', ['CONSECUTIVE_TERMS', 'TOTAL_TERMS']);

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
    // How the seat is filled (issue 13): see src/datasets/FORMAT.md, posts.csv.
    /** False for non-voting seats (NYC council members sitting ex officio on a community board). */
    voting: boolean().notNull().default(true),
    /** The consenting body: appointments need its consent date. */
    confirmedByOrganizationId: integer().references(() => organizations.id, { onDelete: 'no action' }),
    /** The seat (same organization) this one is the alternate for. */
    alternateForPostId: integer(),
    /** `MM-DD`: terms run from this day of the year (NYC: 04-01). */
    termAnchor: text(),
    /** Terms are staggered in this many classes (with a term anchor). */
    staggerClasses: integer(),
    /** Months a holder may stay past the scheduled end; null: until replaced. */
    holdoverLimitMonths: integer(),
    termLimitCounting: termLimitCounting().notNull().default('CONSECUTIVE_TERMS'),
    minAge: integer(),
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
    foreignKey({
      name: 'posts_alternate_for_post_id_organization_id_fk',
      columns: [t.alternateForPostId, t.organizationId],
      foreignColumns: [t.id, t.organizationId],
    }),
    check('posts_alternate_not_self_check', sql`${t.alternateForPostId} is null or ${t.alternateForPostId} <> ${t.id}`),
    check('posts_term_anchor_check', sql`${t.termAnchor} is null or ${t.termAnchor} ~ '^(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$'`),
    check('posts_stagger_classes_check', sql`${t.staggerClasses} is null or (${t.staggerClasses} >= 2 and ${t.termAnchor} is not null)`),
    check('posts_holdover_limit_check', sql`${t.holdoverLimitMonths} is null or ${t.holdoverLimitMonths} >= 0`),
    check('posts_min_age_check', sql`${t.minAge} is null or ${t.minAge} between 0 and 120`),
    check('posts_dates_check', sql`${t.abolishedOn} is null or ${t.createdOn} is null or ${t.createdOn} < ${t.abolishedOn}`),
  ],
);

export type PostRow = typeof posts.$inferSelect;

/**
 * Who nominates to a seat, in the dataset's order: an office (a post, e.g. a council member's
 * district seat) or an organization. Exactly one of the two.
 */
export const postNominators = pgTable(
  'post_nominators',
  {
    id: integer().primaryKey().generatedAlwaysAsIdentity(),
    postId: integer()
      .notNull()
      .references(() => posts.id, { onDelete: 'cascade' }),
    position: integer().notNull(),
    nominatorPostId: integer().references((): AnyPgColumn => posts.id, { onDelete: 'cascade' }),
    nominatorOrganizationId: integer().references(() => organizations.id, { onDelete: 'cascade' }),
    ...timestamps,
  },
  (t) => [
    unique('post_nominators_post_id_position_unique').on(t.postId, t.position),
    index('post_nominators_nominator_post_id_idx').on(t.nominatorPostId),
    index('post_nominators_nominator_organization_id_idx').on(t.nominatorOrganizationId),
    check('post_nominators_one_nominator_check', sql`num_nonnulls(${t.nominatorPostId}, ${t.nominatorOrganizationId}) = 1`),
  ],
);

export type PostNominatorRow = typeof postNominators.$inferSelect;

export const compositionRuleKind = pgEnum('composition_rule_kind', ['MIN_SHARE_NOMINATED', 'MAX_SHARE_CITY_EMPLOYEES']);

/** A limit on who an organization's voting seats may hold, checked at every appointment. */
export const compositionRules = pgTable(
  'composition_rules',
  {
    id: integer().primaryKey().generatedAlwaysAsIdentity(),
    jurisdictionId: integer()
      .notNull()
      .references(() => jurisdictions.id, { onDelete: 'cascade' }),
    organizationId: integer()
      .notNull()
      .references(() => organizations.id, { onDelete: 'cascade' }),
    code: text().notNull(),
    rule: compositionRuleKind().notNull(),
    numerator: integer().notNull(),
    denominator: integer().notNull(),
    description: text(),
    source: text(),
    ...timestamps,
  },
  (t) => [
    unique('composition_rules_organization_id_code_unique').on(t.organizationId, t.code),
    index('composition_rules_jurisdiction_id_idx').on(t.jurisdictionId),
    check('composition_rules_share_check', sql`${t.denominator} >= 1 and ${t.numerator} >= 0 and ${t.numerator} <= ${t.denominator}`),
  ],
);

export type CompositionRuleRow = typeof compositionRules.$inferSelect;
export type NewCompositionRuleRow = typeof compositionRules.$inferInsert;
export type NewPostRow = typeof posts.$inferInsert;
