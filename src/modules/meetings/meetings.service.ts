import { z } from 'zod';
import { meetings as meetingsTable } from '../../db/schema/index.ts';
import { replayRow } from '../../graphql/idempotency.ts';
import { requireStaffRole } from '../../auth/authorize.ts';
import type { GraphQLContext } from '../../context.ts';
import type { MeetingRow, NewMeetingRow } from '../../db/schema/index.ts';
import { badUserInput } from '../../errors.ts';
import type { MeetingFilter as MeetingFilterInput } from '../../graphql/__generated__/resolvers-types.ts';
import { todayIn } from '../../graphql/dates.ts';
import { decodeGlobalId } from '../../graphql/global-id.ts';
import type { ConnectionMapper } from '../../graphql/mappers.ts';
import { inputId, refusalsAsOutcome, refuse, runMutation, validateInput, type ConstraintRule, type MutationOutcome } from '../../graphql/mutation.ts';
import { parsePageArgs, toConnection, type PageArgs } from '../../graphql/pagination.ts';
import { checkedString, date, globalId, httpUrl, instant as instantIn, text } from '../../input/vocabulary.ts';
import { resolveJurisdiction } from '../jurisdictions/jurisdictions.service.ts';
import { insertMeeting, lockMeeting, meetingKeyset, meetingsCount, meetingsPage, updateMeeting, type MeetingFilter } from './meetings.repository.ts';

// ----- language tags --------------------------------------------------------------------------

/**
 * The canonical form of a BCP-47 tag (`ZH-hant` → `zh-Hant`, `iw` → `he`), or null when it is not a
 * well-formed tag. ICU's canonicalizer is the validator: it rejects what is not a tag at all.
 * `und` (undetermined) names no language anyone could interpret into.
 */
export function canonicalLanguageTag(tag: string): string | null {
  if (tag.length === 0 || tag.length > 35) return null;
  let canonical: string | undefined;
  try {
    canonical = Intl.getCanonicalLocales(tag)[0];
  } catch {
    return null;
  }
  return canonical && canonical !== 'und' && !canonical.startsWith('und-') ? canonical : null;
}

// ----- reads ----------------------------------------------------------------------------------

export interface MeetingsArgs extends PageArgs {
  jurisdiction?: string | null;
  filter?: MeetingFilterInput | null;
}

function instantOf(value: Date | string): string {
  return (value instanceof Date ? value : new Date(value)).toISOString();
}

/**
 * The validated filter. With no window at all (no `from`, `to` or `updatedSince`) the list starts at
 * the beginning of today in the city's time zone: upcoming meetings, today's included.
 */
function filterOf(input: MeetingFilterInput | null | undefined, timezone: string): MeetingFilter {
  const from = input?.from != null ? instantOf(input.from) : null;
  const to = input?.to != null ? instantOf(input.to) : null;
  if (from != null && to != null && to <= from) throw badUserInput('filter.to must be after filter.from', 'filter.to');
  let language: string | null = null;
  if (input?.interpretationLanguage != null) {
    language = canonicalLanguageTag(input.interpretationLanguage);
    if (language == null) {
      throw badUserInput('filter.interpretationLanguage must be a BCP-47 language tag such as "es" or "zh-Hant"', 'filter.interpretationLanguage');
    }
  }
  const updatedSince = input?.updatedSince != null ? instantOf(input.updatedSince) : null;
  const windowGiven = from != null || to != null || updatedSince != null;
  return {
    organizationId: input?.organizationId != null ? decodeGlobalId(input.organizationId, 'Organization', 'filter.organizationId') : null,
    councilDistrictId: input?.councilDistrictId != null ? decodeGlobalId(input.councilDistrictId, 'Division', 'filter.councilDistrictId') : null,
    from,
    fromDay: windowGiven ? null : { date: todayIn(timezone), timezone },
    to,
    interpretationLanguage: language,
    includeCancelled: input?.includeCancelled ?? false,
    updatedSince,
  };
}

async function timezoneOf(ctx: GraphQLContext, jurisdictionId: number): Promise<string> {
  return (await ctx.loaders.jurisdictionById.load(jurisdictionId))?.timezone ?? 'UTC';
}

export async function meetings(ctx: GraphQLContext, args: MeetingsArgs): Promise<ConnectionMapper<MeetingRow>> {
  const jurisdiction = await resolveJurisdiction(ctx, args.jurisdiction);
  const filter = filterOf(args.filter, jurisdiction.timezone);
  const page = parsePageArgs(args, meetingKeyset.keys);
  const rows = await meetingsPage(ctx.db, jurisdiction.id, filter, page);
  for (const row of rows) ctx.loaders.meetingById.prime(row.id, row);
  return toConnection(rows, meetingKeyset, page, () => meetingsCount(ctx.db, jurisdiction.id, filter));
}

