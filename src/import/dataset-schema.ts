/**
 * Zod schemas for one record of each dataset file. Cross-record rules (references, uniqueness)
 * are checked in read-dataset.ts. Messages are written for the person fixing the data.
 */
import { z } from 'zod';
import {
  DIVISION_KIND_CATEGORIES,
  KIND_CODE,
  KIND_SCOPES,
  LINK_KINDS,
  LOCATE_POLICIES,
  OCD_DIVISION_ID,
  BODY_KINDS,
  CONTACT_CHANNEL_KINDS,
  ORGANIZATION_KIND_CATEGORIES,
  OVERLAP_POLICIES,
  RECOGNITION_MODELS,
  COMPOSITION_RULE_KINDS,
  NOTICE_DEADLINE_STARTS,
  COMPLIANCE_MET_BY,
  NOTICE_REACHES,
  NOTICE_REQUIREMENTS,
  ORGANIZATION_STATUSES,
  ROSTER_STATUSES,
  SELECTION_METHODS,
  SLUG,
  TERM_LIMIT_COUNTINGS,
  TOPICS,
  type NominatorRef,
} from '../datasets/format.ts';
import type { KindRecord } from '../datasets/format.ts';
import { canonicalLocale } from '../language/locales.ts';

/** Division and post keys: letters, digits and . _ : - (no spaces), starting with a letter or digit. */
const KEY = /^[A-Za-z0-9][A-Za-z0-9._:-]*$/;

/** An empty cell (null) where a value is required says so, instead of "expected string, received null". */
const required = { error: (issue: { input?: unknown }) => (issue.input == null ? 'is required but empty' : undefined) };

const text = z.string(required).trim().min(1, 'must not be empty');
const optionalText = text.nullable();
const key = z.string(required).regex(KEY, 'must be a key of letters, digits and . _ : - without spaces');
const slug = z.string(required).regex(SLUG, 'must be a slug: lower-case letters and digits separated by single hyphens');
const date = z.iso.date('must be a date written YYYY-MM-DD');
const optionalDate = date.nullable();
const count = z
  .string(required)
  .regex(/^\d+$/, 'must be a whole number')
  .transform(Number)
  .nullable();
const bool = z.enum(['true', 'false'], 'must be true or false').transform((v) => v === 'true');
/** A BCP-47 language tag, stored in its canonical form (`zh-hans` → `zh-Hans`). */
const locale = z.string(required).transform((tag, context) => {
  const canonical = canonicalLocale(tag);
  if (!canonical) context.addIssue({ code: 'custom', message: 'must be a BCP-47 language tag such as en, es or zh-Hans' });
  return canonical ?? tag;
});
const ocdId = z.string(required).regex(OCD_DIVISION_ID, 'must be an OCD division id like ocd-division/country:us/state:or/place:portland');

/** `topic;topic`: known topics, each once; an empty cell is none. */
const topics = z
  .string()
  .nullable()
  .transform((v) => (v === null ? [] : v.split(';').map((t) => t.trim())))
  .pipe(z.array(z.enum(TOPICS, 'must be topics separated by ; (see FORMAT.md)')).refine((t) => new Set(t).size === t.length, 'must not repeat a topic'));

const before = (a: string | null, b: string | null) => a === null || b === null || a < b;

/** A kind code of kinds.csv; whether the city defines it is checked in read-dataset.ts. */
const kindCode = z.string(required).regex(KIND_CODE, 'must be a kind code of kinds.csv: upper-case letters, digits and _ (for example NEIGHBORHOOD)');

