import { QUESTIONS, type Question } from './questions.ts';
import { suppress, type Cell, type Line } from './suppression.ts';

/**
 * Builds the publication set of one (jurisdiction, year, context) from the aggregate views' rows,
 * suppresses it jointly (./suppression.ts) and answers any report as a view of it. Pure: no SQL.
 */

/** A table of the set: the city, a body kind, a body, a council district (`UNKNOWN`: district not known). */
export type GroupKey = 'city' | `kind:${string}` | `body:${number}` | `district:${number | 'UNKNOWN'}`;

/** Respondents of one finest group (body × council district), as `demographics.respondent_counts`. */
export interface RespondentRow {
  organizationId: number;
  councilDistrictId: number | null;
  respondents: number;
}
/** Respondents per question and status of one finest group (`demographics.status_counts`). */
export interface StatusRow extends Omit<RespondentRow, 'respondents'> {
  question: string;
  status: string;
  respondents: number;
}
/** Choices per question and category of one finest group (`demographics.answer_counts`, ANSWERED rows). */
export interface AnswerRow extends Omit<RespondentRow, 'respondents'> {
  question: string;
  status: string;
  category: string | null;
  responses: number;
}

export interface SetShape {
  k: number;
  /** Body kind of every body that may appear (null: not classified, folded into a kind no filter selects). */
  bodyKinds: ReadonlyMap<number, string | null>;
  /** Council districts of the jurisdiction (every one is a table, zeros included). */
  districtIds: readonly number[];
}

/** Statuses a report lists for every question, in this order. */
export const REPORTED_STATUSES = ['ANSWERED', 'DECLINED', 'DONT_KNOW', 'NOT_ASKED'] as const;
/** Open-list values (languages, ZIP codes) with fewer than k in the whole city are reported together as this. */
export const OTHER_CATEGORY = 'OTHER';
/** Answered without a category (should not happen for closed lists; kept so the lines add up). */
export const UNSPECIFIED_CATEGORY = 'UNSPECIFIED';

export interface PublishedCell {
  /** Null when suppressed. */
  count: number | null;
  isSuppressed: boolean;
}

export interface PublishedQuestion {
  question: Question;
  statuses: { status: string; cell: PublishedCell }[];
  categories: { category: string; cell: PublishedCell }[];
}

export interface PublishedTable {
  respondents: PublishedCell;
  questions: PublishedQuestion[];
}

const UNCLASSIFIED_KIND = 'UNCLASSIFIED';

/** The groups a finest group (body × district) counts in. */
function groupsOf(shape: SetShape, organizationId: number, councilDistrictId: number | null): GroupKey[] {
  const kind = shape.bodyKinds.get(organizationId) ?? UNCLASSIFIED_KIND;
  return ['city', `kind:${kind}`, `body:${organizationId}`, `district:${councilDistrictId ?? 'UNKNOWN'}`];
}

/** Every group of the set and its parent lines: [parent, children[]]. */
function hierarchy(shape: SetShape, bodies: readonly number[]): { groups: GroupKey[]; parentLines: [GroupKey, GroupKey[]][] } {
  const kinds = new Map<string, GroupKey[]>();
  for (const body of bodies) {
    const kind = shape.bodyKinds.get(body) ?? UNCLASSIFIED_KIND;
    if (!kinds.has(kind)) kinds.set(kind, []);
    kinds.get(kind)!.push(`body:${body}`);
  }
  const kindKeys = [...kinds.keys()].map((k) => `kind:${k}` as GroupKey);
  const bodyKeys = bodies.map((b) => `body:${b}` as GroupKey);
  const districtKeys: GroupKey[] = [...shape.districtIds.map((d) => `district:${d}` as GroupKey), 'district:UNKNOWN'];
  const parentLines: [GroupKey, GroupKey[]][] = [
    ['city', kindKeys],
    ['city', bodyKeys],
    ['city', districtKeys],
    ...[...kinds].map(([kind, children]) => [`kind:${kind}`, children] as [GroupKey, GroupKey[]]),
  ];
  return { groups: ['city', ...kindKeys, ...bodyKeys, ...districtKeys], parentLines };
}

