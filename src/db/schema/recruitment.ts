import { sql } from 'drizzle-orm';
import {
  bigint,
  boolean,
  check,
  date,
  doublePrecision,
  foreignKey,
  index,
  integer,
  jsonb,
  pgEnum,
  pgTable,
  primaryKey,
  text,
  timestamp,
  unique,
} from 'drizzle-orm/pg-core';
import { recordOrigin, timestamps } from './columns.ts';
import { divisions } from './divisions.ts';
import { jurisdictions } from './jurisdictions.ts';
import { organizations } from './organizations.ts';
import { people } from './people.ts';
import { posts } from './posts.ts';

export const vacancyPostingStatus = pgEnum('vacancy_posting_status', ['DRAFT', 'OPEN', 'CLOSED', 'CANCELLED']);

/** A question a body asks every applicant (validated by the service before it is stored). */
export interface PostingQuestion {
  /** Stable key answers refer to, for example `why`. */
  id: string;
  prompt: string;
  required: boolean;
  maxLength: number;
}

/** Something applicants attest to themselves ("I am not a city employee"). */
export interface PostingRequirement {
  id: string;
  statement: string;
}

/**
 * A recruitment for one or more seats of a body. The window is in the city's calendar dates and
 * half-open like the rest of the model: applications are taken from `opens_on` up to, not
 * including, `closes_on`; the deadline shown to residents is the day before `closes_on`.
 * DRAFT is staff-only; OPEN and CLOSED are public; CANCELLED reads as absent to the public.
 */
export const vacancyPostings = pgTable(
  'vacancy_postings',
  {
    id: integer().primaryKey().generatedAlwaysAsIdentity(),
    jurisdictionId: integer()
      .notNull()
      .references(() => jurisdictions.id, { onDelete: 'cascade' }),
    organizationId: integer()
      .notNull()
      .references(() => organizations.id, { onDelete: 'cascade' }),
    title: text().notNull(),
    description: text(),
    status: vacancyPostingStatus().notNull().default('DRAFT'),
    opensOn: date({ mode: 'string' }).notNull(),
    closesOn: date({ mode: 'string' }).notNull(),
    seatsAvailable: integer().notNull(),
    eligibilitySummary: text(),
    timeCommitmentMinHours: integer(),
    timeCommitmentMaxHours: integer(),
    stipend: text(),
    /** BCP-47 tags of the languages the body offers interpretation in. */
    interpretationLanguages: text().array().notNull().default(sql`'{}'::text[]`),
    questions: jsonb().$type<PostingQuestion[]>().notNull().default(sql`'[]'::jsonb`),
    /** Self-attested requirements beyond residence and age. */
    requirements: jsonb().$type<PostingRequirement[]>().notNull().default(sql`'[]'::jsonb`),
    /** Applicants attest they are at least this old; null when the body has no minimum. */
    minimumAge: integer(),
    /** How long an application stays alive before it expires; the body's rule, 90 days by default. */
    applicationLifetimeDays: integer().notNull().default(90),
    publishedAt: timestamp({ withTimezone: true }),
    origin: recordOrigin().notNull().default('STAFF'),
    ...timestamps,
  },
  (t) => [
    // Target of the posting_posts (posting_id, organization_id) foreign key.
    unique('vacancy_postings_id_organization_id_unique').on(t.id, t.organizationId),
    index('vacancy_postings_jurisdiction_id_closes_on_idx').on(t.jurisdictionId, t.closesOn, t.id),
    index('vacancy_postings_organization_id_idx').on(t.organizationId, t.closesOn, t.id),
    check('vacancy_postings_window_check', sql`${t.opensOn} < ${t.closesOn}`),
    check('vacancy_postings_seats_check', sql`${t.seatsAvailable} >= 1`),
    check(
      'vacancy_postings_time_commitment_check',
      sql`(${t.timeCommitmentMinHours} is null or ${t.timeCommitmentMinHours} >= 0)
        and (${t.timeCommitmentMaxHours} is null or ${t.timeCommitmentMaxHours} >= 0)
        and (${t.timeCommitmentMinHours} is null or ${t.timeCommitmentMaxHours} is null or ${t.timeCommitmentMinHours} <= ${t.timeCommitmentMaxHours})`,
    ),
    check('vacancy_postings_lifetime_check', sql`${t.applicationLifetimeDays} between 1 and 730`),
    check('vacancy_postings_minimum_age_check', sql`${t.minimumAge} is null or ${t.minimumAge} between 0 and 120`),
    check('vacancy_postings_questions_check', sql`jsonb_typeof(${t.questions}) = 'array'`),
    check('vacancy_postings_requirements_check', sql`jsonb_typeof(${t.requirements}) = 'array'`),
  ],
);

