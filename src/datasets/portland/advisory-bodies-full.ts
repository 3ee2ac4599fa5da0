/**
 * The advisory bodies of advisory_bodies_full.csv (67 rows) that advisory_bodies.csv does not already
 * describe (11 of them; those keep their rows from advisory-bodies.ts). Free-text columns are read by
 * the explicit rules below; wording no rule reads is kept in the description, never guessed.
 */
import type { BodyKind, OrganizationRecord, OrganizationStatus, PostRecord } from '../format.ts';
import { slugify } from '../slug.ts';
import { topicsOf } from './advisory-bodies.ts';
import type { AdvisoryBodyFullRow } from './raw.ts';

const WORDS: Record<string, number> = { a: 1, an: 1, one: 1, two: 2, three: 3, four: 4, five: 5, six: 6 };
const num = (w: string): number => (/^\d+$/.test(w) ? Number(w) : WORDS[w.toLowerCase()]!);

/** The 2 of the 11 bodies of advisory_bodies.csv whose names differ in advisory_bodies_full.csv (raw SOURCES.md §9). */
export const SAME_BODY: Record<string, string> = {
  'Salary Commission': 'salary-commission-for-elected-officials',
  'Portland Clean Energy Community Benefits Fund Committee (PCEF Committee)': 'portland-clean-energy-fund-grant-committee',
};

export interface FullSeats {
  min: number | null;
  max: number | null;
  members: number | null;
  alternates: number;
  exOfficio: number;
}

/**
 * "7" → 7; "10-20 (…)" or "11 to 15" → 10 to 20; "3 members and 3 alternates" / "…an alternate for
 * each" → 3 and 3 alternates; "11 voting members and 3 non-voting ex officio members" → 11 + 3;
 * "up to 24" / "no more than 20 (…)" → at most 24; "5 (…)" / "25 voting members" → 5; empty → unknown.
 */
export function parseFullSeats(text: string): FullSeats {
  const none = { alternates: 0, exOfficio: 0 };
  if (text === '') return { min: null, max: null, members: null, ...none };
  let m = /^(\d+)(?:-| to )(\d+)\b/.exec(text);
  if (m) return { min: Number(m[1]), max: Number(m[2]), members: Number(m[2]), ...none };
  m = /^(\d+) members and (\d+|an?|one|three) alternates?( for each)?\b/.exec(text);
  if (m) {
    const members = Number(m[1]);
    const alternates = m[3] ? members : num(m[2]!);
    return { min: members, max: members, members, alternates, exOfficio: 0 };
  }
  m = /^(\d+) voting members and (\d+) non-voting ex officio members$/.exec(text);
  if (m) {
    const total = Number(m[1]) + Number(m[2]);
    return { min: total, max: total, members: Number(m[1]), alternates: 0, exOfficio: Number(m[2]) };
  }
  m = /^(?:up to|no more than) (\d+)\b/.exec(text);
  if (m) return { min: null, max: Number(m[1]), members: Number(m[1]), ...none };
  m = /^(\d+)(?: voting members| appointed)?(?: \(|;|$)/.exec(text);
  if (m) return { min: Number(m[1]), max: Number(m[1]), members: Number(m[1]), ...none };
  throw new Error(`advisory_bodies_full.csv: unrecognized seats value ${JSON.stringify(text)}`);
}

/** "maximum 4 years", "staggered three-year terms", "two years (…)" → months; anything else unknown (null). */
export function parseFullTerm(text: string): number | null {
  const m = /^(?:maximum |staggered )?(\d+|one|two|three|four|five)[- ]years?(?: terms?)?(?: \([^)]*\))?$/.exec(text);
  return m ? num(m[1]!) * 12 : null;
}

/** "maximum of two full terms", "no more than two … terms", "one additional …term" → 2; others unknown. */
export function parseFullTermLimit(text: string): number | null {
  if (/^(?:maximum of|no more than) two\b.*\bterms?\b/.test(text)) return 2;
  if (/\bmaximum of two consecutive terms\b/.test(text)) return 2;
  if (/^(?:eligible to renew for )?one additional\b.*\bterm\b/.test(text)) return 2;
  return null;
}

