import { z } from 'zod';
import { vacancyPostings as vacancyPostingsTable } from '../../db/schema/index.ts';
import { replayRow } from '../../graphql/idempotency.ts';
import { canonicalLocale } from '../../language/locales.ts';
import { canManage } from '../../auth/viewer.ts';
import type { GraphQLContext } from '../../context.ts';
import type { Database } from '../../db/client.ts';
import type { NewVacancyPostingRow, VacancyPostingRow } from '../../db/schema/index.ts';
import { badUserInput } from '../../errors.ts';
import { todayIn } from '../../graphql/dates.ts';
import { decodeGlobalId } from '../../graphql/global-id.ts';
import type { ConnectionMapper } from '../../graphql/mappers.ts';
import { inputId, refusalsAsOutcome, refuse, runMutation, validateInput, type ConstraintRule, type MutationOutcome } from '../../graphql/mutation.ts';
import { parsePageArgs, toConnection, type PageArgs } from '../../graphql/pagination.ts';
import { requireStaffRole } from '../../auth/authorize.ts';
import { resolveJurisdiction } from '../jurisdictions/jurisdictions.service.ts';
import { bodyClosureOn } from '../seats/body-lifecycle.ts';
import {
  insertPosting,
  lockBody,
  lockPosting,
  postingKeyset,
  postingsCount,
  postingsPage,
  postsOfOrganization,
  replacePostingPosts,
  updatePosting,
  type PostingStatus,
} from './recruitment.repository.ts';
import { checkedString, date as dateIn, globalId, int, key, text } from '../../input/vocabulary.ts';
import { addDays } from '../../input/calendar.ts';

// ----- dates ----------------------------------------------------------------------------------


/** The last day applications are taken: the window is half-open, so the day before closes_on. */
export function deadlineOf(posting: VacancyPostingRow): string {
  return addDays(posting.closesOn, -1);
}

/** Whether the posting takes applications on `today` (a date in the city's time zone). */
export function isAcceptingOn(posting: VacancyPostingRow, today: string): boolean {
  return posting.status === 'OPEN' && posting.opensOn <= today && today < posting.closesOn;
}

export async function todayForPosting(ctx: GraphQLContext, posting: VacancyPostingRow): Promise<string> {
  const jurisdiction = await ctx.loaders.jurisdictionById.load(posting.jurisdictionId);
  return todayIn(jurisdiction?.timezone ?? 'UTC');
}

// ----- visibility -----------------------------------------------------------------------------

const PUBLIC_STATUSES: PostingStatus[] = ['OPEN', 'CLOSED'];
const ALL_STATUSES: PostingStatus[] = ['DRAFT', 'OPEN', 'CLOSED', 'CANCELLED'];

/** OPEN and CLOSED postings are public; drafts and cancelled ones only for staff of the jurisdiction. */
export function isPostingVisible(ctx: GraphQLContext, posting: VacancyPostingRow): boolean {
  return PUBLIC_STATUSES.includes(posting.status) || canManage(ctx.viewer, posting.jurisdictionId);
}

function visibleStatuses(ctx: GraphQLContext, jurisdictionId: number, asked: readonly PostingStatus[] | null | undefined): PostingStatus[] {
  const allowed = canManage(ctx.viewer, jurisdictionId) ? ALL_STATUSES : PUBLIC_STATUSES;
  return asked?.length ? allowed.filter((s) => asked.includes(s)) : allowed;
}

export async function visiblePosting(ctx: GraphQLContext, postingId: number): Promise<VacancyPostingRow | null> {
  const posting = await ctx.loaders.vacancyPostingById.load(postingId);
  return posting && isPostingVisible(ctx, posting) ? posting : null;
}

// ----- reads ----------------------------------------------------------------------------------

export interface PostingsArgs extends PageArgs {
  jurisdiction?: string | null;
  filter?: { organizationId?: string | null; status?: readonly PostingStatus[] | null; acceptingOn?: string | null } | null;
}

export async function vacancyPostings(ctx: GraphQLContext, args: PostingsArgs): Promise<ConnectionMapper<VacancyPostingRow>> {
  const jurisdiction = await resolveJurisdiction(ctx, args.jurisdiction);
  const page = parsePageArgs(args, postingKeyset.keys);
  const organizationId = args.filter?.organizationId != null ? decodeGlobalId(args.filter.organizationId, 'Organization', 'filter.organizationId') : null;
  const filter = { organizationId, statuses: visibleStatuses(ctx, jurisdiction.id, args.filter?.status), acceptingOn: args.filter?.acceptingOn ?? null };
  if (filter.statuses.length === 0) return toConnection([], postingKeyset, page, async () => 0);
  const rows = await postingsPage(ctx.db, jurisdiction.id, filter, page);
  for (const row of rows) ctx.loaders.vacancyPostingById.prime(row.id, row);
  return toConnection(rows, postingKeyset, page, () => postingsCount(ctx.db, jurisdiction.id, filter));
}

