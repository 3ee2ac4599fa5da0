/**
 * How seats are filled (issue 13): term anchors and classes, holdovers, and the rules an
 * appointment must satisfy beyond one seat's capacity (nominator, consent, age, composition).
 */
import type { Database } from '../../db/client.ts';
import type { MembershipRow, PostRow } from '../../db/schema/index.ts';
import { parseGlobalId } from '../../graphql/global-id.ts';
import { refuse, UserErrorsException, type AuditWriter } from '../../graphql/mutation.ts';
import { addMonths } from '../../input/calendar.ts';
import { endMembership } from './appointments.repository.ts';
import { compositionCounts, compositionRulesByOrganizationIds, lapsedHoldovers, lockOrganizationSeats, nominatorsByPostIds } from './seat-filling.repository.ts';

// ----- term anchors ---------------------------------------------------------------------------

const anchorIn = (year: number, anchor: string) => `${String(year).padStart(4, '0')}-${anchor}`;

/**
 * The scheduled end of a term on a seat with a term anchor (`MM-DD`) and whole-year terms of `T`
 * years. Without a class: the latest anchor day not after `startDate` plus the term length (a term
 * starting on the anchor day runs a full term; a late start ends with its cycle). With class `c` of
 * `S`: the first anchor day after `startDate` in a year `Y` with `Y mod T = c·T/S mod T`.
 * Null when the seat has no anchor or its term length is not whole years (then months are added).
 */
export function anchoredEnd(post: Pick<PostRow, 'termAnchor' | 'termLengthMonths' | 'staggerClasses'>, startDate: string, termClass?: number | null): string | null {
  if (post.termAnchor == null || post.termLengthMonths == null || post.termLengthMonths % 12 !== 0) return null;
  const years = post.termLengthMonths / 12;
  const startYear = Number(startDate.slice(0, 4));
  if (termClass != null && post.staggerClasses != null) {
    const step = years / post.staggerClasses;
    const residue = (termClass * step) % years;
    for (let year = startYear; ; year++) {
      const end = anchorIn(year, post.termAnchor);
      if (end > startDate && ((year % years) + years) % years === residue) return end;
    }
  }
  const fullTerm = addMonths(startDate, post.termLengthMonths);
  const year = Number(fullTerm.slice(0, 4));
  return anchorIn(year, post.termAnchor) <= fullTerm ? anchorIn(year, post.termAnchor) : anchorIn(year - 1, post.termAnchor);
}

/** First day a holder no longer serves as a holdover; null without a scheduled end or a limit. */
export function holdoverEndsOn(post: Pick<PostRow, 'holdoverLimitMonths'>, term: Pick<MembershipRow, 'scheduledEndDate'>): string | null {
  if (post.holdoverLimitMonths == null || term.scheduledEndDate == null) return null;
  return addMonths(term.scheduledEndDate, post.holdoverLimitMonths);
}

/** Whether a term counts as a holder on `at`: in effect, and not past its holdover limit. */
export function servesOn(post: Pick<PostRow, 'holdoverLimitMonths'>, term: MembershipRow, at: string): boolean {
  const lapses = holdoverEndsOn(post, term);
  return lapses == null || at < lapses;
}

/** A term as it stands once its holdover ran out: ended that day as completed (unchanged otherwise). */
export function asLapsed(post: Pick<PostRow, 'holdoverLimitMonths'>, term: MembershipRow): MembershipRow {
  const lapses = holdoverEndsOn(post, term);
  if (lapses == null || (term.endDate != null && term.endDate <= lapses)) return term;
  return { ...term, endDate: lapses, endReason: 'TERM_COMPLETED' };
}

/**
 * A holdover that ran out before `startDate` no longer holds the seat: its term is ended on the day
 * it ran out (TERM_COMPLETED), so the seat's capacity counts the place as free.
 */
export async function endLapsedHoldovers(tx: Database, audit: AuditWriter, post: PostRow, startDate: string): Promise<void> {
  if (post.holdoverLimitMonths == null) return;
  for (const term of await lapsedHoldovers(tx, post.id, post.holdoverLimitMonths, startDate)) {
    const after = await endMembership(tx, term.id, holdoverEndsOn(post, term)!, 'TERM_COMPLETED');
    await audit.record('Membership', term.id, term, after);
  }
}

// ----- who fills the seat ---------------------------------------------------------------------

export interface FillingInput {
  nominatedBy?: string | null;
  isCityEmployee?: boolean | null;
  confirmedOn?: string | null;
  appointeeAge?: number | null;
}

export interface FillingValues {
  nominatedByPostId: number | null;
  nominatedByOrganizationId: number | null;
  isCityEmployee: boolean | null;
  confirmedByOrganizationId: number | null;
  confirmedOn: string | null;
}