/** One row of kinds.csv; the category list and the policy columns depend on the scope. */
export const kindSchema = z
  .object({
    scope: z.enum(KIND_SCOPES, 'must be DIVISION or ORGANIZATION'),
    code: kindCode,
    category: z.string(required),
    name: text,
    plural_name: text,
    overlap_policy: z.enum(OVERLAP_POLICIES, `must be one of ${OVERLAP_POLICIES.join(', ')}`).nullable(),
    recognition_model: z.enum(RECOGNITION_MODELS, `must be one of ${RECOGNITION_MODELS.join(', ')}`).nullable(),
    registration_term_months: count.refine((n) => n === null || (n > 0 && n < 1000), 'must be a whole number of months from 1 to 999'),
    registration_intake_month: count.refine((n) => n === null || (n >= 1 && n <= 12), 'must be a month from 1 (January) to 12 (December)'),
    locate: z.enum(LOCATE_POLICIES, `must be one of ${LOCATE_POLICIES.join(', ')}`),
    sort_order: count.refine((n) => n !== null && n < 32768, 'must be a whole number below 32768').transform((n) => n!),
    source: optionalText,
  })
  .superRefine((k, context) => {
    const categories: readonly string[] = k.scope === 'DIVISION' ? DIVISION_KIND_CATEGORIES : ORGANIZATION_KIND_CATEGORIES;
    if (!categories.includes(k.category)) {
      context.addIssue({ code: 'custom', path: ['category'], message: `must be a ${k.scope} category: ${categories.join(', ')}` });
    }
    if (k.scope === 'DIVISION') {
      if (k.overlap_policy === null) context.addIssue({ code: 'custom', path: ['overlap_policy'], message: 'is required on a DIVISION row' });
      if (k.recognition_model !== null) context.addIssue({ code: 'custom', path: ['recognition_model'], message: 'must be empty on a DIVISION row (it is for ORGANIZATION rows)' });
      if (k.registration_term_months !== null) context.addIssue({ code: 'custom', path: ['registration_term_months'], message: 'must be empty on a DIVISION row' });
      if (k.registration_intake_month !== null) context.addIssue({ code: 'custom', path: ['registration_intake_month'], message: 'must be empty on a DIVISION row' });
    } else {
      if (k.overlap_policy !== null) context.addIssue({ code: 'custom', path: ['overlap_policy'], message: 'must be empty on an ORGANIZATION row (it is for DIVISION rows)' });
      if (k.recognition_model === null) context.addIssue({ code: 'custom', path: ['recognition_model'], message: 'is required on an ORGANIZATION row' });
      if (k.recognition_model === 'REGISTRATION' && k.registration_term_months === null) {
        context.addIssue({ code: 'custom', path: ['registration_term_months'], message: 'is required with recognition_model REGISTRATION' });
      }
      if (k.recognition_model !== 'REGISTRATION' && k.registration_term_months !== null) {
        context.addIssue({ code: 'custom', path: ['registration_term_months'], message: 'must be empty unless recognition_model is REGISTRATION' });
      }
      if (k.recognition_model !== 'REGISTRATION' && k.registration_intake_month !== null) {
        context.addIssue({ code: 'custom', path: ['registration_intake_month'], message: 'must be empty unless recognition_model is REGISTRATION' });
      }
    }
  })
  .transform((k) => k as KindRecord); // the category was checked against its scope's list above

/** One row of kind_names.csv. */
export const kindNameSchema = z.object({
  scope: z.enum(KIND_SCOPES, 'must be DIVISION or ORGANIZATION'),
  code: kindCode,
  locale,
  name: text,
  plural_name: text,
});

export const jurisdictionSchema = z.strictObject({
  slug,
  name: text,
  ocdId,
  timezone: text.refine((tz) => {
    try {
      new Intl.DateTimeFormat('en-US', { timeZone: tz });
      return true;
    } catch {
      return false;
    }
  }, 'must be an IANA time zone such as America/Los_Angeles'),
  defaultLocale: locale.default('en'),
  locales: z.array(locale).max(100, 'at most 100 locales').optional(),
  // The city's own boundary; read-dataset.ts checks the kind has a division with a boundary.
  extent: z.strictObject({ kind: z.string(required).regex(/^[A-Z][A-Z0-9_]*$/, 'must be a division kind code such as COUNCIL_DISTRICT') }).optional(),
}).transform((j, context) => {
  // Stored canonical, the default first, each once; the default must be one of them.
  const locales = [...new Set(j.locales ?? [j.defaultLocale])];
  if (!locales.includes(j.defaultLocale)) context.addIssue({ code: 'custom', path: ['locales'], message: `must include the default locale ${j.defaultLocale}` });
  return { ...j, locales: [j.defaultLocale, ...locales.filter((l) => l !== j.defaultLocale)] };
});

const position = z.array(z.number()).min(2, 'a position needs longitude and latitude');
const ring = z.array(position);
export const geometrySchema = z.discriminatedUnion(
  'type',
  [
    z.object({ type: z.literal('Polygon'), coordinates: z.array(ring) }),
    z.object({ type: z.literal('MultiPolygon'), coordinates: z.array(z.array(ring)) }),
  ],
  'geometry must be a Polygon, a MultiPolygon or null',
);