/**
 * A generic jointly suppressed set of tables: `cellsOf(row)` names the cells a finest row adds to;
 * the tables are the city, kinds, bodies and districts; the caller gives each table's own lines.
 */
class CellSet {
  readonly cells: Cell[] = [];
  readonly lines: Line[] = [];
  private readonly index = new Map<string, number>();

  cell(group: GroupKey, name: string, virtual = false): number {
    const key = `${group}|${name}`;
    let i = this.index.get(key);
    if (i === undefined) {
      i = this.cells.length;
      this.cells.push({ value: 0, group, virtual });
      this.index.set(key, i);
    }
    return i;
  }

  find(group: GroupKey, name: string): number | undefined {
    return this.index.get(`${group}|${name}`);
  }
}

/** A jointly suppressed publication set; `table(group)` is what a report of that group may show. */
export interface PublicationSet {
  k: number;
  table(group: GroupKey): PublishedTable;
  /** For tests: the true count behind a cell name of a group (never used by the API). */
  trueCount(group: GroupKey, name: string): number;
  isSuppressed(group: GroupKey, name: string): boolean;
  /** Every group of the set. */
  groups: readonly GroupKey[];
  /** Every cell name of a group (respondents, `Q/status/S`, `Q/category/C`). */
  cellNames: readonly string[];
}

export interface BuildOptions {
  /** Leave complementary suppression out (only to show that the tests catch its absence). */
  complementary?: boolean;
}

/** Folds open-list values with fewer than k in the whole city into OTHER, so no rare value is named. */
function categoryLists(shape: SetShape, answers: readonly AnswerRow[]): Map<string, string[]> {
  const cityTotals = new Map<string, Map<string, number>>();
  for (const row of answers) {
    if (row.status !== 'ANSWERED' || row.category === null) continue;
    const totals = cityTotals.get(row.question) ?? new Map<string, number>();
    totals.set(row.category, (totals.get(row.category) ?? 0) + row.responses);
    cityTotals.set(row.question, totals);
  }
  const lists = new Map<string, string[]>();
  for (const question of QUESTIONS) {
    if (question.categories) {
      lists.set(question.key, [...question.categories, UNSPECIFIED_CATEGORY]);
    } else {
      const frequent = [...(cityTotals.get(question.key) ?? new Map<string, number>())].filter(([, n]) => n >= shape.k).map(([c]) => c).sort();
      lists.set(question.key, [...frequent, OTHER_CATEGORY, UNSPECIFIED_CATEGORY]);
    }
  }
  return lists;
}

function categoryOf(lists: Map<string, string[]>, question: string, category: string | null): string {
  if (category === null) return UNSPECIFIED_CATEGORY;
  const list = lists.get(question)!;
  if (list.includes(category) && category !== UNSPECIFIED_CATEGORY && category !== OTHER_CATEGORY) return category;
  // A rare open-list value is OTHER; a code a closed list does not know (the form refuses them) is UNSPECIFIED.
  return list.includes(OTHER_CATEGORY) ? OTHER_CATEGORY : UNSPECIFIED_CATEGORY;
}

