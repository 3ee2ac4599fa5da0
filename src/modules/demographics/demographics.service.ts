import booleanPointInPolygon from '@turf/boolean-point-in-polygon';
import { eq } from 'drizzle-orm';
import { z } from 'zod';
import { requireStaffRole } from '../../auth/authorize.ts';
import type { GraphQLContext } from '../../context.ts';
import type { Database } from '../../db/client.ts';
import { jurisdictions, type StoredAnswer } from '../../db/schema/index.ts';
import type { DemographicQuestionInfo } from '../../graphql/__generated__/resolvers-types.ts';
import { todayIn } from '../../graphql/dates.ts';
import { inputId, refusalsAsOutcome, refuse, runMutation, validateInput, type MutationOutcome } from '../../graphql/mutation.ts';
import { divisionsByIds, divisionsOfKindOn } from '../geography/geography.repository.ts';
import { clientKeyOf } from '../../graphql/limits/submission-rate-limit.ts';
import { deleteSurveyInvitation, insertDemographicResponse, insertSurveyInvitations, surveyInvitationByHash } from './demographics.repository.ts';
import { QUESTION_BY_KEY, QUESTIONS, type QuestionKey } from './questions.ts';
import { issueSurveyToken, surveyLookupHash } from './survey-token.ts';
import { checkedString, globalId, point, text } from '../../input/vocabulary.ts';

/**
 * The voluntary demographic form: validation, and the writes of a response. A response is written
 * with the organization, context, reporting year and council district only; nothing here returns
 * it, logs it or records it in the audit log, and validation messages never repeat a value.
 */

/** Most values one answer may have (the longest closed list, DISABILITY, has 9). */
export const MAX_VALUES = 10;
const MAX_SELF_DESCRIBED = 200;

const QUESTION_KEYS = QUESTIONS.map((q) => q.key) as [QuestionKey, ...QuestionKey[]];

/** Whether `value` is a BCP-47 tag written as Intl.getCanonicalLocales writes it (`zh-Hans`, not `zh-hans`). */
function isCanonicalLanguageTag(value: string): boolean {
  try {
    return Intl.getCanonicalLocales(value)[0] === value;
  } catch {
    return false;
  }
}

const answerSchema = z.object({
  question: z.enum(QUESTION_KEYS, 'must be a question of the form'),
  status: z.enum(['ANSWERED', 'DECLINED', 'DONT_KNOW'], 'must be ANSWERED, DECLINED or DONT_KNOW'),
  values: z.array(checkedString().max(35, 'must be at most 35 characters'), 'must be a list of values').nullish(),
  selfDescribed: text(MAX_SELF_DESCRIBED).nullish(),
});

type AnswerInput = z.infer<typeof answerSchema>;

/** The problems of one answer, as [path below the answer, message]; messages never repeat a value. */
function answerProblems(answer: AnswerInput): [string[], string][] {
  const question = QUESTION_BY_KEY.get(answer.question)!;
  const values = answer.values ?? null;
  const problems: [string[], string][] = [];
  if (answer.status !== 'ANSWERED') {
    if (values != null) problems.push([['values'], 'give values only with status ANSWERED']);
    if (answer.selfDescribed != null) problems.push([['selfDescribed'], 'give selfDescribed only with status ANSWERED and the choice SELF_DESCRIBED']);
    return problems;
  }
  if (values == null || values.length === 0) return [[['values'], 'an ANSWERED question needs at least one value']];
  if (question.selection === 'SINGLE' && values.length !== 1) problems.push([['values'], 'this question takes exactly one value']);
  if (values.length > MAX_VALUES) problems.push([['values'], `at most ${MAX_VALUES} values`]);
  if (new Set(values).size !== values.length) problems.push([['values'], 'give each value once']);
  for (const [i, value] of values.entries()) {
    const ok = question.categories
      ? question.categories.includes(value)
      : question.valueFormat === 'ZIP'
        ? /^[0-9]{5}$/.test(value)
        : isCanonicalLanguageTag(value);
    if (!ok) {
      const expected = question.categories
        ? 'must be one of the question’s categories (see demographicQuestions)'
        : question.valueFormat === 'ZIP'
          ? 'must be a five-digit ZIP code'
          : 'must be a canonical BCP-47 language tag, for example es, vi or zh-Hans';
      problems.push([['values', String(i)], expected]);
    }
  }
  if (question.key === 'DISABILITY' && values.includes('NONE') && values.length > 1) problems.push([['values'], 'NONE cannot be combined with other categories']);
  if (answer.selfDescribed != null && !values.includes('SELF_DESCRIBED')) problems.push([['selfDescribed'], 'give selfDescribed only with the choice SELF_DESCRIBED']);
  return problems;
}

