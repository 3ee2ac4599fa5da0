import { z } from 'zod';
import { requireManager, requireStaffRole } from '../../auth/authorize.ts';
import type { GraphQLContext } from '../../context.ts';
import type { Database } from '../../db/client.ts';
import { auditEvents, personPrivateDetails, people, type ApplicationRow, type MembershipRow } from '../../db/schema/index.ts';
import { decodeGlobalId } from '../../graphql/global-id.ts';
import type { ConnectionMapper } from '../../graphql/mappers.ts';
import { diff, inputId, type AuditWriter, refusalsAsOutcome, refuse, runMutation, validateInput, type MutationOutcome } from '../../graphql/mutation.ts';
import { parsePageArgs, toConnection, type PageArgs } from '../../graphql/pagination.ts';
import { staffTargetJurisdiction } from '../jurisdictions/jurisdictions.service.ts';
import { APPOINTMENT_CONSTRAINTS, appointmentTermFields, appointToSeat } from '../seats/appointments.service.ts';
import { currentStatus, moveApplication } from './applications.service.ts';
import {
  ACTIVE_STATUSES,
  applicationKeyset,
  applicationsPage,
  lockApplication,
  lockDueForExpiry,
  lockPosting,
  preferencesByApplicationIds,
  upsertEligibility,
  postIdsOfPosting,
  updateApplication,
  type ApplicationStatus,
} from './recruitment.repository.ts';
import { checkedString, globalId, instant, jurisdictionSlug, text } from '../../input/vocabulary.ts';

/** Staff side of recruitment: listing applications, moving them through their states, expiry. */

function staffActor(ctx: GraphQLContext) {
  return { subject: ctx.viewer.subject ?? 'unknown', role: ctx.viewer.role };
}

// ----- reads ----------------------------------------------------------------------------------

export interface ApplicationsArgs extends PageArgs {
  jurisdiction?: string | null;
  filter?: { postingId?: string | null; status?: readonly ApplicationStatus[] | null } | null;
}

/** Staff of the jurisdiction only; the connection deliberately has no count. */
export async function staffApplications(ctx: GraphQLContext, args: ApplicationsArgs): Promise<ConnectionMapper<ApplicationRow>> {
  requireStaffRole(ctx.viewer);
  const jurisdiction = await staffTargetJurisdiction(ctx, args.jurisdiction);
  requireManager(ctx.viewer, jurisdiction.id);
  const page = parsePageArgs(args, applicationKeyset.keys);
  const postingId = args.filter?.postingId != null ? decodeGlobalId(args.filter.postingId, 'VacancyPosting', 'filter.postingId') : null;
  const rows = await applicationsPage(ctx.db, jurisdiction.id, { postingId, statuses: args.filter?.status ?? null }, page);
  for (const row of rows) ctx.loaders.applicationById.prime(row.id, row);
  return toConnection(rows, applicationKeyset, page, async () => {
    throw new Error('applications have no totalCount');
  });
}

// ----- transitions ----------------------------------------------------------------------------

const reason = text(1000, { multiline: true });
const stepSchema = z.object({ applicationId: globalId, reason: reason.nullish() });
const interviewSchema = z.object({ applicationId: globalId, interviewAt: instant({ min: 2000, max: 2199 }) });
const declineSchema = z.object({ applicationId: globalId, reason });
const appointSchema = z.object({ applicationId: globalId, ...appointmentTermFields });

async function existingApplication(ctx: GraphQLContext, globalId: string): Promise<ApplicationRow> {
  const id = inputId(globalId, 'Application', ['input', 'applicationId']);
  const application = await ctx.loaders.applicationById.load(id);
  if (!application) refuse('NOT_FOUND', 'No application has that id', ['input', 'applicationId']);
  return application;
}

type Step = 'applicationReviewStart' | 'applicationRecommend';
const STEP_TARGET: Record<Step, ApplicationStatus> = { applicationReviewStart: 'UNDER_REVIEW', applicationRecommend: 'RECOMMENDED' };

export async function applicationStep(ctx: GraphQLContext, action: Step, rawInput: unknown): Promise<MutationOutcome<ApplicationRow>> {
  requireStaffRole(ctx.viewer);
  return refusalsAsOutcome(async () => {
    const input = validateInput(stepSchema, rawInput);
    const existing = await existingApplication(ctx, input.applicationId);
    return runMutation(ctx, { action, jurisdictionId: existing.jurisdictionId }, async (tx, audit) => {
      const before = (await lockApplication(tx, existing.id))!;
      return moveApplication(tx, audit, before, STEP_TARGET[action], { actor: staffActor(ctx), reason: input.reason ?? null });
    });
  });
}

