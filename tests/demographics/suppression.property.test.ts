import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import {
  buildDemographicSet,
  buildInterpretationSet,
  type AnswerRow,
  type BuildOptions,
  type GroupKey,
  type InterpretationRow,
  type PublicationSet,
  type RespondentRow,
  type SetShape,
  type StatusRow,
} from '../../src/modules/demographics/publication-set.ts';
import { QUESTIONS } from '../../src/modules/demographics/questions.ts';
import { suppress } from '../../src/modules/demographics/suppression.ts';

// The promise of the reports, checked on random populations: no published report, and no pair of
// reports with different filters, lets a count from 1 to k-1 be recovered by subtraction; every
// published count is the true count. Pure: the engine and the set, without a database.

/** One response as the form stores it, reduced to what the tests vary. */
interface Response {
  body: number;
  district: number | null;
  /** HOUSING_TENURE (single choice): a category, or a status other than ANSWERED. */
  tenure: string;
  /** RACE_ETHNICITY (multiple choice): the categories chosen, or a status. */
  race: string[] | 'DECLINED' | 'DONT_KNOW' | 'NOT_ASKED';
}

const TENURE = ['OWN', 'RENT', 'UNHOUSED', 'DECLINED', 'DONT_KNOW', 'NOT_ASKED'];
const RACES = ['ASIAN', 'BLACK_AFRICAN_AMERICAN', 'HISPANIC_LATINO', 'WHITE'];
const KINDS = ['BOARD', 'COMMISSION', 'COMMITTEE', null] as const;

interface Population {
  k: number;
  bodyKinds: (string | null)[];
  districts: number;
  responses: Response[];
}

const population: fc.Arbitrary<Population> = fc
  .record({
    k: fc.integer({ min: 5, max: 15 }),
    bodyKinds: fc.array(fc.constantFrom(...KINDS), { minLength: 1, maxLength: 8 }),
    districts: fc.integer({ min: 1, max: 4 }),
  })
  .chain(({ k, bodyKinds, districts }) =>
    fc.record({
      k: fc.constant(k),
      bodyKinds: fc.constant(bodyKinds),
      districts: fc.constant(districts),
      responses: fc.array(
        fc.record({
          // Skewed towards the first bodies and categories, so groups of every size appear.
          body: fc.integer({ min: 0, max: bodyKinds.length - 1 }).chain((b) => fc.integer({ min: 0, max: b })),
          district: fc.option(fc.integer({ min: 0, max: districts - 1 }), { freq: 6 }),
          tenure: fc.constantFrom(...TENURE, 'RENT', 'RENT', 'OWN'),
          race: fc.oneof(
            { weight: 5, arbitrary: fc.subarray(RACES, { minLength: 1, maxLength: 2 }) },
            { weight: 1, arbitrary: fc.constantFrom('DECLINED' as const, 'DONT_KNOW' as const, 'NOT_ASKED' as const) },
          ),
        }),
        { maxLength: 150 },
      ),
    }),
  );

const BODY_ID = (i: number) => 100 + i;
const DISTRICT_ID = (i: number) => 900 + i;

/** The three aggregate views' rows for a population, as the database computes them. */
function viewRows(p: Population): { respondents: RespondentRow[]; statuses: StatusRow[]; answers: AnswerRow[] } {
  const respondents = new Map<string, RespondentRow>();
  const statuses = new Map<string, StatusRow>();
  const answers = new Map<string, AnswerRow>();
  const bump = <T>(map: Map<string, T>, key: string, make: () => T, add: (row: T) => void) => {
    if (!map.has(key)) map.set(key, make());
    add(map.get(key)!);
  };
  for (const r of p.responses) {
    const organizationId = BODY_ID(r.body);
    const councilDistrictId = r.district === null ? null : DISTRICT_ID(r.district);
    const g = `${organizationId}|${councilDistrictId}`;
    bump(respondents, g, () => ({ organizationId, councilDistrictId, respondents: 0 }), (row) => row.respondents++);
    const answer = (question: string, status: string, categories: string[]) => {
      if (status === 'NOT_ASKED') return;
      bump(statuses, `${g}|${question}|${status}`, () => ({ organizationId, councilDistrictId, question, status, respondents: 0 }), (row) => row.respondents++);
      for (const category of categories) {
        bump(answers, `${g}|${question}|${category}`, () => ({ organizationId, councilDistrictId, question, status, category, responses: 0 }), (row) => row.responses++);
      }
    };
    if (['DECLINED', 'DONT_KNOW', 'NOT_ASKED'].includes(r.tenure)) answer('HOUSING_TENURE', r.tenure, []);
    else answer('HOUSING_TENURE', 'ANSWERED', [r.tenure]);
    if (typeof r.race === 'string') answer('RACE_ETHNICITY', r.race, []);
    else answer('RACE_ETHNICITY', 'ANSWERED', r.race);
  }
  return { respondents: [...respondents.values()], statuses: [...statuses.values()], answers: [...answers.values()] };
}

