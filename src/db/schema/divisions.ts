import { sql } from 'drizzle-orm';
import {
  check,
  date,
  doublePrecision,
  index,
  integer,
  jsonb,
  foreignKey,
  pgTable,
  primaryKey,
  real,
  text,
  unique,
  uniqueIndex,
  type AnyPgColumn,
} from 'drizzle-orm/pg-core';
import type { MultiPolygon } from 'geojson';
import { recordOrigin, timestamps } from './columns.ts';
import { jurisdictions } from './jurisdictions.ts';
import { divisionKinds } from './kinds.ts';

/**
 * The division kinds of the old `division_kind` enum (Portland's), now the codes of Portland's
 * division_kinds rows. The deprecated GraphQL `DivisionKind` enum reads any other code as OTHER.
 */
export const LEGACY_DIVISION_KINDS = ['CITY', 'COUNCIL_DISTRICT', 'COALITION_AREA', 'NEIGHBORHOOD', 'BUSINESS_DISTRICT'] as const;

/**
 * An area: city, council district, coalition area, neighborhood, business district.
 * Boundaries are GeoJSON MultiPolygons (WGS84) with a bounding box kept beside them, because the
 * embedded database has no PostGIS: SQL prefilters on the box (GiST), TypeScript decides exactly.
 * Validity is half-open: [valid_from, valid_until); NULL means unbounded on that side.
 */
export const divisions = pgTable(
  'divisions',
  {
    id: integer().primaryKey().generatedAlwaysAsIdentity(),
    jurisdictionId: integer()
      .notNull()
      .references(() => jurisdictions.id, { onDelete: 'cascade' }),
    /** The dataset's own stable key, used to make imports idempotent. */
    sourceKey: text().notNull(),
    ocdId: text().notNull(),
    /** A code of this jurisdiction's division_kinds (composite foreign key below). */
    kind: text().notNull(),
    name: text().notNull(),
    parentId: integer().references((): AnyPgColumn => divisions.id, { onDelete: 'set null' }),
    /**
     * Set on an earlier version of an area: the division (its latest version) it was the area of
     * until its valid_until. A dated boundary change (associationBoundarySet with effectiveOn)
     * keeps the old boundary here and gives the latest version the new one from that day, so an
     * answer "as of" a date reads the boundary in effect then. Organizations always point at the
     * latest version; `coalesce(version_of, id)` names the area a row belongs to.
     */
    versionOf: integer().references((): AnyPgColumn => divisions.id, { onDelete: 'cascade' }),
    validFrom: date({ mode: 'string' }),
    validUntil: date({ mode: 'string' }),
    boundary: jsonb().$type<MultiPolygon>(),
    minLongitude: doublePrecision(),
    minLatitude: doublePrecision(),
    maxLongitude: doublePrecision(),
    maxLatitude: doublePrecision(),
    source: text(),
    /** DATASET rows follow the dataset on import; a staff edit makes a row STAFF, which imports leave alone. */
    origin: recordOrigin().notNull().default('STAFF'),
    ...timestamps,
  },
  (t) => [
    unique('divisions_jurisdiction_id_source_key_unique').on(t.jurisdictionId, t.sourceKey),
    // Earlier versions share their area's OCD id: it names the area, not one of its boundaries.
    uniqueIndex('divisions_jurisdiction_id_ocd_id_unique').on(t.jurisdictionId, t.ocdId).where(sql`${t.versionOf} is null`),
    index('divisions_version_of_idx').on(t.versionOf),
    check('divisions_version_of_check', sql`${t.versionOf} <> ${t.id}`),
    index('divisions_jurisdiction_id_kind_name_idx').on(t.jurisdictionId, t.kind, t.name, t.id),
    index('divisions_parent_id_idx').on(t.parentId),
    foreignKey({ name: 'divisions_kind_fk', columns: [t.jurisdictionId, t.kind], foreignColumns: [divisionKinds.jurisdictionId, divisionKinds.code] })
      .onDelete('restrict')
      .onUpdate('cascade'),
    index('divisions_jurisdiction_id_updated_at_idx').on(t.jurisdictionId, t.updatedAt),
    index('divisions_bbox_idx')
      .using(
        'gist',
        sql`box(point(${t.minLongitude}, ${t.minLatitude}), point(${t.maxLongitude}, ${t.maxLatitude}))`,
      )
      .where(sql`${t.boundary} is not null`),
    check('divisions_valid_range_check', sql`${t.validUntil} is null or ${t.validFrom} is null or ${t.validFrom} < ${t.validUntil}`),
    check(
      'divisions_ocd_id_check',
      sql`${t.ocdId} ~ '^ocd-division/country:[a-z]{2}(/[a-z_]+:[a-z0-9_.~-]+)*$'`,
    ),
    check(
      'divisions_bbox_check',
      sql`(${t.boundary} is null and ${t.minLongitude} is null and ${t.minLatitude} is null and ${t.maxLongitude} is null and ${t.maxLatitude} is null)
        or (${t.boundary} is not null and ${t.minLongitude} between -180 and ${t.maxLongitude} and ${t.maxLongitude} <= 180
            and ${t.minLatitude} between -90 and ${t.maxLatitude} and ${t.maxLatitude} <= 90)`,
    ),
  ],
);

/**
 * How much of a division's area lies inside another (for example a neighborhood inside council
 * districts). Computed from the boundaries at import, never typed by hand.
 */
export const divisionOverlaps = pgTable(
  'division_overlaps',
  {
    divisionId: integer()
      .notNull()
      .references(() => divisions.id, { onDelete: 'cascade' }),
    otherDivisionId: integer()
      .notNull()
      .references(() => divisions.id, { onDelete: 'cascade' }),
    /** Share of division's area inside the other division, 0..1. */
    share: real().notNull(),
  },
  (t) => [
    primaryKey({ name: 'division_overlaps_pkey', columns: [t.divisionId, t.otherDivisionId] }),
    index('division_overlaps_other_division_id_idx').on(t.otherDivisionId),
    check('division_overlaps_share_check', sql`${t.share} > 0 and ${t.share} <= 1.0001`),
    check('division_overlaps_distinct_check', sql`${t.divisionId} <> ${t.otherDivisionId}`),
  ],
);

export type DivisionRow = typeof divisions.$inferSelect;
export type NewDivisionRow = typeof divisions.$inferInsert;
export type DivisionOverlapRow = typeof divisionOverlaps.$inferSelect;
