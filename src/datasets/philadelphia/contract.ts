/**
 * The issue-13 additions to the dataset format not yet in format.ts (the organizations.csv
 * registration and roster columns, the posts.csv seat columns), as the shared contract states them.
 */
import { ORGANIZATION_COLUMNS, POST_COLUMNS, type DivisionFeature, type OrganizationRecord, type PostRecord } from '../format.ts';

export const ORGANIZATION_COLUMNS_13 = [...ORGANIZATION_COLUMNS, 'roster_status', 'roster_as_of', 'registered_on', 'registration_expires_on'] as const;

export const POST_COLUMNS_13 = [
  ...POST_COLUMNS,
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

export type Division = DivisionFeature;

export type Organization = Omit<OrganizationRecord, 'kind'> & {
  kind: string;
  roster_status: 'RECORDED' | 'PARTLY_RECORDED' | 'NOT_RECORDED' | null;
  roster_as_of: string | null;
  registered_on: string | null;
  registration_expires_on: string | null;
};

export type Post = PostRecord & {
  voting: boolean | null;
  nominated_by: string | null;
  confirmed_by: string | null;
  alternate_for: string | null;
  term_anchor: string | null;
  stagger_classes: number | null;
  holdover_limit_months: number | null;
  term_limit_counting: 'CONSECUTIVE_TERMS' | 'TOTAL_TERMS' | null;
  min_age: number | null;
};

export const NO_SEAT_RULES = {
  voting: null,
  nominated_by: null,
  confirmed_by: null,
  alternate_for: null,
  term_anchor: null,
  stagger_classes: null,
  holdover_limit_months: null,
  term_limit_counting: null,
  min_age: null,
} as const satisfies Partial<Post>;