/** Checks the nominator, the consent and the age given for an appointment; returns what the term records. */
export async function checkFilling(tx: Database, post: PostRow, startDate: string, input: FillingInput): Promise<FillingValues> {
  let nominatedByPostId: number | null = null;
  let nominatedByOrganizationId: number | null = null;
  if (input.nominatedBy != null) {
    const field = ['input', 'nominatedBy'];
    const decoded = parseGlobalId(input.nominatedBy);
    if (!decoded) refuse('INVALID_ID', 'nominatedBy is not a valid id', field);
    if (decoded.type !== 'Post' && decoded.type !== 'Organization') refuse('INVALID_ID', `nominatedBy must be the id of a Post or an Organization, not of a ${decoded.type}`, field);
    const nominators = (await nominatorsByPostIds(tx, [post.id])).get(post.id) ?? [];
    const match = nominators.find((n) => (decoded.type === 'Post' ? n.nominatorPostId === decoded.id : n.nominatorOrganizationId === decoded.id));
    if (!match) {
      refuse('INVALID_INPUT', nominators.length ? 'nominatedBy must be one of the seat\'s nominating authorities (filling.nominatingAuthorities)' : 'This seat has no nominating authorities, so nominatedBy does not apply', field);
    }
    if (decoded.type === 'Post') nominatedByPostId = decoded.id;
    else nominatedByOrganizationId = decoded.id;
  }

  if (post.confirmedByOrganizationId != null) {
    if (input.confirmedOn == null) {
      refuse('CONFIRMATION_REQUIRED', 'This seat needs the consent of its confirming body: give confirmedOn, the day it consented', ['input', 'confirmedOn']);
    }
    if (input.confirmedOn > startDate) refuse('INVALID_DATE_RANGE', `confirmedOn must be on or before the term's start on ${startDate}`, ['input', 'confirmedOn']);
  } else if (input.confirmedOn != null) {
    refuse('INVALID_INPUT', 'This seat needs no confirmation, so confirmedOn does not apply', ['input', 'confirmedOn']);
  }

  if (post.minAge != null && input.appointeeAge != null && input.appointeeAge < post.minAge) {
    refuse('BELOW_MIN_AGE', `Holders of this seat must be at least ${post.minAge} on the term's first day; the appointee's attested age is ${input.appointeeAge}`, ['input', 'appointeeAge']);
  }

  return {
    nominatedByPostId,
    nominatedByOrganizationId,
    isCityEmployee: input.isCityEmployee ?? null,
    confirmedByOrganizationId: post.confirmedByOrganizationId,
    confirmedOn: post.confirmedByOrganizationId != null ? (input.confirmedOn ?? null) : null,
  };
}

/**
 * The organization's composition rules, for a new voting term from `startDate`. Runs under the
 * organization's appointment lock (lockOrganizationSeats), so concurrent appointments count each other.
 */
export async function checkComposition(tx: Database, post: PostRow, startDate: string, filling: FillingValues): Promise<void> {
  if (!post.voting) return;
  const rules = (await compositionRulesByOrganizationIds(tx, [post.organizationId])).get(post.organizationId) ?? [];
  const nominated = filling.nominatedByPostId != null || filling.nominatedByOrganizationId != null;
  const applicable = rules.filter((r) => (r.rule === 'MIN_SHARE_NOMINATED' ? !nominated : filling.isCityEmployee === true));
  if (applicable.length === 0) return;
  // Taken after the post lock (the order every appointment uses), before counting.
  await lockOrganizationSeats(tx, post.organizationId);
  const counts = await compositionCounts(tx, post.organizationId, startDate);
  for (const rule of applicable) {
    const { numerator: n, denominator: d } = rule;
    if (rule.rule === 'MIN_SHARE_NOMINATED') {
      // After this appointment, appointees not from nominees must fit in (1 - n/d) of the voting places.
      const allowed = Math.floor((counts.votingPlaces * (d - n)) / d);
      if (counts.notNominated + 1 > allowed) {
        refuseRule(rule, `At least ${n}/${d} of the body's ${counts.votingPlaces} voting places must be filled from nominees; ${counts.notNominated} of at most ${allowed} appointees not from nominees are already serving on or after ${startDate}. Record the nominator (nominatedBy), or end a term first`);
      }
    } else {
      const allowed = Math.floor((counts.votingPlaces * n) / d);
      if (counts.cityEmployees + 1 > allowed) {
        refuseRule(rule, `At most ${n}/${d} of the body's ${counts.votingPlaces} voting places may be held by city employees (${allowed}); ${counts.cityEmployees} are already serving on or after ${startDate}`);
      }
    }
  }
}

function refuseRule(rule: { rule: string; code: string }, message: string): never {
  throw new UserErrorsException([{ code: 'COMPOSITION_RULE', field: ['input', 'postId'], message, compositionRule: `${rule.rule}/${rule.code}` }]);
}
