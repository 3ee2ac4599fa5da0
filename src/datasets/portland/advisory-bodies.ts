/**
 * Advisory bodies from advisory_bodies.csv. The seat, term and status columns are free text; each is
 * read with a few explicit rules and anything unrecognized throws, so new wording is never misread.
 */
import type { BodyKind, OrganizationRecord, OrganizationStatus, PostRecord, Topic } from '../format.ts';
import { slugify } from '../slug.ts';
import type { AdvisoryBodyRow } from './raw.ts';

export interface Seats {
  min: number;
  max: number;
  /** Appointed voting members: the upper bound of a range. */
  members: number;
  exOfficio: number;
}

export function parseSeats(text: string): Seats {
  let m = /^(\d+)$/.exec(text);
  if (m) return { min: Number(m[1]), max: Number(m[1]), members: Number(m[1]), exOfficio: 0 };
  m = /^(\d+)-(\d+)$/.exec(text);
  if (m) return { min: Number(m[1]), max: Number(m[2]), members: Number(m[2]), exOfficio: 0 };
  m = /^(\d+) voting \+ (\d+) ex officio$/.exec(text);
  if (m) {
    const total = Number(m[1]) + Number(m[2]);
    return { min: total, max: total, members: Number(m[1]), exOfficio: Number(m[2]) };
  }
  throw new Error(`advisory_bodies.csv: unrecognized seats value ${JSON.stringify(text)}`);
}

const NUMBER_WORDS: Record<string, number> = { one: 1, two: 2, three: 3, four: 4, five: 5, six: 6 };
function count(word: string): number {
  const n = /^\d+$/.test(word) ? Number(word) : NUMBER_WORDS[word];
  if (n === undefined) throw new Error(`advisory_bodies.csv: unrecognized number ${JSON.stringify(word)}`);
  return n;
}

/** "staggered 3-year terms" → 36 months; "four-year" → 48; "max 4 years, max two full terms" → 48, limit 2. */
export function parseTerm(text: string): { months: number | null; limit: number | null } {
  if (text === '') return { months: null, limit: null };
  const length = /\b(\d+|one|two|three|four|five|six)[- ]years?\b/.exec(text);
  if (!length?.[1]) throw new Error(`advisory_bodies.csv: unrecognized term ${JSON.stringify(text)}`);
  const limit = /\bmax (\d+|one|two|three|four|five|six) full terms\b/.exec(text)?.[1];
  return { months: count(length[1]) * 12, limit: limit ? count(limit) : null };
}

const MONTHS = ['january', 'february', 'march', 'april', 'may', 'june', 'july', 'august', 'september', 'october', 'november', 'december'];

/**
 * "active…" → ACTIVE; "completed work August 21, 2023" → DISSOLVED on that date; "superseded by …"
 * and "charter-transition body" → INACTIVE, because the source gives no end date for them.
 */
export function parseStatus(text: string): { status: OrganizationStatus; dissolvedOn: string | null } {
  if (/^active\b/.test(text)) return { status: 'ACTIVE', dissolvedOn: null };
  const done = /^completed work ([A-Z][a-z]+) (\d{1,2}), (\d{4})$/.exec(text);
  if (done) {
    const month = MONTHS.indexOf(done[1]!.toLowerCase()) + 1;
    if (month === 0) throw new Error(`advisory_bodies.csv: unrecognized month in ${JSON.stringify(text)}`);
    const date = `${done[3]}-${String(month).padStart(2, '0')}-${done[2]!.padStart(2, '0')}`;
    return { status: 'DISSOLVED', dissolvedOn: date };
  }
  if (/^superseded by /.test(text) || text === 'charter-transition body') return { status: 'INACTIVE', dissolvedOn: null };
  throw new Error(`advisory_bodies.csv: unrecognized status ${JSON.stringify(text)}`);
}

/** "Cannabis Policy Oversight Team (CPOT)" → name without the acronym, short name "CPOT". */
export function splitName(text: string): { name: string; shortName: string | null; nameNote: string | null } {
  const m = /^(.*\S)\s*\(([^()]*)\)$/.exec(text);
  if (!m) return { name: text, shortName: null, nameNote: null };
  const [, name, inner] = m as unknown as [string, string, string];
  return /^[A-Z]{2,}$/.test(inner) ? { name, shortName: inner, nameNote: null } : { name, shortName: null, nameNote: inner };
}

/** Eligibility stated in the quoted seat text; only these phrasings are recognized. */
function eligibility(quote: string): string | null {
  const rules: Array<[RegExp, string]> = [
    [/residents of the City of Portland/, 'Resident of the City of Portland'],
    [/none of whom may hold elective office/, 'May not hold elective office'],
  ];
  const found = rules.filter(([re]) => re.test(quote)).map(([, text]) => text);
  return found.length ? found.join('; ') : null;
}

