import { sql } from 'drizzle-orm';
import { check, foreignKey, integer, pgEnum, pgTable, primaryKey, smallint, text } from 'drizzle-orm/pg-core';
import { recordOrigin, timestamps } from './columns.ts';
import { jurisdictions } from './jurisdictions.ts';

/**
 * Kinds per jurisdiction (issue 13): what varies between cities is data, read from the dataset's
 * kinds.csv. A kind's `code` is the city's own (RCO_AREA, COMMUNITY_DISTRICT, …); its `category`
 * is the closed, typed behaviour code paths may branch on. Portland's codes are the old enum names.
 */
export const divisionKindCategory = pgEnum('division_kind_category', [
  'CITY',
  'COUNCIL_DISTRICT',
  'BOROUGH',
  'COMMUNITY_DISTRICT',
  'COALITION_AREA',
  'NEIGHBORHOOD',
  'BUSINESS_DISTRICT',
  'ORGANIZATION_AREA',
  'SPECIAL_AREA',
  'OTHER',
]);

export const organizationKindCategory = pgEnum('organization_kind_category', [
  'NEIGHBORHOOD_ASSOCIATION',
  'BUSINESS_DISTRICT_ASSOCIATION',
  'DISTRICT_COALITION',
  'ADVISORY_BODY',
  'COUNCIL',
  'NETWORK',
  'COMMUNITY_ORGANIZATION',
  'COMMUNITY_BOARD',
  'OTHER',
]);

/** Whether two divisions of one kind may overlap: never, only with a recorded boundary agreement, or freely. */
export const overlapPolicy = pgEnum('overlap_policy', ['NEVER', 'WITH_AGREEMENT', 'FREELY']);

/** Portland recognition (with its standards), registration for a term that expires, or none (chartered bodies). */
export const recognitionModel = pgEnum('recognition_model', ['RECOGNITION', 'REGISTRATION', 'NONE']);

/** How `locate` reports a kind at a point: the single one, every containing one, or not at all. */
export const locatePolicy = pgEnum('locate_policy', ['ONE', 'ALL', 'NONE']);

const KIND_CODE_CHECK = `'^[A-Z][A-Z0-9_]*$'`;

export const divisionKinds = pgTable(
  'division_kinds',
  {
    jurisdictionId: integer()
      .notNull()
      .references(() => jurisdictions.id, { onDelete: 'cascade' }),
    code: text().notNull(),
    category: divisionKindCategory().notNull(),
    /** Display names in the jurisdiction's default locale; other locales in division_kind_names. */
    name: text().notNull(),
    pluralName: text().notNull(),
    overlapPolicy: overlapPolicy().notNull(),
    locate: locatePolicy().notNull(),
    sortOrder: smallint().notNull().default(0),
    source: text(),
    origin: recordOrigin().notNull().default('STAFF'),
    ...timestamps,
  },
  (t) => [
    primaryKey({ name: 'division_kinds_pkey', columns: [t.jurisdictionId, t.code] }),
    check('division_kinds_code_check', sql`${t.code} ~ ${sql.raw(KIND_CODE_CHECK)}`),
  ],
);

export const organizationKinds = pgTable(
  'organization_kinds',
  {
    jurisdictionId: integer()
      .notNull()
      .references(() => jurisdictions.id, { onDelete: 'cascade' }),
    code: text().notNull(),
    category: organizationKindCategory().notNull(),
    name: text().notNull(),
    pluralName: text().notNull(),
    recognitionModel: recognitionModel().notNull(),
    /** Months a registration lasts: set exactly for REGISTRATION kinds (CHECK below). */
    registrationTermMonths: smallint(),
    /** The month (1–12) a new registration or a renewal is accepted in (Philadelphia: June); null when any month. REGISTRATION kinds only. */
    registrationIntakeMonth: smallint(),
    locate: locatePolicy().notNull(),
    sortOrder: smallint().notNull().default(0),
    source: text(),
    origin: recordOrigin().notNull().default('STAFF'),
    ...timestamps,
  },
  (t) => [
    primaryKey({ name: 'organization_kinds_pkey', columns: [t.jurisdictionId, t.code] }),
    check('organization_kinds_code_check', sql`${t.code} ~ ${sql.raw(KIND_CODE_CHECK)}`),
    check(
      'organization_kinds_registration_term_check',
      sql`(${t.recognitionModel} = 'REGISTRATION') = (${t.registrationTermMonths} is not null) and (${t.registrationTermMonths} is null or ${t.registrationTermMonths} > 0)`,
    ),
    check(
      'organization_kinds_registration_intake_month_check',
      sql`${t.registrationIntakeMonth} is null or (${t.recognitionModel} = 'REGISTRATION' and ${t.registrationIntakeMonth} between 1 and 12)`,
    ),
  ],
);

/** A division kind's names in another of the jurisdiction's locales (kind_names.csv). */
export const divisionKindNames = pgTable(
  'division_kind_names',
  {
    jurisdictionId: integer().notNull(),
    code: text().notNull(),
    locale: text().notNull(),
    name: text().notNull(),
    pluralName: text().notNull(),
    ...timestamps,
  },
  (t) => [
    primaryKey({ name: 'division_kind_names_pkey', columns: [t.jurisdictionId, t.code, t.locale] }),
    foreignKey({ name: 'division_kind_names_kind_fk', columns: [t.jurisdictionId, t.code], foreignColumns: [divisionKinds.jurisdictionId, divisionKinds.code] })
      .onDelete('cascade')
      .onUpdate('cascade'),
  ],
);

/** An organization kind's names in another of the jurisdiction's locales (kind_names.csv). */
export const organizationKindNames = pgTable(
  'organization_kind_names',
  {
    jurisdictionId: integer().notNull(),
    code: text().notNull(),
    locale: text().notNull(),
    name: text().notNull(),
    pluralName: text().notNull(),
    ...timestamps,
  },
  (t) => [
    primaryKey({ name: 'organization_kind_names_pkey', columns: [t.jurisdictionId, t.code, t.locale] }),
    foreignKey({ name: 'organization_kind_names_kind_fk', columns: [t.jurisdictionId, t.code], foreignColumns: [organizationKinds.jurisdictionId, organizationKinds.code] })
      .onDelete('cascade')
      .onUpdate('cascade'),
  ],
);

export type DivisionKindRow = typeof divisionKinds.$inferSelect;
export type NewDivisionKindRow = typeof divisionKinds.$inferInsert;
export type OrganizationKindRow = typeof organizationKinds.$inferSelect;
export type NewOrganizationKindRow = typeof organizationKinds.$inferInsert;
export type KindNameRow = typeof divisionKindNames.$inferSelect;
export type DivisionKindCategory = (typeof divisionKindCategory.enumValues)[number];
export type OrganizationKindCategory = (typeof organizationKindCategory.enumValues)[number];
export type OverlapPolicy = (typeof overlapPolicy.enumValues)[number];
export type RecognitionModel = (typeof recognitionModel.enumValues)[number];
export type LocatePolicy = (typeof locatePolicy.enumValues)[number];