export async function postingsOfOrganization(ctx: GraphQLContext, organization: { id: number; jurisdictionId: number }, args: PageArgs): Promise<ConnectionMapper<VacancyPostingRow>> {
  if (args.last != null || args.before != null) throw badUserInput('This list pages forward only: use first and after', 'last');
  const page = parsePageArgs(args, postingKeyset.keys);
  const statuses = visibleStatuses(ctx, organization.jurisdictionId, null);
  const rows = await ctx.loaders.postingPageByOrganizationId.load({ id: organization.id, params: { statuses, page } });
  return toConnection(rows, postingKeyset, page, () => ctx.loaders.postingCountByOrganizationId.load({ id: organization.id, params: { statuses } }));
}

// ----- input ----------------------------------------------------------------------------------

const hours = int(0, 744);
const date = dateIn({ min: '2000-01-01', max: '2199-12-31' });
// Well-formed BCP-47 (Intl.getCanonicalLocales), stored canonical (`zh-hant` → `zh-Hant`) so that
// openSeats' interpretationLanguage filter and the translations' locales compare equal.
const languageTag = checkedString()
  .max(35)
  .transform((tag, context) => {
    const canonical = canonicalLocale(tag);
    if (!canonical) context.addIssue({ code: 'custom', message: 'must be a BCP-47 language tag such as es, vi or zh-Hant' });
    return canonical ?? tag;
  });

const questions = z
  .array(z.object({ id: key, prompt: text(1000, { multiline: true }), required: z.boolean(), maxLength: int(1, 5000) }))
  .max(30, 'at most 30 questions')
  .refine((qs) => new Set(qs.map((q) => q.id)).size === qs.length, 'question ids must be unique');
const requirements = z
  .array(z.object({ id: key, statement: text(500, { multiline: true }) }))
  .max(20, 'at most 20 requirements')
  .refine((rs) => new Set(rs.map((r) => r.id)).size === rs.length, 'requirement ids must be unique');
const postIds = z.array(globalId).min(1, 'give at least one seat').max(50, 'at most 50 seats');

const postingFields = {
  title: text(200),
  description: text(5000, { multiline: true }).nullish(),
  opensOn: date,
  applicationDeadline: date,
  seatsAvailable: int(1, 1000),
  eligibilitySummary: text(2000, { multiline: true }).nullish(),
  timeCommitmentMinHoursPerMonth: hours.nullish(),
  timeCommitmentMaxHoursPerMonth: hours.nullish(),
  stipend: text(500).nullish(),
  interpretationLanguages: z.array(languageTag).max(30, 'at most 30 languages').nullish(),
  questions: questions.nullish(),
  requirements: requirements.nullish(),
  minimumAge: int(0, 120).nullish(),
  applicationLifetimeDays: int(1, 730).nullish(),
};

const createSchema = z.object({ organizationId: globalId, postIds, ...postingFields });
const updateSchema = z.object({ postingId: globalId, postIds: postIds.nullish(), ...z.object(postingFields).partial().shape });
const transitionSchema = z.object({ postingId: globalId });

const POSTING_CONSTRAINTS: Record<string, ConstraintRule> = {
  vacancy_postings_window_check: { code: 'INVALID_DATE_RANGE', message: 'applicationDeadline must not be before opensOn', field: ['input', 'applicationDeadline'] },
  vacancy_postings_time_commitment_check: {
    code: 'INVALID_INPUT',
    message: 'timeCommitmentMaxHoursPerMonth must not be below timeCommitmentMinHoursPerMonth',
    field: ['input', 'timeCommitmentMaxHoursPerMonth'],
  },
};

type PostingInput = Partial<Omit<z.infer<typeof createSchema>, 'postIds'>>;

