/**
 * The officials seated in January 2025 (council_members_2025.csv): the 12 councilors on the council's
 * district posts, and the Mayor and the Auditor on the posts of the citywide elected offices.
 * Public facts only (name, office, term, the City page saying so); never contact data.
 */
import type { MembershipRecord, OrganizationRecord, PersonRecord, PostRecord } from '../format.ts';
import { slugify } from '../slug.ts';
import { CITY_DIVISION_KEY, COUNCIL, ELECTED_OFFICES } from './constants.ts';
import type { CouncilMemberRow } from './raw.ts';

/** Calendar day after an ISO date (UTC), for half-open ends: a term "ending 2026-12-31" ends at 2027-01-01. */
export function dayAfter(iso: string): string {
  return new Date(Date.parse(`${iso}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
}

/** "Tiffany Koyama Lane" → "Koyama Lane, Tiffany": every name in the file is one given name, then the family name. */
export function sortNameOf(name: string): string {
  const [given, ...family] = name.split(' ');
  if (!given || family.length === 0) throw new Error(`council_members_2025.csv: cannot sort the name ${JSON.stringify(name)}`);
  return `${family.join(' ')}, ${given}`;
}

const TERM_SOURCE_URL = 'https://www.portland.gov/auditor/elections/city-office-candidacy';

/** Which post each office's row holds; an office the converter does not know stops it. */
function postOf(row: CouncilMemberRow): { organizationKey: string; postKey: string; role: string; title: string } {
  if (row.office === 'City Councilor' && /^[1-4]$/.test(row.district)) {
    return { organizationKey: COUNCIL.key, postKey: `district-${row.district}`, role: 'councilor', title: `Portland City Councilor for District ${row.district}` };
  }
  if (row.office === 'Mayor' && row.district === 'citywide') return { organizationKey: ELECTED_OFFICES.key, postKey: 'mayor', role: 'mayor', title: 'Mayor of Portland' };
  if (row.office === 'City Auditor' && row.district === 'citywide') return { organizationKey: ELECTED_OFFICES.key, postKey: 'auditor', role: 'auditor', title: 'Portland City Auditor' };
  throw new Error(`council_members_2025.csv: unrecognized office ${JSON.stringify(row.office)} for district ${JSON.stringify(row.district)}`);
}

/** The organization holding the Mayor's and the Auditor's posts (kind ELECTED_OFFICE; SOURCES.md says why). */
export function buildElectedOffices(): { organization: OrganizationRecord; posts: PostRecord[] } {
  const organization: OrganizationRecord = {
    key: ELECTED_OFFICES.key,
    kind: 'ELECTED_OFFICE',
    name: ELECTED_OFFICES.name,
    short_name: null,
    description:
      'The two offices elected by the whole city besides the Council: the Mayor (the executive; not a member of the Council, votes only to break a tie) and the City Auditor (independent). Not a deliberative body: it groups their posts.',
    website: null,
    status: 'ACTIVE',
    division_key: CITY_DIVISION_KEY,
    overseen_by: null,
    founded_on: null,
    dissolved_on: null,
    min_members: 2,
    max_members: 2,
    source_url: ELECTED_OFFICES.sourceUrl,
    source_note: 'City Charter Chapter 3 (https://www.portland.gov/charter/3/all-articles); terms from the Elections Office table.',
    body_kind: null,
    topics: [],
  };
  const post = (key: string, label: string, role: string): PostRecord => ({
    organization_key: ELECTED_OFFICES.key,
    key,
    label,
    role,
    division_key: CITY_DIVISION_KEY,
    appointing_authority: 'Voters of the City of Portland (ranked-choice election)',
    selection_method: 'ELECTED',
    max_holders: 1,
    term_length_months: 48,
    term_limit: null,
    takes_applications: false,
    eligibility: null,
    created_on: null,
    abolished_on: null,
  });
  return { organization, posts: [post('auditor', 'City Auditor', 'auditor'), post('mayor', 'Mayor', 'mayor')] };
}

export function buildOfficials(rows: readonly CouncilMemberRow[]): { people: PersonRecord[]; memberships: MembershipRecord[] } {
  const people: PersonRecord[] = [];
  const memberships: MembershipRecord[] = [];
  for (const row of rows) {
    const office = postOf(row);
    const key = slugify(row.name);
    const years = Number(row.term_length_years);
    if (!/^\d{4}-\d{2}-\d{2}$/.test(row.term_start) || !/^\d{4}-\d{2}-\d{2}$/.test(row.term_end_date) || !(years > 0)) {
      throw new Error(`council_members_2025.csv: ${row.name}: unrecognized term ${row.term_start} – ${row.term_end_date} (${row.term_length_years} years)`);
    }
    const initial = row.initial_short_term === 'true' ? `an initial ${years}-year term (City Charter §3-101)` : `a ${years}-year term`;
    people.push({
      key,
      name: row.name,
      sort_name: sortNameOf(row.name),
      public_bio: `${office.title}, in office from ${row.term_start} for ${initial} ending ${row.term_end_as_published}.`,
      source_url: row.office_url,
    });
    memberships.push({
      person_key: key,
      organization_key: office.organizationKey,
      post_key: office.postKey,
      role: office.role,
      start_date: row.term_start,
      end_date: null,
      // Half-open: the last day of the term is term_end_date, the successor's term starts the next day.
      scheduled_end_date: dayAfter(row.term_end_date),
      source_url: TERM_SOURCE_URL,
    });
  }
  return { people, memberships };
}
