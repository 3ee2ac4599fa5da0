/**
 * The civic dataset folder format: file names, CSV columns and record types shared by the
 * converters (which write it) and the importer (which reads it). Nothing city-specific here.
 * See FORMAT.md beside this file.
 */
import type { MultiPolygon, Polygon } from 'geojson';
import { divisionKindCategory, locatePolicy, organizationKindCategory, overlapPolicy, recognitionModel } from '../db/schema/kinds.ts';
import { bodyKind, organizationLinkKind, organizationStatus, organizationTopic, rosterStatus } from '../db/schema/organizations.ts';
import { selectionMethod } from '../db/schema/posts.ts';
import { contactChannelKind } from '../db/schema/organization-contacts.ts';
import { noticeDeadlineStart, noticeReach, noticeRequirement } from '../db/schema/notices.ts';
import { complianceMetBy } from '../db/schema/compliance.ts';

export const DATASET_FILES = {
  jurisdiction: 'jurisdiction.json',
  divisions: 'divisions.geojson',
  organizations: 'organizations.csv',
  organizationLinks: 'organization_links.csv',
  posts: 'posts.csv',
  /** Optional: public officials (people.csv) and the posts they hold (memberships.csv). */
  people: 'people.csv',
  memberships: 'memberships.csv',
  /** Optional: organizations' public office channels (address, phone, email). */
  organizationContacts: 'organization_contacts.csv',
  kinds: 'kinds.csv',
  kindNames: 'kind_names.csv',
  compositionRules: 'composition_rules.csv',
  /** Optional: land-use notice procedures, whom each notifies, and their deadlines (issue 15). */
  noticeProcedures: 'notice_procedures.csv',
  noticeRules: 'notice_rules.csv',
  noticeDeadlines: 'notice_deadlines.csv',
  /** Optional: what each organization kind must do to keep its standing, and how often (issue 15). */
  complianceRequirements: 'compliance_requirements.csv',
  sources: 'SOURCES.md',
} as const;


export const CONTACT_CHANNEL_KINDS = contactChannelKind.enumValues;
export type ContactChannelKind = (typeof CONTACT_CHANNEL_KINDS)[number];

/** An organization's office channel: never a person's (FORMAT.md). */
export const ORGANIZATION_CONTACT_COLUMNS = ['organization_key', 'kind', 'value', 'source_url', 'note'] as const;

export interface OrganizationContactRecord {
  organization_key: string;
  kind: ContactChannelKind;
  value: string;
  source_url: string;
  note: string | null;
}

// The enums come from the database schema so the format can never accept a value the DB refuses.
export const DIVISION_KIND_CATEGORIES = divisionKindCategory.enumValues;
export const ORGANIZATION_KIND_CATEGORIES = organizationKindCategory.enumValues;
export const OVERLAP_POLICIES = overlapPolicy.enumValues;
export const RECOGNITION_MODELS = recognitionModel.enumValues;
export const LOCATE_POLICIES = locatePolicy.enumValues;
export const KIND_SCOPES = ['DIVISION', 'ORGANIZATION'] as const;
/** A kind code (kinds.csv): the same pattern as the division_kinds / organization_kinds checks. */
export const KIND_CODE = /^[A-Z][A-Z0-9_]*$/;
export const BODY_KINDS = bodyKind.enumValues;
export const ORGANIZATION_STATUSES = organizationStatus.enumValues;
export const LINK_KINDS = organizationLinkKind.enumValues;
export const TOPICS = organizationTopic.enumValues;
export const SELECTION_METHODS = selectionMethod.enumValues;
export const ROSTER_STATUSES = rosterStatus.enumValues;

