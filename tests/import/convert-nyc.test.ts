import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { beforeAll, describe, expect, it } from 'vitest';
import { geometryProblemsOf, recordProblems, type NycDataset } from '../../src/datasets/nyc/checks.ts';
import { buildNyc, nycDatasetDir, nycRawDir, serializeNyc } from '../../src/datasets/nyc/convert.ts';
import { KNOWN_POINTS, rawAnswers } from '../../src/datasets/nyc/known-points.ts';
import { disagreements } from '../../src/datasets/nyc/nominators.ts';
import { checkMeetingTime } from '../../src/datasets/nyc/organizations.ts';
import type { NycDivision } from '../../src/datasets/nyc/records.ts';

const clone = <T>(value: T): T => structuredClone(value);
// One conversion for the whole file: the overlaps take several seconds.
let built: ReturnType<typeof buildNyc> | null = null;
const build = () => (built ??= buildNyc(nycRawDir));

describe('the New York converter', () => {
  let files: Record<string, string>;
  let dataset: NycDataset;
  beforeAll(async () => {
    files = serializeNyc(await build());
    dataset = (await build()).dataset;
  }, 120_000);

  it('produces exactly the committed files (run `npm run dataset:nyc` after changing it)', async () => {
    expect(Object.keys(files).sort()).toEqual([
      'SOURCES.md',
      'composition_rules.csv',
      'divisions.geojson',
      'jurisdiction.json',
      'kinds.csv',
      'notice_deadlines.csv',
      'notice_procedures.csv',
      'notice_rules.csv',
      'organization_links.csv',
      'organizations.csv',
      'posts.csv',
    ]);
    for (const [name, content] of Object.entries(files)) {
      const committed = await readFile(join(nycDatasetDir, name), 'utf8');
      expect(committed === content, `${name} is stale`).toBe(true);
    }
  });

  it('has the city, its kinds and the counts of issue 13', () => {
    expect(JSON.parse(files['jurisdiction.json']!)).toEqual({
      slug: 'nyc',
      name: 'City of New York',
      ocdId: 'ocd-division/country:us/state:ny/place:new_york',
      timezone: 'America/New_York',
      defaultLocale: 'en',
      locales: ['en'],
      extent: { kind: 'BOROUGH' },
    });
    const count = (kind: string) => dataset.divisions.filter((d) => d.properties.kind === kind).length;
    expect([count('BOROUGH'), count('COMMUNITY_DISTRICT'), count('JOINT_INTEREST_AREA'), count('COUNCIL_DISTRICT')]).toEqual([5, 59, 12, 51]);
    const orgs = (kind: string) => dataset.organizations.filter((o) => o.kind === kind).length;
    expect([orgs('COMMUNITY_BOARD'), orgs('COUNCIL'), orgs('ADVISORY_BODY')]).toEqual([59, 1, 3]);
    expect(dataset.organizations.every((o) => o.roster_status === 'NOT_RECORDED' && o.roster_as_of === '2026-12-07')).toBe(true);
    const jia = dataset.kinds.find((k) => k.code === 'JOINT_INTEREST_AREA')!;
    expect(jia).toMatchObject({ scope: 'DIVISION', category: 'SPECIAL_AREA', overlap_policy: 'NEVER', locate: 'ONE' });
    expect(dataset.kinds.find((k) => k.code === 'COMMUNITY_BOARD')).toMatchObject({ recognition_model: 'NONE', locate: 'ONE' });
    // Joint interest areas have no board.
    const jiaKeys = dataset.divisions.filter((d) => d.properties.kind === 'JOINT_INTEREST_AREA').map((d) => d.properties.key);
    expect(dataset.organizations.filter((o) => jiaKeys.includes(o.division_key ?? ''))).toEqual([]);
  });

  it('uses the OCD ids of ocd_divisions.csv and mints the others in OCD form', () => {
    const byKey = new Map(dataset.divisions.map((d) => [d.properties.key, d.properties]));
    expect(byKey.get('council-district-7')!.ocdId).toBe('ocd-division/country:us/state:ny/place:new_york/council_district:7');
    expect(byKey.get('community-district-brooklyn-2')).toMatchObject({
      ocdId: 'ocd-division/country:us/state:ny/place:new_york/community_district:brooklyn_2',
      name: 'Brooklyn Community District 2',
      parentKey: 'borough-brooklyn',
    });
    expect(byKey.get('joint-interest-area-manhattan-64')).toMatchObject({ name: 'Central Park', parentKey: 'borough-manhattan' });
    expect(byKey.get('borough-staten-island')!.ocdId).toBe('ocd-division/country:us/state:ny/place:new_york/borough:staten_island');
  });

  it('gives a board its member seat with nominators from the overlapping council districts, ex officio seats and a district manager', () => {
    const posts = dataset.posts.filter((p) => p.organization_key === 'manhattan-community-board-5');
    expect(posts.map((p) => p.key)).toEqual([
      'council-member-district-2',
      'council-member-district-3',
      'council-member-district-4',
      'council-member-district-6',
      'district-manager',
      'member',
    ]);
    const member = posts.find((p) => p.key === 'member')!;
    expect(member).toMatchObject({
      appointing_authority: 'Manhattan Borough President',
      selection_method: 'APPOINTED',
      max_holders: 50,
      term_length_months: 24,
      term_limit: 4,
      voting: true,
      term_anchor: '04-01',
      stagger_classes: 2,
      holdover_limit_months: 2,
      term_limit_counting: 'CONSECUTIVE_TERMS',
      min_age: 16,
    });
    expect(member.nominated_by!.split(';').sort()).toEqual([
      'post:city-council/district-2',
      'post:city-council/district-3',
      'post:city-council/district-4',
      'post:city-council/district-6',
    ]);
    expect(posts.find((p) => p.key === 'council-member-district-4')).toMatchObject({ selection_method: 'EX_OFFICIO', voting: false, max_holders: 1 });
    expect(posts.find((p) => p.key === 'district-manager')).toMatchObject({ voting: false, takes_applications: false, max_holders: 1 });
    const board = dataset.organizations.find((o) => o.key === 'manhattan-community-board-5')!;
    expect(board.description).toContain('Regular full-board meeting: ');
    expect(board.website).toBe('http://www.cb5.org/');
    expect(dataset.rules.filter((r) => r.organization_key === board.key).map((r) => [r.code, r.rule, r.numerator, r.denominator])).toEqual([
      ['city-employees', 'MAX_SHARE_CITY_EMPLOYEES', 1, 4],
      ['council-nominees', 'MIN_SHARE_NOMINATED', 1, 2],
    ]);
    // Bronx CB 2 has no website in the source: empty, not invented.
    expect(dataset.organizations.find((o) => o.key === 'bronx-community-board-2')!.website).toBeNull();
    expect(dataset.rules).toHaveLength(118);
  });

  it('has the council seats the nominators point to, and the three commissions split by appointing authority', () => {
    const council = dataset.posts.filter((p) => p.organization_key === 'city-council');
    expect(council).toHaveLength(51);
    expect(council.find((p) => p.key === 'district-7')).toMatchObject({ division_key: 'council-district-7', max_holders: 1, selection_method: 'ELECTED', term_limit: 2 });
    const seats = (org: string) => dataset.posts.filter((p) => p.organization_key === org).reduce((n, p) => n + p.max_holders, 0);
    expect([seats('city-planning-commission'), seats('civilian-complaint-review-board'), seats('landmarks-preservation-commission')]).toEqual([13, 15, 11]);
  });

  it('writes CSV files whose rows have exactly the header\'s columns', () => {
    for (const name of ['kinds.csv', 'organizations.csv', 'posts.csv', 'composition_rules.csv', 'organization_links.csv']) {
      const rows = parse(files[name]!, { relax_column_count: false }) as string[][];
      expect(new Set(rows.map((r) => r.length)).size, name).toBe(1);
    }
  });
});

