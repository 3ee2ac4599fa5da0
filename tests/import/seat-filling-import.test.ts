import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { and, asc, eq } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/client.ts';
import { compositionRules, organizations, postNominators, posts } from '../../src/db/schema/index.ts';
import { DatasetValidationError, importDataset } from '../../src/import/index.ts';
import { copyDataset, editFile } from '../helpers/dataset-folder.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/test-database.ts';

/**
 * posts.csv's seat-filling columns and composition_rules.csv (issue 13): imported, stored,
 * re-imported unchanged, and refused with a message naming the file, line and field.
 */

const FILLING = ['voting', 'nominated_by', 'confirmed_by', 'alternate_for', 'term_anchor', 'stagger_classes', 'holdover_limit_months', 'term_limit_counting', 'min_age'] as const;
type Filling = Partial<Record<(typeof FILLING)[number], string>>;

/** Sets the seat-filling cells (empty in Portland's file) of the row of `org/key`. */
function setFilling(text: string, org: string, key: string, cells: Filling): string {
  const empty = ','.repeat(FILLING.length);
  return text
    .split('\n')
    .map((line) => {
      if (!line.startsWith(`${org},${key},`)) return line;
      if (!line.endsWith(empty)) throw new Error(`${org}/${key} already has filling cells`);
      return line.slice(0, -empty.length) + ',' + FILLING.map((c) => cells[c] ?? '').join(',');
    })
    .join('\n');
}

const RULES_HEADER = 'organization_key,code,rule,numerator,denominator,description,source\n';

let testDb: TestDatabase;
let db: Database;
let copy: Awaited<ReturnType<typeof copyDataset>>;

beforeAll(async () => {
  testDb = await createTestDatabase();
  db = testDb.handle.db;
});
afterAll(() => testDb.dispose());
beforeEach(async () => {
  copy = await copyDataset();
});
afterEach(() => copy.remove());

async function validationIssues(): Promise<readonly string[]> {
  const error = await importDataset(db, copy.dir).then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(DatasetValidationError);
  return (error as DatasetValidationError).issues;
}

async function postOf(org: string, key: string) {
  const [row] = await db
    .select({ post: posts })
    .from(posts)
    .innerJoin(organizations, eq(organizations.id, posts.organizationId))
    .where(and(eq(organizations.slug, org), eq(posts.sourceKey, key)));
  return row!.post;
}

