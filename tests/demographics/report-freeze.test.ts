import { randomBytes } from 'node:crypto';
import { and, eq, sql } from 'drizzle-orm';
import { createLogger } from '../../src/logger.ts';
import { afterAll, beforeAll, describe, expect, test, vi } from 'vitest';
import { applications, demographicResponses, divisions, jurisdictions, publishedReports, vacancyPostings } from '../../src/db/schema/index.ts';
import { toGlobalId } from '../../src/graphql/global-id.ts';
import { representationReportRoute } from '../../src/http/representation-report-route.ts';
import { createOrganization } from '../helpers/factories.ts';
import { startHttpInstance, type HttpInstance } from '../helpers/http-instance.ts';
import { createTestApi, type TestApi } from '../helpers/test-api.ts';

// The first read of a year's report freezes the year's whole publication set (every group, as
// published): nothing that changes afterwards (a body's kind, k, a late response, an application's
// interpretation need) can make two reads differ, and so give a withheld count away.

const REPORT = `query ($filter: RepresentationReportFilter!) {
  representationReport(filter: $filter) {
    minimumCount
    organization { name }
    bodyKind
    councilDistrict { name }
    respondents { category count isSuppressed share }
    questions { question selection statuses { category count isSuppressed share } categories { category count isSuppressed share baselineShare differenceFromBaseline } }
    interpretationRequests { requests { category count isSuppressed } languages { category count isSuppressed share } }
  }
}`;

const YEAR = 2037;
/** The true count of body B: withheld (complementary suppression of A's 7), never stored. */
const HIDDEN = 37;

let api: TestApi;
let http: HttpInstance;
let districtId: number;
let bodyA: number; // 7 respondents, COMMITTEE: the only committee with any
let bodyB: number; // 37 respondents, BOARD: the only board with any
let bodyC: number; // 41 respondents, COMMISSION
let postingId: number;

async function respond(n: number, organizationId: number, year = YEAR) {
  await api.db.insert(demographicResponses).values(
    Array.from({ length: n }, () => ({
      jurisdictionId: api.jurisdictionId,
      organizationId,
      context: 'APPLICANT' as const,
      reportingYear: year,
      answers: { HOUSING_TENURE: { status: 'ANSWERED' as const, values: ['RENT'] } },
    })),
  );
}

async function apply(n: number, interpretationNeeded: boolean, year = YEAR) {
  return api.db
    .insert(applications)
    .values(
      Array.from({ length: n }, () => ({
        jurisdictionId: api.jurisdictionId,
        postingId,
        tokenHash: randomBytes(16).toString('hex'),
        submittedAt: new Date(`${year}-06-01T12:00:00Z`),
        expiresAt: new Date(`${year}-09-01T12:00:00Z`),
        fullName: 'Private Applicant',
        email: 'private@example.org',
        preferredLanguage: 'es',
        interpretationNeeded,
      })),
    )
    .returning({ id: applications.id });
}

/** Every filter of the year: the city, each body kind, each body, a council district. */
function filters(): Record<string, unknown>[] {
  return [
    {},
    ...['BOARD', 'COMMISSION', 'COMMITTEE', 'TASK_FORCE', 'OTHER'].map((bodyKind) => ({ bodyKind })),
    ...[bodyA, bodyB, bodyC].map((id) => ({ organization: toGlobalId('Organization', id) })),
    { councilDistrict: toGlobalId('Division', districtId) },
  ];
}

function csvUrl(year: number, filter: Record<string, unknown>): string {
  const params = new URLSearchParams({ year: String(year), context: 'APPLICANT' });
  for (const [key, value] of Object.entries(filter)) params.set(key, String(value));
  return `${http.base}/exports/representation-report.csv?${params}`;
}

/** Every report of the year, through GraphQL (as JSON text) and as the CSV file. */
async function everyReport(year = YEAR): Promise<string[]> {
  const out: string[] = [];
  for (const filter of filters()) {
    const result = await api.execute(REPORT, { filter: { year, context: 'APPLICANT', ...filter } });
    expect(result.errors).toBeUndefined();
    out.push(JSON.stringify(result.data));
    const res = await fetch(csvUrl(year, filter));
    expect(res.status).toBe(200);
    out.push(await res.text());
  }
  return out;
}

