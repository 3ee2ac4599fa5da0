import { randomUUID } from 'node:crypto';
import { posts, memberships } from '../../db/schema/index.ts';
import { replayRow } from '../../graphql/idempotency.ts';
import booleanPointInPolygon from '@turf/boolean-point-in-polygon';
import { z } from 'zod';
import { requireManager, requireStaffRole } from '../../auth/authorize.ts';
import type { GraphQLContext } from '../../context.ts';
import type { Database } from '../../db/client.ts';
import type { JurisdictionRow, MembershipRow, NewPostRow, OrganizationRow, PostRow } from '../../db/schema/index.ts';
import { badUserInput } from '../../errors.ts';
import type { ConnectionMapper } from '../../graphql/mappers.ts';
import { inputId, refusalsAsOutcome, refuse, runMutation, validateInput, type AuditWriter, type ConstraintRule, type MutationOutcome } from '../../graphql/mutation.ts';
import { parsePageArgs, toConnection, type PageArgs } from '../../graphql/pagination.ts';
import { dateIn, staffTargetJurisdiction } from '../jurisdictions/jurisdictions.service.ts';
import {
  divisionOf,
  endMembership,
  expiringKeyset,
  expiringMembershipsCount,
  expiringMembershipsPage,
  fallingVacantKeyset,
  firstTermStart,
  homeLocationOf,
  insertMembership,
  insertPost,
  lockBodyOfPost,
  lockOrganization,
  lockMembership,
  lockPost,
  peakHolders,
  personOf,
  postsFallingVacantCount,
  postsFallingVacantPage,
  termsInEffectOn,
  termsOfPersonOnPost,
  termsStartingOnOrAfter,
  updatePost,
  type Window,
} from './appointments.repository.ts';
import { date as calendarDate, globalId, int, text } from '../../input/vocabulary.ts';
import { addMonths } from '../../input/calendar.ts';
import { anchoredEnd, checkComposition, checkFilling, endLapsedHoldovers, type FillingInput } from './seat-filling.service.ts';
import { bodyClosureOn } from './body-lifecycle.ts';
import { todayIn } from '../../graphql/dates.ts';

// ----- input ----------------------------------------------------------------------------------

// The Date scalar already guarantees a real calendar date; this keeps out absurd years.
const date = calendarDate({ min: '1800-01-01', max: '2199-12-31' });
const id = globalId;
const selectionMethods = z.enum(['APPOINTED', 'ELECTED', 'EX_OFFICIO', 'SELF_SELECTED']);
const endReasons = z.enum(['TERM_COMPLETED', 'RESIGNED', 'DEEMED_RESIGNED_ABSENCES', 'REMOVED', 'DECEASED', 'POST_ABOLISHED', 'MOVED_OUT_OF_DISTRICT', 'OTHER']);

const postCreateSchema = z.object({
  organizationId: id,
  label: text(200),
  role: text(100),
  maxHolders: int(1, 1000),
  termLengthMonths: int(1, 120).nullish(),
  termLimit: int(1, 20).nullish(),
  divisionId: id.nullish(),
  appointingAuthority: text(200).nullish(),
  selectionMethod: selectionMethods,
  takesApplications: z.boolean(),
  eligibility: text(2000, { multiline: true }).nullish(),
  createdOn: date.nullish(),
});

const postUpdateSchema = z.object({
  postId: id,
  label: text(200).optional(),
  role: text(100).optional(),
  maxHolders: int(1, 1000).optional(),
  termLengthMonths: int(1, 120).nullish(),
  termLimit: int(1, 20).nullish(),
  divisionId: id.nullish(),
  appointingAuthority: text(200).nullish(),
  selectionMethod: selectionMethods.optional(),
  takesApplications: z.boolean().optional(),
  eligibility: text(2000, { multiline: true }).nullish(),
  createdOn: date.nullish(),
});