export async function applicationInterviewSchedule(ctx: GraphQLContext, rawInput: unknown): Promise<MutationOutcome<ApplicationRow>> {
  requireStaffRole(ctx.viewer);
  return refusalsAsOutcome(async () => {
    const input = validateInput(interviewSchema, rawInput);
    const interviewAt = new Date(input.interviewAt);
    if (Number.isNaN(interviewAt.getTime())) refuse('INVALID_INPUT', 'interviewAt: must be a date and time', ['input', 'interviewAt']);
    const existing = await existingApplication(ctx, input.applicationId);
    return runMutation(ctx, { action: 'applicationInterviewSchedule', jurisdictionId: existing.jurisdictionId }, async (tx, audit) => {
      const before = (await lockApplication(tx, existing.id))!;
      return moveApplication(tx, audit, before, 'INTERVIEW_SCHEDULED', { actor: staffActor(ctx), reason: null, fields: { interviewAt } });
    });
  });
}

export async function applicationDecline(ctx: GraphQLContext, rawInput: unknown): Promise<MutationOutcome<ApplicationRow>> {
  requireStaffRole(ctx.viewer);
  return refusalsAsOutcome(async () => {
    const input = validateInput(declineSchema, rawInput);
    const existing = await existingApplication(ctx, input.applicationId);
    return runMutation(ctx, { action: 'applicationDecline', jurisdictionId: existing.jurisdictionId }, async (tx, audit) => {
      const before = (await lockApplication(tx, existing.id))!;
      return moveApplication(tx, audit, before, 'NOT_SELECTED', { actor: staffActor(ctx), reason: input.reason });
    });
  });
}

/**
 * Appoints a RECOMMENDED applicant: the applicant becomes a person (private details from the
 * application), then the term is made by appointToSeat, the same code and rules as seatAppoint.
 */
export async function applicationAppoint(ctx: GraphQLContext, rawInput: unknown): Promise<MutationOutcome<{ application: ApplicationRow; membership: MembershipRow }>> {
  requireStaffRole(ctx.viewer);
  return refusalsAsOutcome(async () => {
    const input = validateInput(appointSchema, rawInput);
    const existing = await existingApplication(ctx, input.applicationId);
    const postId = inputId(input.postId, 'Post', ['input', 'postId']);
    return runMutation(ctx, { action: 'applicationAppoint', jurisdictionId: existing.jurisdictionId, constraints: APPOINTMENT_CONSTRAINTS }, async (tx, audit) => {
      const before = (await lockApplication(tx, existing.id))!;
      if (!(await postIdsOfPosting(tx, before.postingId)).includes(postId)) {
        refuse('SEAT_NOT_IN_POSTING', 'That seat is not one this posting recruits for', ['input', 'postId']);
      }
      // The state check first, so an invalid transition is reported as such rather than as a seat rule.
      const application = await moveApplication(tx, audit, before, 'APPOINTED', { actor: staffActor(ctx), reason: null });
      const personId = await personFromApplication(tx, audit, before);
      const membership = await appointToSeat(
        tx,
        audit,
        { postId, personId, startDate: input.startDate, scheduledEndDate: input.scheduledEndDate, role: input.role, residencyOverrideReason: input.residencyOverrideReason, applicationId: before.id },
        ['input', 'applicationId'],
      );
      return { application: await updateApplication(tx, application.id, { personId }), membership };
    });
  });
}

/** A roster person for the appointee; their contact, home and needs go to the private details. */
async function personFromApplication(tx: Database, audit: AuditWriter, application: ApplicationRow): Promise<number> {
  const [person] = await tx.insert(people).values({ jurisdictionId: application.jurisdictionId, name: application.fullName }).returning();
  await tx.insert(personPrivateDetails).values({
    personId: person!.id,
    email: application.email,
    phone: application.phone,
    homeLatitude: application.residenceLatitude,
    homeLongitude: application.residenceLongitude,
    preferredLanguage: application.preferredLanguage,
    interpreterNeeded: application.interpretationNeeded,
    accessibilityNeeds: application.accessibilityNeeds,
  });
  // As personCreate does: the public name, and which private fields were set, never their values.
  const privateFieldsChanged = ['email', 'phone', 'homeLatitude', 'homeLongitude', 'preferredLanguage', 'accessibilityNeeds'].filter(
    (f) => application[({ homeLatitude: 'residenceLatitude', homeLongitude: 'residenceLongitude' } as Record<string, keyof ApplicationRow>)[f] ?? (f as keyof ApplicationRow)] != null,
  );
  await audit.record('Person', person!.id, null, { ...person!, privateFieldsChanged, fromApplicationId: application.id });
  return person!.id;
}

// ----- staff eligibility decisions -------------------------------------------------------------

const eligibilitySchema = z.object({
  applicationId: globalId,
  rule: z.enum(['RESIDES_IN_DIVISION', 'MINIMUM_AGE', 'REQUIREMENT', 'RESIDES_IN_JURISDICTION']),
  postId: globalId.nullish(),
  requirementId: checkedString().max(40, 'must be at most 40 characters').nullish(),
  result: z.enum(['ELIGIBLE', 'NOT_ELIGIBLE', 'UNKNOWN']),
  detail: text(500, { multiline: true }),
});