async function body(id: number) {
  const result = await api.execute<any>(REPORT, { filter: { year: YEAR, context: 'APPLICANT', organization: toGlobalId('Organization', id) } });
  expect(result.errors).toBeUndefined();
  return result.data.representationReport;
}

/** Every number in a JSON value (object keys named `k` aside: that is the jurisdiction's k). */
function numbersIn(value: unknown, key = ''): number[] {
  if (typeof value === 'number') return key === 'k' ? [] : [value];
  if (Array.isArray(value)) return value.flatMap((v) => numbersIn(v));
  if (value && typeof value === 'object') return Object.entries(value).flatMap(([k, v]) => numbersIn(v, k));
  return [];
}

beforeAll(async () => {
  api = await createTestApi();
  http = await startHttpInstance(api.db, { routes: [representationReportRoute(api.db, 'portland', createLogger('silent'))] });
  const [district] = await api.db
    .select({ id: divisions.id })
    .from(divisions)
    .where(and(eq(divisions.jurisdictionId, api.jurisdictionId), eq(divisions.kind, 'COUNCIL_DISTRICT')))
    .limit(1);
  districtId = district!.id;
  const make = (name: string, bodyKind: 'BOARD' | 'COMMISSION' | 'COMMITTEE') =>
    createOrganization(api.db, { jurisdictionId: api.jurisdictionId, kind: 'ADVISORY_BODY', name, bodyKind }).then((o) => o.id);
  bodyA = await make('Freeze Committee', 'COMMITTEE');
  bodyB = await make('Freeze Board', 'BOARD');
  bodyC = await make('Freeze Commission', 'COMMISSION');
  for (const year of [YEAR, YEAR + 1]) {
    await respond(7, bodyA, year);
    await respond(HIDDEN, bodyB, year);
    await respond(41, bodyC, year);
  }
  const [posting] = await api.db
    .insert(vacancyPostings)
    .values({ jurisdictionId: api.jurisdictionId, organizationId: bodyC, title: 'Commissioners', status: 'OPEN', opensOn: `${YEAR}-01-01`, closesOn: `${YEAR + 2}-01-01`, seatsAvailable: 2 })
    .returning();
  postingId = posting!.id;
  await apply(12, true);
  await apply(12, true, YEAR + 1);
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(new Date('2060-06-01T12:00:00Z'));
});
afterAll(async () => {
  vi.useRealTimers();
  await http?.close();
  await api?.dispose();
});