describe('importing how seats are filled', () => {
  it('stores the columns, the nominators in order and the rules; a re-import changes nothing; a dropped rule is deleted', async () => {
    await editFile(copy.dir, 'posts.csv', (text) =>
      setFilling(
        setFilling(text, 'design-commission', 'member', {
          voting: 'true',
          nominated_by: 'post:city-council/district-2;org:city-council',
          confirmed_by: 'city-council',
          term_anchor: '04-01',
          stagger_classes: '2',
          holdover_limit_months: '2',
          term_limit_counting: 'TOTAL_TERMS',
          min_age: '16',
        }),
        'portland-utility-board',
        'ex-officio',
        { voting: 'false', alternate_for: 'member' },
      ),
    );
    await writeFile(
      join(copy.dir, 'composition_rules.csv'),
      `${RULES_HEADER}design-commission,council-nominees,MIN_SHARE_NOMINATED,1,2,At least half from nominees,Test\ndesign-commission,city-employees,MAX_SHARE_CITY_EMPLOYEES,1,4,,\n`,
    );
    const first = await importDataset(db, copy.dir);
    expect(first.counts.compositionRules).toEqual({ inserted: 2, updated: 0, unchanged: 0, deleted: 0 });

    const design = await postOf('design-commission', 'member');
    const council = await db.select().from(organizations).where(eq(organizations.slug, 'city-council'));
    expect(design).toMatchObject({
      voting: true,
      confirmedByOrganizationId: council[0]!.id,
      termAnchor: '04-01',
      staggerClasses: 2,
      holdoverLimitMonths: 2,
      termLimitCounting: 'TOTAL_TERMS',
      minAge: 16,
    });
    const district2 = await postOf('city-council', 'district-2');
    const nominators = await db.select().from(postNominators).where(eq(postNominators.postId, design.id)).orderBy(asc(postNominators.position));
    expect(nominators.map((n) => [n.nominatorPostId, n.nominatorOrganizationId])).toEqual([
      [district2.id, null],
      [null, council[0]!.id],
    ]);
    const exOfficio = await postOf('portland-utility-board', 'ex-officio');
    const member = await postOf('portland-utility-board', 'member');
    expect(exOfficio).toMatchObject({ voting: false, alternateForPostId: member.id });
    // Untouched columns keep their defaults.
    expect(member).toMatchObject({ voting: true, termLimitCounting: 'CONSECUTIVE_TERMS', termAnchor: null, alternateForPostId: null });

    const again = await importDataset(db, copy.dir);
    expect(again.counts.posts.updated).toBe(0);
    expect(again.counts.compositionRules).toEqual({ inserted: 0, updated: 0, unchanged: 2, deleted: 0 });
    const nominatorsAgain = await db.select().from(postNominators).where(eq(postNominators.postId, design.id)).orderBy(asc(postNominators.position));
    expect(nominatorsAgain).toEqual(nominators);

    await writeFile(join(copy.dir, 'composition_rules.csv'), `${RULES_HEADER}design-commission,council-nominees,MIN_SHARE_NOMINATED,2,3,Two thirds,Test\n`);
    const third = await importDataset(db, copy.dir);
    expect(third.counts.compositionRules).toEqual({ inserted: 0, updated: 1, unchanged: 0, deleted: 1 });
    const rules = await db.select().from(compositionRules).where(eq(compositionRules.organizationId, design.organizationId));
    expect(rules.map((r) => [r.code, r.rule, r.numerator, r.denominator])).toEqual([['council-nominees', 'MIN_SHARE_NOMINATED', 2, 3]]);
  });

  it('refuses dangling references, malformed cells and inconsistent term rules, naming each', async () => {
    await editFile(copy.dir, 'posts.csv', (text) => {
      let t = setFilling(text, 'design-commission', 'member', { nominated_by: 'post:city-council/district-9;org:no-such-org', confirmed_by: 'no-such-council' });
      t = setFilling(t, 'community-budget-advisory-board', 'member', { term_anchor: '02-30' });
      t = setFilling(t, 'planning-commission', 'member', { stagger_classes: '2', alternate_for: 'chair', voting: 'yes' });
      t = setFilling(t, 'historic-landmarks-commission', 'member', { term_anchor: '04-01', stagger_classes: '3', term_limit_counting: 'TOTAL_TERMS' });
      t = setFilling(t, 'portland-utility-board', 'member', { nominated_by: 'council member 7', min_age: '200', holdover_limit_months: '-1' });
      return t;
    });
    await writeFile(
      join(copy.dir, 'composition_rules.csv'),
      `${RULES_HEADER}no-such-board,half,MIN_SHARE_NOMINATED,1,2,,\nplanning-commission,half,MIN_SHARE_NOMINATED,1,2,,\nplanning-commission,half,MAX_SHARE_CITY_EMPLOYEES,1,4,,\nplanning-commission,more,MAX_SHARE_CITY_EMPLOYEES,5,4,,\nplanning-commission,odd,MOST_OF_THEM,1,2,,\n`,
    );
    const issues = await validationIssues();
    const expected = [
      /^posts\.csv line \d+ \(design-commission\/member\): nominated_by "post:city-council\/district-9" is not a post in posts\.csv$/,
      /^posts\.csv line \d+ \(design-commission\/member\): nominated_by "org:no-such-org" is not an organization in organizations\.csv$/,
      /^posts\.csv line \d+ \(design-commission\/member\): confirmed_by "no-such-council" is not an organization in organizations\.csv$/,
      /^posts\.csv line \d+ \(community-budget-advisory-board\/member\): term_anchor: must be a day of the year written MM-DD/,
      /^posts\.csv line \d+ \(planning-commission\/member\): voting: must be true or false$/,
      /^posts\.csv line \d+ \(historic-landmarks-commission\/member\): stagger_classes: must divide the term length in years/,
      /^posts\.csv line \d+ \(historic-landmarks-commission\/member\): term_limit_counting: needs a term_limit$/,
      /^posts\.csv line \d+ \(portland-utility-board\/member\): nominated_by: must be references separated by ;/,
      /^posts\.csv line \d+ \(portland-utility-board\/member\): min_age: must be a whole number of years from 0 to 120$/,
      /^posts\.csv line \d+ \(portland-utility-board\/member\): holdover_limit_months: must be a whole number$/,
      /^composition_rules\.csv line 2 \(no-such-board\/half\): organization_key "no-such-board" is not an organization in organizations\.csv$/,
      /^composition_rules\.csv line 4: duplicate rule "planning-commission\/half" \(first on line 3\)$/,
      /^composition_rules\.csv line 5 \(planning-commission\/more\): numerator: must not exceed denominator/,
      /^composition_rules\.csv line 6 \(planning-commission\/odd\): rule: must be MIN_SHARE_NOMINATED or MAX_SHARE_CITY_EMPLOYEES$/,
    ];
    for (const pattern of expected) expect(issues, `${pattern}\n${issues.join('\n')}`).toEqual(expect.arrayContaining([expect.stringMatching(pattern)]));
  });

  it('refuses a stagger without an anchor, and an alternate that is not a seat of the same body', async () => {
    await editFile(copy.dir, 'posts.csv', (text) =>
      setFilling(setFilling(text, 'design-commission', 'member', { stagger_classes: '2' }), 'historic-landmarks-commission', 'member', { alternate_for: 'chair' }),
    );
    const issues = await validationIssues();
    expect(issues).toEqual([
      expect.stringMatching(/^posts\.csv line \d+ \(design-commission\/member\): stagger_classes: needs a term_anchor$/),
      expect.stringMatching(/^posts\.csv line \d+ \(historic-landmarks-commission\/member\): alternate_for "chair" is not a post of organization "historic-landmarks-commission" in posts\.csv$/),
    ]);
  });

  it('refuses MIN_SHARE_NOMINATED on a body with no nominated seat, and a rule on a body with no voting seat', async () => {
    await editFile(copy.dir, 'posts.csv', (text) =>
      setFilling(setFilling(text, 'portland-utility-board', 'member', { voting: 'false' }), 'portland-utility-board', 'ex-officio', { voting: 'false' }),
    );
    await writeFile(join(copy.dir, 'composition_rules.csv'), `${RULES_HEADER}planning-commission,half,MIN_SHARE_NOMINATED,1,2,,\nportland-utility-board,staff,MAX_SHARE_CITY_EMPLOYEES,1,4,,\n`);
    expect(await validationIssues()).toEqual([
      'composition_rules.csv line 2 (planning-commission/half): MIN_SHARE_NOMINATED needs a voting seat of "planning-commission" with nominated_by in posts.csv',
      'composition_rules.csv line 3 (portland-utility-board/staff): organization "portland-utility-board" has no voting seat in posts.csv for the rule to apply to',
    ]);
  });
});
