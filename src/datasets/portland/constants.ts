/** Facts about Portland that the raw files state only in prose; each one is cited in SOURCES.md. */
import type { JurisdictionRecord } from '../format.ts';

export const JURISDICTION: JurisdictionRecord = {
  slug: 'portland',
  name: 'City of Portland',
  ocdId: 'ocd-division/country:us/state:or/place:portland',
  timezone: 'America/Los_Angeles',
  // The languages portland.gov is offered in (its language picker; SOURCES.md).
  defaultLocale: 'en',
  locales: ['en', 'es', 'vi', 'zh-Hans', 'ru', 'uk', 'ro', 'ne', 'chk', 'ja', 'ko', 'fil', 'lo', 'ar', 'km', 'so'],
  // The city's own boundary: the union of the four council districts (the city division has no geometry).
  extent: { kind: 'COUNCIL_DISTRICT' },
};

export const CITY_DIVISION_KEY = 'city';

/** The Independent District Commission "completed work August 21, 2023" (advisory_bodies.csv). */
export const COUNCIL_DISTRICTS_ADOPTED_ON = '2023-08-21';

/** The seven coalition service areas ended and the four district coalition offices began (district_coalitions.csv). */
export const DCO_MODEL_START = '2024-07-01';
export const DCO_MODEL_SOURCE_URL = 'https://www.portland.gov/civic/dco-model-updates';

/** The 12-member council elected by district (DOMAIN.md; https://www.portland.gov/council). */
export const COUNCIL = {
  key: 'city-council',
  name: 'Portland City Council',
  foundedOn: '2025-01-01',
  sourceUrl: 'https://www.portland.gov/council',
  seatsPerDistrict: 3,
  termLengthMonths: 48,
} as const;

/** The Mayor's and the Auditor's posts (council_members_2025.csv; City Charter Chapter 3). */
export const ELECTED_OFFICES = {
  key: 'citywide-elected-offices',
  name: 'Citywide elected offices',
  sourceUrl: 'https://www.portland.gov/charter/3/all-articles',
} as const;

export const VENTURE_PORTLAND = {
  key: 'venture-portland',
  name: 'Venture Portland',
  website: 'https://www.ventureportland.org/',
} as const;

export const BUSINESS_DISTRICTS_LAYER_URL =
  'https://www.portlandmaps.com/od/rest/services/COP_OpenData_Boundary/MapServer/11';

export const NEIGHBORHOOD_SOURCE = 'City of Portland Neighborhood Boundaries, March 2023';

export function councilDistrictKey(district: number | string): string {
  return `council-district-${district}`;
}