/** A code of the city's kinds.csv (DIVISION scope); any code, not an enum. */
export type DivisionKind = string;
/** A code of the city's kinds.csv (ORGANIZATION scope); any code, not an enum. */
export type OrganizationKind = string;
export type KindScope = (typeof KIND_SCOPES)[number];
export type DivisionKindCategory = (typeof DIVISION_KIND_CATEGORIES)[number];
export type OrganizationKindCategory = (typeof ORGANIZATION_KIND_CATEGORIES)[number];
export type OverlapPolicy = (typeof OVERLAP_POLICIES)[number];
export type RecognitionModel = (typeof RECOGNITION_MODELS)[number];
export type LocatePolicy = (typeof LOCATE_POLICIES)[number];
export type BodyKind = (typeof BODY_KINDS)[number];
export type OrganizationStatus = (typeof ORGANIZATION_STATUSES)[number];
export type LinkKind = (typeof LINK_KINDS)[number];
export type Topic = (typeof TOPICS)[number];
export type SelectionMethod = (typeof SELECTION_METHODS)[number];
export type RosterStatus = (typeof ROSTER_STATUSES)[number];

/** Same patterns as the database checks (divisions_ocd_id_check, organizations_slug_check). */
export const OCD_DIVISION_ID = /^ocd-division\/country:[a-z]{2}(\/[a-z_]+:[a-z0-9_.~-]+)*$/;
export const SLUG = /^[a-z0-9]+(-[a-z0-9]+)*$/;

export const ORGANIZATION_COLUMNS = [
  'key',
  'kind',
  'name',
  'short_name',
  'description',
  'website',
  'status',
  'division_key',
  'overseen_by',
  'founded_on',
  'dissolved_on',
  'min_members',
  'max_members',
  'source_url',
  'source_note',
  'body_kind',
  'topics',
  // Issue 13: whether the body's holders are on record, and registration (Philadelphia RCOs).
  'roster_status',
  'roster_as_of',
  'registered_on',
  'registration_expires_on',
] as const;

export const KIND_COLUMNS = [
  'scope',
  'code',
  'category',
  'name',
  'plural_name',
  'overlap_policy',
  'recognition_model',
  'registration_term_months',
  'registration_intake_month',
  'locate',
  'sort_order',
  'source',
] as const;

export const KIND_NAME_COLUMNS = ['scope', 'code', 'locale', 'name', 'plural_name'] as const;

export const LINK_COLUMNS = ['member_key', 'parent_key', 'kind', 'start_date', 'end_date', 'note'] as const;

