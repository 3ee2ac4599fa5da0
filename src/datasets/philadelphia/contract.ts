/**
 * The issue-13 additions to the dataset format not yet in format.ts (the posts.csv seat columns),
 * as the shared contract states them; the record types the converter fills completely.
 */
import { POST_COLUMNS, type DivisionFeature, type OrganizationRecord, type PostRecord } from '../format.ts';

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

/** Every column written, none left optional. */
export type Organization = Required<OrganizationRecord>;

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
