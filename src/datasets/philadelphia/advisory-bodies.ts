/**
 * Boards and commissions from advisory_bodies.csv. The seat, term, authority and status columns are
 * free text; each is read with a few explicit rules and anything unrecognized throws, so new
 * wording is never misread. No roster is in the data: every body is NOT_RECORDED.
 */
import type { BodyKind, Topic } from '../format.ts';
import { slugify } from '../slug.ts';
import { COUNCIL } from './constants.ts';
import { NO_SEAT_RULES, type Organization, type Post } from './contract.ts';
import { EMPTY_ORG } from './organizations.ts';
import type { AdvisoryBodyRow } from './raw.ts';

export interface Seats {
  /** Members of the body (an alternate is not one). */
  total: number;
  appointed: number;
  /** Offices whose holders sit ex officio, as the seat quote names them. */
  exOfficio: string[];
  /** An office that sits as an alternate member. */
  alternate: string | null;
}

const NUMBER_WORDS = ['zero', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine', 'ten', 'eleven'];

/** "the Managing Director, the Director of Finance … and the Director of Planning and Development" → the offices. */
function officesIn(quote: string): string[] {
  const list = /members and (the .+?)"?$/.exec(quote)?.[1];
  if (!list) throw new Error(`advisory_bodies.csv: cannot find the ex officio offices in ${JSON.stringify(quote)}`);
  return list.split(/, | and (?=the )/).map((o) => o.replace(/^the /, ''));
}

export function parseSeats(seats: string, quote: string): Seats {
  let m = /^(\d+)$/.exec(seats);
  if (m) return { total: Number(m[1]), appointed: Number(m[1]), exOfficio: [], alternate: null };
  m = /^(\d+) \((\d+) appointed \+ (\d+) ex officio\)$/.exec(seats);
  if (m) {
    const offices = officesIn(quote);
    if (offices.length !== Number(m[3]) || Number(m[2]) + offices.length !== Number(m[1])) {
      throw new Error(`advisory_bodies.csv: seats ${JSON.stringify(seats)} do not add up with the offices ${offices.join('; ')}`);
    }
    return { total: Number(m[1]), appointed: Number(m[2]), exOfficio: offices, alternate: null };
  }
  m = /^(\d+) \((\d+) appointed \+ ([A-Z][A-Za-z ]+)\)$/.exec(seats);
  if (m) {
    if (Number(m[2]) + 1 !== Number(m[1])) throw new Error(`advisory_bodies.csv: seats ${JSON.stringify(seats)} do not add up`);
    return { total: Number(m[1]), appointed: Number(m[2]), exOfficio: [m[3]!], alternate: null };
  }
  m = /^(\d+) \(\+ ([A-Z][A-Za-z ]+) as alternate\)$/.exec(seats);
  if (m) return { total: Number(m[1]), appointed: Number(m[1]), exOfficio: [], alternate: m[2]! };
  throw new Error(`advisory_bodies.csv: unrecognized seats value ${JSON.stringify(seats)}`);
}

/** The quoted count must agree with the seats column ("seven appointed members", "nine members"). */
function checkQuote(seats: Seats, quote: string): void {
  const word = /\b(one|two|three|four|five|six|seven|eight|nine|ten|eleven)\b/.exec(quote)?.[1];
  if (!word || NUMBER_WORDS.indexOf(word) !== seats.appointed) {
    throw new Error(`advisory_bodies.csv: the quote ${JSON.stringify(quote)} does not state ${seats.appointed} members`);
  }
}

/** "5-year staggered terms" → 60 months; "4-year terms; at most two consecutive terms" → 48, limit 2 consecutive. */
export function parseTerm(text: string): Pick<Post, 'term_length_months' | 'term_limit' | 'term_limit_counting'> {
  if (text === '') return { term_length_months: null, term_limit: null, term_limit_counting: null };
  const length = /^(\d+)-year(?: staggered)? terms\b/.exec(text)?.[1];
  if (!length) throw new Error(`advisory_bodies.csv: unrecognized term ${JSON.stringify(text)}`);
  const rest = text.replace(/^(\d+)-year(?: staggered)? terms/, '');
  if (rest === '') return { term_length_months: Number(length) * 12, term_limit: null, term_limit_counting: null };
  const limit = /^; at most (one|two|three|four) consecutive terms$/.exec(rest)?.[1];
  if (!limit) throw new Error(`advisory_bodies.csv: unrecognized term ${JSON.stringify(text)}`);
  return { term_length_months: Number(length) * 12, term_limit: NUMBER_WORDS.indexOf(limit), term_limit_counting: 'CONSECUTIVE_TERMS' };
}

/** Who appoints, and whether City Council must consent (its key goes to `confirmed_by`). */
export function parseAuthority(text: string): { appointer: string; confirmedBy: string | null } {
  if (text === 'Mayor (appointed members)') return { appointer: 'Mayor', confirmedBy: null };
  if (text === 'Mayor, with City Council consent') return { appointer: 'Mayor', confirmedBy: COUNCIL.key };
  const m = /^(Selection Panel \(.+\)), confirmed by Council$/.exec(text);
  if (m) return { appointer: m[1]!, confirmedBy: COUNCIL.key };
  throw new Error(`advisory_bodies.csv: unrecognized appointing_authority ${JSON.stringify(text)}`);
}

/** Every row cites the current Charter or Code text establishing the body, so the body is active. */
export function parseStatus(text: string): 'ACTIVE' {
  if (/^current (Charter|Code) text\b/.test(text)) return 'ACTIVE';
  throw new Error(`advisory_bodies.csv: unrecognized status ${JSON.stringify(text)}`);
}

/** Eligibility stated in the source note; only these phrasings are recognized. */
function eligibility(note: string): string | null {
  return /\bMembers must be City residents\b/.test(note) ? 'Resident of the City of Philadelphia' : null;
}

/** Derived, not sourced (SOURCES.md): words in the name decide. */
const TOPIC_RULES: Array<[RegExp, Topic]> = [
  [/\bPlanning\b|\bZoning\b/, 'LAND_USE_PLANNING'],
  [/\bArt\b/, 'ARTS_CULTURE'],
  [/\bEthics\b/, 'GOVERNMENT_ELECTIONS'],
  [/\bPolice\b/, 'PUBLIC_SAFETY'],
];

/** The last of Board / Commission / Committee in the name ("Zoning Board of Adjustment" is a board). */
export function bodyKindOf(name: string): BodyKind {
  let found: { at: number; kind: BodyKind } | null = null;
  for (const [re, kind] of [[/\bboard\b/gi, 'BOARD'], [/\bcommission\b/gi, 'COMMISSION'], [/\bcommittee\b/gi, 'COMMITTEE']] as const) {
    for (const match of name.matchAll(re)) if (!found || match.index > found.at) found = { at: match.index, kind };
  }
  return found?.kind ?? 'OTHER';
}

export function buildAdvisoryBodies(rows: readonly AdvisoryBodyRow[]) {
  const organizations: Organization[] = [];
  const posts: Post[] = [];
  for (const row of rows) {
    const m = /^(.*\S) \(([A-Z]{2,})\)$/.exec(row.name);
    const name = m ? m[1]! : row.name;
    const key = slugify(name);
    const seats = parseSeats(row.seats, row.seats_quote);
    checkQuote(seats, row.seats_quote);
    const term = parseTerm(row.term);
    const { appointer, confirmedBy } = parseAuthority(row.appointing_authority);
    const description = [
      `Established by ${row.legal_basis}.`,
      `Seats: ${row.seats}; the text reads "${row.seats_quote.replace(/^"|"$/g, '')}".`,
      row.term ? `Term: ${row.term}.` : '',
      `Appointed by: ${row.appointing_authority}.`,
      `Source status: ${row.status}.`,
    ];
    organizations.push({
      ...EMPTY_ORG,
      key,
      kind: 'ADVISORY_BODY',
      name,
      short_name: m ? m[2]! : null,
      description: description.filter(Boolean).join(' '),
      status: parseStatus(row.status),
      min_members: seats.total,
      max_members: seats.total,
      source_url: row.source_url || null,
      source_note: row.source_note || null,
      body_kind: bodyKindOf(name),
      topics: TOPIC_RULES.filter(([re]) => re.test(name)).map(([, topic]) => topic),
      roster_status: 'NOT_RECORDED',
    });
    const common = {
      ...NO_SEAT_RULES,
      organization_key: key,
      division_key: null,
      takes_applications: false,
      created_on: null,
      abolished_on: null,
      term_length_months: null,
      term_limit: null,
      eligibility: null,
    } as const;
    posts.push({
      ...common,
      ...term,
      key: 'member',
      label: seats.exOfficio.length ? 'Appointed member' : 'Member',
      role: 'member',
      appointing_authority: appointer,
      confirmed_by: confirmedBy,
      selection_method: 'APPOINTED',
      max_holders: seats.appointed,
      eligibility: eligibility(row.source_note),
    });
    for (const office of seats.exOfficio) {
      posts.push({
        ...common,
        key: slugify(office),
        label: office,
        role: 'ex officio member',
        appointing_authority: null,
        selection_method: 'EX_OFFICIO',
        max_holders: 1,
        eligibility: `Holds the office of ${office}`,
      });
    }
    if (seats.alternate) {
      posts.push({
        ...common,
        key: slugify(seats.alternate),
        label: `${seats.alternate} (alternate)`,
        role: 'alternate member',
        appointing_authority: null,
        selection_method: 'EX_OFFICIO',
        max_holders: 1,
        eligibility: `Holds the office of ${seats.alternate}`,
        alternate_for: 'member',
      });
    }
  }
  return { organizations, posts };
}
