import type { MembershipRow } from '../../db/schema/index.ts';

export type VacancyReason = 'NEVER_FILLED' | 'TERM_ENDED' | 'RESIGNED' | 'ENDED_EARLY';

/** One free place on a seat: why it is free, and since when (null when never filled). */
export interface Opening {
  reason: VacancyReason;
  since: string | null;
}

/** Why a term's end freed a place; null when the seat itself ended with it. */
export function reasonOfEnd(term: Pick<MembershipRow, 'endDate' | 'endReason' | 'scheduledEndDate'>): VacancyReason | null {
  switch (term.endReason) {
    case 'POST_ABOLISHED':
      return null;
    case 'TERM_COMPLETED':
      return 'TERM_ENDED';
    case 'RESIGNED':
    case 'DEEMED_RESIGNED_ABSENCES':
      return 'RESIGNED';
    case 'REMOVED':
    case 'DECEASED':
    case 'MOVED_OUT_OF_DISTRICT':
    case 'OTHER':
      return 'ENDED_EARLY';
    default:
      // No reason on record: judged by the dates alone.
      return term.scheduledEndDate != null && term.endDate! >= term.scheduledEndDate ? 'TERM_ENDED' : 'ENDED_EARLY';
  }
}

/**
 * The free places of a seat on `at`, most recently opened first, from the seat's terms (any order).
 * Replays the seat's history: it starts with `maxHolders` places never filled; a term's end frees a
 * place (with the end's reason), a term's start takes one back. A holder who continues on the day
 * their term ends (a reappointment) takes back their own place; anyone else takes the place freed
 * most recently, so the reasons left are those of the longest-standing vacancies. Ends are replayed
 * before starts of the same day, since an end date is the first day no longer served.
 */
export function openingsOn(maxHolders: number, terms: readonly MembershipRow[], at: string): Opening[] {
  type Place = Opening & { personId: number | null };
  const free: Place[] = Array.from({ length: maxHolders }, () => ({ reason: 'NEVER_FILLED', since: null, personId: null }));
  const events: { date: string; order: number; term: MembershipRow }[] = [];
  for (const term of terms) {
    if (term.startDate > at) continue;
    events.push({ date: term.startDate, order: 1, term });
    if (term.endDate != null && term.endDate <= at) events.push({ date: term.endDate, order: 0, term });
  }
  events.sort((a, b) => a.date.localeCompare(b.date) || a.order - b.order || a.term.id - b.term.id);
  for (const { date, order, term } of events) {
    if (order === 0) {
      const reason = reasonOfEnd(term);
      if (reason) free.push({ reason, since: date, personId: term.personId });
      continue;
    }
    const own = free.findLastIndex((p) => p.personId === term.personId && p.since === date);
    free.splice(own >= 0 ? own : free.length - 1, 1);
  }
  return free.reverse().map(({ reason, since }) => ({ reason, since }));
}
