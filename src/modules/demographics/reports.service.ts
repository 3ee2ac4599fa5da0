import type { ServiceScope } from '../../context.ts';
import type { DivisionRow, JurisdictionRow, OrganizationRow, PopulationBaselineRow, StoredCell, StoredPublication, StoredTable } from '../../db/schema/index.ts';
import { badUserInput, notFound } from '../../errors.ts';
import { decodeGlobalId } from '../../graphql/global-id.ts';
import { todayIn } from '../../graphql/dates.ts';
import { resolveJurisdiction } from '../jurisdictions/jurisdictions.service.ts';
import { buildDemographicSet, buildInterpretationSet, type GroupKey, type PublishedCell, type SetShape } from './publication-set.ts';
import { QUESTION_BY_KEY, type QuestionKey } from './questions.ts';
import {
  baselinesFor,
  demographicCounts,
  freezePublication,
  interpretationCounts,
  publishedReportsOf,
  reportShape,
} from './reports.repository.ts';

type BodyKind = NonNullable<OrganizationRow['bodyKind']>;
type Context = 'APPLICANT' | 'MEMBER' | 'EXIT';

export interface RepresentationReportFilter {
  year: number;
  context: Context;
  organization?: string | null;
  bodyKind?: BodyKind | null;
  councilDistrict?: string | null;
}

export interface ReportCell {
  category: string;
  count: number | null;
  isSuppressed: boolean;
  share: number | null;
  baselineShare: number | null;
  differenceFromBaseline: number | null;
}

export interface RepresentationReport {
  year: number;
  context: Context;
  organization: OrganizationRow | null;
  bodyKind: BodyKind | null;
  councilDistrict: DivisionRow | null;
  minimumCount: number;
  respondents: ReportCell;
  questions: { question: QuestionKey; selection: 'SINGLE' | 'MULTIPLE'; statuses: ReportCell[]; categories: ReportCell[] }[];
  interpretationRequests: { requests: ReportCell; languages: ReportCell[] };
  baselineDivision: DivisionRow | null;
  baselineSource: string | null;
}

/** The report's group: which table of the publication set the filter selects, checked against the jurisdiction. */
interface Selection {
  group: GroupKey;
  organization: OrganizationRow | null;
  councilDistrict: DivisionRow | null;
  /** The council district whose baseline applies (the filter's, or the body's area), else null. */
  baselineDistrictId: number | null;
}

async function selectionOf(ctx: ServiceScope, jurisdiction: JurisdictionRow, filter: RepresentationReportFilter, shape: Awaited<ReturnType<typeof reportShape>>): Promise<Selection> {
  const given = [filter.organization, filter.bodyKind, filter.councilDistrict].filter((v) => v != null).length;
  if (given > 1) throw badUserInput('Give at most one of filter.organization, filter.bodyKind and filter.councilDistrict', 'filter');
  if (filter.organization != null) {
    const id = decodeGlobalId(filter.organization, 'Organization', 'filter.organization');
    const body = shape.bodies.find((b) => b.id === id);
    // Another jurisdiction's body (or not an advisory body) reads as absent: its numbers are never in this set.
    const organization = body ? await ctx.loaders.organizationById.load(id) : null;
    if (!body || !organization || organization.jurisdictionId !== jurisdiction.id) throw notFound('No advisory body of this jurisdiction has that id');
    const baselineDistrictId = body.divisionId !== null && shape.districtIds.includes(body.divisionId) ? body.divisionId : null;
    return { group: `body:${id}`, organization, councilDistrict: null, baselineDistrictId };
  }
  if (filter.councilDistrict != null) {
    const id = decodeGlobalId(filter.councilDistrict, 'Division', 'filter.councilDistrict');
    const division = shape.districtIds.includes(id) ? await ctx.loaders.divisionById.load(id) : null;
    if (!division || division.jurisdictionId !== jurisdiction.id) throw notFound('No council district of this jurisdiction has that id');
    return { group: `district:${id}`, organization: null, councilDistrict: division, baselineDistrictId: id };
  }
  if (filter.bodyKind != null) return { group: `kind:${filter.bodyKind}`, organization: null, councilDistrict: null, baselineDistrictId: null };
  return { group: 'city', organization: null, councilDistrict: null, baselineDistrictId: null };
}

