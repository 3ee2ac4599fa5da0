import { sql } from 'drizzle-orm';
import { check, customType, date, foreignKey, index, integer, pgEnum, pgTable, text, unique } from 'drizzle-orm/pg-core';
import { recordOrigin, timestamps } from './columns.ts';
import { divisions } from './divisions.ts';
import { jurisdictions } from './jurisdictions.ts';
import { organizationKinds } from './kinds.ts';

/**
 * The organization kinds of the old `organization_kind` enum (Portland's), now the codes of
 * Portland's organization_kinds rows. The deprecated GraphQL `OrganizationKind` reads others as OTHER.
 */
export const LEGACY_ORGANIZATION_KINDS = [
  'NEIGHBORHOOD_ASSOCIATION',
  'BUSINESS_DISTRICT_ASSOCIATION',
  'DISTRICT_COALITION',
  'ADVISORY_BODY',
  'COUNCIL',
  'NETWORK',
] as const;

/** What an advisory body is called by its charter; reports group bodies by it. Null for other organizations. */
export const bodyKind = pgEnum('body_kind', ['BOARD', 'COMMISSION', 'COMMITTEE', 'TASK_FORCE', 'OTHER']);

/**
 * How much of a body's roster the platform holds (issue 13, "unknown is not vacant"): RECORDED, every
 * holder is on record, so a free place is a vacancy; PARTLY_RECORDED, some are, so a free place may
 * be filled; NOT_RECORDED, none are known, so free places are unknown, never vacancies.
 */
export const rosterStatus = pgEnum('roster_status', ['RECORDED', 'PARTLY_RECORDED', 'NOT_RECORDED']);

export const organizationStatus = pgEnum('organization_status', ['ACTIVE', 'INACTIVE', 'DISSOLVED']);

/** What a body works on, so residents can find seats by interest. Generic civic areas, not one city's. */
export const organizationTopic = pgEnum('organization_topic', [
  'ARTS_CULTURE',
  'BUDGET_FINANCE',
  'CLIMATE_ENVIRONMENT',
  'ECONOMIC_DEVELOPMENT',
  'EQUITY_CIVIL_RIGHTS',
  'GOVERNMENT_ELECTIONS',
  'HEALTH_HUMAN_SERVICES',
  'HISTORIC_PRESERVATION',
  'HOUSING',
  'LAND_USE_PLANNING',
  'PARKS_RECREATION',
  'PUBLIC_SAFETY',
  'TRANSPORTATION',
  'UTILITIES',
]);

/** Neighborhood and business district associations, coalitions, advisory bodies, the council. */
export const organizations = pgTable(
  'organizations',
  {
    id: integer().primaryKey().generatedAlwaysAsIdentity(),
    jurisdictionId: integer()
      .notNull()
      .references(() => jurisdictions.id, { onDelete: 'cascade' }),
    slug: text().notNull(),
    /** A code of this jurisdiction's organization_kinds (composite foreign key below). */
    kind: text().notNull(),
    name: text().notNull(),
    /** Acronym or code, for example "SEUL". */
    shortName: text(),
    description: text(),
    website: text(),
    status: organizationStatus().notNull().default('ACTIVE'),
    /** DATASET rows follow the dataset on import; a staff edit makes a row STAFF, which imports leave alone. */
    origin: recordOrigin().notNull().default('STAFF'),
    /** The area the organization serves (an association's neighborhood, a coalition's district). */
    divisionId: integer().references(() => divisions.id, { onDelete: 'set null' }),
    /** Bureau or program that runs an advisory body. */
    overseenBy: text(),
    foundedOn: date({ mode: 'string' }),
    dissolvedOn: date({ mode: 'string' }),
    minMembers: integer(),
    maxMembers: integer(),
    sourceUrl: text(),
    sourceNote: text(),
    /** Board, commission, committee, task force or other: advisory bodies only (CHECK below). */
    bodyKind: bodyKind(),
    /** Topics of an advisory body's work; empty when none is on record. */
    topics: organizationTopic().array().notNull().default(sql`'{}'`),
    /** Whether its holders are on record (rosterStatus above). Unknown by default; staff-created bodies are RECORDED. */
    rosterStatus: rosterStatus().notNull().default('NOT_RECORDED'),
    /** The day the roster status was known true; null when not stated. */
    rosterAsOf: date({ mode: 'string' }),
    /** Registration (Philadelphia RCOs): first registered on; null when the organization is not registered. */
    registeredOn: date({ mode: 'string' }),
    /** First day no longer registered (half-open); from that day, in the city's time zone, the registration reads EXPIRED. */
    registrationExpiresOn: date({ mode: 'string' }),
    /**
     * The expiry the registration-expiry job has recorded (it sets this to registrationExpiresOn on or
     * after that day, which writes an Organization UPDATE to the change feed); null before. A renewal
     * (a later expiry) makes it differ again, so the next expiry is recorded too.
     */
    registrationExpiryRecordedOn: date({ mode: 'string' }),
    ...timestamps,
  },
  (t) => [
    unique('organizations_jurisdiction_id_slug_unique').on(t.jurisdictionId, t.slug),
    // The order of every organization list (nameKey in src/graphql/pagination.ts): a page of a
    // kind reads the first rows of this index instead of sorting all of them (Q2 at scale).
    index('organizations_jurisdiction_id_kind_name_key_idx').on(t.jurisdictionId, t.kind, sql`lower(${t.name}) collate "C"`, t.id),
    index('organizations_division_id_idx').on(t.divisionId),
    foreignKey({ name: 'organizations_kind_fk', columns: [t.jurisdictionId, t.kind], foreignColumns: [organizationKinds.jurisdictionId, organizationKinds.code] })
      .onDelete('restrict')
      .onUpdate('cascade'),
    index('organizations_jurisdiction_id_updated_at_idx').on(t.jurisdictionId, t.updatedAt),
    check('organizations_slug_check', sql`${t.slug} ~ '^[a-z0-9]+(-[a-z0-9]+)*$'`),
    check('organizations_dates_check', sql`${t.dissolvedOn} is null or ${t.foundedOn} is null or ${t.foundedOn} < ${t.dissolvedOn}`),
    check('organizations_members_check', sql`${t.minMembers} is null or ${t.maxMembers} is null or ${t.minMembers} <= ${t.maxMembers}`),
    check('organizations_dissolved_check', sql`${t.dissolvedOn} is null or ${t.status} = 'DISSOLVED'`),
    check('organizations_registration_dates_check', sql`(${t.registeredOn} is null) = (${t.registrationExpiresOn} is null) and (${t.registeredOn} is null or ${t.registeredOn} < ${t.registrationExpiresOn})`),
    // Only rows whose registration is due for the expiry job: the job reads this small set.
    index('organizations_registration_expires_on_idx').on(t.registrationExpiresOn).where(sql`${t.registrationExpiresOn} is not null`),
    check('organizations_body_kind_check', sql`${t.bodyKind} is null or ${t.kind} = 'ADVISORY_BODY'`),
  ],
);

