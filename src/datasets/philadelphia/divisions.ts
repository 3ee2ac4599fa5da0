/**
 * Philadelphia divisions: the 10 council districts (2024 lines), the 239 RCO areas (one per
 * registered community organization, overlapping freely) and the 159 informal neighborhoods.
 * Geometry is copied as the shared data folder has it (already rounded and repaired there).
 */
import { ocdSegment, slugify } from '../slug.ts';
import { JURISDICTION, SOURCE, councilDistrictKey, rcoAreaKey } from './constants.ts';
import type { Division } from './contract.ts';
import type { PhiladelphiaRaw } from './raw.ts';

/** Minted ids (OCD has none for these): `…/place:philadelphia/rco_area:<lni_id>`, `…/neighborhood:<name>`. */
export function rcoAreaOcdId(lniId: number): string {
  return `${JURISDICTION.ocdId}/rco_area:${lniId}`;
}
export function neighborhoodOcdId(upperName: string): string {
  return `${JURISDICTION.ocdId}/neighborhood:${ocdSegment(upperName)}`;
}
export function neighborhoodKey(upperName: string): string {
  return `neighborhood-${slugify(upperName)}`;
}

/** The council district ids published by OCD (ocd_divisions.csv), by district number. */
function councilDistrictOcdIds(raw: PhiladelphiaRaw): Map<number, string> {
  const ids = new Map<number, string>();
  const pattern = new RegExp(`^${JURISDICTION.ocdId}/council_district:(\\d+)$`);
  for (const row of raw.ocdDivisions) {
    const n = pattern.exec(row.id)?.[1];
    if (n) ids.set(Number(n), row.id);
  }
  return ids;
}

export function buildCouncilDistricts(raw: PhiladelphiaRaw): Division[] {
  const ocdIds = councilDistrictOcdIds(raw);
  const districts = raw.councilDistricts.map((f): Division => {
    const n = Number(f.properties.DISTRICT);
    if (!Number.isInteger(n) || n < 1 || String(n) !== f.properties.DISTRICT) {
      throw new Error(`council_districts_2024.geojson: bad DISTRICT ${JSON.stringify(f.properties.DISTRICT)}`);
    }
    const ocdId = ocdIds.get(n);
    if (!ocdId) throw new Error(`ocd_divisions.csv: no id for council district ${n}`);
    return {
      type: 'Feature',
      properties: {
        key: councilDistrictKey(n),
        kind: 'COUNCIL_DISTRICT',
        name: `Council District ${n}`,
        ocdId,
        parentKey: null,
        validFrom: null,
        validUntil: null,
        source: SOURCE.councilDistricts,
      },
      geometry: f.geometry,
    };
  });
  if (districts.length !== ocdIds.size) throw new Error(`ocd_divisions.csv lists ${ocdIds.size} council districts, the layer has ${districts.length}`);
  return districts;
}

export function buildRcoAreas(raw: PhiladelphiaRaw): Division[] {
  return raw.rcoBoundaries.map(
    (f): Division => ({
      type: 'Feature',
      properties: {
        key: rcoAreaKey(f.properties.lni_id),
        kind: 'RCO_AREA',
        name: `${f.properties.organization_name} (RCO area)`,
        ocdId: rcoAreaOcdId(f.properties.lni_id),
        parentKey: null,
        validFrom: null,
        validUntil: null,
        source: `${SOURCE.rcoAreas} (lni_id ${f.properties.lni_id})`,
      },
      geometry: f.geometry,
    }),
  );
}

export function buildNeighborhoods(raw: PhiladelphiaRaw): Division[] {
  return raw.neighborhoods.map((f): Division => {
    const { NAME, MAPNAME } = f.properties;
    if (!/^[A-Z0-9_]+$/.test(NAME)) throw new Error(`neighborhoods.geojson: unexpected NAME ${JSON.stringify(NAME)}`);
    return {
      type: 'Feature',
      properties: {
        key: neighborhoodKey(NAME),
        kind: 'NEIGHBORHOOD',
        name: MAPNAME,
        ocdId: neighborhoodOcdId(NAME),
        parentKey: null,
        validFrom: null,
        validUntil: null,
        source: `${SOURCE.neighborhoods} (NAME ${NAME})`,
      },
      geometry: f.geometry,
    };
  });
}

export function buildDivisions(raw: PhiladelphiaRaw): Division[] {
  return [...buildCouncilDistricts(raw), ...buildRcoAreas(raw), ...buildNeighborhoods(raw)];
}