/** The baseline shown: the district's when it has one on record, else the city's; the latest source year first. */
function chooseBaseline(rows: PopulationBaselineRow[], districtId: number | null): { divisionId: number | null; source: string | null; shares: Map<string, number> } {
  const pick = (divisionId: number | null) => {
    const own = rows.filter((r) => r.divisionId === divisionId);
    if (own.length === 0) return null;
    const latest = [...own].sort((a, b) => b.sourceYear - a.sourceYear || a.source.localeCompare(b.source))[0]!;
    const shares = new Map(own.filter((r) => r.source === latest.source).map((r) => [`${r.question}/${r.category}`, r.share]));
    return { divisionId, source: latest.source, shares };
  };
  return (districtId !== null ? pick(districtId) : null) ?? pick(null) ?? { divisionId: null, source: null, shares: new Map() };
}

/** A published cell with its share of a published denominator (never of a suppressed one). */
function reportCell(category: string, cell: PublishedCell, denominator: PublishedCell | null, baselineShare: number | null): ReportCell {
  const share = cell.count !== null && denominator?.count != null && denominator.count > 0 ? cell.count / denominator.count : null;
  const differenceFromBaseline = share !== null && baselineShare !== null ? Math.round((share - baselineShare) * 1000) / 10 : null;
  return { category, count: cell.count, isSuppressed: cell.isSuppressed, share, baselineShare, differenceFromBaseline };
}

function publishedCell(count: StoredCell): PublishedCell {
  return count === null ? { count: null, isSuppressed: true } : { count, isSuppressed: false };
}

/** A group the frozen set does not hold (a body or district created later): nobody, nothing withheld. */
function emptyTable(publication: StoredPublication): StoredTable {
  const city = publication.groups.city!;
  const zero = ([name]: [string, StoredCell]): [string, StoredCell] => [name, 0];
  return {
    respondents: 0,
    questions: city.questions.map((q) => ({ question: q.question, statuses: q.statuses.map(zero), categories: q.categories.map(zero) })),
    interpretation: { requests: 0, languages: city.interpretation.languages.map(zero) },
  };
}

const stored = (cell: PublishedCell): StoredCell => (cell.isSuppressed ? null : cell.count);

/**
 * The whole publication set of a (year, context) as published: every group's suppressed cells,
 * withheld ones as null. Nothing else is kept: no true count of a withheld cell, no row.
 */
function publicationTables(
  setShape: SetShape,
  demographics: ReturnType<typeof buildDemographicSet>,
  interpretation: ReturnType<typeof buildInterpretationSet>,
): StoredPublication {
  const groups: Record<string, StoredTable> = {};
  for (const group of new Set<GroupKey>([...demographics.groups, ...interpretation.groups])) {
    const table = demographics.table(group);
    const requests = interpretation.interpretation(group);
    groups[group] = {
      respondents: stored(table.respondents),
      questions: table.questions.map((q) => ({
        question: q.question.key,
        statuses: q.statuses.map((s) => [s.status, stored(s.cell)]),
        categories: q.categories.map((c) => [c.category, stored(c.cell)]),
      })),
      interpretation: { requests: stored(requests.requests), languages: requests.languages.map((l) => [l.language, stored(l.cell)]) },
    };
  }
  return { k: setShape.k, groups };
}

/**
 * The frozen publication of a (year, context): the stored copy when the year's report of that
 * context has been read before; else the whole set computed now (every group, suppressed jointly),
 * stored, and read back, so that concurrent first reads serve one copy. The interpretation requests
 * are the same for every context: once one context of the year is frozen, the others take its
 * section, so two contexts never show two different versions of them.
 */
async function publicationOf(
  ctx: ServiceScope,
  jurisdiction: JurisdictionRow,
  year: number,
  context: Context,
  shape: Awaited<ReturnType<typeof reportShape>>,
): Promise<StoredPublication> {
  const frozen = await publishedReportsOf(ctx.db, jurisdiction.id, year);
  const own = frozen.get(context);
  if (own) return own;
  const setShape: SetShape = {
    k: jurisdiction.reportMinimumCount,
    bodyKinds: new Map(shape.bodies.map((b) => [b.id, b.bodyKind])),
    districtIds: shape.districtIds,
  };
  // One after another, and the API's own read before the reporting role's transaction (that role
  // can read the three views and nothing else).
  const interpretationRows = await interpretationCounts(ctx.db, jurisdiction.id, jurisdiction.timezone, year);
  const counts = await demographicCounts(ctx.db, jurisdiction.id, year, context);
  const tables = publicationTables(setShape, buildDemographicSet(setShape, counts), buildInterpretationSet(setShape, interpretationRows));
  const other = [...frozen.values()][0];
  if (other) {
    const none = emptyTable(other).interpretation;
    for (const [group, table] of Object.entries(tables.groups)) table.interpretation = other.groups[group]?.interpretation ?? none;
    for (const [group, table] of Object.entries(other.groups)) tables.groups[group] ??= { ...emptyTable(tables), interpretation: table.interpretation };
  }
  return freezePublication(ctx.db, jurisdiction.id, year, context, tables);
}