/** A demographic response as given (DemographicResponseInput); paths point below it. */
export const demographicResponseSchema = z
  .object({ answers: z.array(answerSchema).max(QUESTIONS.length, `at most ${QUESTIONS.length} answers, one per question`) })
  .superRefine((response, check) => {
    const seen = new Set<string>();
    for (const [i, answer] of response.answers.entries()) {
      if (seen.has(answer.question)) check.addIssue({ code: 'custom', path: ['answers', i, 'question'], message: 'answer each question at most once' });
      seen.add(answer.question);
      for (const [path, message] of answerProblems(answer)) check.addIssue({ code: 'custom', path: ['answers', i, ...path], message });
    }
  });

export type DemographicResponseInput = z.infer<typeof demographicResponseSchema>;

/** The answers as stored: one entry per question asked, values sorted so the order given leaves no trace. */
export function storedAnswers(response: DemographicResponseInput): Record<string, StoredAnswer> {
  return Object.fromEntries(
    response.answers.map((a) => [
      a.question,
      {
        status: a.status,
        ...(a.status === 'ANSWERED' ? { values: [...(a.values ?? [])].sort() } : {}),
        ...(a.selfDescribed != null ? { selfDescribed: a.selfDescribed } : {}),
      } satisfies StoredAnswer,
    ]),
  );
}

/** The calendar year in the city's time zone: the reporting year of a response written now. */
export function reportingYearIn(timezone: string, now: Date = new Date()): number {
  return Number(todayIn(timezone, now).slice(0, 4));
}

/**
 * The council district a residence resolves to on `date`: the district whose boundary holds the
 * home point, else the district the respondent named (already checked to be one), else null.
 */
export async function councilDistrictOf(
  tx: Database,
  jurisdictionId: number,
  residence: { point: { latitude: number; longitude: number } | null; divisionId: number | null },
  date: string,
): Promise<number | null> {
  if (residence.point) {
    const { latitude, longitude } = residence.point;
    const districts = await divisionsOfKindOn(tx, jurisdictionId, 'COUNCIL_DISTRICT', date);
    const holding = districts.find((d) => d.boundary != null && booleanPointInPolygon([longitude, latitude], d.boundary));
    if (holding) return holding.id;
  }
  return residence.divisionId;
}

/**
 * Writes one response in the caller's transaction. Deliberately returns nothing and records no
 * audit event: the response must not be findable from what the request leaves behind.
 */
export async function writeDemographicResponse(
  tx: Database,
  row: { jurisdictionId: number; organizationId: number; context: 'APPLICANT' | 'MEMBER' | 'EXIT'; reportingYear: number; councilDistrictId: number | null },
  response: DemographicResponseInput,
): Promise<void> {
  await insertDemographicResponse(tx, { ...row, answers: storedAnswers(response) });
}

// ----- the form --------------------------------------------------------------------------------

export function demographicQuestions(): DemographicQuestionInfo[] {
  return QUESTIONS.map((q) => ({
    key: q.key,
    selection: q.selection,
    categories: q.categories ? [...q.categories] : null,
    valueFormat: q.valueFormat ?? null,
    offersSelfDescription: q.selfDescribe,
    maxValues: q.selection === 'SINGLE' ? 1 : Math.min(MAX_VALUES, q.categories?.length ?? MAX_VALUES),
  }));
}

// ----- members' and leavers' survey ------------------------------------------------------------

/** The actor a survey submission runs as: nobody in particular. */
const RESPONDENT_ACTOR = { subject: 'respondent', role: 'RESPONDENT' };

const inviteSchema = z.object({
  organizationId: globalId,
  context: z.enum(['MEMBER', 'EXIT'], 'must be MEMBER or EXIT'),
  count: z.number().int('must be a whole number').min(1, 'must be 1–500').max(500, 'must be 1–500'),
  expiresInDays: z.number().int('must be a whole number').min(1, 'must be 1–365').max(365, 'must be 1–365'),
});

const surveySubmitSchema = z.object({
  token: checkedString().max(100, 'is not a survey invitation token'),
  demographics: demographicResponseSchema,
  residencePoint: point.nullish(),
  councilDistrictId: globalId.nullish(),
});