export async function applicationEligibilityDecide(ctx: GraphQLContext, rawInput: unknown): Promise<MutationOutcome<ApplicationRow>> {
  requireStaffRole(ctx.viewer);
  return refusalsAsOutcome(async () => {
    const input = validateInput(eligibilitySchema, rawInput);
    const existing = await existingApplication(ctx, input.applicationId);
    const postId = input.postId != null ? inputId(input.postId, 'Post', ['input', 'postId']) : null;
    return runMutation(ctx, { action: 'applicationEligibilityDecide', jurisdictionId: existing.jurisdictionId }, async (tx, audit) => {
      const application = (await lockApplication(tx, existing.id))!;
      const status = currentStatus(application);
      if (!(ACTIVE_STATUSES as readonly string[]).includes(status)) {
        refuse('INVALID_TRANSITION', `Eligibility can be decided only before the application is decided; this one is ${status}`, ['input', 'applicationId']);
      }
      let ruleKey: string;
      const perSeat = input.rule === 'RESIDES_IN_DIVISION' || input.rule === 'RESIDES_IN_JURISDICTION';
      if (perSeat) {
        const preferred = (await preferencesByApplicationIds(tx, [application.id])).get(application.id) ?? [];
        if (postId == null || !preferred.some((p) => p.postId === postId)) refuse('NOT_FOUND', 'postId: give one of the seats this application prefers', ['input', 'postId']);
        // The same keys as evaluateEligibility's (eligibility.ts).
        ruleKey = input.rule === 'RESIDES_IN_DIVISION' ? `post:${postId}` : `city:post:${postId}`;
      } else if (input.rule === 'REQUIREMENT') {
        const posting = await lockPosting(tx, application.postingId);
        if (!posting?.requirements.some((r) => r.id === input.requirementId)) refuse('NOT_FOUND', 'requirementId: give one of the posting’s requirements', ['input', 'requirementId']);
        ruleKey = `requirement:${input.requirementId}`;
      } else {
        ruleKey = 'age';
      }
      await upsertEligibility(tx, application.id, {
        rule: input.rule,
        ruleKey,
        postId: perSeat ? postId : null,
        result: input.result,
        method: 'STAFF',
        detail: input.detail,
      });
      // Which rule staff decided, not the outcome: that is private to the applicant and staff.
      await audit.record('Application', application.id, null, { eligibilityDecided: ruleKey });
      return application;
    });
  });
}

// ----- expiry ---------------------------------------------------------------------------------

const SYSTEM_ACTOR = { subject: 'system:application-expiry', role: 'SYSTEM' };

/**
 * Marks undecided applications past their expiry EXPIRED, with history, notification and audit,
 * in batches (each one transaction). Reads already show them EXPIRED; this makes it stored and
 * tells the applicant. Safe to run from several processes: locked rows are skipped.
 */
export async function expireDueApplications(db: Database, options: { now?: Date; jurisdictionId?: number; batchSize?: number } = {}): Promise<number> {
  const { now = new Date(), jurisdictionId, batchSize = 100 } = options;
  let total = 0;
  for (;;) {
    const expired = await db.transaction(async (txRaw) => {
      const tx = txRaw as unknown as Database;
      const due = await lockDueForExpiry(tx, now, batchSize, jurisdictionId);
      for (const application of due) {
        const audit: AuditWriter = {
          async record(subjectType, subjectId, before, after) {
            await tx.insert(auditEvents).values({
              jurisdictionId: application.jurisdictionId,
              action: 'applicationExpire',
              subjectType,
              subjectId,
              actorSubject: SYSTEM_ACTOR.subject,
              actorRole: SYSTEM_ACTOR.role,
              changes: diff(before, after),
              requestId: null,
            });
          },
        };
        await moveApplication(tx, audit, application, 'EXPIRED', { actor: SYSTEM_ACTOR, reason: 'No decision within the application lifetime' });
      }
      return due.length;
    });
    total += expired;
    if (expired < batchSize) return total;
  }
}

/** The on-demand sweep (`applicationsExpire`), for staff of the jurisdiction. */
const expireSchema = z.object({ jurisdiction: jurisdictionSlug.nullish() });

export async function applicationsExpire(ctx: GraphQLContext, rawInput: unknown): Promise<MutationOutcome<number>> {
  requireStaffRole(ctx.viewer);
  return refusalsAsOutcome(async () => {
    const input = validateInput(expireSchema, rawInput);
    const jurisdiction = await staffTargetJurisdiction(ctx, input.jurisdiction);
    requireManager(ctx.viewer, jurisdiction.id);
    return { value: await expireDueApplications(ctx.db, { jurisdictionId: jurisdiction.id }), userErrors: [] };
  });
}