/**
 * The first day a year's report may be read, in the city's calendar. Reports are published only for
 * years that are over: while responses still arrive, the difference between two reads is what the
 * newest respondents answered (suppression protects a report, not the change between two of them).
 * The second of January, not the first, so that a response committed across midnight is in before
 * anyone reads; responses always count for the year they are given in, never an earlier one.
 */
export function reportOpensOn(year: number): string {
  return `${year + 1}-01-02`;
}

const MIN_YEAR = 2000;
const MAX_YEAR = 2100;

/**
 * Public: a suppressed report is safe to publish (see the SDL). The first read of a year that is
 * over freezes its publication (publicationOf); every later read serves that copy, filtered to the
 * group. The statements are the same for every filter: the shape (bodies, districts), the year's
 * frozen copies and the baselines; on the first read also the interpretation counts, the three
 * aggregate views as the reporting role, and the insert and read-back of the copy.
 */
export async function representationReport(ctx: ServiceScope, args: { jurisdiction?: string | null; filter: RepresentationReportFilter }): Promise<RepresentationReport> {
  const { filter } = args;
  if (!Number.isInteger(filter.year) || filter.year < MIN_YEAR || filter.year > MAX_YEAR) {
    throw badUserInput(`filter.year must be between ${MIN_YEAR} and ${MAX_YEAR}`, 'filter.year');
  }
  const jurisdiction = await resolveJurisdiction(ctx, args.jurisdiction);
  const opensOn = reportOpensOn(filter.year);
  if (todayIn(jurisdiction.timezone) < opensOn) {
    throw badUserInput(
      `The ${filter.year} report opens on ${opensOn}, once the year is over: a report of a year still taking responses would change with each one, and two reads apart would show what a new respondent answered`,
      'filter.year',
    );
  }
  const shape = await reportShape(ctx.db, jurisdiction.id);
  const selection = await selectionOf(ctx, jurisdiction, filter, shape);
  const publication = await publicationOf(ctx, jurisdiction, filter.year, filter.context, shape);
  const table = publication.groups[selection.group] ?? emptyTable(publication);
  const baselineRows = await baselinesFor(ctx.db, jurisdiction.id, selection.baselineDistrictId);
  const baseline = chooseBaseline(baselineRows, selection.baselineDistrictId);
  const respondents = publishedCell(table.respondents);
  const requests = publishedCell(table.interpretation.requests);

  return {
    year: filter.year,
    context: filter.context,
    organization: selection.organization,
    bodyKind: filter.bodyKind ?? null,
    councilDistrict: selection.councilDistrict,
    minimumCount: publication.k,
    respondents: reportCell('RESPONDENTS', respondents, null, null),
    questions: table.questions.map(({ question, statuses, categories }) => {
      const answered = publishedCell(statuses.find(([status]) => status === 'ANSWERED')![1]);
      return {
        question: question as QuestionKey,
        selection: QUESTION_BY_KEY.get(question as QuestionKey)!.selection,
        statuses: statuses.map(([status, count]) => reportCell(status, publishedCell(count), respondents, null)),
        categories: categories.map(([category, count]) =>
          reportCell(category, publishedCell(count), answered, baseline.shares.get(`${question}/${category}`) ?? null),
        ),
      };
    }),
    interpretationRequests: {
      requests: reportCell('REQUESTS', requests, null, null),
      languages: table.interpretation.languages.map(([language, count]) => reportCell(language, publishedCell(count), requests, null)),
    },
    baselineDivision: baseline.divisionId !== null ? ((await ctx.loaders.divisionById.load(baseline.divisionId)) ?? null) : null,
    baselineSource: baseline.source,
  };
}
