/** New York's community boards, the City Council and the boards and commissions of advisory_bodies.csv, with their seats. */
import type { Topic } from '../format.ts';
import { slugify } from '../slug.ts';
import {
  BOARD,
  BOROUGHS,
  COUNCIL,
  DATASET_AS_OF,
  communityDistrictKey,
  councilDistrictKey,
  councilPostKey,
  councilPostRef,
} from './constants.ts';
import { splitBoroCd } from './divisions.ts';
import { disagreements, parseAreaShares, type CouncilShare } from './nominators.ts';
import type { CompositionRuleRecord, NycOrganization, NycPost } from './records.ts';
import type { AdvisoryBodyRow, BoardRow, NycRaw } from './raw.ts';

const EMPTY_ORG = {
  short_name: null,
  description: null,
  website: null,
  status: 'ACTIVE',
  division_key: null,
  overseen_by: null,
  founded_on: null,
  dissolved_on: null,
  min_members: null,
  max_members: null,
  source_url: null,
  source_note: null,
  body_kind: null,
  topics: [],
  // No roster of any body is in the data (raw/SOURCES.md, "Not found or not used").
  roster_status: 'NOT_RECORDED',
  roster_as_of: DATASET_AS_OF,
  registered_on: null,
  registration_expires_on: null,
} as const satisfies Partial<NycOrganization>;

const EMPTY_POST = {
  division_key: null,
  appointing_authority: null,
  term_length_months: null,
  term_limit: null,
  eligibility: null,
  created_on: null,
  abolished_on: null,
  voting: null,
  nominated_by: null,
  confirmed_by: null,
  alternate_for: null,
  term_anchor: null,
  stagger_classes: null,
  holdover_limit_months: null,
  term_limit_counting: null,
  min_age: null,
} as const satisfies Partial<NycPost>;

const percent = (share: number) => `${(share * 100).toFixed(1)} %`;

function checkWebsite(row: BoardRow): string | null {
  if (row.website === '') return null;
  if (!/^https?:\/\/[^\s/]+\.[^\s]+$/.test(row.website)) throw new Error(`community_boards.csv: ${row.board_name}: bad website ${row.website}`);
  return row.website;
}

/** "Fourth Tuesday, 6:00pm", "Third Monday (fourth Monday in January and February), 7:00pm": a day, then a time. */
export function checkMeetingTime(text: string): string {
  if (!/^(First|Second|Third|Fourth|4th|Last) (Monday|Tuesday|Wednesday|Thursday)\b[^,]*, \d{1,2}:\d{2} ?[ap]m$/i.test(text)) {
    throw new Error(`community_boards.csv: unrecognized full_board_meeting ${JSON.stringify(text)}`);
  }
  return text;
}

export function boardKey(row: Pick<BoardRow, 'board_name'>): string {
  return slugify(row.board_name);
}