export const POST_COLUMNS = [
  'organization_key',
  'key',
  'label',
  'role',
  'division_key',
  'appointing_authority',
  'selection_method',
  'max_holders',
  'term_length_months',
  'term_limit',
  'takes_applications',
  'eligibility',
  'created_on',
  'abolished_on',
  // How the seat is filled (issue 13); empty cells take the defaults FORMAT.md gives.
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

/** Public officials only: never contact or any other private data (FORMAT.md). */
export const PERSON_COLUMNS = ['key', 'name', 'sort_name', 'public_bio', 'source_url'] as const;

export const MEMBERSHIP_COLUMNS = [
  'person_key',
  'organization_key',
  'post_key',
  'role',
  'start_date',
  'end_date',
  'scheduled_end_date',
  'source_url',
] as const;
/** `composition_rules.csv` (optional): limits on who holds an organization's voting seats. */
export const COMPOSITION_RULE_COLUMNS = ['organization_key', 'code', 'rule', 'numerator', 'denominator', 'description', 'source'] as const;
export const COMPOSITION_RULE_KINDS = ['MIN_SHARE_NOMINATED', 'MAX_SHARE_CITY_EMPLOYEES'] as const;
/** `notice_procedures.csv` (optional): the kinds of land-use case whose notice the city's rules set. */
export const NOTICE_PROCEDURE_COLUMNS = ['code', 'name', 'description', 'source', 'sort_order'] as const;
/** `notice_rules.csv`: which organization kinds a procedure notifies, how far it reaches, and their role. */
export const NOTICE_RULE_COLUMNS = ['procedure', 'organization_kind', 'requirement', 'reach', 'distance_meters', 'registered_only', 'role'] as const;
/** `notice_deadlines.csv`: a procedure's steps in order, each with its days counted from the filing or from the end of the step before. */
export const NOTICE_DEADLINE_COLUMNS = ['procedure', 'step', 'label', 'responsible', 'days', 'counted_from'] as const;
export const NOTICE_DEADLINE_STARTS = noticeDeadlineStart.enumValues;
export const NOTICE_REQUIREMENTS = noticeRequirement.enumValues;
export const NOTICE_REACHES = noticeReach.enumValues;
/** `compliance_requirements.csv` (optional): each organization kind's requirements, how often they recur, and their source. */
export const COMPLIANCE_REQUIREMENT_COLUMNS = ['organization_kind', 'code', 'name', 'description', 'recurrence_months', 'met_by', 'source', 'sort_order'] as const;
export const COMPLIANCE_MET_BY = complianceMetBy.enumValues;
export const TERM_LIMIT_COUNTINGS = ['CONSECUTIVE_TERMS', 'TOTAL_TERMS'] as const;

export interface JurisdictionRecord {
  slug: string;
  name: string;
  ocdId: string;
  timezone: string;
  /** BCP-47 tag of the language the dataset's texts are written in; `en` when omitted. */
  defaultLocale?: string;
  /** The site languages (BCP-47), the default among them; only the default when omitted. */
  locales?: string[];
  /** The city's own boundary: the union of its divisions of this kind (a divisions.geojson `kind`). */
  extent?: { kind: string };
}

export interface DivisionProperties {
  key: string;
  kind: DivisionKind;
  name: string;
  ocdId: string;
  parentKey: string | null;
  validFrom: string | null;
  validUntil: string | null;
  source: string | null;
}

export interface DivisionFeature {
  type: 'Feature';
  properties: DivisionProperties;
  geometry: Polygon | MultiPolygon | null;
}

/** Dates are ISO calendar dates (YYYY-MM-DD); null is an empty CSV cell. */
export interface OrganizationRecord {
  key: string;
  kind: OrganizationKind;
  name: string;
  short_name: string | null;
  description: string | null;
  website: string | null;
  status: OrganizationStatus;
  division_key: string | null;
  overseen_by: string | null;
  founded_on: string | null;
  dissolved_on: string | null;
  min_members: number | null;
  max_members: number | null;
  source_url: string | null;
  source_note: string | null;
  /** Advisory bodies only: BOARD, COMMISSION, COMMITTEE, TASK_FORCE or OTHER; null for other kinds. */
  body_kind: BodyKind | null;
  /** Written as one cell, the values separated by `;`; empty for none. */
  topics: readonly Topic[];
  /** RECORDED, PARTLY_RECORDED or NOT_RECORDED; empty (null) is NOT_RECORDED: unknown is not vacant. */
  // Optional in converters' records (an omitted one is written empty); the importer always reads them.
  roster_status?: RosterStatus | null;
  /** The day the roster status was true; null when not stated. */
  roster_as_of?: string | null;
  /** Registration: first registered on, and the first day no longer registered (half-open). Both or neither. */
  registered_on?: string | null;
  registration_expires_on?: string | null;
}

/** Half-open [start_date, end_date); null bounds are unbounded. */
export interface LinkRecord {
  member_key: string;
  parent_key: string;
  kind: LinkKind;
  start_date: string | null;
  end_date: string | null;
  note: string | null;
}

export interface PostRecord {
  organization_key: string;
  key: string;
  label: string;
  role: string;
  division_key: string | null;
  appointing_authority: string | null;
  selection_method: SelectionMethod;
  max_holders: number;
  term_length_months: number | null;
  term_limit: number | null;
  takes_applications: boolean;
  eligibility: string | null;
  created_on: string | null;
  abolished_on: string | null;
  // Optional in converters (absent = empty cell); the importer's records always carry them.
  /** Empty (null) = true. */
  voting?: boolean | null;
  /** `;`-separated `post:<organization_key>/<post_key>` or `org:<organization_key>` references. */
  nominated_by?: string | null;
  /** Organization key of the consenting body. */
  confirmed_by?: string | null;
  /** Key of a post of the same organization this one is the alternate for. */
  alternate_for?: string | null;
  /** `MM-DD`. */
  term_anchor?: string | null;
  stagger_classes?: number | null;
  holdover_limit_months?: number | null;
  /** Empty (null) = CONSECUTIVE_TERMS. */
  term_limit_counting?: (typeof TERM_LIMIT_COUNTINGS)[number] | null;
  min_age?: number | null;
}

/** posts.csv cells for a seat with no filling rules on record: every new column empty (its default). */
export const NO_FILLING_RULES = {
  voting: null,
  nominated_by: null,
  confirmed_by: null,
  alternate_for: null,
  term_anchor: null,
  stagger_classes: null,
  holdover_limit_months: null,
  term_limit_counting: null,
  min_age: null,
} as const satisfies Partial<PostRecord>;

/** One nominating authority of a seat, as written in `nominated_by`. */
export type NominatorRef = { kind: 'post'; organization_key: string; post_key: string } | { kind: 'org'; organization_key: string };

export interface CompositionRuleRecord {
  organization_key: string;
  code: string;
  rule: (typeof COMPOSITION_RULE_KINDS)[number];
  numerator: number;
  denominator: number;
  description: string | null;
  source: string | null;
}

export interface ComplianceRequirementRecord {
  organization_kind: string;
  code: string;
  name: string;
  description: string;
  /** Months one piece of evidence counts for; null: once, for good. */
  recurrence_months: number | null;
  met_by: (typeof COMPLIANCE_MET_BY)[number];
  source: string;
  sort_order: number;
}

export interface NoticeProcedureRecord {
  code: string;
  name: string;
  description: string;
  source: string;
  sort_order: number;
}

export interface NoticeRuleRecord {
  procedure: string;
  organization_kind: string;
  requirement: (typeof NOTICE_REQUIREMENTS)[number];
  reach: (typeof NOTICE_REACHES)[number];
  /** Set exactly for WITHIN_DISTANCE; meters (a rule written in feet is converted, 1 ft = 0.3048 m). */
  distance_meters: number | null;
  registered_only: boolean;
  role: string;
}

export interface NoticeDeadlineRecord {
  procedure: string;
  step: number;
  label: string;
  responsible: string;
  days: number;
  counted_from: (typeof NOTICE_DEADLINE_STARTS)[number];
}

/** A public official of people.csv. */
export interface PersonRecord {
  key: string;
  name: string;
  sort_name: string | null;
  public_bio: string | null;
  source_url: string;
}

/** A term of a people.csv official on a post: half-open [start_date, end_date); scheduled_end_date is when the term is due to end. */
export interface MembershipRecord {
  person_key: string;
  organization_key: string;
  post_key: string;
  role: string;
  start_date: string;
  end_date: string | null;
  scheduled_end_date: string | null;
  source_url: string;
}

/**
 * One row of kinds.csv. `category` is one of DIVISION_KIND_CATEGORIES or ORGANIZATION_KIND_CATEGORIES
 * by scope; overlap_policy is set on DIVISION rows only, recognition_model on ORGANIZATION rows only.
 */
export interface KindRecord {
  scope: KindScope;
  code: string;
  category: DivisionKindCategory | OrganizationKindCategory;
  name: string;
  plural_name: string;
  overlap_policy: OverlapPolicy | null;
  recognition_model: RecognitionModel | null;
  registration_term_months: number | null;
  /** The month (1–12) registrations and renewals are accepted in; null for any month. REGISTRATION kinds only. */
  registration_intake_month: number | null;
  locate: LocatePolicy;
  sort_order: number;
  source: string | null;
}

/** One row of kind_names.csv: a kind's names in another of the city's locales. */
export interface KindNameRecord {
  scope: KindScope;
  code: string;
  locale: string;
  name: string;
  plural_name: string;
}