/** The seats a posting recruits for: always seats of the posting's own body (enforced by the keys). */
export const postingPosts = pgTable(
  'posting_posts',
  {
    postingId: integer().notNull(),
    postId: integer().notNull(),
    organizationId: integer().notNull(),
  },
  (t) => [
    primaryKey({ name: 'posting_posts_pkey', columns: [t.postingId, t.postId] }),
    foreignKey({
      name: 'posting_posts_posting_id_organization_id_fk',
      columns: [t.postingId, t.organizationId],
      foreignColumns: [vacancyPostings.id, vacancyPostings.organizationId],
    }).onDelete('cascade'),
    foreignKey({
      name: 'posting_posts_post_id_organization_id_fk',
      columns: [t.postId, t.organizationId],
      foreignColumns: [posts.id, posts.organizationId],
    }).onDelete('restrict'),
    index('posting_posts_post_id_idx').on(t.postId),
  ],
);

export const applicationStatus = pgEnum('application_status', [
  'SUBMITTED',
  'UNDER_REVIEW',
  'INTERVIEW_SCHEDULED',
  'RECOMMENDED',
  'APPOINTED',
  'NOT_SELECTED',
  'WITHDRAWN',
  'EXPIRED',
]);

/**
 * An application to a posting, made without an account. Everything in it is private: readable by
 * the applicant (through the token whose SHA-256 is `token_hash`) and staff of the jurisdiction.
 */
export const applications = pgTable(
  'applications',
  {
    id: integer().primaryKey().generatedAlwaysAsIdentity(),
    jurisdictionId: integer()
      .notNull()
      .references(() => jurisdictions.id, { onDelete: 'cascade' }),
    postingId: integer()
      .notNull()
      .references(() => vacancyPostings.id, { onDelete: 'restrict' }),
    status: applicationStatus().notNull().default('SUBMITTED'),
    tokenHash: text().notNull(),
    submittedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    expiresAt: timestamp({ withTimezone: true }).notNull(),
    fullName: text().notNull(),
    email: text(),
    phone: text(),
    /** Home as a point geocoded by the client (WGS84); both or neither. */
    residenceLatitude: doublePrecision(),
    residenceLongitude: doublePrecision(),
    /** The council district the applicant says they live in, when no point is given (or as well). */
    residenceDivisionId: integer().references(() => divisions.id, { onDelete: 'restrict' }),
    /** The applicant attests they meet the posting's minimum age. */
    attestsMinimumAge: boolean(),
    /** Ids of the posting's requirements the applicant attests to. */
    attestedRequirements: text().array().notNull().default(sql`'{}'::text[]`),
    /** Answers by question id. */
    answers: jsonb().$type<Record<string, string>>().notNull().default(sql`'{}'::jsonb`),
    /** BCP-47 tag of the language the applicant prefers. */
    preferredLanguage: text(),
    interpretationNeeded: boolean().notNull().default(false),
    accessibilityNeeds: text(),
    interviewAt: timestamp({ withTimezone: true }),
    decisionReason: text(),
    decidedAt: timestamp({ withTimezone: true }),
    /** The person record made when the applicant is appointed. */
    personId: integer().references(() => people.id, { onDelete: 'restrict' }),
    ...timestamps,
  },
  (t) => [
    unique('applications_token_hash_unique').on(t.tokenHash),
    // Target of the seat preferences' (application_id, posting_id) foreign key.
    unique('applications_id_posting_id_unique').on(t.id, t.postingId),
    index('applications_posting_id_status_idx').on(t.postingId, t.status, t.id),
    index('applications_expires_at_idx').on(t.expiresAt).where(sql`${t.status} in ('SUBMITTED', 'UNDER_REVIEW', 'INTERVIEW_SCHEDULED', 'RECOMMENDED')`),
    check('applications_contact_check', sql`${t.email} is not null or ${t.phone} is not null`),
    check('applications_residence_point_check', sql`(${t.residenceLatitude} is null) = (${t.residenceLongitude} is null)`),
    check(
      'applications_residence_range_check',
      sql`${t.residenceLatitude} is null or (${t.residenceLatitude} between -90 and 90 and ${t.residenceLongitude} between -180 and 180)`,
    ),
    check('applications_expiry_check', sql`${t.submittedAt} < ${t.expiresAt}`),
    check('applications_not_selected_reason_check', sql`${t.status} <> 'NOT_SELECTED' or ${t.decisionReason} is not null`),
  ],
);

/** The seats an applicant wants, in order (rank 1 first); only seats of the application's posting. */
export const applicationSeatPreferences = pgTable(
  'application_seat_preferences',
  {
    applicationId: integer().notNull(),
    postingId: integer().notNull(),
    postId: integer().notNull(),
    rank: integer().notNull(),
  },
  (t) => [
    primaryKey({ name: 'application_seat_preferences_pkey', columns: [t.applicationId, t.postId] }),
    unique('application_seat_preferences_application_id_rank_unique').on(t.applicationId, t.rank),
    foreignKey({
      name: 'application_seat_preferences_application_fk',
      columns: [t.applicationId, t.postingId],
      foreignColumns: [applications.id, applications.postingId],
    }).onDelete('cascade'),
    foreignKey({
      name: 'application_seat_preferences_posting_post_fk',
      columns: [t.postingId, t.postId],
      foreignColumns: [postingPosts.postingId, postingPosts.postId],
    }).onDelete('restrict'),
    check('application_seat_preferences_rank_check', sql`${t.rank} >= 1`),
  ],
);

