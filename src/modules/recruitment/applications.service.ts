import booleanPointInPolygon from '@turf/boolean-point-in-polygon';
import { eq } from 'drizzle-orm';
import { z } from 'zod';
import type { GraphQLContext } from '../../context.ts';
import type { Database } from '../../db/client.ts';
import { jurisdictions, vacancyPostings, type ApplicationRow, type NewApplicationRow, type PostRow, type VacancyPostingRow } from '../../db/schema/index.ts';
import { todayIn } from '../../graphql/dates.ts';
import { toGlobalId } from '../../graphql/global-id.ts';
import {
  inputId,
  refusalsAsOutcome,
  refuse,
  runMutation,
  UserErrorsException,
  validateInput,
  type AuditWriter,
  type MutationOutcome,
  type UserErrorShape,
} from '../../graphql/mutation.ts';
import { councilDistrictOf, demographicResponseSchema, reportingYearIn, writeDemographicResponse } from '../demographics/demographics.service.ts';
import { boundariesOfKindAround, divisionsByIds } from '../geography/geography.repository.ts';
import { postsByIds } from '../seats/seats.repository.ts';
import { issueApplicationToken, lookupHash } from './application-token.ts';
import type { Replay } from '../../graphql/idempotency.ts';
import { evaluateEligibility, needsCityResidence } from './eligibility.ts';
import { enqueueApplicantNotification } from '../../notifications/outbox.ts';
import { isAcceptingOn, isPostingVisible } from './postings.service.ts';
import { addDays } from '../../input/calendar.ts';
import {
  ACTIVE_STATUSES,
  applicationByTokenHash,
  insertApplication,
  insertApplicationEvent,
  lockApplication,
  lockPosting,
  postIdsOfPosting,
  preferencesByApplicationIds,
  replaceEligibility,
  replaceSeatPreferences,
  updateApplication,
  type ApplicationStatus,
} from './recruitment.repository.ts';
import { clientKeyOf } from '../../graphql/limits/submission-rate-limit.ts';
import { checkedString, email, globalId, key, languageTag, phone, point, text } from '../../input/vocabulary.ts';

/** The actor recorded for changes made with an application token: never the applicant's name. */
export const APPLICANT_ACTOR = { subject: 'applicant', role: 'APPLICANT' };

// ----- status ---------------------------------------------------------------------------------

/** The status as it reads now: undecided and past expiry reads EXPIRED, before the sweep marks it. */
export function currentStatus(application: ApplicationRow, now: Date = new Date()): ApplicationStatus {
  const active = (ACTIVE_STATUSES as readonly string[]).includes(application.status);
  return active && application.expiresAt.getTime() <= now.getTime() ? 'EXPIRED' : application.status;
}

// ----- input ----------------------------------------------------------------------------------

const answers = z
  .array(z.object({ questionId: key, answer: text(5000, { multiline: true }) }))
  .max(30, 'at most 30 answers')
  .refine((as) => new Set(as.map((a) => a.questionId)).size === as.length, 'answer each question once');
const seatPreferences = z
  .array(globalId)
  .min(1, 'name at least one seat')
  .max(50, 'at most 50 seats')
  .refine((ids) => new Set(ids).size === ids.length, 'name each seat once');

const applicantFields = {
  fullName: text(200),
  email: email.nullish(),
  phone: phone.nullish(),
  residencePoint: point.nullish(),
  residenceDivisionId: globalId.nullish(),
  attestsMinimumAge: z.boolean().nullish(),
  attestedRequirementIds: z.array(key).max(20, 'at most 20 requirements').nullish(),
  answers: answers.nullish(),
  seatPreferences,
  preferredLanguage: languageTag.nullish(),
  interpretationNeeded: z.boolean().nullish(),
  accessibilityNeeds: text(2000, { multiline: true }).nullish(),
};

