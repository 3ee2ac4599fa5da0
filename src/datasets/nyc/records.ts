/**
 * The issue-13 additions to the dataset format not yet in the shared format.ts (composition_rules.csv,
 * the appended posts columns), as the shared contract fixes them. They live
 * here, beside the New York converter, until format.ts gains them; kinds.csv is the shared one.
 */
import type { MultiPolygon, Polygon } from 'geojson';
import { KIND_COLUMNS, LINK_COLUMNS, ORGANIZATION_COLUMNS, POST_COLUMNS, type DivisionFeature, type JurisdictionRecord, type KindRecord, type OrganizationRecord, type PostRecord } from '../format.ts';

export const NYC_FILES = {
  compositionRules: 'composition_rules.csv',
  knownPoints: 'KNOWN_POINTS.md',
} as const;

export interface NycJurisdiction extends JurisdictionRecord {
  extent: { kind: string };
}

/** Organization rows with every roster/registration cell written (the shared type has them optional). */
export interface NycOrganization extends OrganizationRecord {
  roster_status: NonNullable<OrganizationRecord['roster_status']> | null;
  roster_as_of: string | null;
  registered_on: string | null;
  registration_expires_on: string | null;
}

export const SEAT_COLUMNS = [
  'voting',
  'nominated_by',
  'confirmed_by',
  'alternate_for',
  'term_anchor',
  'stagger_classes',
  'holdover_limit_months',
  'term_limit_counting',
  'min_age',
] as const;
/** posts.csv columns: format.ts has the seat-filling ones since issue 13. */
export const NYC_POST_COLUMNS = POST_COLUMNS;

export interface NycPost extends PostRecord {
  voting: boolean | null;
  /** `;`-separated `post:<organization_key>/<post_key>` or `org:<organization_key>` references. */
  nominated_by: string | null;
  confirmed_by: string | null;
  alternate_for: string | null;
  term_anchor: string | null;
  stagger_classes: number | null;
  holdover_limit_months: number | null;
  term_limit_counting: 'CONSECUTIVE_TERMS' | 'TOTAL_TERMS' | null;
  min_age: number | null;
}

export const COMPOSITION_RULE_COLUMNS = ['organization_key', 'code', 'rule', 'numerator', 'denominator', 'description', 'source'] as const;

export interface CompositionRuleRecord {
  organization_key: string;
  code: string;
  rule: 'MIN_SHARE_NOMINATED' | 'MAX_SHARE_CITY_EMPLOYEES';
  numerator: number;
  denominator: number;
  description: string;
  source: string;
}

/** A division of the shared format, always with a boundary in New York. */
export interface NycDivision extends DivisionFeature {
  geometry: Polygon | MultiPolygon;
}

export { KIND_COLUMNS, LINK_COLUMNS, ORGANIZATION_COLUMNS, type KindRecord };
