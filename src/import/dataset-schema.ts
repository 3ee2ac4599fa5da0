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
  ORGANIZATION_STATUSES,
  ROSTER_STATUSES,
  SELECTION_METHODS,
  SLUG,
  TOPICS,
} from '../datasets/format.ts';
import type { KindRecord } from '../datasets/format.ts';
import { canonicalLocale } from '../modules/language/locales.ts';

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
    } else {
      if (k.overlap_policy !== null) context.addIssue({ code: 'custom', path: ['overlap_policy'], message: 'must be empty on an ORGANIZATION row (it is for DIVISION rows)' });
      if (k.recognition_model === null) context.addIssue({ code: 'custom', path: ['recognition_model'], message: 'is required on an ORGANIZATION row' });
      if (k.recognition_model === 'REGISTRATION' && k.registration_term_months === null) {
        context.addIssue({ code: 'custom', path: ['registration_term_months'], message: 'is required with recognition_model REGISTRATION' });
      }
      if (k.recognition_model !== 'REGISTRATION' && k.registration_term_months !== null) {
        context.addIssue({ code: 'custom', path: ['registration_term_months'], message: 'must be empty unless recognition_model is REGISTRATION' });
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
  })
  .refine((p) => before(p.created_on, p.abolished_on), { message: 'created_on must be before abolished_on', path: ['abolished_on'] });

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
    kind: z.enum(CONTACT_CHANNEL_KINDS, 'must be ADDRESS, PHONE or EMAIL'),
    value: text.pipe(z.string().max(500, 'must be at most 500 characters')),
    source_url: z.url('must be a URL'),
    note: optionalText,
  })
  .refine((c) => c.kind !== 'EMAIL' || /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(c.value), { message: 'must be an email address', path: ['value'] })
  .refine((c) => c.kind !== 'PHONE' || /^[0-9 +().-]{7,20}$/.test(c.value), { message: 'must be a phone number (7-20 digits, spaces, + - ( ) .)', path: ['value'] });