// Demographics only at submission: the response is stored unlinked, so amend could never find it.
const submitSchema = z.object({ postingId: globalId, ...applicantFields, demographics: demographicResponseSchema.nullish() });
const amendSchema = z.object({ token: checkedString().max(100), ...z.object(applicantFields).partial().shape });
const withdrawSchema = z.object({ token: checkedString().max(100), reason: text(1000, { multiline: true }).nullish() });

type ApplicantInput = z.infer<typeof submitSchema>;

/** Everything an application holds, validated against its posting. Field paths point into `input`. */
async function applicationValues(tx: Database, posting: VacancyPostingRow, input: Omit<ApplicantInput, 'postingId'>) {
  if (input.email == null && input.phone == null) refuse('INVALID_INPUT', 'Give an email address or a phone number, so we can tell you about your application', ['input', 'email']);
  if (input.residencePoint == null && input.residenceDivisionId == null) {
    refuse('INVALID_INPUT', 'Give residencePoint (your home, geocoded) or residenceDivisionId (your council district)', ['input', 'residencePoint']);
  }

  // Seats: every preference must be a seat this posting recruits for.
  const offered = new Set(await postIdsOfPosting(tx, posting.id));
  const preferred = input.seatPreferences.map((id, i) => inputId(id, 'Post', ['input', 'seatPreferences', String(i)]));
  const outside = preferred.findIndex((id) => !offered.has(id));
  if (outside >= 0) refuse('SEAT_NOT_IN_POSTING', 'That seat is not one this posting recruits for', ['input', 'seatPreferences', String(outside)]);

  // Answers: known questions, within each question's length, every required one answered.
  const given = new Map((input.answers ?? []).map((a) => [a.questionId, a.answer]));
  const errors: UserErrorShape[] = [];
  for (const [i, a] of (input.answers ?? []).entries()) {
    const question = posting.questions.find((q) => q.id === a.questionId);
    if (!question) errors.push({ code: 'INVALID_INPUT', field: ['input', 'answers', String(i), 'questionId'], message: `This posting has no question "${a.questionId}"` });
    else if (a.answer.length > question.maxLength) {
      errors.push({ code: 'INVALID_INPUT', field: ['input', 'answers', String(i), 'answer'], message: `The answer to "${question.id}" must be at most ${question.maxLength} characters` });
    }
  }
  for (const question of posting.questions) {
    if (question.required && !given.has(question.id)) {
      errors.push({ code: 'MISSING_ANSWER', field: ['input', 'answers'], message: `The question "${question.id}" needs an answer: ${question.prompt.slice(0, 200)}` });
    }
  }
  for (const [i, id] of (input.attestedRequirementIds ?? []).entries()) {
    if (!posting.requirements.some((r) => r.id === id)) {
      errors.push({ code: 'INVALID_INPUT', field: ['input', 'attestedRequirementIds', String(i)], message: `This posting has no requirement "${id}"` });
    }
  }
  if (errors.length) throw new UserErrorsException(errors);

  // Residence: a named district must be a council district of the city.
  const residenceDivisionId = input.residenceDivisionId != null ? inputId(input.residenceDivisionId, 'Division', ['input', 'residenceDivisionId']) : null;
  const posts = await postsByIds(tx, preferred);
  const postsById = new Map(posts.map((p) => [p.id, p]));
  const divisionIds = [...new Set([...posts.map((p) => p.divisionId).filter((id): id is number => id != null), ...(residenceDivisionId != null ? [residenceDivisionId] : [])])];
  const divisions = new Map((await divisionsByIds(tx, divisionIds)).map((d) => [d.id, d]));
  if (residenceDivisionId != null) {
    const division = divisions.get(residenceDivisionId);
    if (!division || division.jurisdictionId !== posting.jurisdictionId || division.kind !== 'COUNCIL_DISTRICT') {
      refuse('NOT_FOUND', 'No council district of this city has that id', ['input', 'residenceDivisionId']);
    }
  }

  const preferredPosts = preferred.map((id) => postsById.get(id)).filter((p): p is PostRow => p != null);
  const city = await cityResidence(tx, posting.jurisdictionId, input.residencePoint ?? null, preferredPosts.some((p) => needsCityResidence(p, p.divisionId != null ? divisions.get(p.divisionId) : undefined)));
  const checks = evaluateEligibility(posting, preferredPosts, divisions, {
    residencePoint: input.residencePoint ?? null,
    residenceDivisionId,
    attestsMinimumAge: input.attestsMinimumAge ?? null,
    attestedRequirementIds: input.attestedRequirementIds ?? [],
    residenceInCity: city.residenceInCity,
  }, city);
  const columns = {
    fullName: input.fullName,
    email: input.email ?? null,
    phone: input.phone ?? null,
    residenceLatitude: input.residencePoint?.latitude ?? null,
    residenceLongitude: input.residencePoint?.longitude ?? null,
    residenceDivisionId,
    attestsMinimumAge: input.attestsMinimumAge ?? null,
    attestedRequirements: input.attestedRequirementIds ?? [],
    answers: Object.fromEntries(given),
    preferredLanguage: input.preferredLanguage ?? null,
    interpretationNeeded: input.interpretationNeeded ?? false,
    accessibilityNeeds: input.accessibilityNeeds ?? null,
  } satisfies Partial<NewApplicationRow>;
  return { columns, preferred, checks };
}