export async function demographicSurveyInvite(ctx: GraphQLContext, rawInput: unknown): Promise<MutationOutcome<{ tokens: string[]; expiresAt: Date }>> {
  requireStaffRole(ctx.viewer);
  return refusalsAsOutcome(async () => {
    const input = validateInput(inviteSchema, rawInput);
    const organizationId = inputId(input.organizationId, 'Organization', ['input', 'organizationId']);
    const organization = await ctx.loaders.organizationById.load(organizationId);
    if (!organization) refuse('NOT_FOUND', 'No organization has that id', ['input', 'organizationId']);
    // runMutation refuses staff of another jurisdiction (FORBIDDEN) before anything is written.
    return runMutation(ctx, { action: 'demographicSurveyInvite', jurisdictionId: organization.jurisdictionId }, async (tx, audit) => {
      const now = new Date();
      const expiresAt = new Date(now.getTime() + input.expiresInDays * 86_400_000);
      const issued = Array.from({ length: input.count }, () => issueSurveyToken());
      await insertSurveyInvitations(
        tx,
        issued.map(({ hash }) => ({
          tokenHash: hash,
          jurisdictionId: organization.jurisdictionId,
          organizationId: organization.id,
          context: input.context,
          expiresAt,
        })),
      );
      // How many, for whom and until when; never the tokens.
      await audit.record('Organization', organization.id, null, { demographicSurveyInvitations: { context: input.context, count: input.count, expiresAt } });
      return { tokens: issued.map((t) => t.token), expiresAt };
    });
  });
}

export interface SurveySubmitOutcome extends MutationOutcome<true> {
  retryAfterSeconds?: number;
}

export async function demographicSurveySubmit(ctx: GraphQLContext, rawInput: unknown): Promise<SurveySubmitOutcome> {
  // The applications' limit, counted in a bucket of its own.
  const decision = await ctx.submissionRateLimit.consume(`demographic-survey:${clientKeyOf(ctx)}`);
  if (!decision.allowed) {
    return {
      value: null,
      retryAfterSeconds: decision.retryAfterSeconds,
      userErrors: [{ code: 'RATE_LIMITED', field: null, message: `Too many survey responses from this client; try again in ${decision.retryAfterSeconds} seconds` }],
    };
  }
  const invalid = (): never => refuse('SURVEY_INVITATION_INVALID', 'This survey invitation is unknown or was already used', ['input', 'token']);
  return refusalsAsOutcome(async () => {
    const input = validateInput(surveySubmitSchema, rawInput);
    const hash = surveyLookupHash(input.token);
    const known = hash ? await surveyInvitationByHash(ctx.db, hash) : null;
    if (!hash || !known) return invalid();
    const namedDistrictId = input.councilDistrictId != null ? inputId(input.councilDistrictId, 'Division', ['input', 'councilDistrictId']) : null;
    // No audit event: one would date the response and sit next to it in time order.
    return runMutation(ctx, { action: 'demographicSurveySubmit', jurisdictionId: known.jurisdictionId, actingWithout: RESPONDENT_ACTOR }, async (tx) => {
      // Deleted in the transaction that stores the response: a refusal below rolls both back.
      const invitation = await deleteSurveyInvitation(tx, hash);
      if (!invitation) return invalid();
      if (invitation.expiresAt.getTime() <= Date.now()) refuse('SURVEY_INVITATION_EXPIRED', 'This survey invitation has expired; ask the body’s staff for a new one', ['input', 'token']);
      if (namedDistrictId != null) {
        const [division] = await divisionsByIds(tx, [namedDistrictId]);
        if (!division || division.jurisdictionId !== invitation.jurisdictionId || division.kind !== 'COUNCIL_DISTRICT') {
          refuse('NOT_FOUND', 'No council district of this city has that id', ['input', 'councilDistrictId']);
        }
      }
      const [jurisdiction] = await tx.select({ timezone: jurisdictions.timezone }).from(jurisdictions).where(eq(jurisdictions.id, invitation.jurisdictionId));
      const now = new Date();
      const councilDistrictId = await councilDistrictOf(tx, invitation.jurisdictionId, { point: input.residencePoint ?? null, divisionId: namedDistrictId }, todayIn(jurisdiction!.timezone, now));
      // The year it is answered in, never the invitation's: a year whose report is open takes no more
      // responses (reports.service.ts reportOpensOn).
      await writeDemographicResponse(
        tx,
        { jurisdictionId: invitation.jurisdictionId, organizationId: invitation.organizationId, context: invitation.context, reportingYear: reportingYearIn(jurisdiction!.timezone, now), councilDistrictId },
        input.demographics,
      );
      return true as const;
    });
  });
}