function shapeOf(p: Population): SetShape {
  return {
    k: p.k,
    bodyKinds: new Map(p.bodyKinds.map((kind, i) => [BODY_ID(i), kind])),
    districtIds: Array.from({ length: p.districts }, (_, i) => DISTRICT_ID(i)),
  };
}

/** The groups a reader can ask a report of (every filter), and the nested pairs of them. */
function reports(p: Population): { all: GroupKey[]; nested: [GroupKey, GroupKey][] } {
  const bodies = p.bodyKinds.map((_, i) => `body:${BODY_ID(i)}` as GroupKey);
  const kinds = [...new Set(p.bodyKinds.filter((k) => k !== null))].map((k) => `kind:${k}` as GroupKey);
  const districts = Array.from({ length: p.districts }, (_, i) => `district:${DISTRICT_ID(i)}` as GroupKey);
  const nested: [GroupKey, GroupKey][] = [
    ...[...kinds, ...bodies, ...districts].map((g) => ['city', g] as [GroupKey, GroupKey]),
    ...p.bodyKinds.flatMap((kind, i) => (kind === null ? [] : [[`kind:${kind}`, `body:${BODY_ID(i)}`] as [GroupKey, GroupKey]])),
  ];
  return { all: ['city', ...kinds, ...bodies, ...districts], nested };
}

const small = (n: number, k: number) => n > 0 && n < k;

/** A number published cells let a reader compute, if it is from 1 to k-1; else null. */
type Leak = { how: string; value: number } | null;

/**
 * Every difference the tests try: a total minus its published parts within one report; a parent
 * minus its published children; a report's cell minus a nested report's same cell.
 */
function findLeak(p: Population, set: PublicationSet, names: { single: string[][]; multiple: { answered: string; categories: string[] }[] }): Leak {
  const { k } = p;
  const value = (g: GroupKey, name: string) => (set.isSuppressed(g, name) ? null : set.trueCount(g, name));
  const { all, nested } = reports(p);
  // Within one report: total minus the published parts of an additive line.
  const lines: [string, string[]][] = [];
  for (const parts of names.single) lines.push(['respondents', parts]);
  for (const q of ['HOUSING_TENURE', 'RACE_ETHNICITY']) lines.push(['respondents', ['ANSWERED', 'DECLINED', 'DONT_KNOW', 'NOT_ASKED'].map((s) => `${q}/status/${s}`)]);
  for (const m of names.multiple) for (const c of m.categories) lines.push([m.answered, [c]]);
  for (const g of all) {
    for (const [total, parts] of lines) {
      const t = value(g, total);
      if (t === null) continue;
      const rest = t - parts.reduce((sum, part) => sum + (value(g, part) ?? 0), 0);
      if (small(rest, k)) return { how: `${g}: ${total} minus published ${parts.join('+')}`, value: rest };
    }
  }
  // Parent minus its published children, for every cell.
  const bodies = p.bodyKinds.map((_, i) => `body:${BODY_ID(i)}` as GroupKey);
  const districts = [...Array.from({ length: p.districts }, (_, i) => `district:${DISTRICT_ID(i)}` as GroupKey), 'district:UNKNOWN' as GroupKey];
  const kinds = [...new Set(p.bodyKinds.map((k) => k ?? 'UNCLASSIFIED'))];
  const families: [GroupKey, GroupKey[]][] = [
    ['city', bodies],
    ['city', districts],
    ['city', kinds.map((k) => `kind:${k}` as GroupKey)],
    ...kinds.map((kind) => [`kind:${kind}`, p.bodyKinds.flatMap((k, i) => ((k ?? 'UNCLASSIFIED') === kind ? [`body:${BODY_ID(i)}` as GroupKey] : []))] as [GroupKey, GroupKey[]]),
  ];
  for (const name of set.cellNames) {
    for (const [parent, children] of families) {
      const t = value(parent, name);
      if (t === null) continue;
      const rest = t - children.reduce((sum, c) => sum + (value(c, name) ?? 0), 0);
      if (small(rest, k)) return { how: `${parent} minus published children, ${name}`, value: rest };
    }
    // Report A's cell minus nested report B's cell.
    for (const [a, b] of nested) {
      const [va, vb] = [value(a, name), value(b, name)];
      if (va !== null && vb !== null && small(va - vb, k)) return { how: `${a} minus ${b}, ${name}`, value: va - vb };
    }
  }
  return null;
}