/**
 * The city's name and whether a geocoded home lies in its extent today (geography isInExtent's
 * rule: inside one of its divisions of the extent kind). Read only when a preferred seat is for the
 * city's residents; null when there is no home point or no extent on record.
 */
async function cityResidence(
  tx: Database,
  jurisdictionId: number,
  point: { latitude: number; longitude: number } | null,
  needed: boolean,
): Promise<{ name: string; residenceInCity: boolean | null }> {
  if (!needed) return { name: '', residenceInCity: null };
  const [jurisdiction] = await tx
    .select({ name: jurisdictions.name, timezone: jurisdictions.timezone, extentKind: jurisdictions.extentKind })
    .from(jurisdictions)
    .where(eq(jurisdictions.id, jurisdictionId));
  if (!point || jurisdiction!.extentKind == null) return { name: jurisdiction!.name, residenceInCity: null };
  const around = await boundariesOfKindAround(tx, jurisdictionId, jurisdiction!.extentKind, point.longitude, point.latitude, todayIn(jurisdiction!.timezone));
  const inside = around.some((d) => d.boundary != null && booleanPointInPolygon([point.longitude, point.latitude], d.boundary));
  return { name: jurisdiction!.name, residenceInCity: inside };
}

/** The posting, locked, if it takes applications today in the city's time zone; with the city's time zone. */
async function acceptingPosting(ctx: GraphQLContext, tx: Database, postingId: number): Promise<{ posting: VacancyPostingRow; timezone: string }> {
  const posting = await lockPosting(tx, postingId);
  if (!posting || !isPostingVisible(ctx, posting)) refuse('NOT_FOUND', 'No vacancy posting has that id', ['input', 'postingId']);
  // Through the transaction, never a loader: the embedded database has one connection, held by it.
  const [jurisdiction] = await tx.select({ timezone: jurisdictions.timezone }).from(jurisdictions).where(eq(jurisdictions.id, posting.jurisdictionId));
  const today = todayIn(jurisdiction!.timezone);
  if (!isAcceptingOn(posting, today)) {
    const why =
      posting.status !== 'OPEN'
        ? `it is ${posting.status}`
        : today < posting.opensOn
          ? `it opens on ${posting.opensOn}`
          : `its deadline was ${addDays(posting.closesOn, -1)}`;
    refuse('POSTING_NOT_OPEN', `This posting is not taking applications: ${why}`, ['input', 'postingId']);
  }
  return { posting, timezone: jurisdiction!.timezone };
}

/** Which private fields differ: the audit log records names of changed fields, never their values. */
function changedFields(before: object, after: object): string[] {
  const b = before as Record<string, unknown>;
  const a = after as Record<string, unknown>;
  return Object.keys(a).filter((k) => JSON.stringify(b[k] ?? null) !== JSON.stringify(a[k] ?? null));
}