describe('the first read freezes the year', () => {
  let first: string[];

  test('the scenario withholds body B (37) beside body A (7), and its kind beside A’s kind', async () => {
    first = await everyReport();
    expect((await body(bodyA)).respondents).toMatchObject({ count: null, isSuppressed: true });
    expect((await body(bodyB)).respondents).toMatchObject({ count: null, isSuppressed: true });
    expect((await body(bodyC)).respondents).toMatchObject({ count: 41, isSuppressed: false });
    expect(first.join('\n')).not.toMatch(new RegExp(`"count":${HIDDEN}\\b|,${HIDDEN},`));
  });

  test('stores one copy per (jurisdiction, year, context), holding no count from 1 to k-1 and no withheld true count', async () => {
    const rows = await api.db.select().from(publishedReports).where(and(eq(publishedReports.jurisdictionId, api.jurisdictionId), eq(publishedReports.reportingYear, YEAR)));
    expect(rows.map((r) => r.context)).toEqual(['APPLICANT']);
    const tables = rows[0]!.tables;
    expect(tables.k).toBe(10);
    expect(Object.keys(tables.groups)).toEqual(expect.arrayContaining(['city', 'kind:BOARD', 'kind:COMMITTEE', `body:${bodyA}`, `body:${bodyB}`, `district:${districtId}`]));
    const numbers = numbersIn(tables);
    expect(numbers.filter((n) => n > 0 && n < 10)).toEqual([]);
    expect(numbers).not.toContain(HIDDEN);
    expect(numbers).not.toContain(7);
    // The city (85 respondents, 12 interpretation requests) is there: the copy is not empty.
    expect(tables.groups.city!.respondents).toBe(85);
    expect(tables.groups.city!.interpretation.requests).toBe(12);
    expect(tables.groups[`body:${bodyB}`]!.respondents).toBeNull();
  });

  test('reclassifying a body’s kind (organizationUpdate) leaves every report of the year byte-identical', async () => {
    const changed = await api.execute<any>(
      `mutation ($input: OrganizationUpdateInput!) { organizationUpdate(input: $input) { organization { bodyKind } userErrors { code } } }`,
      { input: { organizationId: toGlobalId('Organization', bodyA), bodyKind: 'BOARD' } },
      { viewer: api.staff() },
    );
    expect(changed.data.organizationUpdate).toEqual({ organization: { bodyKind: 'BOARD' }, userErrors: [] });
    expect(await everyReport()).toEqual(first);
  });

  test('changing k leaves every report of the year byte-identical', async () => {
    await api.db.update(jurisdictions).set({ reportMinimumCount: 5 }).where(eq(jurisdictions.id, api.jurisdictionId));
    try {
      expect(await everyReport()).toEqual(first);
    } finally {
      await api.db.update(jurisdictions).set({ reportMinimumCount: 10 }).where(eq(jurisdictions.id, api.jurisdictionId));
    }
  });

  test('responses added for the year afterwards leave every report of the year byte-identical', async () => {
    await respond(3, bodyA);
    await respond(11, bodyB);
    expect(await everyReport()).toEqual(first);
  });

  test('a changed interpretation need leaves every report of the year byte-identical, and other contexts take the same requests', async () => {
    await apply(4, true);
    await api.db.execute(sql`update applications set interpretation_needed = false where id = (select min(id) from applications where posting_id = ${postingId})`);
    expect(await everyReport()).toEqual(first);
    const member = await api.execute<any>(REPORT, { filter: { year: YEAR, context: 'MEMBER' } });
    expect(member.data.representationReport.interpretationRequests.requests).toMatchObject({ count: 12, isSuppressed: false });
  });

  test('a body created after the first read reads as an empty group', async () => {
    const late = await createOrganization(api.db, { jurisdictionId: api.jurisdictionId, kind: 'ADVISORY_BODY', name: 'Freeze Latecomer', bodyKind: 'BOARD' });
    await respond(20, late.id);
    const report = await body(late.id);
    expect(report.organization).toEqual({ name: 'Freeze Latecomer' });
    expect(report.respondents).toMatchObject({ count: 0, isSuppressed: false });
    expect(report.interpretationRequests.requests).toMatchObject({ count: 0, isSuppressed: false });
    for (const q of report.questions) for (const cell of [...q.statuses, ...q.categories]) expect(cell).toMatchObject({ count: 0, isSuppressed: false });
  });

  test('a year not yet read is computed from the current data (the reclassification counts there)', async () => {
    // In the next year body A (7) is now a board beside B (37): BOARD = 44 is published, A and B are not.
    const boards = await api.execute<any>(REPORT, { filter: { year: YEAR + 1, context: 'APPLICANT', bodyKind: 'BOARD' } });
    expect(boards.data.representationReport.respondents).toMatchObject({ count: 44, isSuppressed: false });
    const committees = await api.execute<any>(REPORT, { filter: { year: YEAR + 1, context: 'APPLICANT', bodyKind: 'COMMITTEE' } });
    expect(committees.data.representationReport.respondents).toMatchObject({ count: 0, isSuppressed: false });
  });

  test('concurrent first reads of a year agree and store one copy', async () => {
    const year = YEAR + 5;
    await respond(15, bodyC, year);
    const results = await Promise.all(Array.from({ length: 4 }, () => api.execute(REPORT, { filter: { year, context: 'APPLICANT' } })));
    for (const r of results) expect(JSON.stringify(r.data)).toBe(JSON.stringify(results[0]!.data));
    const rows = await api.db.select({ id: publishedReports.id }).from(publishedReports).where(eq(publishedReports.reportingYear, year));
    expect(rows).toHaveLength(1);
  });
});
