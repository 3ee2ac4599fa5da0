/**
 * The record types the Philadelphia converter fills completely (every column written).
 */
import { POST_COLUMNS, type DivisionFeature, type OrganizationRecord, type PostRecord } from '../format.ts';

/** posts.csv's columns, the seat-filling ones included (format.ts has them since issue 13). */
export const POST_COLUMNS_13 = POST_COLUMNS;

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
