/**
 * Known points of New York and what `locate` must answer there (KNOWN_POINTS.md). The expected
 * answers below were written by hand from the output of this file's own point-in-polygon test on
 * the raw DCP GeoJSON (`npx tsx src/datasets/nyc/known-points.ts`), which shares no code with the
 * converter or the importer: an even-odd ray cast over every ring, in plain longitude/latitude.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { MAX_COMMUNITY_DISTRICT_NUMBER, boroughKey, boroughOf, communityDistrictKey, councilDistrictKey, jointInterestAreaKey } from './constants.ts';

export interface KnownPoint {
  label: string;
  latitude: number;
  longitude: number;
  /** What the raw files say: BoroCode, BoroCD (a community district or joint interest area), CounDist; null where none. */
  expected: { boroCode: number | null; boroCd: number | null; counDist: number | null };
  /** Where the answer was cross-checked, besides the geometry. */
  crossCheck: string;
}

export const KNOWN_POINTS: KnownPoint[] = [
  {
    label: 'Times Square',
    latitude: 40.758,
    longitude: -73.9855,
    expected: { boroCode: 1, boroCd: 105, counDist: 4 },
    crossCheck:
      'community_boards.csv: 105 is "Midtown (CD5)" and lists districts 4 (46.5 %) and 3 (34.8 %); the point is 3 m from the District 3/4 line, within the data\'s stated 4 m accuracy',
  },
  {
    label: 'Central Park, the Great Lawn',
    latitude: 40.7812,
    longitude: -73.9665,
    expected: { boroCode: 1, boroCd: 164, counDist: 6 },
    crossCheck: 'joint_interest_areas.csv: 164 "Central Park", council_district_area_shares 6:100.0',
  },
  {
    label: 'Brooklyn Borough Hall',
    latitude: 40.6928,
    longitude: -73.9903,
    expected: { boroCode: 3, boroCd: 302, counDist: 33 },
    crossCheck: 'community_boards.csv: 302 neighbourhoods include Downtown Brooklyn and Brooklyn Heights',
  },
  {
    label: 'Yankee Stadium',
    latitude: 40.8296,
    longitude: -73.9262,
    expected: { boroCode: 2, boroCd: 204, counDist: 16 },
    crossCheck: 'community_boards.csv: 204 neighbourhoods include Concourse and Highbridge; district 16 covers 87.6 % of it',
  },
  {
    label: 'Flushing, Main Street station',
    latitude: 40.7596,
    longitude: -73.8303,
    expected: { boroCode: 4, boroCd: 407, counDist: 20 },
    crossCheck: 'community_boards.csv: 407 neighbourhoods include Flushing',
  },
  {
    label: 'Staten Island Borough Hall, St. George',
    latitude: 40.642,
    longitude: -74.0768,
    expected: { boroCode: 5, boroCd: 501, counDist: 49 },
    crossCheck: 'community_boards.csv: 501 neighbourhoods include St. George',
  },
  {
    label: 'Hoboken, NJ (outside the city)',
    latitude: 40.744,
    longitude: -74.0324,
    expected: { boroCode: null, boroCd: null, counDist: null },
    crossCheck: 'across the Hudson, in New Jersey',
  },
];

/** The dataset keys of an expected answer: the divisions containing the point and the board serving it. */
export function expectedKeys(p: KnownPoint) {
  const { boroCode, boroCd, counDist } = p.expected;
  const borough = boroCode === null ? null : boroughOf(boroCode);
  const district = boroCd === null ? null : { borough: boroughOf(Math.floor(boroCd / 100)), n: boroCd % 100 };
  const isCommunityDistrict = district !== null && district.n <= MAX_COMMUNITY_DISTRICT_NUMBER;
  return {
    borough: borough && boroughKey(borough),
    communityDistrict: isCommunityDistrict ? communityDistrictKey(district.borough, district.n) : null,
    jointInterestArea: district && !isCommunityDistrict ? jointInterestAreaKey(district.borough, district.n) : null,
    councilDistrict: counDist === null ? null : councilDistrictKey(counDist),
    /** The slug of the community board (none in a joint interest area). */
    board: isCommunityDistrict ? `${district.borough.name.toLowerCase().replace(' ', '-')}-community-board-${district.n}` : null,
  };
}

type Ring = number[][];
interface RawFeature {
  properties: Record<string, number | string>;
  geometry: { type: 'Polygon'; coordinates: Ring[] } | { type: 'MultiPolygon'; coordinates: Ring[][] };
}

/** Even-odd rule over all rings of all polygons: a hole flips the answer back. */
function contains(feature: RawFeature, x: number, y: number): boolean {
  const polygons = feature.geometry.type === 'Polygon' ? [feature.geometry.coordinates] : feature.geometry.coordinates;
  let inside = false;
  for (const rings of polygons) {
    for (const ring of rings) {
      for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
        const [xi, yi] = ring[i] as [number, number];
        const [xj, yj] = ring[j] as [number, number];
        if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
      }
    }
  }
  return inside;
}

function features(rawDir: string, file: string): RawFeature[] {
  return (JSON.parse(readFileSync(join(rawDir, file), 'utf8')) as { features: RawFeature[] }).features;
}

/** The raw files' answer at a point; throws if two features of one layer contain it (the layers do not overlap). */
export function rawAnswers(rawDir: string, points: ReadonlyArray<Pick<KnownPoint, 'latitude' | 'longitude'>>) {
  const layers = {
    boroCode: features(rawDir, 'boroughs.geojson'),
    boroCd: features(rawDir, 'community_districts.geojson'),
    counDist: features(rawDir, 'council_districts.geojson'),
  };
  const property = { boroCode: 'BoroCode', boroCd: 'BoroCD', counDist: 'CounDist' } as const;
  return points.map((p) => {
    const answer = {} as KnownPoint['expected'];
    for (const layer of ['boroCode', 'boroCd', 'counDist'] as const) {
      const hits = layers[layer].filter((f) => contains(f, p.longitude, p.latitude)).map((f) => Number(f.properties[property[layer]]));
      if (hits.length > 1) throw new Error(`${p.latitude}, ${p.longitude}: in ${hits.length} features of ${layer}`);
      answer[layer] = hits[0] ?? null;
    }
    return answer;
  });
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const rawDir = fileURLToPath(new URL('raw', import.meta.url));
  const answers = rawAnswers(rawDir, KNOWN_POINTS);
  console.log('| point | lat, lon | BoroCode | BoroCD | CounDist | as expected |');
  console.log('| --- | --- | --- | --- | --- | --- |');
  KNOWN_POINTS.forEach((p, i) => {
    const a = answers[i]!;
    const same = JSON.stringify(a) === JSON.stringify(p.expected);
    console.log(`| ${p.label} | ${p.latitude}, ${p.longitude} | ${a.boroCode ?? '-'} | ${a.boroCd ?? '-'} | ${a.counDist ?? '-'} | ${same ? 'yes' : 'NO'} |`);
  });
}