/**
 * The source states no topics. They are derived here from words in the body's name and its bureau
 * or program, by these rules only (and said so in SOURCES.md); a body no rule fits has none.
 */
const TOPIC_RULES: Array<[RegExp, Topic]> = [
  [/\bBudget\b/, 'BUDGET_FINANCE'],
  [/\bClean Energy\b|\bSustainability Commission\b/, 'CLIMATE_ENVIRONMENT'],
  [/\bUtility\b|\bWater Bureau\b|\bEnvironmental Services\b/, 'UTILITIES'],
  [/\bPlanning\b|\bDesign Commission\b|\bPermitting\b/, 'LAND_USE_PLANNING'],
  [/\bHistoric\b|\bLandmarks?\b/, 'HISTORIC_PRESERVATION'],
  [/\bCharter transition\b|\bDistrict Commission\b|\belected officials\b/, 'GOVERNMENT_ELECTIONS'],
];

export function topicsOf(name: string, bureauOrProgram: string): Topic[] {
  const text = `${name} | ${bureauOrProgram}`;
  return TOPIC_RULES.filter(([re]) => re.test(text)).map(([, topic]) => topic);
}

/**
 * The source states no kind either: it is the last of these words in the body's name ("Portland
 * Clean Energy Fund (PCEF) Grant Committee" is a committee), OTHER when none is there (a team).
 */
const BODY_KIND_WORDS: Array<[RegExp, BodyKind]> = [
  [/\bboard\b/gi, 'BOARD'],
  [/\bcommission\b/gi, 'COMMISSION'],
  [/\bcommittee\b/gi, 'COMMITTEE'],
  [/\btask force\b/gi, 'TASK_FORCE'],
];

export function bodyKindOf(name: string): BodyKind {
  let found: { at: number; kind: BodyKind } | null = null;
  for (const [re, kind] of BODY_KIND_WORDS) {
    for (const match of name.matchAll(re)) if (!found || match.index > found.at) found = { at: match.index, kind };
  }
  return found?.kind ?? 'OTHER';
}

export function buildAdvisoryBodies(rows: readonly AdvisoryBodyRow[]) {
  const organizations: OrganizationRecord[] = [];
  const posts: PostRecord[] = [];
  for (const row of rows) {
    const { name, shortName, nameNote } = splitName(row.name);
    // An acronym in parentheses inside the name ("Fund (PCEF) Grant") is left out of the slug.
    const key = slugify(name.replace(/\s*\([A-Z]{2,}\)/g, ''));
    const seats = parseSeats(row.seats);
    const term = parseTerm(row.term);
    const { status, dissolvedOn } = parseStatus(row.status);
    const appointer = /City Council/.test(row.bureau_or_program) ? 'City Council' : row.bureau_or_program;
    const description = [
      nameNote ? `Name in the source: ${row.name}.` : '',
      `Seats as quoted by the source: ${row.seats_quote}.`,
      row.term ? `Term: ${row.term}.` : '',
      `Status in the source: ${row.status}.`,
    ];
    organizations.push({
      key,
      kind: 'ADVISORY_BODY',
      name,
      short_name: shortName,
      description: description.filter(Boolean).join(' '),
      website: null,
      status,
      division_key: null,
      overseen_by: row.bureau_or_program,
      founded_on: null,
      dissolved_on: dissolvedOn,
      min_members: seats.min,
      max_members: seats.max,
      source_url: row.source_url || null,
      source_note: row.source_note || null,
      body_kind: bodyKindOf(name),
      topics: topicsOf(row.name, row.bureau_or_program),
    });
    const common = { organization_key: key, division_key: null, created_on: null, abolished_on: dissolvedOn, term_limit: null };
    posts.push({
      ...common,
      key: 'member',
      label: 'Member',
      role: 'member',
      appointing_authority: appointer,
      selection_method: 'APPOINTED',
      max_holders: seats.members,
      term_length_months: term.months,
      term_limit: term.limit,
      takes_applications: status === 'ACTIVE',
      eligibility: eligibility(row.seats_quote),
    });
    if (seats.exOfficio > 0) {
      posts.push({
        ...common,
        key: 'ex-officio',
        label: 'Ex officio member',
        role: 'ex officio member',
        appointing_authority: null,
        selection_method: 'EX_OFFICIO',
        max_holders: seats.exOfficio,
        term_length_months: null,
        takes_applications: false,
        eligibility: null,
      });
    }
  }
  return { organizations, posts };
}
