/** Portland associations, coalitions, business districts and the council, with their links and seats. */
import type { LinkRecord, OrganizationRecord, PostRecord } from '../format.ts';
import { slugify } from '../slug.ts';
import {
  BUSINESS_DISTRICTS_LAYER_URL,
  CITY_DIVISION_KEY,
  COUNCIL,
  DCO_MODEL_SOURCE_URL,
  DCO_MODEL_START,
  NEIGHBORHOOD_SOURCE,
  VENTURE_PORTLAND,
  councilDistrictKey,
} from './constants.ts';
import { isUnclaimed, neighborhoodKey } from './divisions.ts';
import type { CoalitionRow, PortlandRaw } from './raw.ts';

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
} as const satisfies Partial<OrganizationRecord>;

export const DCO_LINK_NOTE = 'computed overlay: primary council district by area; not an official assignment';

/** "BUCKMAN COMMUNITY ASSOCIATION" → "Buckman Community Association" (small words stay lower case). */
export function titleCase(upper: string): string {
  const small = new Set(['of', 'and', 'the', 'for', 'in']);
  return upper
    .toLowerCase()
    .split(' ')
    .map((word, i) =>
      i > 0 && small.has(word) ? word : word.replace(/(^|[-/])([a-z])/g, (_, sep: string, c: string) => sep + c.toUpperCase()),
    )
    .join(' ');
}

function dcoKey(district: string): string {
  return `district-${district}-coalition`;
}

/** The 2023 coalition service areas (rows with neighborhoods in the 2023 GIS) and the 2024 offices. */
export function buildCoalitions(raw: PortlandRaw): OrganizationRecord[] {
  const current = raw.coalitions.filter((c) => Number(c.neighborhoods_in_2023_gis) > 0);
  const predecessors = raw.coalitions.filter((c) => Number(c.neighborhoods_in_2023_gis) === 0);
  const succeededBy = new Map<string, CoalitionRow>();
  for (const old of predecessors) {
    // The only 0-neighborhood row (SWNI) says which code replaced it; anything else is unexpected data.
    const successor = /Replaced by ([A-Z]+) in the 2023 data/.exec(old.notes)?.[1];
    if (!successor) throw new Error(`district_coalitions.csv: ${old.code} has no 2023 neighborhoods and no successor`);
    succeededBy.set(successor, old);
  }

  const serviceAreas = current.map((c): OrganizationRecord => {
    const [sourceUrl, ...otherSources] = c.sources.split(' ; ');
    const predecessor = succeededBy.get(c.code);
    const description = [
      `District coalition service area until ${DCO_MODEL_START}, when the City moved to four district coalition offices.`,
      predecessor ? `Succeeded ${predecessor.name} (${predecessor.code}, its code in the 2020 GIS data).` : '',
      c.address_as_listed ? `Office address as listed: ${c.address_as_listed}.` : '',
    ];
    return {
      ...EMPTY_ORG,
      key: slugify(c.code),
      kind: 'DISTRICT_COALITION',
      name: c.name,
      short_name: c.code,
      description: description.filter(Boolean).join(' '),
      status: 'DISSOLVED',
      dissolved_on: DCO_MODEL_START,
      source_url: sourceUrl ?? null,
      source_note: [c.notes, otherSources.length ? `Also: ${otherSources.join(' ; ')}` : ''].filter(Boolean).join(' '),
    };
  });

  const offices = raw.coalitions
    .filter((c) => c.dco_district_2024 !== '')
    .map(
      (c): OrganizationRecord => ({
        ...EMPTY_ORG,
        key: dcoKey(c.dco_district_2024),
        kind: 'DISTRICT_COALITION',
        name: `District ${c.dco_district_2024} Coalition (${c.code})`,
        description: `District coalition office for council district ${c.dco_district_2024} since ${DCO_MODEL_START}, run by ${c.name} (${c.code}).`,
        division_key: councilDistrictKey(c.dco_district_2024),
        founded_on: DCO_MODEL_START,
        source_url: DCO_MODEL_SOURCE_URL,
        source_note: `"District ${c.dco_district_2024} (${c.code})" in the City's 2024 district coalition office model.`,
      }),
    );
  return [...serviceAreas, ...offices];
}

