import { sql } from 'drizzle-orm';
import { check, date, foreignKey, index, integer, pgEnum, pgTable, text, unique } from 'drizzle-orm/pg-core';
import { recordOrigin, timestamps } from './columns.ts';
import { jurisdictions } from './jurisdictions.ts';
import { organizations } from './organizations.ts';
import { people } from './people.ts';
import { posts } from './posts.ts';
import { applications } from './recruitment.ts';

export const membershipEndReason = pgEnum('membership_end_reason', [
  'TERM_COMPLETED',
  'RESIGNED',
  'DEEMED_RESIGNED_ABSENCES',
  'REMOVED',
  'DECEASED',
  'POST_ABOLISHED',
  'MOVED_OUT_OF_DISTRICT',
  'OTHER',
]);

/**
 * A term of service: half-open [start_date, end_date). end_date is the first day no longer served.
 * scheduled_end_date is when the term is due to end; a holder past it without end_date is a holdover.
 */
export const memberships = pgTable(
  'memberships',
  {
    id: integer().primaryKey().generatedAlwaysAsIdentity(),
    jurisdictionId: integer()
      .notNull()
      .references(() => jurisdictions.id, { onDelete: 'cascade' }),
    personId: integer()
      .notNull()
      .references(() => people.id, { onDelete: 'restrict' }),
    organizationId: integer()
      .notNull()
      .references(() => organizations.id, { onDelete: 'cascade' }),
    postId: integer(),
    role: text().notNull(),
    startDate: date({ mode: 'string' }).notNull(),
    endDate: date({ mode: 'string' }),
    scheduledEndDate: date({ mode: 'string' }),
    endReason: membershipEndReason(),
    /** Why staff appointed someone to a district seat without proof of residence in it. */
    residencyOverrideReason: text(),
    /** The application the holder was appointed from, when recruited through a posting. */
    applicationId: integer().references(() => applications.id, { onDelete: 'restrict' }),
    /** Where a dataset membership (memberships.csv) comes from. */
    sourceUrl: text(),
    /** DATASET rows follow memberships.csv on import; STAFF rows are never touched by it. */
    origin: recordOrigin().notNull().default('STAFF'),
    ...timestamps,
  },
  (t) => [
    // A membership's post must belong to the membership's organization.
    foreignKey({
      name: 'memberships_post_id_organization_id_fk',
      columns: [t.postId, t.organizationId],
      foreignColumns: [posts.id, posts.organizationId],
    }).onDelete('restrict'),
    index('memberships_post_id_start_date_idx').on(t.postId, t.startDate),
    index('memberships_organization_id_start_date_idx').on(t.organizationId, t.startDate, t.id),
    index('memberships_person_id_idx').on(t.personId),
    index('memberships_jurisdiction_id_updated_at_idx').on(t.jurisdictionId, t.updatedAt),
    unique('memberships_application_id_unique').on(t.applicationId),
    // The import's natural key; a person cannot hold one post twice over overlapping dates anyway.
    unique('memberships_person_id_post_id_start_date_unique').on(t.personId, t.postId, t.startDate),
    check('memberships_dates_check', sql`${t.endDate} is null or ${t.startDate} < ${t.endDate}`),
    check(
      'memberships_scheduled_end_check',
      sql`${t.scheduledEndDate} is null or ${t.startDate} < ${t.scheduledEndDate}`,
    ),
    check('memberships_end_reason_check', sql`${t.endReason} is null or ${t.endDate} is not null`),
  ],
);

export type MembershipRow = typeof memberships.$inferSelect;
export type NewMembershipRow = typeof memberships.$inferInsert;