export const divisionPropertiesSchema = z
  .object({
    key,
    kind: kindCode,
    name: text,
    ocdId,
    parentKey: key.nullish().transform((v) => v ?? null),
    validFrom: optionalDate.default(null),
    validUntil: optionalDate.default(null),
    source: optionalText.default(null),
  })
  .refine((d) => before(d.validFrom, d.validUntil), { message: 'validFrom must be before validUntil', path: ['validUntil'] });

export const divisionFeatureSchema = z.object({
  type: z.literal('Feature'),
  properties: divisionPropertiesSchema,
  geometry: geometrySchema.nullable(),
});

export const organizationSchema = z
  .object({
    key: slug,
    kind: kindCode,
    name: text,
    short_name: optionalText,
    description: optionalText,
    website: z.url('must be a URL').nullable(),
    status: z.enum(ORGANIZATION_STATUSES, required),
    division_key: key.nullable(),
    overseen_by: optionalText,
    founded_on: optionalDate,
    dissolved_on: optionalDate,
    min_members: count,
    max_members: count,
    source_url: z.url('must be a URL').nullable(),
    source_note: optionalText,
    body_kind: z.enum(BODY_KINDS, 'must be BOARD, COMMISSION, COMMITTEE, TASK_FORCE or OTHER').nullable(),
    topics,
    roster_status: z.enum(ROSTER_STATUSES, 'must be RECORDED, PARTLY_RECORDED or NOT_RECORDED (empty: NOT_RECORDED)').nullable(),
    roster_as_of: optionalDate,
    registered_on: optionalDate,
    registration_expires_on: optionalDate,
  })
  .refine((o) => o.body_kind === null || o.kind === 'ADVISORY_BODY', { message: 'only an ADVISORY_BODY has a body_kind', path: ['body_kind'] })
  .refine((o) => o.dissolved_on === null || o.status === 'DISSOLVED', {
    message: 'an organization with dissolved_on must have status DISSOLVED',
    path: ['status'],
  })
  .refine((o) => before(o.founded_on, o.dissolved_on), { message: 'founded_on must be before dissolved_on', path: ['dissolved_on'] })
  .refine((o) => o.min_members === null || o.max_members === null || o.min_members <= o.max_members, {
    message: 'min_members must not exceed max_members',
    path: ['max_members'],
  })
  .refine((o) => (o.registered_on === null) === (o.registration_expires_on === null), {
    message: 'registered_on and registration_expires_on go together: give both or neither',
    path: ['registration_expires_on'],
  })
  .refine((o) => before(o.registered_on, o.registration_expires_on), {
    message: 'registered_on must be before registration_expires_on (the first day no longer registered)',
    path: ['registration_expires_on'],
  });

export const linkSchema = z
  .object({
    member_key: slug,
    parent_key: slug,
    kind: z.enum(LINK_KINDS, required),
    start_date: optionalDate,
    end_date: optionalDate,
    note: optionalText,
  })
  .refine((l) => before(l.start_date, l.end_date), { message: 'start_date must be before end_date', path: ['end_date'] })
  .refine((l) => l.member_key !== l.parent_key, { message: 'an organization cannot be linked to itself', path: ['parent_key'] });

/** `MM-DD` naming a day every year has (02-29 is refused: it would move in three years of four). */
export function isTermAnchor(value: string): boolean {
  const match = /^(\d{2})-(\d{2})$/.exec(value);
  if (!match) return false;
  const [month, day] = [Number(match[1]), Number(match[2])];
  const days = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1];
  return days !== undefined && day >= 1 && day <= days;
}

const NOMINATOR = /^(?:post:([a-z0-9]+(?:-[a-z0-9]+)*)\/([A-Za-z0-9][A-Za-z0-9._:-]*)|org:([a-z0-9]+(?:-[a-z0-9]+)*))$/;

/** Parses a `nominated_by` cell; null when a reference is malformed. */
export function parseNominators(cell: string | null): NominatorRef[] | null {
  if (cell === null) return [];
  const refs: NominatorRef[] = [];
  for (const part of cell.split(';').map((p) => p.trim())) {
    const match = NOMINATOR.exec(part);
    if (!match) return null;
    refs.push(match[3] ? { kind: 'org', organization_key: match[3] } : { kind: 'post', organization_key: match[1]!, post_key: match[2]! });
  }
  return refs;
}

/** A whole number (written in digits) in [min, max]; empty is null. */
const bounded = (min: number, max: number, message: string) =>
  z
    .string()
    .regex(/^\d+$/, 'must be a whole number')
    .transform(Number)
    .refine((n) => n >= min && n <= max, message)
    .nullable();

