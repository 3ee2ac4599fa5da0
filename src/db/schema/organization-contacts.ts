import { check, index, integer, pgEnum, pgTable, text, unique } from 'drizzle-orm/pg-core';
import { sql } from 'drizzle-orm';
import { recordOrigin, timestamps } from './columns.ts';
import { jurisdictions } from './jurisdictions.ts';
import { organizations } from './organizations.ts';

export const contactChannelKind = pgEnum('contact_channel_kind', ['ADDRESS', 'PHONE', 'EMAIL']);

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
    origin: recordOrigin().notNull().default('STAFF'),
    ...timestamps,
  },
  (t) => [
    unique('organization_contact_channels_organization_id_kind_value_unique').on(t.organizationId, t.kind, t.value),
    index('organization_contact_channels_jurisdiction_id_idx').on(t.jurisdictionId),
    check('organization_contact_channels_value_check', sql`length(${t.value}) between 1 and 500`),
  ],
);

export type OrganizationContactChannelRow = typeof organizationContactChannels.$inferSelect;