const postAbolishSchema = z.object({ postId: id, effectiveOn: date });

/** The terms of an appointment, shared by seatAppoint and applicationAppoint (recruitment). */
export const appointmentTermFields = {
  postId: id,
  startDate: date,
  scheduledEndDate: date.nullish(),
  role: text(100).nullish(),
  residencyOverrideReason: text(1000, { multiline: true }).nullish(),
};

const seatAppointSchema = z.object({
  personId: id,
  ...appointmentTermFields,
  // How the seat was filled (issue 13).
  nominatedBy: id.nullish(),
  isCityEmployee: z.boolean().nullish(),
  confirmedOn: date.nullish(),
  appointeeAge: int(0, 130).nullish(),
  termClass: int(1, 12).nullish(),
});

const membershipEndSchema = z.object({ membershipId: id, endDate: date, reason: endReasons });

const membershipReappointSchema = z.object({
  membershipId: id,
  startDate: date.nullish(),
  scheduledEndDate: date.nullish(),
  residencyOverrideReason: text(1000, { multiline: true }).nullish(),
  confirmedOn: date.nullish(),
});

// ----- rules ----------------------------------------------------------------------------------

/**
 * How many terms in a row the person has served up to `until`: a chain of terms each ending on
 * the day the next starts, the last one ending on `until`. A gap breaks the chain.
 */