/** The 94 recognized associations (unclaimed areas have none) and their two dated coalition links each. */
export function buildNeighborhoodAssociations(raw: PortlandRaw, coalitionKeys: ReadonlySet<string>) {
  const organizations: OrganizationRecord[] = [];
  const links: LinkRecord[] = [];
  for (const row of raw.associations) {
    if (isUnclaimed(row)) continue;
    const key = slugify(row.name);
    const oldName = row.association_name_2020;
    organizations.push({
      ...EMPTY_ORG,
      key,
      kind: 'NEIGHBORHOOD_ASSOCIATION',
      name: row.name,
      description:
        oldName && oldName !== row.name_upper
          ? `Listed as "${titleCase(oldName)}" in the City's 2020 neighborhood layer.`
          : null,
      division_key: neighborhoodKey(row),
      source_note: `${NEIGHBORHOOD_SOURCE} (neighborhood ID ${row.neighborhood_id}).`,
    });

    const coalition = slugify(row.coalition_code_2023);
    const office = dcoKey(row.council_district_primary);
    for (const parent of [coalition, office]) {
      if (!coalitionKeys.has(parent)) throw new Error(`neighborhood_associations.csv: ${row.name}: no coalition ${parent}`);
    }
    links.push(
      {
        member_key: key,
        parent_key: coalition,
        kind: 'DISTRICT_COALITION',
        start_date: null,
        end_date: DCO_MODEL_START,
        note: `coalition code ${row.coalition_code_2023} in the ${NEIGHBORHOOD_SOURCE} layer`,
      },
      {
        member_key: key,
        parent_key: office,
        kind: 'DISTRICT_COALITION',
        start_date: DCO_MODEL_START,
        end_date: null,
        note: DCO_LINK_NOTE,
      },
    );
  }
  return { organizations, links };
}

/**
 * Business district associations plus Venture Portland and its member links. A business district
 * whose slug is taken by a neighborhood association (for example "Woodlawn") gets a suffix.
 */
export function buildBusinessDistricts(raw: PortlandRaw, takenSlugs: ReadonlySet<string>) {
  const organizations: OrganizationRecord[] = [
    {
      ...EMPTY_ORG,
      key: VENTURE_PORTLAND.key,
      kind: 'NETWORK',
      name: VENTURE_PORTLAND.name,
      description: "Umbrella organization of Portland's business district associations.",
      website: VENTURE_PORTLAND.website,
      source_url: VENTURE_PORTLAND.website,
    },
  ];
  const links: LinkRecord[] = [];
  for (const row of raw.businessDistricts) {
    let key = slugify(row.name);
    if (takenSlugs.has(key)) key = `${key}-business-district`;
    if (!['true', 'false'].includes(row.venture_portland_member)) {
      throw new Error(`business_districts.csv: ${row.name}: venture_portland_member is ${row.venture_portland_member}`);
    }
    organizations.push({
      ...EMPTY_ORG,
      key,
      kind: 'BUSINESS_DISTRICT_ASSOCIATION',
      name: row.name,
      website: row.website || null,
      source_url: BUSINESS_DISTRICTS_LAYER_URL,
      source_note: `City business-districts layer, attributes transcribed (source order ${row.source_order}); no boundary.`,
    });
    if (row.venture_portland_member === 'true') {
      links.push({
        member_key: key,
        parent_key: VENTURE_PORTLAND.key,
        kind: 'NETWORK',
        start_date: null,
        end_date: null,
        note: 'Venture Portland member as coded in the City business-districts layer',
      });
    }
  }
  return { organizations, links };
}

/** The council since January 2025: one multi-member seat (3 holders) per council district. */
export function buildCouncil(districts: readonly number[]) {
  const organization: OrganizationRecord = {
    ...EMPTY_ORG,
    key: COUNCIL.key,
    kind: 'COUNCIL',
    name: COUNCIL.name,
    description: `${districts.length * COUNCIL.seatsPerDistrict} members, ${COUNCIL.seatsPerDistrict} per council district, elected by ranked-choice voting for 4-year terms.`,
    division_key: CITY_DIVISION_KEY,
    founded_on: COUNCIL.foundedOn,
    min_members: districts.length * COUNCIL.seatsPerDistrict,
    max_members: districts.length * COUNCIL.seatsPerDistrict,
    source_url: COUNCIL.sourceUrl,
  };
  const posts = districts.map(
    (n): PostRecord => ({
      organization_key: COUNCIL.key,
      key: `district-${n}`,
      label: `District ${n}`,
      role: 'councilor',
      division_key: councilDistrictKey(n),
      appointing_authority: `Voters of District ${n} (ranked-choice election)`,
      selection_method: 'ELECTED',
      max_holders: COUNCIL.seatsPerDistrict,
      term_length_months: COUNCIL.termLengthMonths,
      term_limit: null,
      takes_applications: false,
      eligibility: null,
      created_on: COUNCIL.foundedOn,
      abolished_on: null,
    }),
  );
  return { organization, posts };
}