/** The demographic publication set of one (jurisdiction, year, context). */
export function buildDemographicSet(
  shape: SetShape,
  rows: { respondents: readonly RespondentRow[]; statuses: readonly StatusRow[]; answers: readonly AnswerRow[] },
  options: BuildOptions = {},
): PublicationSet {
  const set = new CellSet();
  const bodies = [...new Set([...shape.bodyKinds.keys(), ...rows.respondents.map((r) => r.organizationId)])].sort((a, b) => a - b);
  const { groups, parentLines } = hierarchy(shape, bodies);
  const lists = categoryLists(shape, rows.answers);

  // Cell names, the same in every group.
  const names: string[] = ['respondents'];
  const groupLines: { total: string; parts: string[] }[] = [];
  for (const question of QUESTIONS) {
    const q = question.key;
    const statusNames = REPORTED_STATUSES.map((s) => `${q}/status/${s}`);
    const categoryNames = lists.get(q)!.map((c) => `${q}/category/${c}`);
    names.push(...statusNames, ...categoryNames);
    groupLines.push({ total: 'respondents', parts: statusNames });
    if (question.selection === 'SINGLE') {
      groupLines.push({ total: 'respondents', parts: [...statusNames.slice(1), ...categoryNames] });
      groupLines.push({ total: `${q}/status/ANSWERED`, parts: categoryNames });
    } else {
      for (const name of categoryNames) groupLines.push({ total: `${q}/status/ANSWERED`, parts: [name, `${name}/not-chosen`] });
    }
  }
  // On a MULTIPLE open-list question, OTHER counts choices, not people (one respondent naming nine
  // rare languages is 9): it is never published, whatever its value.
  const choiceCounts = new Set(QUESTIONS.filter((q) => q.selection === 'MULTIPLE' && lists.get(q.key)!.includes(OTHER_CATEGORY)).map((q) => `${q.key}/category/${OTHER_CATEGORY}`));
  for (const group of groups) for (const name of names) set.cell(group, name, choiceCounts.has(name));

  for (const row of rows.respondents) {
    for (const group of groupsOf(shape, row.organizationId, row.councilDistrictId)) {
      set.cells[set.cell(group, 'respondents')]!.value += row.respondents;
      // NOT_ASKED starts at every respondent; each stated status takes its respondents away below.
      for (const question of QUESTIONS) set.cells[set.cell(group, `${question.key}/status/NOT_ASKED`)]!.value += row.respondents;
    }
  }
  for (const row of rows.statuses) {
    if (!lists.has(row.question) || !REPORTED_STATUSES.includes(row.status as never) || row.status === 'NOT_ASKED') continue;
    for (const group of groupsOf(shape, row.organizationId, row.councilDistrictId)) {
      set.cells[set.cell(group, `${row.question}/status/${row.status}`)]!.value += row.respondents;
      set.cells[set.cell(group, `${row.question}/status/NOT_ASKED`)]!.value -= row.respondents;
    }
  }
  for (const row of rows.answers) {
    if (!lists.has(row.question) || row.status !== 'ANSWERED') continue;
    const category = categoryOf(lists, row.question, row.category);
    for (const group of groupsOf(shape, row.organizationId, row.councilDistrictId)) {
      set.cells[set.cell(group, `${row.question}/category/${category}`)]!.value += row.responses;
    }
  }
  // The answerers of a MULTIPLE question who did not choose a category: never published, protected.
  for (const question of QUESTIONS.filter((q) => q.selection === 'MULTIPLE')) {
    for (const group of groups) {
      const answered = set.cells[set.cell(group, `${question.key}/status/ANSWERED`)]!.value;
      for (const category of lists.get(question.key)!) {
        const name = `${question.key}/category/${category}`;
        set.cells[set.cell(group, `${name}/not-chosen`, true)]!.value = Math.max(0, answered - set.cells[set.cell(group, name)]!.value);
      }
    }
  }

  for (const group of groups) {
    for (const line of groupLines) set.lines.push({ total: set.cell(group, line.total), parts: line.parts.map((p) => set.cell(group, p)) });
  }
  for (const [parent, children] of parentLines) {
    for (const name of names) set.lines.push({ total: set.cell(parent, name), parts: children.map((c) => set.cell(c, name)) });
  }
  return finish(set, shape.k, groups, names, options, (published, group) => ({
    respondents: published(group, 'respondents'),
    questions: QUESTIONS.map((question) => ({
      question,
      statuses: REPORTED_STATUSES.map((status) => ({ status, cell: published(group, `${question.key}/status/${status}`) })),
      categories: lists.get(question.key)!.map((category) => ({ category, cell: published(group, `${question.key}/category/${category}`) })),
    })),
  }));
}