export const postSchema = z
  .object({
    organization_key: slug,
    key,
    label: text,
    role: text,
    division_key: key.nullable(),
    appointing_authority: optionalText,
    selection_method: z.enum(SELECTION_METHODS, required),
    max_holders: count.refine((n) => n !== null && n >= 1, 'must be a whole number of at least 1').transform((n) => n!),
    term_length_months: count.refine((n) => n === null || n > 0, 'must be more than 0'),
    term_limit: count.refine((n) => n === null || n >= 1, 'must be at least 1'),
    takes_applications: bool,
    eligibility: optionalText,
    created_on: optionalDate,
    abolished_on: optionalDate,
    voting: bool.nullable(),
    nominated_by: z
      .string()
      .nullable()
      .refine((v) => parseNominators(v) !== null, 'must be references separated by ; each post:<organization_key>/<post_key> or org:<organization_key>')
      .refine((v) => {
        const refs = parseNominators(v) ?? [];
        return new Set(refs.map((r) => JSON.stringify(r))).size === refs.length;
      }, 'must not repeat a nominator'),
    confirmed_by: slug.nullable(),
    alternate_for: key.nullable(),
    term_anchor: z.string().refine(isTermAnchor, 'must be a day of the year written MM-DD, such as 04-01 (not 02-29)').nullable(),
    stagger_classes: bounded(2, 12, 'must be a whole number from 2 to 12'),
    holdover_limit_months: bounded(0, 120, 'must be a whole number of months from 0 to 120'),
    term_limit_counting: z.enum(TERM_LIMIT_COUNTINGS, 'must be CONSECUTIVE_TERMS or TOTAL_TERMS').nullable(),
    min_age: bounded(0, 120, 'must be a whole number of years from 0 to 120'),
  })
  .refine((p) => before(p.created_on, p.abolished_on), { message: 'created_on must be before abolished_on', path: ['abolished_on'] })
  .refine((p) => p.alternate_for === null || p.alternate_for !== p.key, { message: 'a seat cannot be its own alternate', path: ['alternate_for'] })
  .refine((p) => p.term_anchor === null || (p.term_length_months !== null && p.term_length_months % 12 === 0), {
    message: 'needs a term_length_months of whole years (12, 24, 36 …)',
    path: ['term_anchor'],
  })
  .refine((p) => p.stagger_classes === null || p.term_anchor !== null, { message: 'needs a term_anchor', path: ['stagger_classes'] })
  .refine((p) => p.stagger_classes === null || p.term_length_months === null || (p.term_length_months / 12) % p.stagger_classes === 0, {
    message: 'must divide the term length in years (a 2-year term can have 2 classes, one ending each year)',
    path: ['stagger_classes'],
  })
  .refine((p) => p.term_limit_counting === null || p.term_limit !== null, { message: 'needs a term_limit', path: ['term_limit_counting'] });

export const compositionRuleSchema = z
  .object({
    organization_key: slug,
    code: key,
    rule: z.enum(COMPOSITION_RULE_KINDS, 'must be MIN_SHARE_NOMINATED or MAX_SHARE_CITY_EMPLOYEES'),
    numerator: bounded(0, 1000, 'must be a whole number from 0 to 1000').refine((n) => n !== null, 'is required but empty').transform((n) => n!),
    denominator: bounded(1, 1000, 'must be a whole number from 1 to 1000').refine((n) => n !== null, 'is required but empty').transform((n) => n!),
    description: optionalText,
    source: optionalText,
  })
  .refine((r) => r.numerator <= r.denominator, { message: 'must not exceed denominator (a share is at most 1)', path: ['numerator'] });

export function describeIssues(where: string, error: z.ZodError): string[] {
  return error.issues.map((issue) => {
    const field = issue.path.length ? issue.path.join('.') : '(record)';
    return `${where}: ${field}: ${issue.message}`;
  });
}

/** people.csv: public officials only (name, sort name, public bio, the source of those facts). */
export const personSchema = z.object({
  key: slug,
  name: text,
  sort_name: optionalText,
  public_bio: optionalText,
  source_url: z.url('must be a URL'),
});

/** memberships.csv: a term of a people.csv official on a post of posts.csv, half-open dates. */
export const membershipSchema = z
  .object({
    person_key: slug,
    organization_key: slug,
    post_key: key,
    role: text,
    start_date: date,
    end_date: optionalDate,
    scheduled_end_date: optionalDate,
    source_url: z.url('must be a URL'),
  })
  .refine((m) => before(m.start_date, m.end_date), { message: 'start_date must be before end_date', path: ['end_date'] })
  .refine((m) => before(m.start_date, m.scheduled_end_date), { message: 'start_date must be before scheduled_end_date', path: ['scheduled_end_date'] });

