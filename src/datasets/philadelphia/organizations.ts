/** Philadelphia's registered community organizations and its City Council, with the council's seats. */
import { slugify } from '../slug.ts';
import { COUNCIL, RCO_REGISTRATION, councilDistrictKey, rcoAreaKey } from './constants.ts';
import { NO_SEAT_RULES, type Organization, type Post } from './contract.ts';
import type { PhiladelphiaRaw, RawFeature, RcoProps, RcoRow } from './raw.ts';

export const EMPTY_ORG = {
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
  roster_status: null,
  roster_as_of: null,
  registered_on: null,
  registration_expires_on: null,
} as const satisfies Partial<Organization>;

/** The City's `org_type` values (SOURCES.md §1, FACTS.md "Who can register"), in words. */
export const RCO_TYPES: Record<string, string> = {
  Ward: 'ward committee of a political party',
  SSD: 'Special Services District',
  NID: 'Neighborhood Improvement District',
  Other: 'community organization (civic association, CDC or similar; the City\'s type "Other")',
};

export function rcoTypeDescription(orgType: string, curatedLabel: string): string {
  if (orgType === '') {
    if (!curatedLabel) throw new Error('rcos.csv: an RCO has neither a City type nor a curated label');
    return `RCO type: not given by the City (the volunteer map acouch/philly-rco-map classifies it as "${curatedLabel}").`;
  }
  const words = RCO_TYPES[orgType];
  if (!words) throw new Error(`rcos.csv: unrecognized org_type ${JSON.stringify(orgType)}`);
  return `RCO type: ${words}.`;
}

/**
 * The City's `websites` value, given a scheme where it has none ("www.fishtown.org" →
 * "https://www.fishtown.org"); acouch's curated website where the City gives none.
 */
export function rcoWebsite(row: Pick<RcoRow, 'website' | 'website_curated' | 'organization_name'>): string | null {
  const raw = row.website || row.website_curated;
  if (!raw) return null;
  const url = /^https?:\/\//i.test(raw) ? raw : `https://${raw}`;
  if (/\s/.test(url) || !URL.canParse(url)) throw new Error(`rcos.csv: ${row.organization_name}: website ${JSON.stringify(raw)} is not a URL`);
  return url;
}

/** The first day no longer registered: July 1 of the expiry year (terms end June 30; FACTS.md). */
export function registrationExpiresOn(expirationYear: string): string {
  if (!/^20\d\d$/.test(expirationYear)) throw new Error(`rcos.csv: bad expiration_year ${JSON.stringify(expirationYear)}`);
  return `${expirationYear}-${RCO_REGISTRATION.expiresOn}`;
}

/** July 1, two years before the expiry year: the start of the two-year term ending June 30 of that year. */
export function currentTermStart(expirationYear: string): string {
  return `${Number(expirationYear) - RCO_REGISTRATION.termMonths / 12}-${RCO_REGISTRATION.expiresOn}`;
}

/** The CSV row and the GeoJSON feature must agree on what both carry; anything else is a stale copy. */
function crossCheck(row: RcoRow, feature: RawFeature<RcoProps>): void {
  const p = feature.properties;
  const disagree = (field: string, a: unknown, b: unknown) => {
    throw new Error(`rcos.csv lni_id ${row.lni_id}: ${field} ${JSON.stringify(a)} disagrees with rco_boundaries.geojson ${JSON.stringify(b)}`);
  };
  if (row.organization_name !== p.organization_name) disagree('organization_name', row.organization_name, p.organization_name);
  if (row.org_type !== (p.org_type ?? '')) disagree('org_type', row.org_type, p.org_type);
  if (row.expiration_year !== String(p.expirationyear)) disagree('expiration_year', row.expiration_year, p.expirationyear);
  if (row.effective_date !== (p.effective_date?.slice(0, 10) ?? '')) disagree('effective_date', row.effective_date, p.effective_date);
  if (row.website !== (p.websites?.trim() ?? '')) disagree('website', row.website, p.websites);
}