/** The 59 community boards, each with its member, ex officio and district manager posts and its two composition rules. */
export function buildCommunityBoards(raw: NycRaw, shares: ReadonlyMap<string, readonly CouncilShare[]>, boroughSource: AdvisoryBodyRow) {
  const organizations: NycOrganization[] = [];
  const posts: NycPost[] = [];
  const rules: CompositionRuleRecord[] = [];
  const problems: string[] = [];
  for (const row of raw.boards) {
    const { borough, number } = splitBoroCd(Number(row.borocd));
    if (row.borough !== borough.name || Number(row.board_number) !== number || row.board_name !== `${borough.name} Community Board ${number}`) {
      throw new Error(`community_boards.csv: ${row.borocd} disagrees with its borough, number or name`);
    }
    const division = communityDistrictKey(borough, number);
    const covering = shares.get(division);
    if (!covering) throw new Error(`community_boards.csv: ${row.borocd} has no community district geometry`);
    problems.push(...disagreements(row.board_name, covering, parseAreaShares(row.council_district_area_shares)));
    if (covering[0]!.district !== Number(row.council_district_primary)) {
      problems.push(`${row.board_name}: primary council district ${covering[0]!.district}, the source says ${row.council_district_primary}`);
    }

    const key = boardKey(row);
    const appointer = `${borough.name} Borough President`;
    const districtList = covering.map((c) => `${c.district} (${percent(c.share)} of the area)`).join(', ');
    const meeting = checkMeetingTime(row.full_board_meeting);
    organizations.push({
      ...EMPTY_ORG,
      key,
      kind: 'COMMUNITY_BOARD',
      name: row.board_name,
      short_name: `${borough.name} CB ${number}`,
      description: [
        `The community board of ${borough.name} Community District ${number}: ${row.neighborhoods}.`,
        `Regular full-board meeting: ${meeting}, open to the public.`,
        `Up to ${BOARD.maxMembers} unpaid members appointed by the ${appointer}, at least half from nominees of the council members for districts ${districtList}; those council members also sit on the board without a vote.`,
        'A paid district manager, hired by the board, runs its office.',
      ].join(' '),
      website: checkWebsite(row),
      division_key: division,
      max_members: BOARD.maxMembers + covering.length,
      source_url: BOARD.openDataUrl,
      source_note: `NYC Open Data "NYC Community Boards" (ruf7-3wgc; neighborhoods, website, full-board meeting; export no later than 2025-06-29); DCP BoroCD ${row.borocd}; seats per City Charter §2800 (${BOARD.charterUrl}). Council districts computed from the DCP boundaries (area, not population).`,
    });

    const common = { organization_key: key, division_key: division };
    posts.push({
      ...EMPTY_POST,
      ...common,
      key: 'member',
      label: 'Member',
      role: 'member',
      appointing_authority: appointer,
      selection_method: 'APPOINTED',
      max_holders: BOARD.maxMembers,
      term_length_months: BOARD.termLengthMonths,
      term_limit: BOARD.termLimit,
      takes_applications: true,
      eligibility: `A residence, business, professional or other significant interest in ${borough.name} Community District ${number}`,
      voting: true,
      nominated_by: covering.map((c) => councilPostRef(c.district)).join(';'),
      term_anchor: BOARD.termAnchor,
      stagger_classes: BOARD.staggerClasses,
      holdover_limit_months: BOARD.holdoverLimitMonths,
      term_limit_counting: BOARD.termLimitCounting,
      min_age: BOARD.minAge,
    });
    for (const c of [...covering].sort((a, b) => a.district - b.district)) {
      posts.push({
        ...EMPTY_POST,
        organization_key: key,
        key: `council-member-district-${c.district}`,
        label: `Council Member, District ${c.district}`,
        role: 'ex officio member (non-voting)',
        division_key: councilDistrictKey(c.district),
        selection_method: 'EX_OFFICIO',
        max_holders: 1,
        takes_applications: false,
        eligibility: `Held by the City Council member for District ${c.district} (${councilPostRef(c.district)}) while in office`,
        voting: false,
      });
    }
    posts.push({
      ...EMPTY_POST,
      ...common,
      key: 'district-manager',
      label: 'District Manager',
      role: 'district manager (paid staff)',
      appointing_authority: `${row.board_name} (hires the district manager)`,
      selection_method: 'APPOINTED',
      max_holders: 1,
      takes_applications: false,
      eligibility: 'Salaried staff of the board, not a member: runs the board office, takes service complaints, works with City agencies',
      voting: false,
    });

    const source = `City Charter §2800 (${BOARD.charterUrl}); advisory_bodies.csv, ${boroughSource.name}: ${boroughSource.seats_quote}; ${boroughSource.appointing_authority}`;
    rules.push(
      {
        organization_key: key,
        code: 'council-nominees',
        rule: 'MIN_SHARE_NOMINATED',
        numerator: 1,
        denominator: 2,
        description: 'At least half of the appointed members come from nominees of the council members whose districts include part of the community district.',
        source,
      },
      {
        organization_key: key,
        code: 'city-employees',
        rule: 'MAX_SHARE_CITY_EMPLOYEES',
        numerator: 1,
        denominator: 4,
        description: 'At most 25 % of the appointed members may be employees of the City.',
        source: `City Charter §2800 (${BOARD.charterUrl}); advisory_bodies.csv, ${boroughSource.name}: ${boroughSource.source_note}`,
      },
    );
  }
  if (problems.length) throw new Error(`council districts of the community districts disagree with community_boards.csv:\n${problems.join('\n')}`);
  return { organizations, posts, rules };
}

