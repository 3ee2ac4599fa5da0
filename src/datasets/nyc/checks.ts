/**
 * The converter's own checks on what it wrote, run before any file is written: counts, unique keys,
 * references, and every boundary as the importer checks it (src/import/geometry.ts and GEOS through
 * src/import/geos.ts). The converter repairs nothing: a failure stops it.
 */
import { DIVISION_KIND_CATEGORIES, OCD_DIVISION_ID, ORGANIZATION_KIND_CATEGORIES, SLUG } from '../format.ts';
import { geometryProblems, toMultiPolygon } from '../../import/geometry.ts';
import { loadValidityCheck } from '../../import/geos.ts';
import type { CompositionRuleRecord, KindRecord, NycDivision, NycOrganization, NycPost } from './records.ts';

/** The counts issue 13 states for New York, and the three bodies advisory_bodies.csv adds. */
export const EXPECTED_COUNTS = {
  divisions: { BOROUGH: 5, COMMUNITY_DISTRICT: 59, JOINT_INTEREST_AREA: 12, COUNCIL_DISTRICT: 51 },
  organizations: { COMMUNITY_BOARD: 59, COUNCIL: 1, ADVISORY_BODY: 3 },
  councilPosts: 51,
} as const;

/** The importer's limits on one boundary (FORMAT.md). */
const MAX_POSITIONS = 50_000;
const MAX_RINGS = 1_000;

const DIVISION_CATEGORIES: readonly string[] = DIVISION_KIND_CATEGORIES;
const ORGANIZATION_CATEGORIES: readonly string[] = ORGANIZATION_KIND_CATEGORIES;

export interface NycDataset {
  kinds: KindRecord[];
  divisions: NycDivision[];
  organizations: NycOrganization[];
  posts: NycPost[];
  rules: CompositionRuleRecord[];
}

function countBy<T>(items: readonly T[], key: (item: T) => string): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const item of items) counts[key(item)] = (counts[key(item)] ?? 0) + 1;
  return counts;
}

function duplicates(values: readonly string[]): string[] {
  const seen = new Set<string>();
  return [...new Set(values.filter((v) => seen.size === seen.add(v).size))];
}