export function consecutiveTermsEndingOn(terms: readonly Pick<MembershipRow, 'startDate' | 'endDate'>[], until: string): number {
  let count = 0;
  let boundary = until;
  for (;;) {
    const previous = terms.find((t) => t.endDate === boundary);
    if (!previous) return count;
    count++;
    boundary = previous.startDate; // strictly earlier (start < end), so this ends
  }
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

export const APPOINTMENT_CONSTRAINTS: Record<string, ConstraintRule> = {
  // The trigger and the exclusion constraint decide under a race; these turn them into refusals.
  memberships_post_max_holders: { code: 'SEAT_FULL', message: 'The seat already has its maximum number of holders on those dates', field: ['input', 'postId'] },
  memberships_person_post_no_overlap: { code: 'ALREADY_HOLDS_SEAT', message: 'The person already holds this seat on those dates', field: ['input', 'personId'] },
  memberships_dates_check: { code: 'INVALID_DATE_RANGE', message: 'The end date must be after the start date' },
  memberships_scheduled_end_check: { code: 'INVALID_DATE_RANGE', message: 'scheduledEndDate must be after startDate', field: ['input', 'scheduledEndDate'] },
};

interface AppointmentCheck {
  post: PostRow;
  personId: number;
  startDate: string;
  residencyOverrideReason: string | null | undefined;
  /** The term a reappointment continues: it ends on `startDate`, so it is not an overlap. */
  continuing?: MembershipRow;
  personField: string[];
}

/**
 * A new term needs a body that can take it on its first day (issue 15). Checked before the seat and
 * person rules: no fix of those helps while the body cannot. A dated refusal points at the start
 * date; one on every date at `seatField`, the seat whose body it is.
 */
function checkBodyTakesTerm(body: OrganizationRow, startDate: string, seatField: string[]): void {
  const closure = bodyClosureOn(body, startDate);
  if (!closure) return;
  if (closure.dated) refuse('BODY_NOT_ACTIVE', `${closure.fact}; a term on its seats cannot start on ${startDate}`, ['input', 'startDate']);
  refuse('BODY_NOT_ACTIVE', `${closure.fact}, so no term on its seats can start on any date`, seatField);
}

/** Every rule an appointment must satisfy, in the order a person would fix them. Runs with the post locked. */
async function checkAppointment(tx: Database, check: AppointmentCheck): Promise<void> {
  const { post, personId, startDate, continuing } = check;
  if (post.createdOn != null && startDate < post.createdOn) {
    refuse('POST_NOT_ACTIVE', `The seat exists from ${post.createdOn}; a term on it cannot start on ${startDate}`, ['input', 'startDate']);
  }
  if (post.abolishedOn != null && startDate >= post.abolishedOn) {
    refuse('POST_NOT_ACTIVE', `The seat was abolished on ${post.abolishedOn}; a term on it cannot start on ${startDate}`, ['input', 'startDate']);
  }

  const terms = (await termsOfPersonOnPost(tx, personId, post.id)).map((t) => (t.id === continuing?.id ? { ...t, endDate: startDate } : t));
  const overlapping = terms.find((t) => t.endDate == null || t.endDate > startDate);
  if (overlapping) {
    const until = overlapping.endDate ? `until ${overlapping.endDate}` : 'with no end date';
    refuse(
      'ALREADY_HOLDS_SEAT',
      `The person already holds this seat from ${overlapping.startDate} ${until}; end that term, or reappoint them with membershipReappoint`,
      check.personField,
    );
  }

  if (post.termLimit != null && post.termLimitCounting === 'TOTAL_TERMS') {
    const served = terms.filter((t) => t.startDate < startDate).length;
    if (served >= post.termLimit) {
      refuse('TERM_LIMIT_REACHED', `The person has served ${plural(served, 'term')} on this seat before ${startDate}; its limit is ${plural(post.termLimit, 'term')} in all`);
    }
  } else if (post.termLimit != null) {
    const served = consecutiveTermsEndingOn(terms, startDate);
    if (served >= post.termLimit) {
      refuse(
        'TERM_LIMIT_REACHED',
        `The person has served ${plural(served, 'consecutive term')} on this seat up to ${startDate}; its limit is ${plural(post.termLimit, 'term')} in a row`,
      );
    }
  }

  const peak = await peakHolders(tx, post.id, startDate, null, continuing?.id);
  if (peak >= post.maxHolders) {
    refuse(
      'SEAT_FULL',
      `The seat already has ${plural(post.maxHolders, 'holder')} (its maximum) on or after ${startDate}; a term stays in effect until it is ended, so end one first`,
      ['input', 'postId'],
    );
  }

  await checkResidency(tx, post, personId, check.residencyOverrideReason, check.personField);
}

/** District seats: the appointee's home on record must lie in the district, unless staff override. */
async function checkResidency(tx: Database, post: PostRow, personId: number, overrideReason: string | null | undefined, personField: string[]): Promise<void> {
  if (post.divisionId == null) {
    if (overrideReason != null) refuse('INVALID_INPUT', 'residencyOverrideReason applies to district seats only', ['input', 'residencyOverrideReason']);
    return;
  }
  if (overrideReason != null) return;
  const division = await divisionOf(tx, post.divisionId);
  const name = division?.name ?? 'the district';
  if (!division?.boundary) {
    refuse('RESIDENCY_UNKNOWN', `${name} has no boundary on record, so residence cannot be checked; give residencyOverrideReason to appoint anyway`, [
      'input',
      'residencyOverrideReason',
    ]);
  }
  const home = await homeLocationOf(tx, personId);
  // Messages never carry the home location itself.
  if (!home) {
    refuse('RESIDENCY_UNKNOWN', `No home location is on record for this person, so residence in ${name} cannot be checked; record it, or give residencyOverrideReason`, personField);
  }
  if (!booleanPointInPolygon([home.longitude, home.latitude], division.boundary)) {
    refuse('NOT_RESIDENT_OF_DISTRICT', `The person's home on record is not in ${name}; give residencyOverrideReason to appoint anyway`, personField);
  }
}

/** A division of the jurisdiction, or a NOT_FOUND refusal naming the field. */
async function requireDivision(tx: Database, divisionId: number, jurisdictionId: number): Promise<void> {
  const division = await divisionOf(tx, divisionId);
  if (!division || division.jurisdictionId !== jurisdictionId) refuse('NOT_FOUND', 'No division of this jurisdiction has that id', ['input', 'divisionId']);
}

function defined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

async function existingPost(ctx: GraphQLContext, globalId: string): Promise<PostRow> {
  const postId = inputId(globalId, 'Post', ['input', 'postId']);
  const post = await ctx.loaders.postById.load(postId);
  if (!post) refuse('NOT_FOUND', 'No seat has that id', ['input', 'postId']);
  return post;
}

async function existingMembership(ctx: GraphQLContext, globalId: string): Promise<MembershipRow> {
  const membershipId = inputId(globalId, 'Membership', ['input', 'membershipId']);
  const membership = await ctx.loaders.membershipById.load(membershipId);
  if (!membership) refuse('NOT_FOUND', 'No term of service has that id', ['input', 'membershipId']);
  return membership;
}

// ----- seats ----------------------------------------------------------------------------------

export async function postCreate(ctx: GraphQLContext, rawInput: unknown): Promise<MutationOutcome<PostRow>> {
  requireStaffRole(ctx.viewer);
  return refusalsAsOutcome(async () => {
    const input = validateInput(postCreateSchema, rawInput);
    const organizationId = inputId(input.organizationId, 'Organization', ['input', 'organizationId']);
    const divisionId = input.divisionId != null ? inputId(input.divisionId, 'Division', ['input', 'divisionId']) : null;
    const organization = await ctx.loaders.organizationById.load(organizationId);
    if (!organization) refuse('NOT_FOUND', 'No organization has that id', ['input', 'organizationId']);
    const jurisdiction = await ctx.loaders.jurisdictionById.load(organization.jurisdictionId);
    const createdOn = input.createdOn ?? todayIn(jurisdiction!.timezone);
    return runMutation(ctx, { action: 'postCreate', jurisdictionId: organization.jurisdictionId, replay: replayRow(posts) }, async (tx, audit) => {
      // A seat on a body that can never take a term again would only ever read vacant (issue 15).
      // Founding is not checked: a new body's seats are set up before it first sits.
      const body = await lockOrganization(tx, organization.id);
      const closure = body ? bodyClosureOn(body, createdOn, { founding: false }) : null;
      if (closure?.dated) refuse('BODY_NOT_ACTIVE', `${closure.fact}; a seat cannot be created on ${createdOn}`, ['input', 'createdOn']);
      if (closure) refuse('BODY_NOT_ACTIVE', `${closure.fact}, so it can have no new seat`, ['input', 'organizationId']);
      if (divisionId != null) await requireDivision(tx, divisionId, organization.jurisdictionId);
      const post = await insertPost(tx, {
        jurisdictionId: organization.jurisdictionId,
        organizationId: organization.id,
        // Imported seats use the dataset's keys; staff-made ones get a key no dataset will use.
        sourceKey: `staff-${randomUUID()}`,
        label: input.label,
        role: input.role,
        divisionId,
        appointingAuthority: input.appointingAuthority ?? null,
        selectionMethod: input.selectionMethod,
        maxHolders: input.maxHolders,
        termLengthMonths: input.termLengthMonths ?? null,
        termLimit: input.termLimit ?? null,
        takesApplications: input.takesApplications,
        eligibility: input.eligibility ?? null,
        createdOn: input.createdOn ?? null,
      });
      await audit.record('Post', post.id, null, post);
      return post;
    });
  });
}

export async function postUpdate(ctx: GraphQLContext, rawInput: unknown): Promise<MutationOutcome<PostRow>> {
  requireStaffRole(ctx.viewer);
  return refusalsAsOutcome(async () => {
    const input = validateInput(postUpdateSchema, rawInput);
    const existing = await existingPost(ctx, input.postId);
    const divisionId = input.divisionId == null ? input.divisionId : inputId(input.divisionId, 'Division', ['input', 'divisionId']);
    const constraints: Record<string, ConstraintRule> = {
      posts_max_holders_not_below_holders: { code: 'SEAT_FULL', message: 'The seat has had more holders at once than that maxHolders', field: ['input', 'maxHolders'] },
      posts_dates_check: { code: 'INVALID_DATE_RANGE', message: 'createdOn must be before the seat was abolished', field: ['input', 'createdOn'] },
    };
    return runMutation(ctx, { action: 'postUpdate', jurisdictionId: existing.jurisdictionId, constraints }, async (tx, audit) => {
      const before = await lockPost(tx, existing.id);
      if (!before) refuse('NOT_FOUND', 'No seat has that id', ['input', 'postId']);
      if (divisionId != null) await requireDivision(tx, divisionId, before.jurisdictionId);
      if (input.maxHolders != null && input.maxHolders < before.maxHolders) {
        const peak = await peakHolders(tx, before.id, null, null);
        if (peak > input.maxHolders) {
          refuse('SEAT_FULL', `The seat has had ${plural(peak, 'holder')} at once, so maxHolders cannot be lower than ${peak}`, ['input', 'maxHolders']);
        }
      }
      if (input.createdOn != null) {
        if (before.abolishedOn != null && input.createdOn >= before.abolishedOn) {
          refuse('INVALID_DATE_RANGE', `createdOn must be before the seat's abolition on ${before.abolishedOn}`, ['input', 'createdOn']);
        }
        const first = await firstTermStart(tx, before.id);
        if (first != null && input.createdOn > first) {
          refuse('INVALID_DATE_RANGE', `A term on this seat starts on ${first}, so the seat must exist by then`, ['input', 'createdOn']);
        }
      }
      const fields: Partial<NewPostRow> = defined({
        label: input.label,
        role: input.role,
        maxHolders: input.maxHolders,
        termLengthMonths: input.termLengthMonths,
        termLimit: input.termLimit,
        divisionId,
        appointingAuthority: input.appointingAuthority,
        selectionMethod: input.selectionMethod,
        takesApplications: input.takesApplications,
        eligibility: input.eligibility,
        createdOn: input.createdOn,
      });
      const changed = Object.entries(fields).some(([key, value]) => before[key as keyof PostRow] !== value);
      if (!changed) return before;
      const after = await updatePost(tx, before.id, fields);
      await audit.record('Post', after.id, before, after);
      return after;
    });
  });
}

export async function postAbolish(ctx: GraphQLContext, rawInput: unknown): Promise<MutationOutcome<{ post: PostRow; ended: MembershipRow[] }>> {
  requireStaffRole(ctx.viewer);
  return refusalsAsOutcome(async () => {
    const input = validateInput(postAbolishSchema, rawInput);
    const existing = await existingPost(ctx, input.postId);
    return runMutation(ctx, { action: 'postAbolish', jurisdictionId: existing.jurisdictionId }, async (tx, audit) => {
      const before = await lockPost(tx, existing.id);
      if (!before) refuse('NOT_FOUND', 'No seat has that id', ['input', 'postId']);
      const on = input.effectiveOn;
      if (before.abolishedOn != null) refuse('POST_NOT_ACTIVE', `The seat was already abolished on ${before.abolishedOn}`, ['input', 'postId']);
      if (before.createdOn != null && on <= before.createdOn) {
        refuse('INVALID_DATE_RANGE', `The seat exists from ${before.createdOn}; effectiveOn must be after that`, ['input', 'effectiveOn']);
      }
      const later = await termsStartingOnOrAfter(tx, before.id, on);
      if (later > 0) {
        refuse('OUT_OF_ORDER', `${plural(later, 'term')} on this seat ${later === 1 ? 'starts' : 'start'} on or after ${on}; abolish the seat after that, or correct the terms first`, ['input', 'effectiveOn']);
      }
      const current = await termsInEffectOn(tx, before.id, on);
      const post = await updatePost(tx, before.id, { abolishedOn: on });
      await audit.record('Post', post.id, before, post);
      const ended: MembershipRow[] = [];
      for (const term of current) {
        const after = await endMembership(tx, term.id, on, 'POST_ABOLISHED');
        await audit.record('Membership', term.id, term, after);
        ended.push(after);
      }
      return { post, ended };
    });
  });
}

// ----- terms ----------------------------------------------------------------------------------

function scheduledEnd(post: PostRow, startDate: string, given: string | null | undefined, termClass?: number | null): string | null {
  if (termClass != null) {
    if (post.staggerClasses == null) refuse('INVALID_INPUT', 'This seat\'s terms are not staggered in classes, so termClass does not apply', ['input', 'termClass']);
    if (termClass > post.staggerClasses) refuse('INVALID_INPUT', `termClass must be from 1 to ${post.staggerClasses}`, ['input', 'termClass']);
    if (given != null) refuse('INVALID_INPUT', 'Give termClass or scheduledEndDate, not both', ['input', 'termClass']);
  }
  const end = given ?? anchoredEnd(post, startDate, termClass) ?? (post.termLengthMonths != null ? addMonths(startDate, post.termLengthMonths) : null);
  if (end != null && end <= startDate) refuse('INVALID_DATE_RANGE', `scheduledEndDate must be after the start date ${startDate}`, ['input', 'scheduledEndDate']);
  return end;
}

/** What an appointment needs, whoever asks for it (seatAppoint, or appointing an applicant). */
export interface SeatAppointment {
  postId: number;
  personId: number;
  startDate: string;
  scheduledEndDate?: string | null;
  role?: string | null;
  residencyOverrideReason?: string | null;
  /** The application the appointee applied with, when appointed from one. */
  applicationId?: number | null;
  /** Nominator, city employment, consent and attested age (seatAppoint). */
  filling?: FillingInput;
  /** The staggered class of the term, for its scheduled end. */
  termClass?: number | null;
}

/**
 * The one path to a new term on a seat: locks the seat, checks every appointment rule, stores the
 * term and audits it. Runs inside the caller's transaction; `personField` is the input field a
 * refusal about the person points at. Callers pass APPOINTMENT_CONSTRAINTS to runMutation.
 */
export async function appointToSeat(tx: Database, audit: AuditWriter, appointment: SeatAppointment, personField: string[]): Promise<MembershipRow> {
  // Locking the seat serializes appointments to it, so the checks below see every committed term.
  const body = await lockBodyOfPost(tx, appointment.postId);
  const post = await lockPost(tx, appointment.postId);
  if (!post || !body) refuse('NOT_FOUND', 'No seat has that id', ['input', 'postId']);
  const person = await personOf(tx, appointment.personId);
  if (!person || person.jurisdictionId !== post.jurisdictionId) refuse('NOT_FOUND', 'No person of this jurisdiction has that id', personField);
  checkBodyTakesTerm(body, appointment.startDate, ['input', 'postId']);
  const scheduledEndDate = scheduledEnd(post, appointment.startDate, appointment.scheduledEndDate, appointment.termClass);
  const filling = await checkFilling(tx, post, appointment.startDate, appointment.filling ?? {});
  await endLapsedHoldovers(tx, audit, post, appointment.startDate);
  await checkAppointment(tx, {
    post,
    personId: appointment.personId,
    startDate: appointment.startDate,
    residencyOverrideReason: appointment.residencyOverrideReason,
    personField,
  });
  await checkComposition(tx, post, appointment.startDate, filling);
  const membership = await insertMembership(tx, {
    jurisdictionId: post.jurisdictionId,
    personId: appointment.personId,
    organizationId: post.organizationId,
    postId: post.id,
    role: appointment.role ?? post.role,
    startDate: appointment.startDate,
    scheduledEndDate,
    residencyOverrideReason: appointment.residencyOverrideReason ?? null,
    applicationId: appointment.applicationId ?? null,
    ...filling,
  });
  await audit.record('Membership', membership.id, null, membership);
  return membership;
}

export async function seatAppoint(ctx: GraphQLContext, rawInput: unknown): Promise<MutationOutcome<MembershipRow>> {
  requireStaffRole(ctx.viewer);
  return refusalsAsOutcome(async () => {
    const input = validateInput(seatAppointSchema, rawInput);
    const personId = inputId(input.personId, 'Person', ['input', 'personId']);
    const existing = await existingPost(ctx, input.postId);
    const { nominatedBy, isCityEmployee, confirmedOn, appointeeAge, termClass, ...term } = input;
    return runMutation(ctx, { action: 'seatAppoint', jurisdictionId: existing.jurisdictionId, constraints: APPOINTMENT_CONSTRAINTS, replay: replayRow(memberships) }, (tx, audit) =>
      appointToSeat(tx, audit, { ...term, postId: existing.id, personId, termClass, filling: { nominatedBy, isCityEmployee, confirmedOn, appointeeAge } }, ['input', 'personId']),
    );
  });
}

export async function membershipEnd(ctx: GraphQLContext, rawInput: unknown): Promise<MutationOutcome<MembershipRow>> {
  requireStaffRole(ctx.viewer);
  return refusalsAsOutcome(async () => {
    const input = validateInput(membershipEndSchema, rawInput);
    const existing = await existingMembership(ctx, input.membershipId);
    const constraints = { memberships_dates_check: APPOINTMENT_CONSTRAINTS.memberships_dates_check! };
    return runMutation(ctx, { action: 'membershipEnd', jurisdictionId: existing.jurisdictionId, constraints }, async (tx, audit) => {
      if (existing.postId != null) await lockPost(tx, existing.postId);
      const before = await lockMembership(tx, existing.id);
      if (!before) refuse('NOT_FOUND', 'No term of service has that id', ['input', 'membershipId']);
      if (before.endDate != null) refuse('ALREADY_ENDED', `This term already ended on ${before.endDate}`, ['input', 'membershipId']);
      if (input.endDate <= before.startDate) {
        refuse('INVALID_DATE_RANGE', `endDate must be after the term's start on ${before.startDate}`, ['input', 'endDate']);
      }
      const after = await endMembership(tx, before.id, input.endDate, input.reason);
      await audit.record('Membership', after.id, before, after);
      return after;
    });
  });
}

export async function membershipReappoint(
  ctx: GraphQLContext,
  rawInput: unknown,
): Promise<MutationOutcome<{ membership: MembershipRow; previous: MembershipRow }>> {
  requireStaffRole(ctx.viewer);
  return refusalsAsOutcome(async () => {
    const input = validateInput(membershipReappointSchema, rawInput);
    const existing = await existingMembership(ctx, input.membershipId);
    if (existing.postId == null) refuse('INVALID_INPUT', 'This term is not on a seat, so there is no next term to reappoint to', ['input', 'membershipId']);
    const postId = existing.postId;
    return runMutation(ctx, { action: 'membershipReappoint', jurisdictionId: existing.jurisdictionId, constraints: APPOINTMENT_CONSTRAINTS }, async (tx, audit) => {
      const body = await lockBodyOfPost(tx, postId);
      const post = await lockPost(tx, postId);
      const current = await lockMembership(tx, existing.id);
      if (!body || !post || !current) refuse('NOT_FOUND', 'No term of service has that id', ['input', 'membershipId']);
      if (current.endDate != null) {
        refuse('ALREADY_ENDED', `This term ended on ${current.endDate}; appoint the person again with seatAppoint`, ['input', 'membershipId']);
      }
      const startDate = input.startDate ?? current.scheduledEndDate;
      if (startDate == null) refuse('INVALID_INPUT', 'startDate: required, because the current term has no scheduled end', ['input', 'startDate']);
      if (startDate <= current.startDate) {
        refuse('INVALID_DATE_RANGE', `The next term must start after the current one started (${current.startDate})`, ['input', 'startDate']);
      }
      checkBodyTakesTerm(body, startDate, ['input', 'membershipId']);
      const scheduledEndDate = scheduledEnd(post, startDate, input.scheduledEndDate);
      // A reappointment keeps the term's nominator and employment; a seat with a confirming body needs its consent again.
      const filling = await checkFilling(tx, post, startDate, { confirmedOn: input.confirmedOn });
      await checkAppointment(tx, {
        post,
        personId: current.personId,
        startDate,
        residencyOverrideReason: input.residencyOverrideReason,
        continuing: current,
        personField: ['input', 'membershipId'],
      });
      const previous = await endMembership(tx, current.id, startDate, 'TERM_COMPLETED');
      await audit.record('Membership', previous.id, current, previous);
      const membership = await insertMembership(tx, {
        jurisdictionId: current.jurisdictionId,
        personId: current.personId,
        organizationId: current.organizationId,
        postId,
        role: current.role,
        startDate,
        scheduledEndDate,
        residencyOverrideReason: input.residencyOverrideReason ?? null,
        nominatedByPostId: current.nominatedByPostId,
        nominatedByOrganizationId: current.nominatedByOrganizationId,
        isCityEmployee: current.isCityEmployee,
        confirmedByOrganizationId: filling.confirmedByOrganizationId,
        confirmedOn: filling.confirmedOn,
      });
      await audit.record('Membership', membership.id, null, membership);
      return { membership, previous };
    });
  });
}

// ----- staff look-ahead queries ---------------------------------------------------------------

/** The jurisdiction a staff query targets: the one named, else the caller's own, else the default. */
async function staffJurisdiction(ctx: GraphQLContext, slug: string | null | undefined): Promise<JurisdictionRow> {
  requireStaffRole(ctx.viewer);
  const jurisdiction = await staffTargetJurisdiction(ctx, slug);
  requireManager(ctx.viewer, jurisdiction.id);
  return jurisdiction;
}

export interface LookAheadArgs extends PageArgs {
  within: number;
  jurisdiction?: string | null;
  at?: string | null;
}

async function lookAheadWindow(ctx: GraphQLContext, args: LookAheadArgs): Promise<Window> {
  const jurisdiction = await staffJurisdiction(ctx, args.jurisdiction);
  if (!Number.isInteger(args.within) || args.within < 1 || args.within > 730) {
    throw badUserInput(`within must be between 1 and 730 days; got ${args.within}`, 'within');
  }
  return { jurisdictionId: jurisdiction.id, at: dateIn(jurisdiction, args.at), within: args.within };
}

export async function expiringMemberships(ctx: GraphQLContext, args: LookAheadArgs): Promise<ConnectionMapper<MembershipRow>> {
  const window = await lookAheadWindow(ctx, args);
  const page = parsePageArgs(args, expiringKeyset.keys);
  const rows = await expiringMembershipsPage(ctx.db, window, page);
  for (const row of rows) ctx.loaders.membershipById.prime(row.id, row);
  return toConnection(rows, expiringKeyset, page, () => expiringMembershipsCount(ctx.db, window));
}

export async function postsFallingVacant(ctx: GraphQLContext, args: LookAheadArgs): Promise<ConnectionMapper<PostRow>> {
  const window = await lookAheadWindow(ctx, args);
  const page = parsePageArgs(args, fallingVacantKeyset.keys);
  const rows = await postsFallingVacantPage(ctx.db, window, page);
  const connection = toConnection(rows, fallingVacantKeyset, page, () => postsFallingVacantCount(ctx.db, window));
  // Every node is one of `rows`, which carry the date the cursor needs.
  return { ...connection, cursorOf: (row) => connection.cursorOf(row as (typeof rows)[number]) };
}