describe('the New York converter checks', () => {
  let dataset: NycDataset;
  beforeAll(async () => {
    dataset = (await build()).dataset;
  }, 120_000);

  it('finds nothing wrong with the dataset', async () => {
    expect(recordProblems(dataset)).toEqual([]);
  });

  it('refuses a duplicated key, a dangling nominator and a wrong count', () => {
    const broken = clone(dataset);
    broken.organizations.push({ ...broken.organizations[0]! });
    const member = broken.posts.find((p) => p.organization_key === 'queens-community-board-7' && p.key === 'member')!;
    member.nominated_by = 'post:city-council/district-52';
    broken.divisions = broken.divisions.filter((d) => d.properties.key !== 'borough-queens');
    const problems = recordProblems(broken);
    expect(problems).toEqual(
      expect.arrayContaining([
        'organization key bronx-community-board-1 twice',
        'post queens-community-board-7/member: nominated_by post:city-council/district-52 points nowhere',
        expect.stringMatching(/^divisions by kind: .*"BOROUGH":4/),
        'community-district-queens-1: no parent borough-queens',
      ]),
    );
  });

  it('refuses a self-crossing boundary with GEOS\'s reason and place, as the importer would', async () => {
    const bowTie: NycDivision = {
      ...clone(dataset.divisions[0]!),
      geometry: { type: 'Polygon', coordinates: [[[-74, 40.7], [-73.9, 40.8], [-73.9, 40.7], [-74, 40.8], [-74, 40.7]]] },
    };
    const problems = await geometryProblemsOf([bowTie]);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^borough-bronx: Self-intersection at \[-73\.95,40\.75\]$/);
    const open = { ...bowTie, geometry: { type: 'Polygon' as const, coordinates: [[[-74, 40.7], [-73.9, 40.8], [-73.9, 40.7], [-74, 40.75]]] } };
    expect(await geometryProblemsOf([open])).toEqual(['borough-bronx: coordinates[0]: ring is not closed (its first and last positions differ)']);
  });

  it('cross-checks the nominators against the source overlay and reports a disagreement', () => {
    expect(disagreements('CB', [{ district: 3, share: 0.6 }, { district: 4, share: 0.4 }], [[3, 0.6], [4, 0.4]])).toEqual([]);
    expect(disagreements('CB', [{ district: 3, share: 0.6 }], [[3, 0.55], [4, 0.45]])).toEqual([
      'CB: district 3 covers 60.00 %, the source says 55.0 %',
      'CB: district 4 (45.00 %) is only in the source',
    ]);
    // Within the tolerance of the 0.5 % threshold, either side may have rounded across it.
    expect(disagreements('CB', [{ district: 3, share: 0.994 }], [[3, 0.994], [4, 0.006]])).toEqual([]);
  });

  it('reads the meeting times of the source and stops on other wording', () => {
    expect(checkMeetingTime('Third Monday (fourth Monday in January and February), 7:00pm')).toBeTruthy();
    expect(checkMeetingTime('4th Tuesday of the month, 7:00pm')).toBeTruthy();
    expect(() => checkMeetingTime('monthly')).toThrow(/unrecognized full_board_meeting "monthly"/);
  });
});

describe('New York known points (KNOWN_POINTS.md)', () => {
  it('the raw GeoJSON gives the written-down answer at every point', () => {
    const answers = rawAnswers(nycRawDir, KNOWN_POINTS);
    expect(answers).toEqual(KNOWN_POINTS.map((p) => p.expected));
  });
});