/** organization_contacts.csv: an organization's public office channel, with the source that published it. */
export const organizationContactSchema = z
  .object({
    organization_key: slug,
    kind: z.enum(CONTACT_CHANNEL_KINDS, `must be one of ${CONTACT_CHANNEL_KINDS.join(', ')}`),
    value: text.pipe(z.string().max(500, 'must be at most 500 characters')),
    source_url: z.url('must be a URL'),
    note: optionalText,
  })
  .refine((c) => c.kind !== 'EMAIL' || /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(c.value), { message: 'must be an email address', path: ['value'] })
  .refine((c) => c.kind !== 'PHONE' || /^[0-9 +().-]{7,20}$/.test(c.value), { message: 'must be a phone number (7-20 digits, spaces, + - ( ) .)', path: ['value'] })
  .refine((c) => c.kind !== 'WEBSITE' || (/^https?:\/\/\S+$/i.test(c.value) && URL.canParse(c.value)), { message: 'must be an http:// or https:// URL', path: ['value'] });

const nonEmptyBounded = (min: number, max: number, message: string) => bounded(min, max, message).pipe(z.number(required));

/** notice_procedures.csv: a kind of land-use case whose notice the city's rules set, with their source. */
export const noticeProcedureSchema = z.object({
  code: kindCode,
  name: text.pipe(z.string().max(200, 'must be at most 200 characters')),
  description: text.pipe(z.string().max(2000, 'must be at most 2000 characters')),
  source: text,
  sort_order: nonEmptyBounded(0, 1000, 'must be from 0 to 1000'),
});

/** notice_rules.csv: which organization kind a procedure notifies, how far it reaches, and its role. */
export const noticeRuleSchema = z
  .object({
    procedure: kindCode,
    organization_kind: kindCode,
    requirement: z.enum(NOTICE_REQUIREMENTS, 'must be MUST or SHOULD'),
    reach: z.enum(NOTICE_REACHES, 'must be CONTAINS_SITE or WITHIN_DISTANCE'),
    distance_meters: z
      .string()
      .regex(/^\d+(\.\d+)?$/, 'must be a number of meters')
      .transform(Number)
      .refine((n) => n <= 10_000, 'must be at most 10000 meters')
      .nullable(),
    registered_only: bool,
    role: text.pipe(z.string().max(500, 'must be at most 500 characters')),
  })
  .refine((r) => (r.reach === 'WITHIN_DISTANCE') === (r.distance_meters !== null), {
    message: 'is set exactly when reach is WITHIN_DISTANCE',
    path: ['distance_meters'],
  });

/** notice_deadlines.csv: one step of a procedure, with the days it has. */
export const noticeDeadlineSchema = z.object({
  procedure: kindCode,
  step: nonEmptyBounded(1, 50, 'must be from 1 to 50'),
  label: text.pipe(z.string().max(500, 'must be at most 500 characters')),
  responsible: text.pipe(z.string().max(200, 'must be at most 200 characters')),
  days: nonEmptyBounded(0, 3650, 'must be from 0 to 3650'),
  counted_from: z.enum(NOTICE_DEADLINE_STARTS, 'must be FILING or PREVIOUS_STEP'),
}).refine((d) => d.step > 1 || d.counted_from === 'FILING', { message: 'must be FILING for step 1', path: ['counted_from'] });

/** compliance_requirements.csv: one requirement of an organization kind, how often it recurs, and its source. */
export const complianceRequirementSchema = z
  .object({
    organization_kind: kindCode,
    code: kindCode,
    name: text.pipe(z.string().max(200, 'must be at most 200 characters')),
    description: text.pipe(z.string().max(2000, 'must be at most 2000 characters')),
    recurrence_months: bounded(1, 120, 'must be a whole number of months from 1 to 120'),
    met_by: z.enum(COMPLIANCE_MET_BY, 'must be EVIDENCE or REGISTRATION'),
    source: text.pipe(z.string().max(1000, 'must be at most 1000 characters')),
    sort_order: nonEmptyBounded(0, 1000, 'must be from 0 to 1000'),
  })
  .refine((r) => r.met_by === 'EVIDENCE' || r.recurrence_months === null, {
    message: 'must be empty when met_by is REGISTRATION (the registration term sets it)',
    path: ['recurrence_months'],
  });