// ----- applicant mutations ---------------------------------------------------------------------

export interface SubmitOutcome extends MutationOutcome<{ application: ApplicationRow; token: string }> {
  retryAfterSeconds?: number;
}

/**
 * A retried submission (same Idempotency-Key, same input) gets its application back with a new
 * token, and the first token stops working: only its hash was ever stored, so it cannot be shown
 * again, and the retry exists because its answer (and token) never arrived. Nothing else of the
 * application is kept with the key: only its id, the rest is read again here.
 */
const submissionReplay: Replay<{ application: ApplicationRow; token: string }> = {
  ids: ({ application }) => ({ applicationId: application.id }),
  async restore(tx, { applicationId }) {
    const { token, hash } = issueApplicationToken();
    const application = await updateApplication(tx, applicationId!, { tokenHash: hash });
    return { application, token };
  },
};

export async function applicationSubmit(ctx: GraphQLContext, rawInput: unknown): Promise<SubmitOutcome> {
  const decision = await ctx.submissionRateLimit.consume(clientKeyOf(ctx));
  if (!decision.allowed) {
    return {
      value: null,
      retryAfterSeconds: decision.retryAfterSeconds,
      userErrors: [{ code: 'RATE_LIMITED', field: null, message: `Too many applications from this client; try again in ${decision.retryAfterSeconds} seconds` }],
    };
  }
  return refusalsAsOutcome(async () => {
    const input = validateInput(submitSchema, rawInput);
    const postingId = inputId(input.postingId, 'VacancyPosting', ['input', 'postingId']);
    const known = await ctx.loaders.vacancyPostingById.load(postingId);
    if (!known || !isPostingVisible(ctx, known)) refuse('NOT_FOUND', 'No vacancy posting has that id', ['input', 'postingId']);
    return runMutation(ctx, { action: 'applicationSubmit', jurisdictionId: known.jurisdictionId, actingWithout: APPLICANT_ACTOR, replay: submissionReplay }, async (tx, audit) => {
      const { posting, timezone } = await acceptingPosting(ctx, tx, postingId);
      const { demographics, ...applicant } = input;
      const { columns, preferred, checks } = await applicationValues(tx, posting, applicant);
      const { token, hash } = issueApplicationToken();
      const submittedAt = new Date();
      const application = await insertApplication(tx, {
        ...columns,
        jurisdictionId: posting.jurisdictionId,
        postingId: posting.id,
        tokenHash: hash,
        submittedAt,
        expiresAt: new Date(submittedAt.getTime() + posting.applicationLifetimeDays * 86_400_000),
      });
      await replaceSeatPreferences(tx, application, preferred);
      await replaceEligibility(tx, application.id, checks);
      await insertApplicationEvent(tx, { applicationId: application.id, fromStatus: null, toStatus: 'SUBMITTED', actorSubject: APPLICANT_ACTOR.subject, actorRole: APPLICANT_ACTOR.role, reason: null });
      await enqueueApplicantNotification(tx, application, 'APPLICATION_RECEIVED', { postingId: posting.id, postingTitle: posting.title, expiresAt: application.expiresAt.toISOString() });
      // Private values stay out of the append-only log: the posting and status only.
      await audit.record('Application', application.id, null, { postingId: posting.id, status: application.status });
      if (demographics) {
        // Same transaction, no link: nothing of it in the application, its audit event, outbox or payload.
        const councilDistrictId = await councilDistrictOf(
          tx,
          posting.jurisdictionId,
          { point: columns.residenceLatitude != null ? { latitude: columns.residenceLatitude, longitude: columns.residenceLongitude! } : null, divisionId: columns.residenceDivisionId },
          todayIn(timezone, submittedAt),
        );
        await writeDemographicResponse(
          tx,
          { jurisdictionId: posting.jurisdictionId, organizationId: posting.organizationId, context: 'APPLICANT', reportingYear: reportingYearIn(timezone, submittedAt), councilDistrictId },
          demographics,
        );
      }
      return { application, token };
    });
  });
}

