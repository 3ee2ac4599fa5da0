/**
 * Reads the vendored New York source files (raw/). Each table is checked against the columns the
 * converter expects, so a changed upstream file fails loudly instead of being misread.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import type { Feature, FeatureCollection, MultiPolygon, Polygon } from 'geojson';

export const RAW_FILES = {
  communityDistricts: 'community_districts.geojson',
  councilDistricts: 'council_districts.geojson',
  boroughs: 'boroughs.geojson',
  boards: 'community_boards.csv',
  jointInterestAreas: 'joint_interest_areas.csv',
  advisoryBodies: 'advisory_bodies.csv',
  ocdDivisions: 'ocd_divisions.csv',
  sources: 'SOURCES.md',
  facts: 'FACTS.md',
} as const;

const COLUMNS = {
  boards: [
    'borocd',
    'borough',
    'board_number',
    'board_name',
    'cdta2020',
    'dcp_cdta2020_name',
    'dohmh_cd_name',
    'neighborhoods',
    'website',
    'full_board_meeting',
    'area_sq_km',
    'council_district_primary',
    'council_district_area_shares',
  ],
  jointInterestAreas: [
    'borocd',
    'borough',
    'jia_number',
    'cdta2020',
    'dcp_cdta2020_name',
    'area_sq_km',
    'council_district_primary',
    'council_district_area_shares',
  ],
  advisoryBodies: ['name', 'legal_basis', 'seats', 'seats_quote', 'term', 'appointing_authority', 'status', 'source_url', 'source_note'],
  ocdDivisions: ['id', 'name'],
} as const;

type Row<K extends keyof typeof COLUMNS> = Record<(typeof COLUMNS)[K][number], string>;
export type BoardRow = Row<'boards'>;
export type JointInterestAreaRow = Row<'jointInterestAreas'>;
export type AdvisoryBodyRow = Row<'advisoryBodies'>;
export type OcdDivisionRow = Row<'ocdDivisions'>;

export interface CommunityDistrictProps {
  BoroCD: number;
}
export interface CouncilDistrictProps {
  CounDist: number;
}
export interface BoroughProps {
  BoroCode: number;
  BoroName: string;
}

export type RawFeature<P> = Feature<Polygon | MultiPolygon, P>;

export interface NycRaw {
  communityDistricts: Array<RawFeature<CommunityDistrictProps>>;
  councilDistricts: Array<RawFeature<CouncilDistrictProps>>;
  boroughs: Array<RawFeature<BoroughProps>>;
  boards: BoardRow[];
  jointInterestAreas: JointInterestAreaRow[];
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

async function readFeatures<P>(dir: string, file: string, idProperty: keyof P & string): Promise<Array<RawFeature<P>>> {
  const collection = JSON.parse(await readFile(join(dir, file), 'utf8')) as FeatureCollection;
  if (collection.type !== 'FeatureCollection') throw new Error(`${file}: not a FeatureCollection`);
  for (const [i, f] of collection.features.entries()) {
    const type = f.geometry?.type;
    if (type !== 'Polygon' && type !== 'MultiPolygon') throw new Error(`${file}: feature ${i} has geometry ${type}`);
    const id = (f.properties as Record<string, unknown> | null)?.[idProperty];
    if (!Number.isInteger(id)) throw new Error(`${file}: feature ${i} has no integer ${idProperty}`);
  }
  return collection.features as Array<RawFeature<P>>;
}

export async function readNycRaw(dir: string): Promise<NycRaw> {
  return {
    communityDistricts: await readFeatures<CommunityDistrictProps>(dir, RAW_FILES.communityDistricts, 'BoroCD'),
    councilDistricts: await readFeatures<CouncilDistrictProps>(dir, RAW_FILES.councilDistricts, 'CounDist'),
    boroughs: await readFeatures<BoroughProps>(dir, RAW_FILES.boroughs, 'BoroCode'),
    boards: await readCsv(dir, RAW_FILES.boards, 'boards'),
    jointInterestAreas: await readCsv(dir, RAW_FILES.jointInterestAreas, 'jointInterestAreas'),
    advisoryBodies: await readCsv(dir, RAW_FILES.advisoryBodies, 'advisoryBodies'),
    ocdDivisions: await readCsv(dir, RAW_FILES.ocdDivisions, 'ocdDivisions'),
    sources: await readFile(join(dir, RAW_FILES.sources), 'utf8'),
  };
}
