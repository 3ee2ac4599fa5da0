/**
 * Reads the vendored Portland source files (raw/). Each table is checked against the columns the
 * converter expects, so a changed upstream file fails loudly instead of being misread.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import type { Feature, FeatureCollection, MultiPolygon, Polygon } from 'geojson';

export const RAW_FILES = {
  neighborhoods: 'neighborhoods_2023.geojson',
  councilDistricts: 'council_districts_2024.geojson',
  associations: 'neighborhood_associations.csv',
  coalitions: 'district_coalitions.csv',
  businessDistricts: 'business_districts.csv',
  advisoryBodies: 'advisory_bodies.csv',
  advisoryBodiesFull: 'advisory_bodies_full.csv',
  councilMembers: 'council_members_2025.csv',
  associationWebsites: 'neighborhood_association_websites.csv',
  coalitionOffices: 'coalition_offices.csv',
  sources: 'SOURCES.md',
} as const;

const COLUMNS = {
  associations: [
    'neighborhood_id',
    'name',
    'name_upper',
    'is_unclaimed_area',
    'coalition_code_2023',
    'coalition_name_2023',
    'association_name_2020',
    'coalition_code_2020',
    'community_plan_area',
    'council_district_primary',
    'council_district_area_shares',
    'pct_area_inside_council_districts',
  ],
  coalitions: ['code', 'name', 'address_as_listed', 'neighborhoods_in_2023_gis', 'dco_district_2024', 'notes', 'sources'],
  businessDistricts: ['source_order', 'name', 'venture_portland_member', 'website'],
  advisoryBodies: ['name', 'bureau_or_program', 'seats', 'seats_quote', 'term', 'status', 'source_url', 'source_note'],
  advisoryBodiesFull: [
    'name',
    'kind',
    'bureau_or_office',
    'seats',
    'term_length',
    'term_limit',
    'appointing_authority',
    'status',
    'status_as_of',
    'legal_basis',
    'source_url',
    'additional_source_urls',
    'notes',
  ],
  councilMembers: [
    'office',
    'district',
    'name',
    'term_start',
    'term_end_as_published',
    'term_end_date',
    'term_length_years',
    'initial_short_term',
    'office_url',
    'district_page_url',
    'source_urls',
    'notes',
  ],
  associationWebsites: ['neighborhood_id', 'name', 'association_name_2020', 'website', 'other_web_addresses', 'evidence_url', 'evidence_type', 'evidence_date', 'notes'],
  coalitionOffices: [
    'dco_district',
    'dco_name',
    'operating_organization',
    'former_coalition_code',
    'website',
    'office_address',
    'office_address_source',
    'office_address_as_of',
    'phone',
    'phone_source',
    'email',
    'email_source',
    'neighborhood_associations_served',
    'notes',
  ],
} as const;

type Row<K extends keyof typeof COLUMNS> = Record<(typeof COLUMNS)[K][number], string>;
export type AssociationRow = Row<'associations'>;
export type CoalitionRow = Row<'coalitions'>;
export type BusinessDistrictRow = Row<'businessDistricts'>;
export type AdvisoryBodyRow = Row<'advisoryBodies'>;
export type AdvisoryBodyFullRow = Row<'advisoryBodiesFull'>;
export type CouncilMemberRow = Row<'councilMembers'>;
export type AssociationWebsiteRow = Row<'associationWebsites'>;
export type CoalitionOfficeRow = Row<'coalitionOffices'>;

export interface NeighborhoodProps {
  NAME: string;
  MAPLABEL: string;
  ID: number;
  COALIT: string;
}
export interface CouncilDistrictProps {
  district: number;
  name: string;
}

export interface PortlandRaw {
  neighborhoods: Array<Feature<Polygon | MultiPolygon, NeighborhoodProps>>;
  councilDistricts: Array<Feature<Polygon | MultiPolygon, CouncilDistrictProps>>;
  associations: AssociationRow[];
  coalitions: CoalitionRow[];
  businessDistricts: BusinessDistrictRow[];
  advisoryBodies: AdvisoryBodyRow[];
  advisoryBodiesFull: AdvisoryBodyFullRow[];
  councilMembers: CouncilMemberRow[];
  associationWebsites: AssociationWebsiteRow[];
  coalitionOffices: CoalitionOfficeRow[];
  sources: string;
}

async function readCsv<K extends keyof typeof COLUMNS>(dir: string, file: string, kind: K): Promise<Row<K>[]> {
  const text = await readFile(join(dir, file), 'utf8');
  const expected: readonly string[] = COLUMNS[kind];
  const records = parse(text, { columns: true, skip_empty_lines: true, trim: true }) as Record<string, string>[];
  const header = Object.keys(records[0] ?? {});
  if (header.join(',') !== expected.join(',')) {
    throw new Error(`${file}: expected columns ${expected.join(',')} but found ${header.join(',')}`);
  }
  return records as Row<K>[];
}

async function readFeatures<P>(dir: string, file: string): Promise<Array<Feature<Polygon | MultiPolygon, P>>> {
  const collection = JSON.parse(await readFile(join(dir, file), 'utf8')) as FeatureCollection;
  if (collection.type !== 'FeatureCollection') throw new Error(`${file}: not a FeatureCollection`);
  for (const [i, f] of collection.features.entries()) {
    const type = f.geometry?.type;
    if (type !== 'Polygon' && type !== 'MultiPolygon') throw new Error(`${file}: feature ${i} has geometry ${type}`);
  }
  return collection.features as Array<Feature<Polygon | MultiPolygon, P>>;
}

export async function readPortlandRaw(dir: string): Promise<PortlandRaw> {
  return {
    neighborhoods: await readFeatures<NeighborhoodProps>(dir, RAW_FILES.neighborhoods),
    councilDistricts: await readFeatures<CouncilDistrictProps>(dir, RAW_FILES.councilDistricts),
    associations: await readCsv(dir, RAW_FILES.associations, 'associations'),
    coalitions: await readCsv(dir, RAW_FILES.coalitions, 'coalitions'),
    businessDistricts: await readCsv(dir, RAW_FILES.businessDistricts, 'businessDistricts'),
    advisoryBodies: await readCsv(dir, RAW_FILES.advisoryBodies, 'advisoryBodies'),
    advisoryBodiesFull: await readCsv(dir, RAW_FILES.advisoryBodiesFull, 'advisoryBodiesFull'),
    councilMembers: await readCsv(dir, RAW_FILES.councilMembers, 'councilMembers'),
    associationWebsites: await readCsv(dir, RAW_FILES.associationWebsites, 'associationWebsites'),
    coalitionOffices: await readCsv(dir, RAW_FILES.coalitionOffices, 'coalitionOffices'),
    sources: await readFile(join(dir, RAW_FILES.sources), 'utf8'),
  };
}