export function buildRcos(raw: PhiladelphiaRaw): Organization[] {
  const features = new Map(raw.rcoBoundaries.map((f) => [String(f.properties.lni_id), f]));
  if (features.size !== raw.rcoBoundaries.length) throw new Error('rco_boundaries.geojson: duplicate lni_id');
  const organizations = raw.rcos.map((row): Organization => {
    const feature = features.get(row.lni_id);
    if (!feature) throw new Error(`rcos.csv: lni_id ${row.lni_id} has no boundary in rco_boundaries.geojson`);
    crossCheck(row, feature);
    features.delete(row.lni_id);
    const expiresOn = registrationExpiresOn(row.expiration_year);
    // The format wants both dates or neither: without an effective_date, the current term's start.
    const registeredOn = row.effective_date || currentTermStart(row.expiration_year);
    if (!(registeredOn < expiresOn)) throw new Error(`rcos.csv lni_id ${row.lni_id}: registered after its expiry`);
    return {
      ...EMPTY_ORG,
      key: slugify(row.organization_name),
      kind: 'REGISTERED_COMMUNITY_ORGANIZATION',
      name: row.organization_name,
      description: rcoTypeDescription(row.org_type, row.org_type_label_curated),
      website: rcoWebsite(row),
      division_key: rcoAreaKey(row.lni_id),
      source_url: RCO_REGISTRATION.layerUrl,
      source_note:
        `City RCO layer, lni_id ${row.lni_id}, expirationyear ${row.expiration_year}; registration taken to end June 30 of that year (FACTS.md).` +
        (row.effective_date ? '' : ' No effective_date in the layer: registered_on is the start of the current two-year term.'),
      registered_on: registeredOn,
      registration_expires_on: expiresOn,
    };
  });
  if (features.size > 0) throw new Error(`rco_boundaries.geojson: lni_id ${[...features.keys()].join(', ')} not in rcos.csv`);
  return organizations;
}

/** 17 members: one post per council district (one holder each) and one at-large post of 7 holders. */
export function buildCouncil(districts: readonly number[]) {
  const members = districts.length + COUNCIL.atLargeSeats;
  const organization: Organization = {
    ...EMPTY_ORG,
    key: COUNCIL.key,
    kind: 'COUNCIL',
    name: COUNCIL.name,
    description:
      `${members} members: ${districts.length} elected from districts and ${COUNCIL.atLargeSeats} at large, for four-year terms with no term limit ` +
      '(1951 Home Rule Charter). At-large seats use limited voting: each party nominates at most five candidates and each voter chooses five.',
    min_members: members,
    max_members: members,
    source_url: COUNCIL.sourceUrl,
    source_note: 'FACTS.md "City Council" (Philadelphia Councilmatic; Philadelphia Inquirer, 2019-11-06). No roster is in the data.',
    roster_status: 'NOT_RECORDED',
  };
  const common = {
    ...NO_SEAT_RULES,
    organization_key: COUNCIL.key,
    role: 'councilmember',
    selection_method: 'ELECTED',
    term_length_months: COUNCIL.termLengthMonths,
    term_limit: null,
    takes_applications: false,
    eligibility: null,
    created_on: null,
    abolished_on: null,
  } as const;
  const posts: Post[] = districts.map((n) => ({
    ...common,
    key: `district-${n}`,
    label: `District ${n}`,
    division_key: councilDistrictKey(n),
    appointing_authority: `Voters of Council District ${n}`,
    max_holders: 1,
  }));
  posts.push({
    ...common,
    key: 'at-large',
    label: 'At large',
    division_key: null,
    appointing_authority: 'Voters of the City (limited voting: each voter chooses five)',
    max_holders: COUNCIL.atLargeSeats,
  });
  return { organization, posts };
}