/**
 * A stronger reader: knows every published cell of every report a filter can ask for, writes down
 * every equation (within a group: respondents = statuses, respondents = the other statuses and the
 * categories of HOUSING_TENURE, its ANSWERED = its categories; across groups, for every cell: the
 * city = the bodies = the districts = the kinds, a kind = its bodies) and solves any equation with
 * one unknown, again and again, carrying what it found into the next. A count from 1 to k-1 found
 * that way is a leak.
 */
function chainedLeak(p: Population, set: PublicationSet): Leak {
  const bodies = p.bodyKinds.map((_, i) => `body:${BODY_ID(i)}`);
  const districts = [...Array.from({ length: p.districts }, (_, i) => `district:${DISTRICT_ID(i)}`), 'district:UNKNOWN'];
  const kinds = [...new Set(p.bodyKinds.map((k) => k ?? 'UNCLASSIFIED'))];
  const groups = ['city', ...kinds.map((k) => `kind:${k}`), ...bodies, ...districts];
  const readable = new Set(reports(p).all as string[]);
  const known = new Map<string, number>();
  for (const g of groups) {
    if (!readable.has(g)) continue;
    for (const n of set.cellNames) if (!set.isSuppressed(g as GroupKey, n)) known.set(`${g}|${n}`, set.trueCount(g as GroupKey, n));
  }
  const tenure = set.cellNames.filter((n) => n.startsWith('HOUSING_TENURE/category/'));
  const equations: { total: string; parts: string[] }[] = [];
  for (const g of groups) {
    for (const q of ['HOUSING_TENURE', 'RACE_ETHNICITY']) {
      equations.push({ total: `${g}|respondents`, parts: ['ANSWERED', 'DECLINED', 'DONT_KNOW', 'NOT_ASKED'].map((s) => `${g}|${q}/status/${s}`) });
    }
    equations.push({ total: `${g}|respondents`, parts: [...['DECLINED', 'DONT_KNOW', 'NOT_ASKED'].map((s) => `${g}|HOUSING_TENURE/status/${s}`), ...tenure.map((c) => `${g}|${c}`)] });
    equations.push({ total: `${g}|HOUSING_TENURE/status/ANSWERED`, parts: tenure.map((c) => `${g}|${c}`) });
  }
  const families: [string, string[]][] = [
    ['city', bodies],
    ['city', districts],
    ['city', kinds.map((k) => `kind:${k}`)],
    ...kinds.map((kind) => [`kind:${kind}`, p.bodyKinds.flatMap((k, i) => ((k ?? 'UNCLASSIFIED') === kind ? [`body:${BODY_ID(i)}`] : []))] as [string, string[]]),
  ];
  for (const n of set.cellNames) for (const [parent, children] of families) equations.push({ total: `${parent}|${n}`, parts: children.map((c) => `${c}|${n}`) });
  for (let changed = true; changed; ) {
    changed = false;
    for (const { total, parts } of equations) {
      const unknown = [total, ...parts].filter((c) => !known.has(c));
      if (unknown.length !== 1) continue;
      const cell = unknown[0]!;
      const sum = parts.reduce((acc, c) => acc + (known.get(c) ?? 0), 0);
      const found = cell === total ? sum : known.get(total)! - sum;
      known.set(cell, found);
      changed = true;
      if (small(found, p.k)) return { how: `solved ${cell} from the equations`, value: found };
    }
  }
  return null;
}