/** An organization's meetings: one lateral statement for every organization of the level. */
export async function meetingsOfOrganization(
  ctx: GraphQLContext,
  organization: { id: number; jurisdictionId: number },
  args: PageArgs & { filter?: MeetingFilterInput | null },
): Promise<ConnectionMapper<MeetingRow>> {
  const filter = filterOf(args.filter, await timezoneOf(ctx, organization.jurisdictionId));
  const page = parsePageArgs(args, meetingKeyset.keys);
  const rows = await ctx.loaders.meetingPageByOrganizationId.load({ id: organization.id, params: { filter, page } });
  return toConnection(rows, meetingKeyset, page, () => ctx.loaders.meetingCountByOrganizationId.load({ id: organization.id, params: filter }));
}

// ----- input ----------------------------------------------------------------------------------

const link = httpUrl(2000);
const instant = instantIn({ min: 2000, max: 2199 });
const day = date({ min: '2000-01-01', max: '2199-12-31' });
const languageTag = checkedString()
  .refine((tag) => canonicalLanguageTag(tag) != null, 'must be a BCP-47 language tag such as es, vi or zh-Hant')
  .transform((tag) => canonicalLanguageTag(tag)!);
const languages = z
  .array(languageTag)
  .max(30, 'at most 30 languages')
  .transform((tags) => [...new Set(tags)]);

const meetingFields = {
  title: text(200),
  startsAt: instant,
  endsAt: instant.nullish(),
  location: text(500, { multiline: true }).nullish(),
  onlineUrl: link.nullish(),
  publicNoticeAt: instant.nullish(),
  agendaUrl: link.nullish(),
  agendaSummary: text(5000, { multiline: true }).nullish(),
  minutesUrl: link.nullish(),
  minutesApprovedOn: day.nullish(),
  interpretationLanguages: languages.nullish(),
  accessibilityNotes: text(2000, { multiline: true }).nullish(),
};

const scheduleSchema = z.object({ organizationId: globalId, ...meetingFields });
// Title and start are required of every meeting: omitted they stay, but null is refused.
const updateSchema = z.object({
  meetingId: globalId,
  ...meetingFields,
  title: meetingFields.title.optional(),
  startsAt: meetingFields.startsAt.optional(),
});
const cancelSchema = z.object({ meetingId: globalId, reason: text(1000, { multiline: true }) });

type MeetingInput = Partial<Omit<z.infer<typeof scheduleSchema>, 'organizationId'>>;

/** Input fields as columns; undefined stays undefined (unchanged), null clears. */
function columnsOf(input: MeetingInput): Partial<NewMeetingRow> {
  const columns: Partial<NewMeetingRow> = {
    title: input.title,
    startsAt: input.startsAt,
    endsAt: input.endsAt,
    location: input.location,
    onlineUrl: input.onlineUrl,
    publicNoticeAt: input.publicNoticeAt,
    agendaUrl: input.agendaUrl,
    agendaSummary: input.agendaSummary,
    minutesUrl: input.minutesUrl,
    minutesApprovedOn: input.minutesApprovedOn,
    interpretationLanguages: input.interpretationLanguages === null ? [] : input.interpretationLanguages,
    accessibilityNotes: input.accessibilityNotes,
  };
  return Object.fromEntries(Object.entries(columns).filter(([, v]) => v !== undefined));
}

/** The longest a meeting may last: a longer one is a typo in a date, not a meeting. */
const MAX_DURATION_MS = 7 * 24 * 60 * 60 * 1000;

type MeetingShape = Pick<MeetingRow, 'startsAt' | 'endsAt' | 'publicNoticeAt' | 'minutesApprovedOn' | 'location' | 'onlineUrl'>;

/** Rules on the meeting as it would be stored; `given` says which fields the input set (for `field`). */
function checkMeeting(meeting: MeetingShape, timezone: string, given: Partial<Record<keyof MeetingShape, unknown>>): void {
  const blame = (field: keyof MeetingShape, other: keyof MeetingShape) => ['input', given[field] !== undefined || given[other] === undefined ? field : other];
  if (meeting.location == null && meeting.onlineUrl == null) {
    refuse('INVALID_INPUT', 'Give a location, an onlineUrl, or both: where can the public attend?', blame('location', 'onlineUrl'));
  }
  if (meeting.endsAt != null && meeting.endsAt <= meeting.startsAt) {
    refuse('INVALID_TIME_RANGE', 'endsAt must be after startsAt', blame('endsAt', 'startsAt'));
  }
  if (meeting.endsAt != null && meeting.endsAt.getTime() - meeting.startsAt.getTime() > MAX_DURATION_MS) {
    refuse('INVALID_TIME_RANGE', 'A meeting may last at most 7 days: check endsAt', blame('endsAt', 'startsAt'));
  }
  if (meeting.publicNoticeAt != null && meeting.publicNoticeAt > meeting.startsAt) {
    refuse('INVALID_TIME_RANGE', 'publicNoticeAt must not be after startsAt: notice comes before the meeting', blame('publicNoticeAt', 'startsAt'));
  }
  if (meeting.minutesApprovedOn != null && meeting.minutesApprovedOn < todayIn(timezone, meeting.startsAt)) {
    refuse('INVALID_TIME_RANGE', "minutesApprovedOn must not be before the meeting's date", blame('minutesApprovedOn', 'startsAt'));
  }
}

