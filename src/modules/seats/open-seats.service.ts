import type { GraphQLContext } from '../../context.ts';
import type { OrganizationRow, PostRow, VacancyPostingRow } from '../../db/schema/index.ts';
import { badUserInput } from '../../errors.ts';
import { decodeGlobalId } from '../../graphql/global-id.ts';
import type { ConnectionMapper } from '../../graphql/mappers.ts';
import { parsePageArgs, toConnection, type PageArgs } from '../../graphql/pagination.ts';
import { boundariesOf } from '../geography/boundary-cache.ts';
import { divisionsWhoseBoxContains } from '../geography/geography.repository.ts';
import { asOf, dateIn, resolveJurisdiction } from '../jurisdictions/jurisdictions.service.ts';
import { canonicalLocale } from '../../language/locales.ts';
import { openSeatKeyset, openSeatsCount, openSeatsPage, type OpenSeatFilter } from './open-seats.repository.ts';
import { rosterStatusOfPost } from './seats.service.ts';
import { openingsOn, type Opening, type VacancyReason } from './vacancy-reasons.ts';
import { asLapsed } from './seat-filling.service.ts';

/** BCP-47 language tag: a 2–3 letter language, then subtags (`es`, `zh-Hant`, `sr-Latn-RS`). */
const LANGUAGE_TAG = /^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8}){0,3}$/;
const MAX_HOURS_PER_MONTH = 744; // every hour of a 31-day month

export interface OpenSeatArgs extends PageArgs {
  jurisdiction?: string | null;
  at?: string | null;
  filter?: {
    councilDistrict?: string | null;
    livesAt?: { latitude: number; longitude: number } | null;
    organizationKind?: OrganizationRow['kind'] | null;
    organizationKindCode?: readonly string[] | null;
    bodyKind?: OrganizationRow['bodyKind'];
    organization?: string | null;
    topic?: OrganizationRow['topics'][number] | null;
    interpretationLanguage?: string | null;
    minHoursPerMonth?: number | null;
    maxHoursPerMonth?: number | null;
  } | null;
}

function checkHours(value: number | null | undefined, argument: string): void {
  if (value != null && (value < 0 || value > MAX_HOURS_PER_MONTH)) {
    throw badUserInput(`${argument} must be between 0 and ${MAX_HOURS_PER_MONTH}; got ${value}`, argument);
  }
}

/** Divisions containing a point on `at`: boxes narrowed in SQL, the exact test on the GeoJSON (as `locate`). */
async function divisionsAt(ctx: GraphQLContext, jurisdictionId: number, point: { latitude: number; longitude: number }, at: string): Promise<number[]> {
  const { latitude, longitude } = point;
  if (!Number.isFinite(latitude) || latitude < -90 || latitude > 90) {
    throw badUserInput(`filter.livesAt.latitude must be between -90 and 90 degrees; got ${latitude}`, 'filter.livesAt.latitude');
  }
  if (!Number.isFinite(longitude) || longitude < -180 || longitude > 180) {
    throw badUserInput(`filter.livesAt.longitude must be between -180 and 180 degrees; got ${longitude}`, 'filter.livesAt.longitude');
  }
  const candidates = await divisionsWhoseBoxContains(ctx.db, jurisdictionId, longitude, latitude, at);
  const boundaries = await boundariesOf(ctx.db, candidates);
  return candidates.filter((d) => boundaries.get(d.id)?.contains(longitude, latitude)).map((d) => d.id);
}