/** Few bodies, few districts, mostly answered: the shapes where one withheld cell stands alone in an equation. */
const sparsePopulation: fc.Arbitrary<Population> = fc
  .record({
    k: fc.integer({ min: 5, max: 15 }),
    bodyKinds: fc.array(fc.constantFrom('BOARD', 'COMMISSION', null), { minLength: 2, maxLength: 3 }),
    districts: fc.integer({ min: 1, max: 2 }),
  })
  .chain(({ k, bodyKinds, districts }) =>
    fc.record({
      k: fc.constant(k),
      bodyKinds: fc.constant(bodyKinds),
      districts: fc.constant(districts),
      responses: fc.array(
        fc.record({
          body: fc.integer({ min: 0, max: bodyKinds.length - 1 }),
          district: fc.option(fc.integer({ min: 0, max: districts - 1 }), { freq: 10 }),
          tenure: fc.constantFrom('RENT', 'RENT', 'RENT', 'OWN', 'OWN', 'DECLINED'),
          race: fc.constantFrom<Response['race']>(['WHITE'], ['WHITE'], ['ASIAN'], ['WHITE', 'ASIAN'], 'DECLINED'),
        }),
        { minLength: 10, maxLength: 120 },
      ),
    }),
  );

function cellNames(set: PublicationSet) {
  const tenure = set.cellNames.filter((n) => n.startsWith('HOUSING_TENURE/category/'));
  const race = set.cellNames.filter((n) => n.startsWith('RACE_ETHNICITY/category/'));
  return {
    single: [['HOUSING_TENURE/status/DECLINED', 'HOUSING_TENURE/status/DONT_KNOW', 'HOUSING_TENURE/status/NOT_ASKED', ...tenure]],
    multiple: [
      { answered: 'HOUSING_TENURE/status/ANSWERED', categories: tenure },
      { answered: 'RACE_ETHNICITY/status/ANSWERED', categories: race },
    ],
  };
}

function demographicLeak(p: Population, options: BuildOptions = {}): Leak {
  const set = buildDemographicSet(shapeOf(p), viewRows(p), options);
  return findLeak(p, set, cellNames(set));
}

describe('suppression properties (random populations, k from 5 to 15)', () => {
  test('no report and no pair of nested reports lets a count from 1 to k-1 be recovered by subtraction', () => {
    fc.assert(
      fc.property(population, (p) => {
        const leak = demographicLeak(p);
        if (leak) throw new Error(`${leak.how} = ${leak.value} (k ${p.k})`);
      }),
      { numRuns: 300 },
    );
  });

  test('no chain of equations across every report, solved one unknown at a time, recovers a count from 1 to k-1', () => {
    for (const arbitrary of [population, sparsePopulation]) {
      fc.assert(
        fc.property(arbitrary, (p) => {
          const leak = chainedLeak(p, buildDemographicSet(shapeOf(p), viewRows(p)));
          if (leak) throw new Error(`${leak.how} = ${leak.value} (k ${p.k})`);
        }),
        { numRuns: 400 },
      );
    }
  });

  test('every published count is the true count, and none is from 1 to k-1', () => {
    fc.assert(
      fc.property(population, (p) => {
        const set = buildDemographicSet(shapeOf(p), viewRows(p));
        for (const g of reports(p).all) {
          const table = set.table(g);
          const cells = [
            { name: 'respondents', cell: table.respondents },
            ...table.questions.flatMap((q) => [
              ...q.statuses.map((s) => ({ name: `${q.question.key}/status/${s.status}`, cell: s.cell })),
              ...q.categories.map((c) => ({ name: `${q.question.key}/category/${c.category}`, cell: c.cell })),
            ]),
          ];
          for (const { name, cell } of cells) {
            if (cell.isSuppressed) expect(cell.count).toBeNull();
            else {
              expect(cell.count).toBe(set.trueCount(g, name));
              expect(small(cell.count!, p.k)).toBe(false);
            }
          }
        }
      }),
      { numRuns: 150 },
    );
  });

  test('a group with fewer than k respondents publishes no breakdown', () => {
    fc.assert(
      fc.property(population, (p) => {
        const set = buildDemographicSet(shapeOf(p), viewRows(p));
        for (const g of reports(p).all) {
          if (!small(set.trueCount(g, 'respondents'), p.k)) continue;
          const table = set.table(g);
          expect(table.respondents.isSuppressed).toBe(true);
          for (const q of table.questions) for (const c of [...q.statuses, ...q.categories]) expect(c.cell.isSuppressed).toBe(true);
        }
      }),
      { numRuns: 150 },
    );
  });

  test('interpretation requests are protected the same way', () => {
    const requests = fc.record({
      k: fc.integer({ min: 5, max: 15 }),
      bodyKinds: fc.array(fc.constantFrom(...KINDS), { minLength: 1, maxLength: 6 }),
      districts: fc.integer({ min: 1, max: 3 }),
      responses: fc.constant([] as Response[]),
      asks: fc.array(fc.record({ body: fc.nat(5), district: fc.option(fc.nat(2)), language: fc.option(fc.constantFrom('es', 'es', 'vi', 'zh-hans', 'so')) }), { maxLength: 80 }),
    });
    fc.assert(
      fc.property(requests, (p) => {
        const rows: InterpretationRow[] = p.asks.map((a) => ({
          organizationId: BODY_ID(a.body % p.bodyKinds.length),
          councilDistrictId: a.district === null ? null : DISTRICT_ID(a.district % p.districts),
          language: a.language,
          requests: 1,
        }));
        const set = buildInterpretationSet(shapeOf(p), rows);
        const languages = set.cellNames.filter((n) => n.startsWith('language/'));
        // Reuse the checks: "respondents" is the request count here.
        const leak = findLeak(p, { ...set, trueCount: (g, n) => set.trueCount(g, n === 'respondents' ? 'requests' : n), isSuppressed: (g, n) => set.isSuppressed(g, n === 'respondents' ? 'requests' : n) }, {
          single: [languages],
          multiple: [],
        });
        if (leak) throw new Error(`${leak.how} = ${leak.value} (k ${p.k})`);
      }),
      { numRuns: 200 },
    );
  });

  test('the properties catch a set without complementary suppression (so they can fail)', () => {
    const outcome = fc.check(
      fc.property(population, (p) => demographicLeak(p, { complementary: false }) === null),
      { numRuns: 300 },
    );
    expect(outcome.failed).toBe(true);
  });
});