/** Problems with the records themselves (no geometry); empty when the dataset is sound. */
export function recordProblems(d: NycDataset): string[] {
  const problems: string[] = [];
  const same = (what: string, actual: Record<string, number>, expected: Record<string, number>) => {
    if (JSON.stringify(Object.entries(actual).sort()) !== JSON.stringify(Object.entries(expected).sort())) {
      problems.push(`${what}: ${JSON.stringify(actual)}, expected ${JSON.stringify(expected)}`);
    }
  };
  same('divisions by kind', countBy(d.divisions, (x) => x.properties.kind), EXPECTED_COUNTS.divisions);
  same('organizations by kind', countBy(d.organizations, (o) => o.kind), EXPECTED_COUNTS.organizations);

  // Kinds: unique codes per scope, closed categories, policies where their scope needs them.
  for (const dup of duplicates(d.kinds.map((k) => `${k.scope}:${k.code}`))) problems.push(`kinds.csv: ${dup} twice`);
  for (const k of d.kinds) {
    if (!/^[A-Z][A-Z0-9_]*$/.test(k.code)) problems.push(`kinds.csv: bad code ${k.code}`);
    const division = k.scope === 'DIVISION';
    if (!(division ? DIVISION_CATEGORIES : ORGANIZATION_CATEGORIES).includes(k.category)) problems.push(`kinds.csv: ${k.code}: bad category ${k.category}`);
    if (division !== (k.overlap_policy !== null) || division === (k.recognition_model !== null)) problems.push(`kinds.csv: ${k.code}: policies do not fit its scope`);
  }
  const kindCodes = (scope: string) => new Set(d.kinds.filter((k) => k.scope === scope).map((k) => k.code));
  const divisionKinds = kindCodes('DIVISION');
  const organizationKinds = kindCodes('ORGANIZATION');

  // Divisions.
  const divisionKeys = new Set(d.divisions.map((x) => x.properties.key));
  for (const dup of duplicates(d.divisions.map((x) => x.properties.key))) problems.push(`division key ${dup} twice`);
  for (const dup of duplicates(d.divisions.map((x) => x.properties.ocdId))) problems.push(`OCD id ${dup} twice`);
  for (const { properties: p } of d.divisions) {
    if (!SLUG.test(p.key)) problems.push(`division key ${p.key} is not a slug`);
    if (!OCD_DIVISION_ID.test(p.ocdId)) problems.push(`${p.key}: bad OCD id ${p.ocdId}`);
    if (!divisionKinds.has(p.kind)) problems.push(`${p.key}: kind ${p.kind} is not in kinds.csv`);
    if (p.parentKey !== null && !divisionKeys.has(p.parentKey)) problems.push(`${p.key}: no parent ${p.parentKey}`);
  }

  // Organizations: one board per community district.
  const orgKeys = new Set(d.organizations.map((o) => o.key));
  for (const dup of duplicates(d.organizations.map((o) => o.key))) problems.push(`organization key ${dup} twice`);
  for (const o of d.organizations) {
    if (!SLUG.test(o.key)) problems.push(`organization key ${o.key} is not a slug`);
    if (!organizationKinds.has(o.kind)) problems.push(`${o.key}: kind ${o.kind} is not in kinds.csv`);
    if (o.division_key !== null && !divisionKeys.has(o.division_key)) problems.push(`${o.key}: no division ${o.division_key}`);
    if (o.roster_status !== 'NOT_RECORDED') problems.push(`${o.key}: a roster is recorded, but the data has none`);
  }
  const boardDistricts = d.organizations.filter((o) => o.kind === 'COMMUNITY_BOARD').map((o) => o.division_key ?? '(none)');
  for (const dup of duplicates(boardDistricts)) problems.push(`two community boards for ${dup}`);
  for (const x of d.divisions) {
    if (x.properties.kind === 'COMMUNITY_DISTRICT' && !boardDistricts.includes(x.properties.key)) problems.push(`${x.properties.key} has no board`);
  }
  for (const o of d.organizations) {
    if (o.kind === 'COMMUNITY_BOARD' && !d.divisions.some((x) => x.properties.key === o.division_key && x.properties.kind === 'COMMUNITY_DISTRICT')) {
      problems.push(`${o.key} serves no community district`);
    }
  }

  // Posts and the references of nominated_by.
  const postKeys = new Set(d.posts.map((p) => `${p.organization_key}/${p.key}`));
  for (const dup of duplicates([...d.posts.map((p) => `${p.organization_key}/${p.key}`)])) problems.push(`post ${dup} twice`);
  for (const p of d.posts) {
    const at = `post ${p.organization_key}/${p.key}`;
    if (!orgKeys.has(p.organization_key)) problems.push(`${at}: no organization`);
    if (!SLUG.test(p.key)) problems.push(`${at}: key is not a slug`);
    if (p.division_key !== null && !divisionKeys.has(p.division_key)) problems.push(`${at}: no division ${p.division_key}`);
    if (!(p.max_holders >= 1)) problems.push(`${at}: max_holders ${p.max_holders}`);
    for (const ref of p.nominated_by?.split(';') ?? []) {
      const post = /^post:([a-z0-9-]+)\/([a-z0-9-]+)$/.exec(ref);
      const org = /^org:([a-z0-9-]+)$/.exec(ref);
      if (post ? !postKeys.has(`${post[1]}/${post[2]}`) : !org || !orgKeys.has(org[1]!)) problems.push(`${at}: nominated_by ${ref} points nowhere`);
    }
    if (p.term_anchor !== null && !/^(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/.test(p.term_anchor)) problems.push(`${at}: term_anchor ${p.term_anchor}`);
  }
  const councilPosts = d.posts.filter((p) => p.organization_key === 'city-council' && p.selection_method === 'ELECTED');
  if (councilPosts.length !== EXPECTED_COUNTS.councilPosts) problems.push(`${councilPosts.length} council seats`);

  // Composition rules: two per board, on known organizations.
  for (const dup of duplicates(d.rules.map((r) => `${r.organization_key}/${r.code}`))) problems.push(`composition rule ${dup} twice`);
  for (const r of d.rules) {
    if (!orgKeys.has(r.organization_key)) problems.push(`composition rule ${r.code}: no organization ${r.organization_key}`);
    if (!(r.numerator > 0 && r.numerator <= r.denominator)) problems.push(`composition rule ${r.organization_key}/${r.code}: bad share`);
  }
  return problems;
}

/** Every boundary checked as the importer checks it, with GEOS's reason and place for an invalid one. */
export async function geometryProblemsOf(divisions: readonly NycDivision[]): Promise<string[]> {
  const isInvalid = await loadValidityCheck();
  const problems: string[] = [];
  for (const { properties, geometry } of divisions) {
    const shape = geometryProblems(geometry);
    if (shape.length) {
      problems.push(...shape.map((p) => `${properties.key}: ${p}`));
      continue;
    }
    const multi = toMultiPolygon(geometry);
    const rings = multi.coordinates.flat();
    const positions = rings.reduce((n, ring) => n + ring.length, 0);
    if (positions > MAX_POSITIONS) problems.push(`${properties.key}: ${positions} positions (at most ${MAX_POSITIONS})`);
    if (rings.length > MAX_RINGS) problems.push(`${properties.key}: ${rings.length} rings (at most ${MAX_RINGS})`);
    const invalid = isInvalid(multi);
    if (invalid) problems.push(`${properties.key}: ${invalid.reason} at ${JSON.stringify(invalid.location)}`);
  }
  return problems;
}

export async function checkDataset(d: NycDataset): Promise<void> {
  const problems = [...recordProblems(d), ...(await geometryProblemsOf(d.divisions))];
  if (problems.length) throw new Error(`the New York dataset fails its checks:\n${problems.join('\n')}`);
}
