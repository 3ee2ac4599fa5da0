/** Facts about New York City that the raw files state only in prose; each one is cited in SOURCES.md. */
import type { NycJurisdiction } from './records.ts';

/** The city's OCD id: the prefix every council district id of ocd_divisions.csv shares (checked by the converter). */
export const PLACE_OCD_ID = 'ocd-division/country:us/state:ny/place:new_york';

export const JURISDICTION: NycJurisdiction = {
  slug: 'nyc',
  name: 'City of New York',
  ocdId: PLACE_OCD_ID,
  timezone: 'America/New_York',
  // No site languages are sourced in raw/ (Local Law 30's list is not there): English only.
  defaultLocale: 'en',
  locales: ['en'],
  // The five boroughs together are the city (raw/FACTS.md, "Districts"); there is no city-limits layer.
  extent: { kind: 'BOROUGH' },
};

/** The date this dataset's facts were compiled (raw/SOURCES.md, "added 2026-12-07"): rosters were not recorded then. */
export const DATASET_AS_OF = '2026-12-07';

/** DCP borough codes (raw/SOURCES.md, file 1): BoroCD = code × 100 + district number. */
export const BOROUGHS = [
  { code: 1, name: 'Manhattan', segment: 'manhattan' },
  { code: 2, name: 'Bronx', segment: 'bronx' },
  { code: 3, name: 'Brooklyn', segment: 'brooklyn' },
  { code: 4, name: 'Queens', segment: 'queens' },
  { code: 5, name: 'Staten Island', segment: 'staten_island' },
] as const;
export type Borough = (typeof BOROUGHS)[number];

export function boroughOf(code: number): Borough {
  const borough = BOROUGHS.find((b) => b.code === code);
  if (!borough) throw new Error(`unknown borough code ${code}`);
  return borough;
}

/** The highest community district number (raw/SOURCES.md: "filter on BoroCD % 100 <= 18"); above it, a joint interest area. */
export const MAX_COMMUNITY_DISTRICT_NUMBER = 18;

export const boroughKey = (b: Borough) => `borough-${b.segment.replaceAll('_', '-')}`;
export const communityDistrictKey = (b: Borough, n: number) => `community-district-${b.segment.replaceAll('_', '-')}-${n}`;
export const jointInterestAreaKey = (b: Borough, n: number) => `joint-interest-area-${b.segment.replaceAll('_', '-')}-${n}`;
export const councilDistrictKey = (n: number) => `council-district-${n}`;

/** The City Council: 51 single-member districts, 4-year terms, two consecutive terms (raw/FACTS.md, "City Council"). */
export const COUNCIL = {
  key: 'city-council',
  name: 'New York City Council',
  districts: 51,
  termLengthMonths: 48,
  termLimit: 2,
  sourceUrl: 'https://en.m.wikipedia.org/wiki/New_York_City_Council',
} as const;

export const councilPostKey = (n: number) => `district-${n}`;
export const councilPostRef = (n: number) => `post:${COUNCIL.key}/${councilPostKey(n)}`;

/** Community boards under City Charter §2800 (raw/FACTS.md, "Boards: composition and terms"). */
export const BOARD = {
  maxMembers: 50,
  termLengthMonths: 24,
  termAnchor: '04-01',
  staggerClasses: 2,
  termLimit: 4,
  termLimitCounting: 'CONSECUTIVE_TERMS',
  /** "A member may stay on up to 60 days after the term ends": the column is in months, so 2. */
  holdoverLimitMonths: 2,
  /** Not in raw/FACTS.md: Charter §2800(a) as amended for 16- and 17-year-old members; see SOURCES.md. */
  minAge: 16,
  charterUrl: 'https://nyccharter.readthedocs.io/c70/index.html',
  openDataUrl: 'https://data.cityofnewyork.us/City-Government/NYC-Community-Boards/ruf7-3wgc',
} as const;

/**
 * A council district nominates to a community board when it covers at least this share of the
 * community district's area: the threshold of the source's own overlay (raw/SOURCES.md, file 4,
 * "listing shares of at least 0.5 %") and of the importer's division_overlaps (MIN_SHARE).
 */
export const MIN_NOMINATOR_SHARE = 0.005;