/** The City Council: one elected seat per district; the posts the boards' `nominated_by` point to. */
export function buildCouncil(districts: readonly number[]) {
  const organization: NycOrganization = {
    ...EMPTY_ORG,
    key: COUNCIL.key,
    kind: 'COUNCIL',
    name: COUNCIL.name,
    description: `${districts.length} members, one per council district, normally elected for four-year terms (two-year terms after every second census, so new lines apply sooner) and limited to two consecutive terms. Each member nominates members of the community boards their district overlaps and sits on those boards without a vote.`,
    min_members: districts.length,
    max_members: districts.length,
    source_url: COUNCIL.sourceUrl,
    source_note: 'raw/FACTS.md, "City Council" (Wikipedia; Queens Chronicle 2022-11-03).',
  };
  const posts = districts.map(
    (n): NycPost => ({
      ...EMPTY_POST,
      organization_key: COUNCIL.key,
      key: councilPostKey(n),
      label: `District ${n}`,
      role: 'council member',
      division_key: councilDistrictKey(n),
      appointing_authority: `Voters of District ${n}`,
      selection_method: 'ELECTED',
      max_holders: 1,
      term_length_months: COUNCIL.termLengthMonths,
      term_limit: COUNCIL.termLimit,
      takes_applications: false,
      voting: true,
      term_limit_counting: 'CONSECUTIVE_TERMS',
    }),
  );
  return { organization, posts };
}

interface SeatGroup {
  key: string;
  label: string;
  appointer: string;
  holders: number;
  termMonths: number | null;
  eligibility?: string;
}

interface BodySpec {
  /** The row's `name` and `seats`, checked verbatim: a changed row must be read again by a person. */
  name: string;
  seats: string;
  key: string;
  shortName: string;
  bodyKind: 'BOARD' | 'COMMISSION';
  topics: Topic[];
  overseenBy: string | null;
  seatsGroups: SeatGroup[];
}

const CPC_TERM = 60;
const CCRB_TERM = 36;

/**
 * The three boards and commissions of advisory_bodies.csv (its first row, the community boards, is
 * the 59 boards above). Their seats are split by appointing authority as the rows state them.
 */
export const BODIES: BodySpec[] = [
  {
    name: 'City Planning Commission (CPC)',
    seats: '13',
    key: 'city-planning-commission',
    shortName: 'CPC',
    bodyKind: 'COMMISSION',
    topics: ['LAND_USE_PLANNING'],
    overseenBy: 'Department of City Planning',
    seatsGroups: [
      { key: 'chair', label: 'Chair (Director of City Planning)', appointer: 'Mayor', holders: 1, termMonths: null, eligibility: "Serves at the Mayor's pleasure" },
      { key: 'mayoral', label: 'Mayoral appointee', appointer: 'Mayor', holders: 6, termMonths: CPC_TERM },
      ...BOROUGHS.map((b) => ({
        key: `borough-president-${slugify(b.name)}`,
        label: `${b.name} Borough President's appointee`,
        appointer: `${b.name} Borough President`,
        holders: 1,
        termMonths: CPC_TERM,
      })),
      { key: 'public-advocate', label: "Public Advocate's appointee", appointer: 'Public Advocate', holders: 1, termMonths: CPC_TERM },
    ],
  },
  {
    name: 'Civilian Complaint Review Board (CCRB)',
    seats: '15',
    key: 'civilian-complaint-review-board',
    shortName: 'CCRB',
    bodyKind: 'BOARD',
    topics: ['PUBLIC_SAFETY'],
    overseenBy: null,
    seatsGroups: [
      { key: 'chair', label: 'Chair', appointer: 'Mayor and City Council jointly', holders: 1, termMonths: CCRB_TERM },
      { key: 'mayoral', label: 'Mayoral appointee', appointer: 'Mayor', holders: 5, termMonths: CCRB_TERM },
      { key: 'council', label: 'City Council appointee', appointer: 'City Council', holders: 5, termMonths: CCRB_TERM },
      { key: 'police-commissioner', label: "Police Commissioner's designee", appointer: 'Police Commissioner', holders: 3, termMonths: CCRB_TERM },
      { key: 'public-advocate', label: "Public Advocate's appointee", appointer: 'Public Advocate', holders: 1, termMonths: CCRB_TERM },
    ],
  },
  {
    name: 'Landmarks Preservation Commission (LPC)',
    seats: '11',
    key: 'landmarks-preservation-commission',
    shortName: 'LPC',
    bodyKind: 'COMMISSION',
    topics: ['HISTORIC_PRESERVATION'],
    overseenBy: null,
    seatsGroups: [
      {
        key: 'member',
        label: 'Commissioner',
        appointer: 'Mayor',
        holders: 11,
        termMonths: 36,
        eligibility: 'Includes three architects, one historian, one city planner or landscape architect, one realtor, and one resident of each of the five boroughs',
      },
    ],
  },
];

