/**
 * Reads the vendored Philadelphia source files (raw/, copied unchanged from the shared data folder).
 * Each table is checked against the columns the converter expects, and each GeoJSON file against
 * the properties it uses, so a changed upstream file fails loudly instead of being misread.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import type { Feature, FeatureCollection, MultiPolygon, Polygon } from 'geojson';

export const RAW_FILES = {
  rcoBoundaries: 'rco_boundaries.geojson',
  councilDistricts: 'council_districts_2024.geojson',
  neighborhoods: 'neighborhoods.geojson',
  rcos: 'rcos.csv',
  advisoryBodies: 'advisory_bodies.csv',
  ocdDivisions: 'ocd_divisions.csv',
  sources: 'SOURCES.md',
  facts: 'FACTS.md',
} as const;

const COLUMNS = {
  rcos: [
    'lni_id',
    'organization_name',
    'org_type',
    'org_type_label_curated',
    'effective_date',
    'expiration_year',
    'website',
    'website_curated',
    'area_sq_km',
    'council_district_primary',
    'council_district_area_shares',
    'pct_area_inside_council_districts',
  ],
  advisoryBodies: ['name', 'legal_basis', 'seats', 'seats_quote', 'term', 'appointing_authority', 'status', 'source_url', 'source_note'],
  ocdDivisions: ['id', 'name'],
} as const;

type Row<K extends keyof typeof COLUMNS> = Record<(typeof COLUMNS)[K][number], string>;
export type RcoRow = Row<'rcos'>;
export type AdvisoryBodyRow = Row<'advisoryBodies'>;
export type OcdDivisionRow = Row<'ocdDivisions'>;

export interface RcoProps {
  objectid: number;
  lni_id: number;
  organization_name: string;
  org_type: string | null;
  effective_date: string | null;
  expirationyear: number;
  websites: string | null;
}
export interface CouncilDistrictProps {
  DISTRICT: string;
}
export interface NeighborhoodProps {
  NAME: string;
  LISTNAME: string;
  MAPNAME: string;
}

export type RawFeature<P> = Feature<Polygon | MultiPolygon, P>;

export interface PhiladelphiaRaw {
  rcoBoundaries: Array<RawFeature<RcoProps>>;
  councilDistricts: Array<RawFeature<CouncilDistrictProps>>;
  neighborhoods: Array<RawFeature<NeighborhoodProps>>;
  rcos: RcoRow[];
  advisoryBodies: AdvisoryBodyRow[];
  ocdDivisions: OcdDivisionRow[];
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

async function readFeatures<P>(dir: string, file: string, properties: readonly string[]): Promise<Array<RawFeature<P>>> {
  const collection = JSON.parse(await readFile(join(dir, file), 'utf8')) as FeatureCollection;
  if (collection.type !== 'FeatureCollection') throw new Error(`${file}: not a FeatureCollection`);
  for (const [i, f] of collection.features.entries()) {
    const type = f.geometry?.type;
    if (type !== 'Polygon' && type !== 'MultiPolygon') throw new Error(`${file}: feature ${i} has geometry ${type}`);
    const missing = properties.filter((p) => !(p in (f.properties ?? {})));
    if (missing.length) throw new Error(`${file}: feature ${i} has no ${missing.join(', ')}`);
  }
  return collection.features as Array<RawFeature<P>>;
}

export async function readPhiladelphiaRaw(dir: string): Promise<PhiladelphiaRaw> {
  return {
    rcoBoundaries: await readFeatures<RcoProps>(dir, RAW_FILES.rcoBoundaries, [
      'lni_id',
      'organization_name',
      'org_type',
      'effective_date',
      'expirationyear',
      'websites',
    ]),
    councilDistricts: await readFeatures<CouncilDistrictProps>(dir, RAW_FILES.councilDistricts, ['DISTRICT']),
    neighborhoods: await readFeatures<NeighborhoodProps>(dir, RAW_FILES.neighborhoods, ['NAME', 'LISTNAME', 'MAPNAME']),
    rcos: await readCsv(dir, RAW_FILES.rcos, 'rcos'),
    advisoryBodies: await readCsv(dir, RAW_FILES.advisoryBodies, 'advisoryBodies'),
    ocdDivisions: await readCsv(dir, RAW_FILES.ocdDivisions, 'ocdDivisions'),
    sources: await readFile(join(dir, RAW_FILES.sources), 'utf8'),
  };
}
