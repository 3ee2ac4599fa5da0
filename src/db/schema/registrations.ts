import { sql } from 'drizzle-orm';
import { check, date, index, integer, pgTable, unique } from 'drizzle-orm/pg-core';
import { recordOrigin, timestamps } from './columns.ts';
import { jurisdictions } from './jurisdictions.ts';
import { organizations } from './organizations.ts';

/**
 * An organization's registration terms with the city (Philadelphia's RCOs: two years, renewed in
 * the June intake), each half-open [registered_on, expires_on). A renewal is the next term, from
 * the day the last one expires; a lapse is a gap between terms. Every term is kept, so a
 * registration is answerable "as of" any day (a notice's filing date). The organization's
 * registered_on / registration_expires_on mirror its latest term, for the expiry job and
 * registrationsExpiring. Terms never overlap (the service checks under the organization's lock).
 */
export const organizationRegistrations = pgTable(
  'organization_registrations',
  {
    id: integer().primaryKey().generatedAlwaysAsIdentity(),
    jurisdictionId: integer()
      .notNull()
      .references(() => jurisdictions.id, { onDelete: 'cascade' }),
    organizationId: integer()
      .notNull()
      .references(() => organizations.id, { onDelete: 'cascade' }),
    registeredOn: date({ mode: 'string' }).notNull(),
    expiresOn: date({ mode: 'string' }).notNull(),
    /** DATASET terms follow the dataset's registration on import; staff-recorded ones are STAFF. */
    origin: recordOrigin().notNull().default('STAFF'),
    ...timestamps,
  },
  (t) => [
    unique('organization_registrations_organization_id_registered_on_unique').on(t.organizationId, t.registeredOn),
    index('organization_registrations_jurisdiction_id_idx').on(t.jurisdictionId),
    check('organization_registrations_dates_check', sql`${t.registeredOn} < ${t.expiresOn}`),
  ],
);

export type OrganizationRegistrationRow = typeof organizationRegistrations.$inferSelect;
