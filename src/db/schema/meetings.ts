import { sql } from 'drizzle-orm';
import { check, date, index, integer, pgEnum, pgTable, text, timestamp } from 'drizzle-orm/pg-core';
import { recordOrigin, timestamps } from './columns.ts';
import { jurisdictions } from './jurisdictions.ts';
import { organizations } from './organizations.ts';

export const meetingStatus = pgEnum('meeting_status', ['SCHEDULED', 'CANCELLED']);

/**
 * Millisecond precision, as a JavaScript Date holds: the list's keyset cursor carries starts_at, and
 * a microsecond stored by plain SQL would make a cursor built from the row skip or repeat it.
 */
const instant = () => timestamp({ withTimezone: true, precision: 3 });

/**
 * A meeting of any organization (a body, an association, a coalition, the council): when, where
 * (an address, a link, or both), its public notice, agenda and minutes, and the languages
 * interpretation is offered in. Everything in it is public, a cancelled meeting included.
 * `title` and `agenda_summary` stay plain text columns: translations live in their own table.
 */
export const meetings = pgTable(
  'meetings',
  {
    id: integer().primaryKey().generatedAlwaysAsIdentity(),
    jurisdictionId: integer()
      .notNull()
      .references(() => jurisdictions.id, { onDelete: 'cascade' }),
    organizationId: integer()
      .notNull()
      .references(() => organizations.id, { onDelete: 'cascade' }),
    title: text().notNull(),
    startsAt: instant().notNull(),
    /** Null when the notice states no end time. */
    endsAt: instant(),
    /** Street address or room, in plain words. */
    location: text(),
    /** Where to join online (http or https). */
    onlineUrl: text(),
    /** When the public notice was published. */
    publicNoticeAt: instant(),
    agendaUrl: text(),
    agendaSummary: text(),
    minutesUrl: text(),
    /** The city's calendar date the minutes were approved. */
    minutesApprovedOn: date({ mode: 'string' }),
    /** Canonical BCP-47 tags (`es`, `zh-Hant`), validated and canonicalized by the service. */
    interpretationLanguages: text().array().notNull().default(sql`'{}'::text[]`),
    accessibilityNotes: text(),
    status: meetingStatus().notNull().default('SCHEDULED'),
    cancellationReason: text(),
    cancelledAt: instant(),
    origin: recordOrigin().notNull().default('STAFF'),
    ...timestamps,
  },
  (t) => [
    // The jurisdiction's list and each organization's, both in (starts_at, id) order.
    index('meetings_jurisdiction_id_starts_at_idx').on(t.jurisdictionId, t.startsAt, t.id),
    index('meetings_organization_id_starts_at_idx').on(t.organizationId, t.startsAt, t.id),
    index('meetings_jurisdiction_id_updated_at_idx').on(t.jurisdictionId, t.updatedAt),
    check('meetings_time_range_check', sql`${t.endsAt} is null or ${t.endsAt} > ${t.startsAt}`),
    check('meetings_notice_check', sql`${t.publicNoticeAt} is null or ${t.publicNoticeAt} <= ${t.startsAt}`),
    check('meetings_place_check', sql`${t.location} is not null or ${t.onlineUrl} is not null`),
    check(
      'meetings_urls_check',
      sql`(${t.onlineUrl} is null or ${t.onlineUrl} ~* '^https?://[^[:space:]]+$')
        and (${t.agendaUrl} is null or ${t.agendaUrl} ~* '^https?://[^[:space:]]+$')
        and (${t.minutesUrl} is null or ${t.minutesUrl} ~* '^https?://[^[:space:]]+$')`,
    ),
    check(
      'meetings_interpretation_languages_check',
      sql`cardinality(${t.interpretationLanguages}) <= 30
        and array_to_string(${t.interpretationLanguages}, ' ') ~ '^([A-Za-z]{2,8}(-[A-Za-z0-9]{1,8})*( |$))*$'`,
    ),
    check(
      'meetings_cancellation_check',
      sql`(${t.status} = 'CANCELLED') = (${t.cancelledAt} is not null)
        and (${t.status} = 'CANCELLED' or ${t.cancellationReason} is null)`,
    ),
  ],
);

export type MeetingRow = typeof meetings.$inferSelect;
export type NewMeetingRow = typeof meetings.$inferInsert;