const dayAfter = (iso: string) => new Date(Date.parse(`${iso}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);

/**
 * ACTIVE: "active…", "recruiting…", "appointed in 2025…", "applications taken…". DISSOLVED: "completed
 * (DATE)" (on DATE), "completed (A to B)" (the day after B), "completed (…)", "dissolved…", "replaced:
 * since DATE" (on DATE). INACTIVE: superseded, being replaced, duties redirected, repealed, project-
 * limited, "met … 2019-2021". Empty: ACTIVE when a legal basis (code, charter, measure) is cited,
 * INACTIVE otherwise. Anything else stops the converter.
 */
export function parseFullStatus(text: string, legalBasis: string): { status: OrganizationStatus; dissolvedOn: string | null } {
  if (text === '') return { status: legalBasis ? 'ACTIVE' : 'INACTIVE', dissolvedOn: null };
  if (/^(active|recruiting|appointed in 2025|applications taken)\b/.test(text)) return { status: 'ACTIVE', dissolvedOn: null };
  let m = /^completed \((\d{4}-\d{2}-\d{2})\)$/.exec(text);
  if (m) return { status: 'DISSOLVED', dissolvedOn: m[1]! };
  m = /^completed \(\d{4}-\d{2}-\d{2} to (\d{4}-\d{2}-\d{2})\)$/.exec(text);
  if (m) return { status: 'DISSOLVED', dissolvedOn: dayAfter(m[1]!) };
  if (/^completed \(/.test(text) || /^dissolved\b/.test(text)) return { status: 'DISSOLVED', dissolvedOn: null };
  m = /^replaced: since (\d{4}-\d{2}-\d{2})\b/.exec(text);
  if (m) return { status: 'DISSOLVED', dissolvedOn: m[1]! };
  if (/^(superseded|being replaced|duties redirected|code chapter repealed|project-limited|met monthly \d{4}-\d{4})\b/.test(text)) {
    return { status: 'INACTIVE', dissolvedOn: null };
  }
  throw new Error(`advisory_bodies_full.csv: unrecognized status ${JSON.stringify(text)}`);
}

/** The file's own `kind` column: committee, commission, board, or "other (…)". */
export function fullBodyKind(kind: string): BodyKind {
  const kinds: Record<string, BodyKind> = { committee: 'COMMITTEE', commission: 'COMMISSION', board: 'BOARD' };
  if (kinds[kind]) return kinds[kind];
  if (/^other \([a-z]+\)$/.test(kind)) return 'OTHER';
  throw new Error(`advisory_bodies_full.csv: unrecognized kind ${JSON.stringify(kind)}`);
}

/** "Technology Oversight Committee (TOC)" → name without the acronym and short name TOC; any other parenthesis stays in the name. */
function nameOf(text: string): { name: string; shortName: string | null } {
  const m = /^(.*\S)\s*\(([A-Z]{2,})\)$/.exec(text);
  return m ? { name: m[1]!, shortName: m[2]! } : { name: text, shortName: null };
}

export function keyOfFullRow(row: AdvisoryBodyFullRow): string {
  return SAME_BODY[row.name] ?? slugify(nameOf(row.name).name.replace(/\s*\([A-Z]{2,}\)/g, ''));
}

/** A body "takes applications" only if ACTIVE with a status dated 2024 or later: older recruitment notices are not current. */
function recentlyActive(status: OrganizationStatus, asOf: string): boolean {
  return status === 'ACTIVE' && /^(\d{4})/.test(asOf) && Number(asOf.slice(0, 4)) >= 2024;
}

export function buildFullAdvisoryBodies(rows: readonly AdvisoryBodyFullRow[], existingKeys: ReadonlySet<string>) {
  const organizations: OrganizationRecord[] = [];
  const posts: PostRecord[] = [];
  const matched = new Set<string>();
  for (const row of rows) {
    const key = keyOfFullRow(row);
    if (existingKeys.has(key)) {
      matched.add(key);
      continue;
    }
    const { name, shortName } = nameOf(row.name);
    const seats = parseFullSeats(row.seats);
    const { status, dissolvedOn } = parseFullStatus(row.status, row.legal_basis);
    const asOf = row.status_as_of ? ` (as of ${row.status_as_of})` : '';
    const description = [
      row.seats ? `Seats in the source: ${row.seats}.` : 'Seat count not in the source.',
      row.term_length ? `Term: ${row.term_length}.` : '',
      row.term_limit ? `Term limit: ${row.term_limit}.` : '',
      row.appointing_authority ? `Appointed: ${row.appointing_authority}.` : '',
      row.status ? `Status in the source${asOf}: ${row.status}.` : 'Status not in the source.',
      row.legal_basis ? `Legal basis: ${row.legal_basis}.` : '',
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
      overseen_by: row.bureau_or_office || null,
      founded_on: null,
      dissolved_on: dissolvedOn,
      min_members: seats.min,
      max_members: seats.max,
      source_url: row.source_url || null,
      source_note: [row.notes, row.additional_source_urls ? `Also: ${row.additional_source_urls}` : ''].filter(Boolean).join(' ') || null,
      body_kind: fullBodyKind(row.kind),
      topics: topicsOf(row.name, row.bureau_or_office),
    });
    if (seats.members === null) continue; // no seat count in the source: no posts rather than made-up ones
    const common = { organization_key: key, division_key: null, created_on: null, abolished_on: dissolvedOn, eligibility: null };
    posts.push({
      ...common,
      key: 'member',
      label: 'Member',
      role: 'member',
      appointing_authority: row.appointing_authority || null,
      selection_method: 'APPOINTED',
      max_holders: seats.members,
      term_length_months: parseFullTerm(row.term_length),
      term_limit: parseFullTermLimit(row.term_limit),
      takes_applications: recentlyActive(status, row.status_as_of),
    });
    if (seats.alternates > 0) {
      posts.push({
        ...common,
        key: 'alternate',
        label: 'Alternate',
        role: 'alternate',
        appointing_authority: row.appointing_authority || null,
        selection_method: 'APPOINTED',
        max_holders: seats.alternates,
        term_length_months: parseFullTerm(row.term_length),
        term_limit: parseFullTermLimit(row.term_limit),
        takes_applications: false,
      });
    }
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
        term_limit: null,
        takes_applications: false,
      });
    }
  }
  const unmatched = [...existingKeys].filter((k) => !matched.has(k));
  if (unmatched.length) throw new Error(`advisory_bodies_full.csv: no row for the advisory_bodies.csv bodies ${unmatched.join(', ')}`);
  return { organizations, posts };
}
