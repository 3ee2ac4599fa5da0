import { boolean, doublePrecision, index, integer, pgTable, text, unique } from 'drizzle-orm/pg-core';
import { recordOrigin, timestamps } from './columns.ts';
import { jurisdictions } from './jurisdictions.ts';

/** Public roster data only. Private data lives in person_private_details, joined only by staff paths. */
export const people = pgTable(
  'people',
  {
    id: integer().primaryKey().generatedAlwaysAsIdentity(),
    jurisdictionId: integer()
      .notNull()
      .references(() => jurisdictions.id, { onDelete: 'cascade' }),
    name: text().notNull(),
    sortName: text(),
    publicBio: text(),
    /** Demo data added by `npm start`, never by the import. */
    isSample: boolean().notNull().default(false),
    /** A public official's key in the dataset's people.csv; null for people entered by staff. */
    sourceKey: text(),
    /** Where the official's public facts come from (a City profile page). */
    sourceUrl: text(),
    /** DATASET rows follow people.csv on import; STAFF rows (and a staff edit) are left alone. */
    origin: recordOrigin().notNull().default('STAFF'),
    ...timestamps,
  },
  (t) => [
    index('people_jurisdiction_id_name_idx').on(t.jurisdictionId, t.name, t.id),
    unique('people_jurisdiction_id_source_key_unique').on(t.jurisdictionId, t.sourceKey),
  ],
);

/** Contact, home and needs: staff of the person's jurisdiction and the person only. */
export const personPrivateDetails = pgTable('person_private_details', {
  personId: integer()
    .primaryKey()
    .references(() => people.id, { onDelete: 'cascade' }),
  email: text(),
  phone: text(),
  homeAddress: text(),
  homeLatitude: doublePrecision(),
  homeLongitude: doublePrecision(),
  preferredLanguage: text(),
  interpreterNeeded: boolean(),
  accessibilityNeeds: text(),
  ...timestamps,
});

export type PersonRow = typeof people.$inferSelect;
export type NewPersonRow = typeof people.$inferInsert;
export type PersonPrivateDetailsRow = typeof personPrivateDetails.$inferSelect;
