/** New York divisions: 5 boroughs, 59 community districts, 12 joint interest areas, 51 council districts. */
import {
  BOROUGHS,
  MAX_COMMUNITY_DISTRICT_NUMBER,
  PLACE_OCD_ID,
  boroughKey,
  boroughOf,
  communityDistrictKey,
  councilDistrictKey,
  jointInterestAreaKey,
} from './constants.ts';
import type { NycDivision } from './records.ts';
import type { JointInterestAreaRow, NycRaw } from './raw.ts';

const CD_SOURCE = 'NYC DCP BYTES of the BIG APPLE, Community Districts (clipped to shoreline), release 25D';
const CC_SOURCE = 'NYC DCP BYTES of the BIG APPLE, City Council Districts (clipped to shoreline), release 25B; 2023 lines';
const BB_SOURCE = 'NYC DCP BYTES of the BIG APPLE, Borough Boundaries (clipped to shoreline), release 24C';

/** BoroCD 164 → Manhattan, 64. */
export function splitBoroCd(boroCd: number): { borough: ReturnType<typeof boroughOf>; number: number } {
  return { borough: boroughOf(Math.floor(boroCd / 100)), number: boroCd % 100 };
}

export const isCommunityDistrict = (boroCd: number) => boroCd % 100 >= 1 && boroCd % 100 <= MAX_COMMUNITY_DISTRICT_NUMBER;

/** "MN64 Central Park (JIA 64 Equivalent)" → "Central Park"; anything else is unexpected. */
export function jointInterestAreaName(row: JointInterestAreaRow): string {
  const m = /^([A-Z]{2}\d{2}) (.+) \(JIA (\d+) (?:Equivalent|Approximation)\)$/.exec(row.dcp_cdta2020_name);
  if (!m || m[1] !== row.cdta2020 || m[3] !== row.jia_number) {
    throw new Error(`joint_interest_areas.csv: unrecognized name ${JSON.stringify(row.dcp_cdta2020_name)}`);
  }
  return m[2]!;
}

/** The OCD ids of ocd_divisions.csv, by council district number; every id must be the city's own. */
export function councilDistrictOcdIds(raw: NycRaw): Map<number, string> {
  const ids = new Map<number, string>();
  for (const row of raw.ocdDivisions) {
    const m = /^(.*)\/council_district:(\d+)$/.exec(row.id);
    if (!m || m[1] !== PLACE_OCD_ID) throw new Error(`ocd_divisions.csv: unexpected id ${row.id}`);
    if (row.name !== `New York City NY - city council district ${m[2]}`) throw new Error(`ocd_divisions.csv: unexpected name ${row.name}`);
    ids.set(Number(m[2]), row.id);
  }
  return ids;
}

export function buildDivisions(raw: NycRaw): NycDivision[] {
  const boroughs = raw.boroughs.map((f): NycDivision => {
    const b = boroughOf(f.properties.BoroCode);
    if (f.properties.BoroName !== b.name) throw new Error(`boroughs.geojson: BoroCode ${b.code} is named ${f.properties.BoroName}`);
    return {
      type: 'Feature',
      properties: {
        key: boroughKey(b),
        kind: 'BOROUGH',
        name: b.name,
        ocdId: `${PLACE_OCD_ID}/borough:${b.segment}`,
        parentKey: null,
        validFrom: null,
        validUntil: null,
        source: `${BB_SOURCE}, BoroCode ${b.code}`,
      },
      geometry: f.geometry,
    };
  });

  const jiaRows = new Map(raw.jointInterestAreas.map((r) => [Number(r.borocd), r]));
  const districts = raw.communityDistricts.map((f): NycDivision => {
    const boroCd = f.properties.BoroCD;
    const { borough, number } = splitBoroCd(boroCd);
    if (isCommunityDistrict(boroCd)) {
      return {
        type: 'Feature',
        properties: {
          key: communityDistrictKey(borough, number),
          kind: 'COMMUNITY_DISTRICT',
          name: `${borough.name} Community District ${number}`,
          ocdId: `${PLACE_OCD_ID}/community_district:${borough.segment}_${number}`,
          parentKey: boroughKey(borough),
          validFrom: null,
          validUntil: null,
          source: `${CD_SOURCE}, BoroCD ${boroCd}`,
        },
        geometry: f.geometry,
      };
    }
    const row = jiaRows.get(boroCd);
    if (!row) throw new Error(`community_districts.geojson: BoroCD ${boroCd} is neither a community district nor in joint_interest_areas.csv`);
    if (row.borough !== borough.name || Number(row.jia_number) !== number) {
      throw new Error(`joint_interest_areas.csv: ${boroCd} disagrees with the GeoJSON on borough or number`);
    }
    jiaRows.delete(boroCd);
    return {
      type: 'Feature',
      properties: {
        key: jointInterestAreaKey(borough, number),
        kind: 'JOINT_INTEREST_AREA',
        name: jointInterestAreaName(row),
        ocdId: `${PLACE_OCD_ID}/joint_interest_area:${borough.segment}_${number}`,
        parentKey: boroughKey(borough),
        validFrom: null,
        validUntil: null,
        source: `${CD_SOURCE}, BoroCD ${boroCd} (joint interest area ${row.cdta2020})`,
      },
      geometry: f.geometry,
    };
  });
  if (jiaRows.size > 0) throw new Error(`joint_interest_areas.csv: rows without a feature: ${[...jiaRows.keys()].join(', ')}`);

  const ocdIds = councilDistrictOcdIds(raw);
  const council = raw.councilDistricts.map((f): NycDivision => {
    const n = f.properties.CounDist;
    const ocdId = ocdIds.get(n);
    if (!ocdId) throw new Error(`council_districts.geojson: district ${n} has no id in ocd_divisions.csv`);
    return {
      type: 'Feature',
      properties: {
        key: councilDistrictKey(n),
        kind: 'COUNCIL_DISTRICT',
        name: `Council District ${n}`,
        ocdId,
        // A council district may cross a borough line (District 8: Manhattan and the Bronx), so it has no parent.
        parentKey: null,
        validFrom: null,
        validUntil: null,
        source: `${CC_SOURCE}, CounDist ${n}`,
      },
      geometry: f.geometry,
    };
  });

  if (boroughs.length !== BOROUGHS.length) throw new Error(`boroughs.geojson: ${boroughs.length} boroughs`);
  return [...boroughs, ...districts, ...council];
}