/** Input fields as columns; undefined stays undefined (unchanged), null clears. */
function columnsOf(input: PostingInput): Partial<NewVacancyPostingRow> {
  const columns: Partial<NewVacancyPostingRow> = {
    title: input.title,
    description: input.description,
    opensOn: input.opensOn,
    closesOn: input.applicationDeadline != null ? addDays(input.applicationDeadline, 1) : undefined,
    seatsAvailable: input.seatsAvailable,
    eligibilitySummary: input.eligibilitySummary,
    timeCommitmentMinHours: input.timeCommitmentMinHoursPerMonth,
    timeCommitmentMaxHours: input.timeCommitmentMaxHoursPerMonth,
    stipend: input.stipend,
    interpretationLanguages: input.interpretationLanguages === null ? [] : input.interpretationLanguages,
    questions: input.questions === null ? [] : input.questions,
    requirements: input.requirements === null ? [] : input.requirements,
    minimumAge: input.minimumAge,
    applicationLifetimeDays: input.applicationLifetimeDays === null ? 90 : input.applicationLifetimeDays,
  };
  return Object.fromEntries(Object.entries(columns).filter(([, v]) => v !== undefined));
}

/** Decodes the seat ids and checks each is a seat of the body. */
async function seatsOfBody(tx: Database, organizationId: number, ids: readonly string[]): Promise<number[]> {
  const decoded = ids.map((id, i) => inputId(id, 'Post', ['input', 'postIds', String(i)]));
  const unique = [...new Set(decoded)];
  const found = new Set((await postsOfOrganization(tx, organizationId, unique)).map((p) => p.id));
  const missing = decoded.findIndex((id) => !found.has(id));
  if (missing >= 0) refuse('NOT_FOUND', 'No seat of this body has that id', ['input', 'postIds', String(missing)]);
  return unique;
}

/**
 * A body recruits only while it can take the terms recruited for (issue 15): not INACTIVE, not
 * DISSOLVED without a date, and not dissolved by the application deadline, since appointments from
 * the posting follow its applications. `foundedOn` is no bar: a new body chooses its first members
 * before it sits, and applicationAppoint still refuses a term before the founding.
 */
async function requireRecruitingBody(tx: Database, organizationId: number, applicationDeadline: string, fields: { body: string[]; deadline: string[] }): Promise<void> {
  const body = await lockBody(tx, organizationId);
  if (!body) refuse('NOT_FOUND', 'No organization has that id', fields.body);
  const closure = bodyClosureOn(body, applicationDeadline, { founding: false });
  if (!closure) return;
  if (closure.dated) {
    refuse('BODY_NOT_ACTIVE', `${closure.fact}; a posting for it must take its last applications before that day, not up to ${applicationDeadline}`, fields.deadline);
  }
  refuse('BODY_NOT_ACTIVE', `${closure.fact}, so it cannot recruit`, fields.body);
}

async function existingPosting(ctx: GraphQLContext, globalId: string): Promise<VacancyPostingRow> {
  const id = inputId(globalId, 'VacancyPosting', ['input', 'postingId']);
  const posting = await ctx.loaders.vacancyPostingById.load(id);
  if (!posting) refuse('NOT_FOUND', 'No vacancy posting has that id', ['input', 'postingId']);
  return posting;
}

// ----- mutations ------------------------------------------------------------------------------

export async function vacancyPostingCreate(ctx: GraphQLContext, rawInput: unknown): Promise<MutationOutcome<VacancyPostingRow>> {
  requireStaffRole(ctx.viewer);
  return refusalsAsOutcome(async () => {
    const input = validateInput(createSchema, rawInput);
    const organizationId = inputId(input.organizationId, 'Organization', ['input', 'organizationId']);
    const organization = await ctx.loaders.organizationById.load(organizationId);
    if (!organization) refuse('NOT_FOUND', 'No organization has that id', ['input', 'organizationId']);
    if (organization.kind !== 'ADVISORY_BODY') refuse('WRONG_ORGANIZATION_KIND', 'Vacancy postings recruit for advisory bodies only', ['input', 'organizationId']);
    return runMutation(ctx, { action: 'vacancyPostingCreate', jurisdictionId: organization.jurisdictionId, constraints: POSTING_CONSTRAINTS, replay: replayRow(vacancyPostingsTable) }, async (tx, audit) => {
      await requireRecruitingBody(tx, organization.id, input.applicationDeadline, { body: ['input', 'organizationId'], deadline: ['input', 'applicationDeadline'] });
      const seats = await seatsOfBody(tx, organization.id, input.postIds);
      const posting = await insertPosting(tx, {
        ...(columnsOf(input) as NewVacancyPostingRow),
        jurisdictionId: organization.jurisdictionId,
        organizationId: organization.id,
        status: 'DRAFT',
      });
      await replacePostingPosts(tx, posting, seats);
      await audit.record('VacancyPosting', posting.id, null, { ...posting, postIds: seats });
      return posting;
    });
  });
}