/** Interpretation requests of one year: applicants who asked for it, per finest group and preferred language. */
export interface InterpretationRow {
  organizationId: number;
  councilDistrictId: number | null;
  language: string | null;
  requests: number;
}

export interface PublishedInterpretation {
  requests: PublishedCell;
  languages: { language: string; cell: PublishedCell }[];
}

/** The interpretation-request publication set: requests per group, and per language (rare ones as OTHER). */
export function buildInterpretationSet(
  shape: SetShape,
  rows: readonly InterpretationRow[],
  options: BuildOptions = {},
): PublicationSet & { interpretation(group: GroupKey): PublishedInterpretation } {
  const set = new CellSet();
  const bodies = [...new Set([...shape.bodyKinds.keys(), ...rows.map((r) => r.organizationId)])].sort((a, b) => a - b);
  const { groups, parentLines } = hierarchy(shape, bodies);
  const cityTotals = new Map<string, number>();
  for (const row of rows) if (row.language !== null) cityTotals.set(row.language, (cityTotals.get(row.language) ?? 0) + row.requests);
  const frequent = [...cityTotals].filter(([, n]) => n >= shape.k).map(([l]) => l).sort();
  const languages = [...frequent, OTHER_CATEGORY, UNSPECIFIED_CATEGORY];
  const names = ['requests', ...languages.map((l) => `language/${l}`)];
  for (const group of groups) for (const name of names) set.cell(group, name);
  for (const row of rows) {
    const language = row.language === null ? UNSPECIFIED_CATEGORY : frequent.includes(row.language) ? row.language : OTHER_CATEGORY;
    for (const group of groupsOf(shape, row.organizationId, row.councilDistrictId)) {
      set.cells[set.cell(group, 'requests')]!.value += row.requests;
      set.cells[set.cell(group, `language/${language}`)]!.value += row.requests;
    }
  }
  for (const group of groups) set.lines.push({ total: set.cell(group, 'requests'), parts: languages.map((l) => set.cell(group, `language/${l}`)) });
  for (const [parent, children] of parentLines) {
    for (const name of names) set.lines.push({ total: set.cell(parent, name), parts: children.map((c) => set.cell(c, name)) });
  }
  const result = finish(set, shape.k, groups, names, options, (published, group) => ({ respondents: published(group, 'requests'), questions: [] }), 'requests');
  return {
    ...result,
    interpretation: (group) => ({
      requests: result.published(group, 'requests'),
      languages: languages.map((language) => ({ language, cell: result.published(group, `language/${language}`) })),
    }),
  };
}

function finish(
  set: CellSet,
  k: number,
  groups: GroupKey[],
  names: string[],
  options: BuildOptions,
  toTable: (published: (group: GroupKey, name: string) => PublishedCell, group: GroupKey) => PublishedTable,
  respondentsName = 'respondents',
): PublicationSet & { published: (group: GroupKey, name: string) => PublishedCell } {
  const groupRespondents = new Map(groups.map((g) => [g, set.cell(g, respondentsName)]));
  const suppressed = suppress({ k, cells: set.cells, lines: set.lines, groupRespondents }, options);
  // A group outside the set (a body or district with no answers at all) reads as all zeros.
  const published = (group: GroupKey, name: string): PublishedCell => {
    const i = set.find(group, name);
    if (i === undefined) return { count: 0, isSuppressed: false };
    return suppressed[i] ? { count: null, isSuppressed: true } : { count: set.cells[i]!.value, isSuppressed: false };
  };
  return {
    k,
    groups,
    cellNames: names,
    published,
    table: (group) => toTable(published, group),
    trueCount: (group, name) => {
      const i = set.find(group, name);
      return i === undefined ? 0 : set.cells[i]!.value;
    },
    isSuppressed: (group, name) => {
      const i = set.find(group, name);
      return i !== undefined && suppressed[i]!;
    },
  };
}