export async function openSeats(ctx: GraphQLContext, args: OpenSeatArgs): Promise<ConnectionMapper<PostRow>> {
  const jurisdiction = await resolveJurisdiction(ctx, args.jurisdiction);
  const at = dateIn(jurisdiction, args.at);
  const input = args.filter ?? {};
  if (input.councilDistrict != null && input.livesAt != null) {
    throw badUserInput('Pass either filter.councilDistrict or filter.livesAt, not both', 'filter.livesAt');
  }
  // Compared in canonical form, as postings store it (`zh-hant` finds `zh-Hant`).
  const language = input.interpretationLanguage == null ? null : canonicalLocale(input.interpretationLanguage);
  if (input.interpretationLanguage != null && (language === null || !LANGUAGE_TAG.test(language))) {
    throw badUserInput('filter.interpretationLanguage must be a BCP-47 language tag such as "es" or "zh-Hant"', 'filter.interpretationLanguage');
  }
  checkHours(input.minHoursPerMonth, 'filter.minHoursPerMonth');
  checkHours(input.maxHoursPerMonth, 'filter.maxHoursPerMonth');
  if (input.minHoursPerMonth != null && input.maxHoursPerMonth != null && input.minHoursPerMonth > input.maxHoursPerMonth) {
    throw badUserInput('filter.minHoursPerMonth must not exceed filter.maxHoursPerMonth', 'filter.minHoursPerMonth');
  }
  const page = parsePageArgs(args, openSeatKeyset.keys);
  let divisionIds: number[] | null = null;
  if (input.councilDistrict != null) divisionIds = [decodeGlobalId(input.councilDistrict, 'Division', 'filter.councilDistrict')];
  if (input.livesAt != null) divisionIds = await divisionsAt(ctx, jurisdiction.id, input.livesAt, at);
  const filter: OpenSeatFilter = {
    divisionIds,
    // The deprecated enum's OTHER names no code: it matches nothing.
    organizationKind: input.organizationKind === 'OTHER' ? null : (input.organizationKind ?? null),
    organizationKindCodes: input.organizationKind === 'OTHER' ? [] : (input.organizationKindCode ?? null),
    bodyKind: input.bodyKind ?? null,
    organizationId: input.organization != null ? decodeGlobalId(input.organization, 'Organization', 'filter.organization') : null,
    topic: input.topic ?? null,
    interpretationLanguage: language ?? null,
    minHoursPerMonth: input.minHoursPerMonth ?? null,
    maxHoursPerMonth: input.maxHoursPerMonth ?? null,
  };
  const rows = await openSeatsPage(ctx.db, jurisdiction.id, filter, at, page);
  for (const row of rows) ctx.loaders.postById.prime(row.id, row);
  const connection = toConnection(rows, openSeatKeyset, page, () => openSeatsCount(ctx.db, jurisdiction.id, filter, at));
  // Every node is one of `rows`, which carry the organization name the cursor needs.
  return { ...connection, cursorOf: (row) => connection.cursorOf(row as (typeof rows)[number]) };
}

function existsOn(post: PostRow, at: string): boolean {
  return (post.createdOn == null || post.createdOn <= at) && (post.abolishedOn == null || post.abolishedOn > at);
}

/** The seat's free places on `at` with why each is free; none outside the seat's lifetime. */
export async function openingsOf(ctx: GraphQLContext, post: PostRow, atArg: string | null | undefined): Promise<Opening[]> {
  const [at, roster] = await Promise.all([asOf(ctx, post.jurisdictionId, atArg), rosterStatusOfPost(ctx, post)]);
  // Unknown is not vacant: a body whose roster is not recorded has no free place to explain.
  if (!existsOn(post, at) || roster === 'NOT_RECORDED') return [];
  const terms = await ctx.loaders.termsUntilByPostId.load({ id: post.id, params: { at } });
  return openingsOn(post.maxHolders, terms.map((t) => asLapsed(post, t)), at);
}

export async function vacancyReasonOf(ctx: GraphQLContext, post: PostRow, at: string | null | undefined): Promise<VacancyReason | null> {
  return (await openingsOf(ctx, post, at))[0]?.reason ?? null;
}

export async function openPostingOf(ctx: GraphQLContext, post: PostRow, at: string | null | undefined): Promise<VacancyPostingRow | null> {
  return ctx.loaders.openPostingByPostId.load({ id: post.id, params: { at: await asOf(ctx, post.jurisdictionId, at) } });
}

/** The last day to apply: the day before the window's exclusive end. */
export function lastDayBefore(closesOn: string): string {
  const day = new Date(`${closesOn}T00:00:00Z`);
  day.setUTCDate(day.getUTCDate() - 1);
  return day.toISOString().slice(0, 10);
}

export async function applicationDeadlineOf(ctx: GraphQLContext, post: PostRow, at: string | null | undefined): Promise<string | null> {
  const posting = await openPostingOf(ctx, post, at);
  return posting ? lastDayBefore(posting.closesOn) : null;
}

/**
 * Who may hold the seat, in plain words, one rule per item: living in the seat's district, the
 * seat's own eligibility text, and, while a posting recruits for it, the posting's summary and
 * minimum age.
 */
export async function eligibilityRulesOf(ctx: GraphQLContext, post: PostRow, at: string | null | undefined): Promise<string[]> {
  const [division, posting] = await Promise.all([
    post.divisionId != null ? ctx.loaders.divisionById.load(post.divisionId) : null,
    openPostingOf(ctx, post, at),
  ]);
  const rules: string[] = [];
  if (division) rules.push(`Lives in ${division.name}.`);
  if (post.eligibility) rules.push(post.eligibility);
  if (posting?.eligibilitySummary) rules.push(posting.eligibilitySummary);
  if (posting?.minimumAge != null) rules.push(`At least ${posting.minimumAge} years old.`);
  return rules;
}