describe('suppression examples a person can read', () => {
  const k = 10;

  test('a small body (3 respondents) is fully suppressed, and the body kind and city do not give it away', () => {
    // Board A: 20 respondents, all RENT. Board B: 3, all OWN.
    const p: Population = {
      k,
      bodyKinds: ['BOARD', 'BOARD'],
      districts: 1,
      responses: [
        ...Array.from({ length: 20 }, () => ({ body: 0, district: 0, tenure: 'RENT', race: ['WHITE'] }) as Response),
        ...Array.from({ length: 3 }, () => ({ body: 1, district: 0, tenure: 'OWN', race: ['ASIAN'] }) as Response),
      ],
    };
    const set = buildDemographicSet(shapeOf(p), viewRows(p));
    const b = set.table(`body:${BODY_ID(1)}`);
    expect(b.respondents).toEqual({ count: null, isSuppressed: true });
    expect(b.questions.every((q) => [...q.statuses, ...q.categories].every((c) => c.cell.isSuppressed))).toBe(true);
    // BOARD = A + B: publishing both BOARD's and A's respondents would give B's 3.
    const board = set.table('kind:BOARD');
    const a = set.table(`body:${BODY_ID(0)}`);
    expect(board.respondents.isSuppressed || a.respondents.isSuppressed).toBe(true);
    expect(demographicLeak(p)).toBeNull();
  });

  test('a withheld cell found exactly in one report cannot be carried into another (the chained case)', () => {
    // Two boards, k 10. X: 37 rent, 3 declined. Y: 30 rent, 15 declined. Withholding X's 3 and, as
    // its complement, Y's 15 is not enough: Y's own report gives 15 = 45 - 30, and then the city's
    // declined (18) minus 15 gives X's 3. Every equation must keep two unknowns.
    const response = (body: number, tenure: string): Response => ({ body, district: 0, tenure, race: ['WHITE'] });
    const p: Population = {
      k: 10,
      bodyKinds: ['BOARD', 'BOARD'],
      districts: 1,
      responses: [
        ...Array.from({ length: 37 }, () => response(0, 'RENT')),
        ...Array.from({ length: 3 }, () => response(0, 'DECLINED')),
        ...Array.from({ length: 30 }, () => response(1, 'RENT')),
        ...Array.from({ length: 15 }, () => response(1, 'DECLINED')),
      ],
    };
    const set = buildDemographicSet(shapeOf(p), viewRows(p));
    expect(set.isSuppressed(`body:${BODY_ID(0)}` as GroupKey, 'HOUSING_TENURE/status/DECLINED')).toBe(true);
    expect(chainedLeak(p, set)).toBeNull();
  });

  test('OTHER on a multiple-choice question counts choices, not people, and is never published', () => {
    // 30 answer LANGUAGES_AT_HOME with English; one of them also names nine rare languages. OTHER
    // would be 9, published at k 9, and be one person.
    const rare = ['am', 'hy', 'ka', 'ku', 'mn', 'ps', 'sq', 'ti', 'yo'];
    const at = { organizationId: BODY_ID(0), councilDistrictId: DISTRICT_ID(0) };
    const set = buildDemographicSet(
      { k: 9, bodyKinds: new Map([[BODY_ID(0), 'BOARD']]), districtIds: [DISTRICT_ID(0)] },
      {
        respondents: [{ ...at, respondents: 30 }],
        statuses: [{ ...at, question: 'LANGUAGES_AT_HOME', status: 'ANSWERED', respondents: 30 }],
        answers: [
          { ...at, question: 'LANGUAGES_AT_HOME', status: 'ANSWERED', category: 'en', responses: 30 },
          ...rare.map((category) => ({ ...at, question: 'LANGUAGES_AT_HOME', status: 'ANSWERED', category, responses: 1 })),
        ],
      },
    );
    expect(set.trueCount('city', 'LANGUAGES_AT_HOME/category/OTHER')).toBe(9);
    for (const group of ['city', `body:${BODY_ID(0)}`, 'kind:BOARD'] as GroupKey[]) {
      expect(set.isSuppressed(group, 'LANGUAGES_AT_HOME/category/OTHER')).toBe(true);
      expect(set.isSuppressed(group, 'LANGUAGES_AT_HOME/category/en')).toBe(false);
    }
  });

  test('the classic case: a total and all but one category published would reveal the one', () => {
    // 30 respondents; 27 RENT, 3 OWN. Primary suppression hides OWN = 3; 30 - 27 would reveal it.
    const cells = [
      { value: 30, group: 'g' }, // 0 respondents
      { value: 27, group: 'g' }, // 1 RENT
      { value: 3, group: 'g' }, // 2 OWN
      { value: 0, group: 'g' }, // 3 UNHOUSED
    ];
    const input = { k, cells, lines: [{ total: 0, parts: [1, 2, 3] }], groupRespondents: new Map([['g', 0]]) };
    expect(suppress(input, { complementary: false })).toEqual([false, false, true, false]);
    // With complementary suppression RENT goes too (the smallest positive published part): 30 − 0 = 30.
    expect(suppress(input)).toEqual([false, true, true, false]);
  });

  test('two small parts of a published total hide each other when they add up to k or more', () => {
    const cells = [
      { value: 12, group: 'g' }, // total
      { value: 3, group: 'g' },
      { value: 9, group: 'g' },
    ];
    // Both parts are under k; the reader learns only that they add up to 12.
    expect(suppress({ k, cells, lines: [{ total: 0, parts: [1, 2] }], groupRespondents: new Map() })).toEqual([false, true, true]);
  });

  test('on a multiple-choice question, the answerers who did not choose a category are protected', () => {
    // 12 answered, 11 chose WHITE: publishing both says one person is not white.
    const p: Population = {
      k,
      bodyKinds: ['COMMISSION'],
      districts: 1,
      responses: [
        ...Array.from({ length: 11 }, () => ({ body: 0, district: 0, tenure: 'RENT', race: ['WHITE'] }) as Response),
        { body: 0, district: 0, tenure: 'RENT', race: ['BLACK_AFRICAN_AMERICAN'] },
      ],
    };
    const set = buildDemographicSet(shapeOf(p), viewRows(p));
    expect(set.isSuppressed('city', 'RACE_ETHNICITY/status/ANSWERED') || set.isSuppressed('city', 'RACE_ETHNICITY/category/WHITE')).toBe(true);
    expect(demographicLeak(p)).toBeNull();
  });

  test('the catalog questions all appear in a table, in the catalog order', () => {
    const p: Population = { k, bodyKinds: ['BOARD'], districts: 1, responses: [] };
    const set = buildDemographicSet(shapeOf(p), viewRows(p));
    expect(set.table('city').questions.map((q) => q.question.key)).toEqual(QUESTIONS.map((q) => q.key));
  });
});