export const COMMUNITY_BOARDS_ROW = 'Community boards (59; one per community district)';

export function buildAdvisoryBodies(rows: readonly AdvisoryBodyRow[]) {
  const organizations: NycOrganization[] = [];
  const posts: NycPost[] = [];
  const byName = new Map(rows.map((r) => [r.name, r]));
  const boards = byName.get(COMMUNITY_BOARDS_ROW);
  if (!boards || !boards.seats_quote.includes('not more than fifty persons appointed by the borough president')) {
    throw new Error(`advisory_bodies.csv: no row "${COMMUNITY_BOARDS_ROW}" quoting the Charter's fifty members`);
  }
  byName.delete(COMMUNITY_BOARDS_ROW);
  for (const spec of BODIES) {
    const row = byName.get(spec.name);
    if (!row) throw new Error(`advisory_bodies.csv: no row named ${spec.name}`);
    if (row.seats !== spec.seats) throw new Error(`advisory_bodies.csv: ${spec.name} has seats ${row.seats}, not ${spec.seats}: read the row again`);
    byName.delete(spec.name);
    const total = spec.seatsGroups.reduce((sum, g) => sum + g.holders, 0);
    if (total !== Number(spec.seats)) throw new Error(`${spec.name}: seat groups hold ${total}, not ${spec.seats}`);
    organizations.push({
      ...EMPTY_ORG,
      key: spec.key,
      kind: 'ADVISORY_BODY',
      name: spec.name.replace(/\s*\([A-Z]+\)$/, ''),
      short_name: spec.shortName,
      description: [
        `Legal basis: ${row.legal_basis}.`,
        `Seats as quoted by the source: ${row.seats_quote}.`,
        `Term: ${row.term}.`,
        `Appointed by: ${row.appointing_authority}.`,
      ].join(' '),
      overseen_by: spec.overseenBy,
      min_members: total,
      max_members: total,
      source_url: row.source_url,
      source_note: [`Status in the source: ${row.status}.`, row.source_note].join(' '),
      body_kind: spec.bodyKind,
      topics: spec.topics,
    });
    for (const g of spec.seatsGroups) {
      posts.push({
        ...EMPTY_POST,
        organization_key: spec.key,
        key: g.key,
        label: g.label,
        role: 'member',
        appointing_authority: g.appointer,
        selection_method: 'APPOINTED',
        max_holders: g.holders,
        term_length_months: g.termMonths,
        // No public application process is in the data for these bodies.
        takes_applications: false,
        eligibility: g.eligibility ?? null,
        voting: true,
      });
    }
  }
  if (byName.size > 0) throw new Error(`advisory_bodies.csv: rows the converter does not know: ${[...byName.keys()].join(', ')}`);
  return { organizations, posts, boardsRow: boards };
}
