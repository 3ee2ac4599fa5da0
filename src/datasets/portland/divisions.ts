/** Portland divisions: the city, the four council districts and the 98 neighborhood areas of 2023. */
import type { DivisionFeature } from '../format.ts';
import { ocdSegment, slugify } from '../slug.ts';
import {
  CITY_DIVISION_KEY,
  COUNCIL_DISTRICTS_ADOPTED_ON,
  JURISDICTION,
  NEIGHBORHOOD_SOURCE,
  councilDistrictKey,
} from './constants.ts';
import type { AssociationRow, PortlandRaw } from './raw.ts';

/** Division key of a neighborhood row: the City's stable ID, or a name-based key for unclaimed areas (ID 0). */
export function neighborhoodKey(row: AssociationRow): string {
  return isUnclaimed(row) ? `unclaimed-${slugify(row.name)}` : `neighborhood-${row.neighborhood_id}`;
}

export function isUnclaimed(row: AssociationRow): boolean {
  if (row.is_unclaimed_area !== 'true' && row.is_unclaimed_area !== 'false') {
    throw new Error(`neighborhood_associations.csv: ${row.name}: is_unclaimed_area is ${row.is_unclaimed_area}`);
  }
  return row.is_unclaimed_area === 'true';
}

export function buildDivisions(raw: PortlandRaw): DivisionFeature[] {
  const city: DivisionFeature = {
    type: 'Feature',
    properties: {
      key: CITY_DIVISION_KEY,
      kind: 'CITY',
      name: JURISDICTION.name,
      ocdId: JURISDICTION.ocdId,
      parentKey: null,
      validFrom: null,
      validUntil: null,
      source: 'City of Portland (no city boundary in this dataset)',
    },
    geometry: null,
  };

  const districts = raw.councilDistricts.map((f): DivisionFeature => {
    const n = f.properties.district;
    if (!Number.isInteger(n) || n < 1) throw new Error(`council_districts_2024.geojson: bad district ${n}`);
    return {
      type: 'Feature',
      properties: {
        key: councilDistrictKey(n),
        kind: 'COUNCIL_DISTRICT',
        name: f.properties.name,
        ocdId: `${JURISDICTION.ocdId}/council_district:${n}`,
        parentKey: CITY_DIVISION_KEY,
        validFrom: COUNCIL_DISTRICTS_ADOPTED_ON,
        validUntil: null,
        source: 'Multnomah County Elections precinct splits (March 2024) dissolved by council district; Multnomah County part only',
      },
      geometry: f.geometry,
    };
  });

  const neighborhoods = matchNeighborhoods(raw).map(({ row, feature }): DivisionFeature => ({
    type: 'Feature',
    properties: {
      key: neighborhoodKey(row),
      kind: 'NEIGHBORHOOD',
      name: row.name,
      ocdId: `${JURISDICTION.ocdId}/neighborhood:${ocdSegment(row.name)}`,
      parentKey: CITY_DIVISION_KEY,
      validFrom: null,
      validUntil: null,
      source: NEIGHBORHOOD_SOURCE,
    },
    geometry: feature.geometry,
  }));

  return [city, ...districts, ...neighborhoods];
}

/** Pairs every CSV row with its 2023 GeoJSON feature by NAME, cross-checking ID and MAPLABEL. */
export function matchNeighborhoods(raw: PortlandRaw) {
  const byName = new Map(raw.neighborhoods.map((f) => [f.properties.NAME, f]));
  if (byName.size !== raw.neighborhoods.length) throw new Error('neighborhoods_2023.geojson: duplicate NAME');
  const matched = raw.associations.map((row) => {
    const feature = byName.get(row.name_upper);
    if (!feature) throw new Error(`neighborhood_associations.csv: no 2023 feature named ${row.name_upper}`);
    if (String(feature.properties.ID) !== row.neighborhood_id || feature.properties.MAPLABEL !== row.name) {
      throw new Error(`neighborhood_associations.csv: ${row.name_upper} disagrees with the GeoJSON on ID or MAPLABEL`);
    }
    byName.delete(row.name_upper);
    return { row, feature };
  });
  if (byName.size > 0) throw new Error(`neighborhoods_2023.geojson: features without a CSV row: ${[...byName.keys()].join(', ')}`);
  return matched;
}