/** Fields that shape applications: once applications may exist (not a draft), they stay fixed. */
const DRAFT_ONLY_FIELDS = ['postIds', 'questions', 'requirements', 'minimumAge', 'applicationLifetimeDays'] as const;

export async function vacancyPostingUpdate(ctx: GraphQLContext, rawInput: unknown): Promise<MutationOutcome<VacancyPostingRow>> {
  requireStaffRole(ctx.viewer);
  return refusalsAsOutcome(async () => {
    const input = validateInput(updateSchema, rawInput);
    const existing = await existingPosting(ctx, input.postingId);
    return runMutation(ctx, { action: 'vacancyPostingUpdate', jurisdictionId: existing.jurisdictionId, constraints: POSTING_CONSTRAINTS }, async (tx, audit) => {
      const before = await lockPosting(tx, existing.id);
      if (!before) refuse('NOT_FOUND', 'No vacancy posting has that id', ['input', 'postingId']);
      if (before.status !== 'DRAFT' && before.status !== 'OPEN') {
        refuse('POSTING_NOT_EDITABLE', `A ${before.status} posting cannot be changed; only DRAFT and OPEN postings can`, ['input', 'postingId']);
      }
      if (before.status === 'OPEN') {
        const locked = DRAFT_ONLY_FIELDS.find((f) => input[f] !== undefined);
        if (locked) refuse('POSTING_NOT_EDITABLE', `${locked} can change only while the posting is a DRAFT: applications depend on it`, ['input', locked]);
      }
      // Only a new deadline is checked: other edits (a notice in the text) stay possible on a posting
      // whose body stopped, which staff close or cancel.
      if (input.applicationDeadline != null) {
        await requireRecruitingBody(tx, before.organizationId, input.applicationDeadline, { body: ['input', 'postingId'], deadline: ['input', 'applicationDeadline'] });
      }
      const seats = input.postIds != null ? await seatsOfBody(tx, before.organizationId, input.postIds) : null;
      const after = await updatePosting(tx, before.id, { ...columnsOf(input), origin: 'STAFF' });
      if (seats) await replacePostingPosts(tx, after, seats);
      await audit.record('VacancyPosting', after.id, before, seats ? { ...after, postIds: seats } : after);
      return after;
    });
  });
}

const TRANSITIONS: Record<'publish' | 'close' | 'cancel', { from: PostingStatus[]; to: PostingStatus; action: string }> = {
  publish: { from: ['DRAFT'], to: 'OPEN', action: 'vacancyPostingPublish' },
  close: { from: ['OPEN'], to: 'CLOSED', action: 'vacancyPostingClose' },
  cancel: { from: ['DRAFT', 'OPEN'], to: 'CANCELLED', action: 'vacancyPostingCancel' },
};

export async function vacancyPostingTransition(ctx: GraphQLContext, which: keyof typeof TRANSITIONS, rawInput: unknown): Promise<MutationOutcome<VacancyPostingRow>> {
  requireStaffRole(ctx.viewer);
  const transition = TRANSITIONS[which];
  return refusalsAsOutcome(async () => {
    const input = validateInput(transitionSchema, rawInput);
    const existing = await existingPosting(ctx, input.postingId);
    return runMutation(ctx, { action: transition.action, jurisdictionId: existing.jurisdictionId }, async (tx, audit) => {
      const before = await lockPosting(tx, existing.id);
      if (!before) refuse('NOT_FOUND', 'No vacancy posting has that id', ['input', 'postingId']);
      if (!transition.from.includes(before.status)) {
        refuse('INVALID_TRANSITION', `A posting cannot go from ${before.status} to ${transition.to}`, ['input', 'postingId']);
      }
      // Publishing starts taking applications; closing and cancelling stay open as ways out.
      if (transition.to === 'OPEN') {
        await requireRecruitingBody(tx, before.organizationId, deadlineOf(before), { body: ['input', 'postingId'], deadline: ['input', 'postingId'] });
      }
      const after = await updatePosting(tx, before.id, { status: transition.to, ...(transition.to === 'OPEN' ? { publishedAt: new Date() } : {}) });
      await audit.record('VacancyPosting', after.id, before, after);
      return after;
    });
  });
}
