import { boolean, check, date, index, integer, pgEnum, pgTable, text, uniqueIndex } from 'drizzle-orm/pg-core';
import { sql } from 'drizzle-orm';
import { recordOrigin, timestamps } from './columns.ts';
import { jurisdictions } from './jurisdictions.ts';
import { organizations } from './organizations.ts';

/** ADDRESS is the mailing address; MEETING_PLACE where the organization usually meets (issue 15). */
export const contactChannelKind = pgEnum('contact_channel_kind', ['ADDRESS', 'PHONE', 'EMAIL', 'WEBSITE', 'MEETING_PLACE']);

/**
 * How to reach an organization's office (a coalition office's mailing address, general phone or
 * email). Organizational channels only, published with their source: never a person's contact data,
 * which lives in person_private_details.
 */
export const organizationContactChannels = pgTable(
  'organization_contact_channels',
  {
    id: integer().primaryKey().generatedAlwaysAsIdentity(),
    jurisdictionId: integer()
      .notNull()
      .references(() => jurisdictions.id, { onDelete: 'cascade' }),
    organizationId: integer()
      .notNull()
      .references(() => organizations.id, { onDelete: 'cascade' }),
    kind: contactChannelKind().notNull(),
    value: text().notNull(),
    sourceUrl: text(),
    /** When or how the source gave it ("pre-2024 City listing"), in plain words. */
    note: text(),
    /** The last day staff confirmed the channel with the organization; null when never confirmed here. */
    verifiedOn: date({ mode: 'string' }),
    /** The channel official notices go to: at most one per organization (unique index below). */
    preferredForNotices: boolean().notNull().default(false),
    /**
     * The days the channel was the organization's, half-open [valid_from, valid_until): staff add a
     * channel from that day and removing one ends it that day, so readers "as of" a date (a notice's
     * filing date) find the channels of then. Null: since before the records / still current.
     */
    validFrom: date({ mode: 'string' }),
    validUntil: date({ mode: 'string' }),
    origin: recordOrigin().notNull().default('STAFF'),
    ...timestamps,
  },
  (t) => [
    // Among current channels only: a channel removed (ended) may be recorded again later.
    uniqueIndex('organization_contact_channels_organization_id_kind_value_unique').on(t.organizationId, t.kind, t.value).where(sql`${t.validUntil} is null`),
    index('organization_contact_channels_jurisdiction_id_idx').on(t.jurisdictionId),
    check('organization_contact_channels_value_check', sql`length(${t.value}) between 1 and 500`),
    uniqueIndex('organization_contact_channels_preferred_unique').on(t.organizationId).where(sql`${t.preferredForNotices} and ${t.validUntil} is null`),
    check('organization_contact_channels_valid_range_check', sql`${t.validUntil} is null or ${t.validFrom} is null or ${t.validFrom} < ${t.validUntil}`),
  ],
);

export type OrganizationContactChannelRow = typeof organizationContactChannels.$inferSelect;
