/** Facts about Philadelphia that the raw files state only in prose; each one is cited in SOURCES.md. */
import type { JurisdictionRecord } from '../format.ts';

/** `extent` names the division kind whose union is the city (issue 13; no city-limits layer was sourced). */
export const JURISDICTION: JurisdictionRecord & { extent: { kind: string } } = {
  slug: 'philadelphia',
  name: 'City of Philadelphia',
  // The parent of every id in ocd_divisions.csv (…/place:philadelphia/council_district:N).
  ocdId: 'ocd-division/country:us/state:pa/place:philadelphia',
  timezone: 'America/New_York',
  // Neither FACTS.md nor SOURCES.md names site languages: English only until one is sourced.
  defaultLocale: 'en',
  locales: ['en'],
  extent: { kind: 'COUNCIL_DISTRICT' },
};

/** The City Council (FACTS.md "City Council"): 10 district members and 7 at large, 4-year terms. */
export const COUNCIL = {
  key: 'city-council',
  name: 'Philadelphia City Council',
  sourceUrl: 'http://philly.councilmatic.org/members/',
  atLargeSeats: 7,
  termLengthMonths: 48,
} as const;

/**
 * RCO registration (FACTS.md "Registration term"): two years, renewed in a June intake; terms are
 * taken to end on June 30 of the expiry year, so the first day no longer registered is July 1.
 */
export const RCO_REGISTRATION = {
  termMonths: 24,
  /** Registration opens once a year, in June (FACTS.md, "Registration term"): new registrations and renewals. */
  intakeMonth: 6,
  /** MM-DD of the first day after a term that ends in `expirationyear`. */
  expiresOn: '07-01',
  programUrl: 'https://www.phila.gov/programs/registered-community-organizations-rcos/',
  layerUrl: 'https://opendataphilly.org/datasets/registered-community-organizations-rco-boundaries/',
} as const;

export const SOURCE = {
  councilDistricts: 'City of Philadelphia, City Council Districts 2024 (OpenDataPhilly), rounded to 5 decimals',
  rcoAreas: 'City of Philadelphia PCPC, Registered Community Organizations (RCO) Boundaries, export of about 2025-10-01',
  neighborhoods: 'OpenDataPhilly "Philadelphia Neighborhoods" (Robert Cheetham / Azavea; CC BY 4.0); informal, not City boundaries',
} as const;

export function councilDistrictKey(district: number | string): string {
  return `council-district-${district}`;
}

export function rcoAreaKey(lniId: number | string): string {
  return `rco-area-${lniId}`;
}