/** The application a token opens, locked; a refusal naming the token when there is none. */
async function applicationOfToken(tx: Database, token: string): Promise<ApplicationRow> {
  const hash = lookupHash(token);
  const application = hash ? await applicationByTokenHash(tx, hash) : null;
  if (!application) refuse('NOT_FOUND', 'No application has that token', ['input', 'token']);
  return (await lockApplication(tx, application.id))!;
}

export async function applicationAmend(ctx: GraphQLContext, rawInput: unknown): Promise<MutationOutcome<ApplicationRow>> {
  return refusalsAsOutcome(async () => {
    const input = validateInput(amendSchema, rawInput);
    const hash = lookupHash(input.token);
    const known = hash ? await applicationByTokenHash(ctx.db, hash) : null;
    if (!known) refuse('NOT_FOUND', 'No application has that token', ['input', 'token']);
    return runMutation(ctx, { action: 'applicationAmend', jurisdictionId: known.jurisdictionId, actingWithout: APPLICANT_ACTOR }, async (tx, audit) => {
      const before = await applicationOfToken(tx, input.token);
      const status = currentStatus(before);
      if (status !== 'SUBMITTED') refuse('INVALID_TRANSITION', `An application can be amended only while SUBMITTED; this one is ${status}`, ['input', 'token']);
      const { posting } = await acceptingPosting(ctx, tx, before.postingId);
      const preferences = (await preferencesByApplicationIds(tx, [before.id])).get(before.id) ?? [];
      const { token: _token, ...changes } = input;
      const merged = {
        fullName: before.fullName,
        email: before.email,
        phone: before.phone,
        residencePoint: before.residenceLatitude != null ? { latitude: before.residenceLatitude, longitude: before.residenceLongitude! } : null,
        residenceDivisionId: null as string | null,
        attestsMinimumAge: before.attestsMinimumAge,
        attestedRequirementIds: before.attestedRequirements,
        answers: Object.entries(before.answers).map(([questionId, answer]) => ({ questionId, answer })),
        seatPreferences: preferences.map((p) => toPostGlobalId(p.postId)),
        preferredLanguage: before.preferredLanguage,
        interpretationNeeded: before.interpretationNeeded,
        accessibilityNeeds: before.accessibilityNeeds,
        ...Object.fromEntries(Object.entries(changes).filter(([, v]) => v !== undefined)),
      };
      if (changes.residenceDivisionId === undefined && before.residenceDivisionId != null) merged.residenceDivisionId = toDivisionGlobalId(before.residenceDivisionId);
      const { columns, preferred, checks } = await applicationValues(tx, posting, merged);
      const after = await updateApplication(tx, before.id, columns);
      await replaceSeatPreferences(tx, after, preferred);
      await replaceEligibility(tx, after.id, checks);
      await audit.record('Application', after.id, null, { privateFieldsChanged: changedFields(before, after) });
      return after;
    });
  });
}

export async function applicationWithdraw(ctx: GraphQLContext, rawInput: unknown): Promise<MutationOutcome<ApplicationRow>> {
  return refusalsAsOutcome(async () => {
    const input = validateInput(withdrawSchema, rawInput);
    const hash = lookupHash(input.token);
    const known = hash ? await applicationByTokenHash(ctx.db, hash) : null;
    if (!known) refuse('NOT_FOUND', 'No application has that token', ['input', 'token']);
    return runMutation(ctx, { action: 'applicationWithdraw', jurisdictionId: known.jurisdictionId, actingWithout: APPLICANT_ACTOR }, async (tx, audit) => {
      const before = await applicationOfToken(tx, input.token);
      return moveApplication(tx, audit, before, 'WITHDRAWN', { actor: APPLICANT_ACTOR, reason: input.reason ?? null });
    });
  });
}

// ----- shared transition ------------------------------------------------------------------------

const toPostGlobalId = (id: number) => toGlobalId('Post', id);
const toDivisionGlobalId = (id: number) => toGlobalId('Division', id);