export const organizationLinkKind = pgEnum('organization_link_kind', ['DISTRICT_COALITION', 'NETWORK']);

/** Text that sorts in "C" (code point) order whatever the database's locale, like nameKey's `collate "C"`. */
const textInC = customType<{ data: string }>({ dataType: () => 'text collate "C"' });

/**
 * An organization that is a member of another over a dated period (Popolo org-in-org), such as a
 * neighborhood association in a district coalition. Half-open [start_date, end_date).
 * A custom migration adds the exclusion constraints: one coalition per association at any date,
 * and the same link never twice over overlapping dates.
 * `origin` says who owns the row: the importer writes DATASET links and reconciles exactly those
 * with the dataset; anything else (the API) gets the default, STAFF, which the importer never touches.
 */
export const organizationLinks = pgTable(
  'organization_links',
  {
    id: integer().primaryKey().generatedAlwaysAsIdentity(),
    jurisdictionId: integer()
      .notNull()
      .references(() => jurisdictions.id, { onDelete: 'cascade' }),
    kind: organizationLinkKind().notNull(),
    memberId: integer()
      .notNull()
      .references(() => organizations.id, { onDelete: 'cascade' }),
    parentId: integer()
      .notNull()
      .references(() => organizations.id, { onDelete: 'cascade' }),
    startDate: date({ mode: 'string' }),
    endDate: date({ mode: 'string' }),
    note: text(),
    origin: recordOrigin().notNull().default('STAFF'),
    /**
     * The member's sort key, lower(name) in "C": a parent's member page reads the first rows of an
     * index instead of joining and sorting all of its members (Q3 at scale). Triggers keep it (migration
     * 0027): set from the member on insert and on a change of member_id, rewritten when the member is
     * renamed; whatever a writer gives is replaced. The '' only makes it optional in Drizzle inserts.
     */
    memberSortName: textInC().notNull().$defaultFn(() => ''),
    ...timestamps,
  },
  (t) => [
    index('organization_links_member_id_idx').on(t.memberId),
    // A parent's members in their list order (member pages, keyset cursors), then kind and dates so a
    // page's filter and totalCount read the index alone. Also serves parent_id lookups and cascades.
    index('organization_links_parent_id_member_sort_name_idx').on(t.parentId, t.memberSortName, t.memberId, t.kind, t.startDate, t.endDate),
    check('organization_links_dates_check', sql`${t.endDate} is null or ${t.startDate} is null or ${t.startDate} < ${t.endDate}`),
    check('organization_links_distinct_check', sql`${t.memberId} <> ${t.parentId}`),
  ],
);

export type OrganizationRow = typeof organizations.$inferSelect;
export type NewOrganizationRow = typeof organizations.$inferInsert;
export type OrganizationLinkRow = typeof organizationLinks.$inferSelect;