// A database check is the last guard (plain SQL writes, a race); the service refuses these first.
const MEETING_CONSTRAINTS: Record<string, ConstraintRule> = {
  meetings_time_range_check: { code: 'INVALID_TIME_RANGE', message: 'endsAt must be after startsAt', field: ['input', 'endsAt'] },
  meetings_notice_check: { code: 'INVALID_TIME_RANGE', message: 'publicNoticeAt must not be after startsAt', field: ['input', 'publicNoticeAt'] },
  meetings_place_check: { code: 'INVALID_INPUT', message: 'Give a location, an onlineUrl, or both', field: ['input', 'location'] },
};

async function existingMeeting(ctx: GraphQLContext, globalId: string): Promise<MeetingRow> {
  const id = inputId(globalId, 'Meeting', ['input', 'meetingId']);
  const meeting = await ctx.loaders.meetingById.load(id);
  if (!meeting) refuse('NOT_FOUND', 'No meeting has that id', ['input', 'meetingId']);
  return meeting;
}

// ----- mutations ------------------------------------------------------------------------------

export async function meetingSchedule(ctx: GraphQLContext, rawInput: unknown): Promise<MutationOutcome<MeetingRow>> {
  requireStaffRole(ctx.viewer);
  return refusalsAsOutcome(async () => {
    const input = validateInput(scheduleSchema, rawInput);
    const organizationId = inputId(input.organizationId, 'Organization', ['input', 'organizationId']);
    const organization = await ctx.loaders.organizationById.load(organizationId);
    if (!organization) refuse('NOT_FOUND', 'No organization has that id', ['input', 'organizationId']);
    // Read before the transaction: on PGlite's single connection a read outside it would wait for it.
    const timezone = await timezoneOf(ctx, organization.jurisdictionId);
    return runMutation(ctx, { action: 'meetingSchedule', jurisdictionId: organization.jurisdictionId, constraints: MEETING_CONSTRAINTS, replay: replayRow(meetingsTable) }, async (tx, audit) => {
      const values = { ...(columnsOf(input) as NewMeetingRow), jurisdictionId: organization.jurisdictionId, organizationId: organization.id };
      checkMeeting({ endsAt: null, location: null, onlineUrl: null, publicNoticeAt: null, minutesApprovedOn: null, ...values } as MeetingShape, timezone, input);
      const meeting = await insertMeeting(tx, { ...values, status: 'SCHEDULED' });
      await audit.record('Meeting', meeting.id, null, meeting);
      return meeting;
    });
  });
}

export async function meetingUpdate(ctx: GraphQLContext, rawInput: unknown): Promise<MutationOutcome<MeetingRow>> {
  requireStaffRole(ctx.viewer);
  return refusalsAsOutcome(async () => {
    const input = validateInput(updateSchema, rawInput);
    const existing = await existingMeeting(ctx, input.meetingId);
    const timezone = await timezoneOf(ctx, existing.jurisdictionId);
    return runMutation(ctx, { action: 'meetingUpdate', jurisdictionId: existing.jurisdictionId, constraints: MEETING_CONSTRAINTS }, async (tx, audit) => {
      const before = await lockMeeting(tx, existing.id);
      if (!before) refuse('NOT_FOUND', 'No meeting has that id', ['input', 'meetingId']);
      if (before.status === 'CANCELLED') refuse('ALREADY_CANCELLED', 'A cancelled meeting cannot be changed; schedule a new one', ['input', 'meetingId']);
      const changes = columnsOf(input);
      checkMeeting({ ...before, ...changes } as MeetingShape, timezone, input);
      const after = await updateMeeting(tx, before.id, { ...changes, origin: 'STAFF' });
      await audit.record('Meeting', after.id, before, after);
      return after;
    });
  });
}

export async function meetingCancel(ctx: GraphQLContext, rawInput: unknown): Promise<MutationOutcome<MeetingRow>> {
  requireStaffRole(ctx.viewer);
  return refusalsAsOutcome(async () => {
    const input = validateInput(cancelSchema, rawInput);
    const existing = await existingMeeting(ctx, input.meetingId);
    return runMutation(ctx, { action: 'meetingCancel', jurisdictionId: existing.jurisdictionId }, async (tx, audit) => {
      const before = await lockMeeting(tx, existing.id);
      if (!before) refuse('NOT_FOUND', 'No meeting has that id', ['input', 'meetingId']);
      if (before.status === 'CANCELLED') refuse('ALREADY_CANCELLED', 'The meeting is already cancelled', ['input', 'meetingId']);
      const after = await updateMeeting(tx, before.id, { status: 'CANCELLED', cancellationReason: input.reason, cancelledAt: new Date(), origin: 'STAFF' });
      await audit.record('Meeting', after.id, before, after);
      return after;
    });
  });
}