export const eligibilityRule = pgEnum('eligibility_rule', ['RESIDES_IN_DIVISION', 'MINIMUM_AGE', 'REQUIREMENT', 'RESIDES_IN_JURISDICTION']);
export const eligibilityResult = pgEnum('eligibility_result', ['ELIGIBLE', 'NOT_ELIGIBLE', 'UNKNOWN']);
export const eligibilityMethod = pgEnum('eligibility_method', ['GEOCODED', 'SELF_ATTESTED', 'STAFF']);

/**
 * One rule evaluated for one application: residence per district seat preferred, minimum age,
 * each posting requirement, city residence per citywide seat. `rule_key` names the instance
 * (`post:12`, `age`, `requirement:<id>`, `city:post:12`);
 * a staff re-evaluation replaces the row (the audit log keeps the earlier value).
 */
export const applicationEligibility = pgTable(
  'application_eligibility',
  {
    id: integer().primaryKey().generatedAlwaysAsIdentity(),
    applicationId: integer()
      .notNull()
      .references(() => applications.id, { onDelete: 'cascade' }),
    rule: eligibilityRule().notNull(),
    ruleKey: text().notNull(),
    postId: integer().references(() => posts.id, { onDelete: 'cascade' }),
    result: eligibilityResult().notNull(),
    method: eligibilityMethod().notNull(),
    /** Plain-language explanation; never contains the applicant's location. */
    detail: text().notNull(),
    evaluatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [unique('application_eligibility_application_id_rule_key_unique').on(t.applicationId, t.ruleKey)],
);

/** Each status change of an application: who, when, why. Append-only by use. */
export const applicationEvents = pgTable(
  'application_events',
  {
    id: bigint({ mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    applicationId: integer()
      .notNull()
      .references(() => applications.id, { onDelete: 'cascade' }),
    fromStatus: applicationStatus(),
    toStatus: applicationStatus().notNull(),
    /** `applicant` for the token holder, `system` for the expiry sweep, else the staff subject. */
    actorSubject: text().notNull(),
    actorRole: text().notNull(),
    reason: text(),
    occurredAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('application_events_application_id_id_idx').on(t.applicationId, t.id)],
);

export const notificationKind = pgEnum('notification_kind', [
  'APPLICATION_RECEIVED',
  'INTERVIEW_SCHEDULED',
  'DECISION',
  'APPLICATION_WITHDRAWN',
  'APPLICATION_EXPIRED',
]);

/**
 * Messages to applicants, written in the transaction that causes them and delivered later by the
 * dispatcher (src/notifications). `available_at` doubles as a lease: a claimed row is pushed into
 * the future, so a crashed sender's row comes back; `id` is the idempotency key given to the sender.
 */
export const notificationOutbox = pgTable(
  'notification_outbox',
  {
    id: bigint({ mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    jurisdictionId: integer()
      .notNull()
      .references(() => jurisdictions.id, { onDelete: 'cascade' }),
    applicationId: integer()
      .notNull()
      .references(() => applications.id, { onDelete: 'cascade' }),
    kind: notificationKind().notNull(),
    /** Email address or phone number; private. */
    recipient: text().notNull(),
    payload: jsonb().$type<Record<string, unknown>>().notNull(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    attempts: integer().notNull().default(0),
    availableAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    sentAt: timestamp({ withTimezone: true }),
    lastError: text(),
  },
  (t) => [
    index('notification_outbox_pending_idx').on(t.availableAt, t.id).where(sql`${t.sentAt} is null`),
    index('notification_outbox_application_id_idx').on(t.applicationId),
    check('notification_outbox_attempts_check', sql`${t.attempts} >= 0`),
  ],
);

export type VacancyPostingRow = typeof vacancyPostings.$inferSelect;
export type NewVacancyPostingRow = typeof vacancyPostings.$inferInsert;
export type PostingPostRow = typeof postingPosts.$inferSelect;
export type ApplicationRow = typeof applications.$inferSelect;
export type NewApplicationRow = typeof applications.$inferInsert;
export type ApplicationSeatPreferenceRow = typeof applicationSeatPreferences.$inferSelect;
export type ApplicationEligibilityRow = typeof applicationEligibility.$inferSelect;
export type ApplicationEventRow = typeof applicationEvents.$inferSelect;
export type NotificationOutboxRow = typeof notificationOutbox.$inferSelect;
