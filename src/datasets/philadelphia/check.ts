/**
 * The converter's own checks, independent of the importer's version: the counts the sources state,
 * unique keys and ids, references that resolve, every boundary valid as the importer reads it (the
 * same GEOS check), and no overlap inside a kind whose policy is NEVER. Throws listing every problem.
 */
import { area } from '@turf/area';
import { earthRadius } from '@turf/helpers';
import type { MultiPolygon } from 'geojson';
import { OCD_DIVISION_ID, SLUG } from '../format.ts';
import { loadBoundaryReader } from '../../import/boundary-reader.ts';
import { bboxOf, bboxesIntersect, type BBox } from '../../import/geometry.ts';
import { openIntersections } from '../../import/geos.ts';
import type { Division, Organization, Post } from './contract.ts';
import { KINDS } from './kinds.ts';

/** What SOURCES.md and FACTS.md count (raw/SOURCES.md "Counts at a glance"). */
export const EXPECTED = {
  councilDistricts: 10,
  councilSeats: 17,
  rcos: 239,
  neighborhoods: 159,
  advisoryBodies: 5,
} as const;

/**
 * Overlap tolerated between two divisions of a NEVER kind, as a share of the smaller one: the shared
 * data rounded coordinates to 5 decimals (about 1 m), which leaves slivers of some m² along shared
 * edges of boundaries that tile in the source (SOURCES.md). The importer's overlap threshold is 0.5 %.
 */
export const NEVER_OVERLAP_TOLERANCE = 0.001;

export interface Records {
  divisions: Division[];
  organizations: Organization[];
  posts: Post[];
}

function duplicates(values: readonly string[]): string[] {
  const seen = new Set<string>();
  const twice = new Set<string>();
  for (const v of values) (seen.has(v) ? twice : seen).add(v);
  return [...twice];
}

