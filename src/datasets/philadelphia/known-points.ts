/**
 * Computes what `locate` should answer at the points of KNOWN_POINTS.md, independently of the
 * converter and the importer: straight from the raw GeoJSON (raw/), with
 * @turf/boolean-point-in-polygon on every feature. It also prints each point's distance to the
 * nearest edge of every boundary it lies in or near (a point within a few metres of an edge
 * could flip with rounding), and cross-checks each RCO found against rcos.csv's own overlay of
 * council districts. Run: `npx tsx src/datasets/philadelphia/known-points.ts`.
 */
import booleanPointInPolygon from '@turf/boolean-point-in-polygon';
import type { MultiPolygon, Polygon, Position } from 'geojson';
import { pathToFileURL } from 'node:url';
import { philadelphiaRawDir } from './convert.ts';
import { readPhiladelphiaRaw, type RawFeature } from './raw.ts';

export const KNOWN_POINTS = [
  { name: 'Philadelphia City Hall', latitude: 39.9526, longitude: -75.1636 },
  { name: 'Independence Hall', latitude: 39.9489, longitude: -75.15 },
  { name: 'Philadelphia Museum of Art', latitude: 39.9656, longitude: -75.181 },
  { name: 'Frankford Ave & Girard Ave (Fishtown)', latitude: 39.9697, longitude: -75.1347 },
  { name: 'Germantown Ave & Highland Ave (Chestnut Hill)', latitude: 40.0763, longitude: -75.2083 },
  { name: 'Camden City Hall, New Jersey (outside the city)', latitude: 39.9448, longitude: -75.1196 },
] as const;

/** Metres from the point to the nearest edge of the geometry (equirectangular; fine at city scale). */
export function distanceToEdge(geometry: Polygon | MultiPolygon, lon: number, lat: number): number {
  const mx = 111_320 * Math.cos((lat * Math.PI) / 180);
  const my = 110_574;
  const polygons = geometry.type === 'Polygon' ? [geometry.coordinates] : geometry.coordinates;
  let best = Infinity;
  for (const rings of polygons) {
    for (const ring of rings) {
      for (let i = 1; i < ring.length; i++) best = Math.min(best, segmentDistance(ring[i - 1]!, ring[i]!, lon, lat, mx, my));
    }
  }
  return best;
}

function segmentDistance(a: Position, b: Position, lon: number, lat: number, mx: number, my: number): number {
  const ax = (a[0]! - lon) * mx;
  const ay = (a[1]! - lat) * my;
  const bx = (b[0]! - lon) * mx;
  const by = (b[1]! - lat) * my;
  const dx = bx - ax;
  const dy = by - ay;
  const l2 = dx * dx + dy * dy;
  const t = l2 === 0 ? 0 : Math.max(0, Math.min(1, -(ax * dx + ay * dy) / l2));
  return Math.hypot(ax + t * dx, ay + t * dy);
}

function containing<P>(features: Array<RawFeature<P>>, lon: number, lat: number) {
  return features
    .filter((f) => booleanPointInPolygon([lon, lat], f.geometry))
    .map((f) => ({ properties: f.properties, edge: distanceToEdge(f.geometry, lon, lat) }));
}

async function main(): Promise<void> {
  const raw = await readPhiladelphiaRaw(philadelphiaRawDir);
  const shares = new Map(raw.rcos.map((r) => [r.lni_id, r.council_district_area_shares]));
  for (const p of KNOWN_POINTS) {
    const { longitude: lon, latitude: lat } = p;
    console.log(`\n## ${p.name} (${lat}, ${lon})`);
    const districts = containing(raw.councilDistricts, lon, lat);
    for (const d of districts) console.log(`council district ${d.properties.DISTRICT} (edge ${d.edge.toFixed(0)} m)`);
    const rcos = containing(raw.rcoBoundaries, lon, lat).sort((a, b) => a.properties.lni_id - b.properties.lni_id);
    for (const r of rcos) {
      const overlay = shares.get(String(r.properties.lni_id)) ?? '';
      const agrees = districts.every((d) => overlay.split(';').some((s) => s.startsWith(`${d.properties.DISTRICT}:`)));
      console.log(
        `RCO lni_id ${r.properties.lni_id} ${r.properties.organization_name} [${r.properties.org_type ?? 'untyped'}, expires ${r.properties.expirationyear}] ` +
          `(edge ${r.edge.toFixed(0)} m; rcos.csv districts ${overlay}${agrees ? '' : ' — DISAGREES'})`,
      );
    }
    for (const n of containing(raw.neighborhoods, lon, lat)) console.log(`neighborhood ${n.properties.MAPNAME} (edge ${n.edge.toFixed(0)} m)`);
    // Boundaries the point is outside of but close to: the answer there is fragile.
    const near = [...raw.councilDistricts, ...raw.rcoBoundaries, ...raw.neighborhoods].filter(
      (f) => !booleanPointInPolygon([lon, lat], f.geometry) && distanceToEdge(f.geometry, lon, lat) < 15,
    );
    for (const f of near) console.log(`NEAR (outside, < 15 m): ${JSON.stringify(f.properties).slice(0, 120)}`);
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
}
