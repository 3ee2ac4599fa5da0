/**
 * A small synthetic city written from src/datasets/FORMAT.md alone: two council districts side by
 * side (NEVER overlap, located ONE), two registered community organizations whose self-drawn areas
 * overlap (RCO_AREA: FREELY, located NONE; the RCOs: REGISTRATION for 24 months, located ALL), and
 * kind names in Spanish. The point (0.5, 0.5) lies in district 1 and in both RCO areas.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LINK_COLUMNS, ORGANIZATION_COLUMNS, POST_COLUMNS } from '../../src/datasets/format.ts';

const square = (x0: number, y0: number, x1: number, y1: number) => ({
  type: 'Polygon',
  coordinates: [[[x0, y0], [x1, y0], [x1, y1], [x0, y1], [x0, y0]]],
});

export const TESTVILLE_OCD = 'ocd-division/country:us/state:zz/place:testville';

export interface SyntheticCity {
  dir: string;
  write(name: string, content: string): Promise<void>;
  remove(): Promise<void>;
}

export const KINDS_HEADER = 'scope,code,category,name,plural_name,overlap_policy,recognition_model,registration_term_months,registration_intake_month,locate,sort_order,source';

export const TESTVILLE_KINDS = [
  KINDS_HEADER,
  'DIVISION,COUNCIL_DISTRICT,COUNCIL_DISTRICT,Council district,Council districts,NEVER,,,,ONE,1,test',
  'DIVISION,RCO_AREA,ORGANIZATION_AREA,RCO area,RCO areas,FREELY,,,,NONE,2,test',
  'ORGANIZATION,REGISTERED_COMMUNITY_ORGANIZATION,COMMUNITY_ORGANIZATION,Registered community organization,Registered community organizations,,REGISTRATION,24,,ALL,1,test',
  'ORGANIZATION,COUNCIL,COUNCIL,City council,City councils,,NONE,,,NONE,2,test',
].join('\n');

export function testvilleDivisions(options: { districtsOverlap?: boolean } = {}): string {
  const features = [
    { key: 'district-1', kind: 'COUNCIL_DISTRICT', name: 'District 1', ocd: 'council_district:1', geometry: square(0, 0, options.districtsOverlap ? 1.5 : 1, 1) },
    { key: 'district-2', kind: 'COUNCIL_DISTRICT', name: 'District 2', ocd: 'council_district:2', geometry: square(1, 0, 2, 1) },
    { key: 'rco-area-north', kind: 'RCO_AREA', name: 'North Neighbors area', ocd: 'rco_area:north', geometry: square(0.2, 0.2, 0.8, 0.8) },
    { key: 'rco-area-wide', kind: 'RCO_AREA', name: 'Wide Civic area', ocd: 'rco_area:wide', geometry: square(0.1, 0.1, 1.5, 0.9) },
  ];
  return JSON.stringify({
    type: 'FeatureCollection',
    features: features.map((f) => ({
      type: 'Feature',
      properties: { key: f.key, kind: f.kind, name: f.name, ocdId: `${TESTVILLE_OCD}/${f.ocd}`, parentKey: null, validFrom: null, validUntil: null, source: 'test' },
      geometry: f.geometry,
    })),
  });
}

/** A CSV of the format's columns (FORMAT.md), cells not given left empty: columns other slices append stay valid. */
function csv(columns: readonly string[], rows: Array<Record<string, string>>): string {
  return [columns.join(','), ...rows.map((r) => columns.map((c) => r[c] ?? '').join(','))].join('\n');
}

export async function writeTestville(): Promise<SyntheticCity> {
  const dir = await mkdtemp(join(tmpdir(), 'civic-testville-'));
  const write = (name: string, content: string) => writeFile(join(dir, name), content.endsWith('\n') ? content : `${content}\n`);
  await write('jurisdiction.json', JSON.stringify({ slug: 'testville', name: 'City of Testville', ocdId: TESTVILLE_OCD, timezone: 'America/New_York', defaultLocale: 'en', locales: ['en', 'es'] }));
  await write('kinds.csv', TESTVILLE_KINDS);
  await write('kind_names.csv', ['scope,code,locale,name,plural_name', 'ORGANIZATION,REGISTERED_COMMUNITY_ORGANIZATION,es,Organización comunitaria registrada,Organizaciones comunitarias registradas'].join('\n'));
  await write('divisions.geojson', testvilleDivisions());
  await write('organizations.csv', csv(ORGANIZATION_COLUMNS, [
    { key: 'city-council', kind: 'COUNCIL', name: 'Testville City Council', status: 'ACTIVE' },
    { key: 'north-neighbors', kind: 'REGISTERED_COMMUNITY_ORGANIZATION', name: 'North Neighbors', status: 'ACTIVE', division_key: 'rco-area-north' },
    { key: 'wide-civic', kind: 'REGISTERED_COMMUNITY_ORGANIZATION', name: 'Wide Civic Association', status: 'ACTIVE', division_key: 'rco-area-wide' },
  ]));
  await write('organization_links.csv', csv(LINK_COLUMNS, []));
  await write('posts.csv', csv(POST_COLUMNS, []));
  await write('SOURCES.md', '# Testville\n\nSynthetic test data.');
  return { dir, write, remove: () => rm(dir, { recursive: true, force: true }) };
}