export async function checkPhiladelphia({ divisions, organizations, posts }: Records): Promise<string[]> {
  const problems: string[] = [];
  const report: string[] = [];
  const expect = (what: string, actual: number, expected: number) => {
    if (actual !== expected) problems.push(`${what}: ${actual}, expected ${expected}`);
    else report.push(`${what}: ${actual}`);
  };
  const divisionsOf = (kind: string) => divisions.filter((d) => d.properties.kind === kind);
  const orgsOf = (kind: string) => organizations.filter((o) => o.kind === kind);

  expect('council districts', divisionsOf('COUNCIL_DISTRICT').length, EXPECTED.councilDistricts);
  expect('RCO areas', divisionsOf('RCO_AREA').length, EXPECTED.rcos);
  expect('neighborhoods', divisionsOf('NEIGHBORHOOD').length, EXPECTED.neighborhoods);
  expect('registered community organizations', orgsOf('REGISTERED_COMMUNITY_ORGANIZATION').length, EXPECTED.rcos);
  expect('advisory bodies', orgsOf('ADVISORY_BODY').length, EXPECTED.advisoryBodies);
  const council = orgsOf('COUNCIL');
  expect('councils', council.length, 1);
  const councilPosts = posts.filter((p) => p.organization_key === council[0]?.key);
  expect('council seats (sum of max_holders)', councilPosts.reduce((n, p) => n + p.max_holders, 0), EXPECTED.councilSeats);
  expect('single-holder district seats', councilPosts.filter((p) => p.division_key !== null && p.max_holders === 1).length, EXPECTED.councilDistricts);

  // Keys, ids and references.
  for (const d of duplicates(divisions.map((d) => d.properties.key))) problems.push(`duplicate division key ${d}`);
  for (const d of duplicates(divisions.map((d) => d.properties.ocdId))) problems.push(`duplicate ocdId ${d}`);
  for (const d of duplicates(organizations.map((o) => o.key))) problems.push(`duplicate organization key ${d}`);
  for (const d of duplicates(posts.map((p) => `${p.organization_key}/${p.key}`))) problems.push(`duplicate post ${d}`);
  const divisionKeys = new Set(divisions.map((d) => d.properties.key));
  const orgKeys = new Set(organizations.map((o) => o.key));
  const kindCodes = (scope: string) => new Set(KINDS.filter((k) => k.scope === scope).map((k) => k.code));
  for (const d of divisions) {
    if (!OCD_DIVISION_ID.test(d.properties.ocdId)) problems.push(`${d.properties.key}: bad ocdId ${d.properties.ocdId}`);
    if (!kindCodes('DIVISION').has(d.properties.kind)) problems.push(`${d.properties.key}: kind ${d.properties.kind} is not in kinds.csv`);
  }
  for (const o of organizations) {
    if (!SLUG.test(o.key)) problems.push(`organization key ${o.key} is not a slug`);
    if (!kindCodes('ORGANIZATION').has(o.kind)) problems.push(`${o.key}: kind ${o.kind} is not in kinds.csv`);
    if (o.division_key !== null && !divisionKeys.has(o.division_key)) problems.push(`${o.key}: no division ${o.division_key}`);
    const registration = KINDS.find((k) => k.scope === 'ORGANIZATION' && k.code === o.kind)?.recognition_model === 'REGISTRATION';
    if (registration !== (o.registration_expires_on !== null)) problems.push(`${o.key}: registration dates do not fit its kind`);
    if (o.registered_on && o.registration_expires_on && !(o.registered_on < o.registration_expires_on)) problems.push(`${o.key}: registered after it expires`);
  }
  const rcoAreas = new Set(orgsOf('REGISTERED_COMMUNITY_ORGANIZATION').map((o) => o.division_key));
  expect('RCO areas with exactly one RCO', divisionsOf('RCO_AREA').filter((d) => rcoAreas.has(d.properties.key)).length, EXPECTED.rcos);
  const postKeys = new Set(posts.map((p) => `${p.organization_key}/${p.key}`));
  for (const p of posts) {
    const where = `post ${p.organization_key}/${p.key}`;
    if (!orgKeys.has(p.organization_key)) problems.push(`${where}: no organization`);
    if (p.division_key !== null && !divisionKeys.has(p.division_key)) problems.push(`${where}: no division ${p.division_key}`);
    if (p.confirmed_by !== null && !orgKeys.has(p.confirmed_by)) problems.push(`${where}: confirmed_by ${p.confirmed_by} is no organization`);
    if (p.alternate_for !== null && !postKeys.has(`${p.organization_key}/${p.alternate_for}`)) problems.push(`${where}: alternate_for ${p.alternate_for} is no post`);
  }

  // Every boundary as the importer reads it: shape, limits, GEOS validity, some area.
  const readBoundary = await loadBoundaryReader();
  const shapes: Array<{ key: string; kind: string; boundary: MultiPolygon; bbox: BBox }> = [];
  for (const d of divisions) {
    if (d.geometry === null) continue;
    const reading = readBoundary(d.geometry);
    if (!reading.boundary) problems.push(...reading.problems.map((p) => `${d.properties.key}: geometry ${p.message}`));
    else shapes.push({ key: d.properties.key, kind: d.properties.kind, boundary: reading.boundary, bbox: bboxOf(reading.boundary) });
  }
  expect('valid boundaries (GEOS, as the importer reads them)', shapes.length, divisions.length);

  // Kinds whose divisions may never overlap must not.
  for (const kind of KINDS.filter((k) => k.scope === 'DIVISION' && k.overlap_policy === 'NEVER')) {
    const own = shapes.filter((s) => s.kind === kind.code);
    const intersections = await openIntersections(own.map((s) => s.boundary), earthRadius);
    let largest = { m2: 0, share: 0 };
    for (let i = 0; i < own.length; i++) {
      for (let j = i + 1; j < own.length; j++) {
        const a = own[i]!;
        const b = own[j]!;
        if (!bboxesIntersect(a.bbox, b.bbox)) continue;
        const m2 = intersections.area(i, j);
        if (m2 === null) throw new Error(`GEOS cannot intersect ${a.key} and ${b.key}`);
        const share = m2 / Math.min(area(a.boundary), area(b.boundary));
        largest = { m2: Math.max(largest.m2, m2), share: Math.max(largest.share, share) };
        if (share > NEVER_OVERLAP_TOLERANCE) problems.push(`${a.key} and ${b.key} overlap by ${m2.toFixed(1)} m² (${(share * 100).toFixed(3)} %), but ${kind.code} is NEVER`);
      }
    }
    intersections.close();
    report.push(
      `${kind.code} (NEVER): largest overlap between two ${kind.plural_name.toLowerCase()} ${largest.m2.toFixed(1)} m², ` +
        `largest share of the smaller ${(largest.share * 100).toFixed(4)} %`,
    );
  }

  if (problems.length) throw new Error(`Philadelphia dataset checks failed:\n  ${problems.join('\n  ')}`);
  return report;
}