/** Which status may follow which. Decisions (APPOINTED, NOT_SELECTED), WITHDRAWN and EXPIRED are final. */
export const NEXT_STATUSES: Record<ApplicationStatus, readonly ApplicationStatus[]> = {
  SUBMITTED: ['UNDER_REVIEW', 'NOT_SELECTED', 'WITHDRAWN', 'EXPIRED'],
  UNDER_REVIEW: ['INTERVIEW_SCHEDULED', 'RECOMMENDED', 'NOT_SELECTED', 'WITHDRAWN', 'EXPIRED'],
  INTERVIEW_SCHEDULED: ['INTERVIEW_SCHEDULED', 'RECOMMENDED', 'NOT_SELECTED', 'WITHDRAWN', 'EXPIRED'],
  RECOMMENDED: ['APPOINTED', 'NOT_SELECTED', 'WITHDRAWN', 'EXPIRED'],
  APPOINTED: [],
  NOT_SELECTED: [],
  WITHDRAWN: [],
  EXPIRED: [],
};

const NOTIFY: Partial<Record<ApplicationStatus, 'INTERVIEW_SCHEDULED' | 'DECISION' | 'APPLICATION_WITHDRAWN' | 'APPLICATION_EXPIRED'>> = {
  INTERVIEW_SCHEDULED: 'INTERVIEW_SCHEDULED',
  APPOINTED: 'DECISION',
  NOT_SELECTED: 'DECISION',
  WITHDRAWN: 'APPLICATION_WITHDRAWN',
  EXPIRED: 'APPLICATION_EXPIRED',
};

/**
 * Moves a locked application to `to`: checks the transition, records the event, queues the
 * applicant's notification and audits the status, all in the caller's transaction.
 */
export async function moveApplication(
  tx: Database,
  audit: AuditWriter,
  before: ApplicationRow,
  to: ApplicationStatus,
  options: { actor: { subject: string; role: string }; reason: string | null; fields?: Partial<NewApplicationRow> },
): Promise<ApplicationRow> {
  // Past expiry an application reads as EXPIRED, and only the expiry itself may be stored then.
  const from = to === 'EXPIRED' ? before.status : currentStatus(before);
  if (!NEXT_STATUSES[from].includes(to)) {
    refuse('INVALID_TRANSITION', `An application cannot go from ${from} to ${to}`);
  }
  const decided = to === 'APPOINTED' || to === 'NOT_SELECTED';
  const after = await updateApplication(tx, before.id, {
    ...options.fields,
    status: to,
    ...(decided ? { decidedAt: new Date() } : {}),
    ...(to === 'NOT_SELECTED' ? { decisionReason: options.reason } : {}),
  });
  await insertApplicationEvent(tx, { applicationId: after.id, fromStatus: before.status, toStatus: to, actorSubject: options.actor.subject, actorRole: options.actor.role, reason: options.reason });
  const kind = NOTIFY[to];
  if (kind) {
    const [posting] = await tx.select({ title: vacancyPostings.title }).from(vacancyPostings).where(eq(vacancyPostings.id, after.postingId));
    await enqueueApplicantNotification(tx, after, kind, {
      postingId: after.postingId,
      postingTitle: posting?.title ?? null,
      status: to,
      ...(after.interviewAt && to === 'INTERVIEW_SCHEDULED' ? { interviewAt: after.interviewAt.toISOString() } : {}),
    });
  }
  await audit.record('Application', after.id, { status: before.status }, { status: to, ...(options.fields?.interviewAt ? { interviewScheduled: true } : {}) });
  return after;
}

// ----- reads ----------------------------------------------------------------------------------

/** The application a token opens, or null; a malformed token never reaches the database. */
export async function applicationByToken(ctx: GraphQLContext, token: string): Promise<ApplicationRow | null> {
  const hash = lookupHash(token);
  if (!hash) return null;
  const application = await applicationByTokenHash(ctx.db, hash);
  if (application) ctx.loaders.applicationById.prime(application.id, application);
  return application;
}
