import { randomBytes } from 'node:crypto';
import { and, eq, sql } from 'drizzle-orm';
import { createLogger } from '../../src/logger.ts';
import { afterAll, beforeAll, describe, expect, test, vi } from 'vitest';
import { applications, auditEvents, demographicResponses, divisions, populationBaselines, vacancyPostings } from '../../src/db/schema/index.ts';
import { toGlobalId } from '../../src/graphql/global-id.ts';
import { representationReportRoute } from '../../src/http/representation-report-route.ts';
import { BaselineCsvError, councilDistrictsByOcdId, parseBaselineCsv } from '../../src/modules/demographics/baselines.ts';
import { organizationBySlug } from '../helpers/factories.ts';
import { startHttpInstance, type HttpInstance } from '../helpers/http-instance.ts';
import { createTestApi, type TestApi } from '../helpers/test-api.ts';

// Population baselines (CSV import by staff), interpretation requests, and the CSV export of the
// published report.

const IMPORT = `mutation ($input: PopulationBaselineImportInput!) {
  populationBaselineImport(input: $input) { importedCount userErrors { code field message } }
}`;

const REPORT = `query ($filter: RepresentationReportFilter!) {
  representationReport(filter: $filter) {
    baselineSource baselineDivision { name }
    questions { question categories { category count share baselineShare differenceFromBaseline } }
    interpretationRequests { requests { count isSuppressed } languages { category count isSuppressed share } }
  }
}`;

let api: TestApi;
let districts: { id: number; ocdId: string; name: string }[];
const YEAR = 2032;

beforeAll(async () => {
  api = await createTestApi();
  districts = await api.db
    .select({ id: divisions.id, ocdId: divisions.ocdId, name: divisions.name })
    .from(divisions)
    .where(and(eq(divisions.jurisdictionId, api.jurisdictionId), eq(divisions.kind, 'COUNCIL_DISTRICT')))
    .orderBy(divisions.name);
});
afterAll(() => api?.dispose());

// Reports open once their year is over (reportOpensOn); every year these tests report on is.
beforeAll(() => {
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(new Date('2060-06-01T12:00:00Z'));
});
afterAll(() => vi.useRealTimers());

function csv(lines: string[]): string {
  return ['division,question,category,share,source_year', ...lines].join('\n');
}

async function respond(n: number, organizationId: number, councilDistrictId: number | null, tenure: string, year = YEAR) {
  await api.db.insert(demographicResponses).values(
    Array.from({ length: n }, () => ({
      jurisdictionId: api.jurisdictionId,
      organizationId,
      councilDistrictId,
      context: 'APPLICANT' as const,
      reportingYear: year,
      answers: { HOUSING_TENURE: { status: 'ANSWERED' as const, values: [tenure] } },
    })),
  );
}

describe('populationBaselineImport', () => {
  test('staff import a CSV; the report shows the city baseline and the difference in percentage points', async () => {
    const result = await api.execute<any>(
      IMPORT,
      { input: { source: 'Illustrative test baseline', csv: csv([',HOUSING_TENURE,RENT,0.47,2023', ',HOUSING_TENURE,OWN,0.53,2023', `${districts[0]!.ocdId},HOUSING_TENURE,RENT,0.60,2023`]) } },
      { viewer: api.staff() },
    );
    expect(result.data.populationBaselineImport).toEqual({ importedCount: 3, userErrors: [] });
    const body = await organizationBySlug(api.db, 'portland-utility-board');
    await respond(15, body.id, districts[0]!.id, 'RENT');
    await respond(10, body.id, districts[0]!.id, 'OWN');

    const city = await api.execute<any>(REPORT, { filter: { year: YEAR, context: 'APPLICANT' } });
    const tenure = city.data.representationReport.questions.find((q: any) => q.question === 'HOUSING_TENURE');
    expect(city.data.representationReport.baselineSource).toBe('Illustrative test baseline');
    expect(city.data.representationReport.baselineDivision).toBeNull();
    expect(tenure.categories.find((c: any) => c.category === 'RENT')).toEqual({ category: 'RENT', count: 15, share: 0.6, baselineShare: 0.47, differenceFromBaseline: 13 });
    expect(tenure.categories.find((c: any) => c.category === 'UNHOUSED')).toMatchObject({ baselineShare: null, differenceFromBaseline: null });

    // The council district filter compares with that district's baseline.
    const district = await api.execute<any>(REPORT, { filter: { year: YEAR, context: 'APPLICANT', councilDistrict: toGlobalId('Division', districts[0]!.id) } });
    expect(district.data.representationReport.baselineDivision).toEqual({ name: districts[0]!.name });
    const rent = district.data.representationReport.questions.find((q: any) => q.question === 'HOUSING_TENURE').categories.find((c: any) => c.category === 'RENT');
    expect(rent).toMatchObject({ share: 0.6, baselineShare: 0.6, differenceFromBaseline: 0 });
  });

  test('a second import of the same source replaces it; the audit log records the import', async () => {
    const result = await api.execute<any>(IMPORT, { input: { source: 'Replace me', csv: csv([',AGE_BAND,FROM_18_TO_24,0.1,2020', ',AGE_BAND,FROM_25_TO_34,0.2,2020']) } }, { viewer: api.staff() });
    expect(result.data.populationBaselineImport.importedCount).toBe(2);
    const again = await api.execute<any>(IMPORT, { input: { source: 'Replace me', csv: csv([',AGE_BAND,FROM_75,0.05,2021']) } }, { viewer: api.staff() });
    expect(again.data.populationBaselineImport.importedCount).toBe(1);
    const rows = await api.db.select().from(populationBaselines).where(eq(populationBaselines.source, 'Replace me'));
    expect(rows.map((r) => [r.category, r.share, r.sourceYear])).toEqual([['FROM_75', 0.05, 2021]]);
    const audits = await api.db.select().from(auditEvents).where(eq(auditEvents.action, 'populationBaselineImport'));
    expect(audits.length).toBeGreaterThanOrEqual(2);
  });

  test('a bad line refuses the whole import, naming the line and column, and changes nothing', async () => {
    const before = await api.db.select().from(populationBaselines);
    const result = await api.execute<any>(
      IMPORT,
      {
        input: {
          source: 'Illustrative test baseline',
          csv: csv([',HOUSING_TENURE,RENT,0.5,2023', ',HOUSING_TENURE,CASTLE,0.1,2023', ',HOUSING_TENURE,OWN,1.5,2023', 'ocd-division/country:us/nowhere,AGE_BAND,FROM_75,0.1,2023', ',HOUSING_TENURE,RENT,0.4,2023']),
        },
      },
      { viewer: api.staff() },
    );
    const { importedCount, userErrors } = result.data.populationBaselineImport;
    expect(importedCount).toBeNull();
    expect(userErrors.map((e: any) => e.message)).toEqual([
      expect.stringMatching(/^line 3, column category: must be one of OWN, RENT/),
      expect.stringMatching(/^line 4, column share: must be a number from 0 to 1/),
      expect.stringMatching(/^line 5, column division: .* is not the OCD id of a council district/),
      expect.stringMatching(/^line 6, column category: HOUSING_TENURE RENT is given twice for this division \(first on line 2\)/),
    ]);
    expect(userErrors[0]).toMatchObject({ code: 'INVALID_INPUT', field: ['input', 'csv'] });
    expect(await api.db.select().from(populationBaselines)).toEqual(before);
  });

  test('a wrong header is refused', async () => {
    const result = await api.execute<any>(IMPORT, { input: { source: 'x', csv: 'question,category,share\nAGE_BAND,FROM_75,0.1' } }, { viewer: api.staff() });
    expect(result.data.populationBaselineImport.userErrors[0].message).toMatch(/line 1: the header must be exactly "division,question,category,share,source_year"/);
  });

  test('the public must sign in; staff of another jurisdiction are refused', async () => {
    const input = { source: 'x', csv: csv([',AGE_BAND,FROM_75,0.1,2023']) };
    const anonymous = await api.execute(IMPORT, { input });
    expect(anonymous.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    const foreign = await api.execute(IMPORT, { input: { ...input, jurisdiction: 'portland' } }, { viewer: api.staff({ jurisdictionId: api.jurisdictionId + 1000 }) });
    expect(foreign.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect(await api.db.select().from(populationBaselines).where(eq(populationBaselines.source, 'x'))).toEqual([]);
  });

  test('npm run baseline:import parses the same CSV (the CLI path), naming problems by line', async () => {
    const byOcd = await councilDistrictsByOcdId(api.db, api.jurisdictionId);
    const rows = parseBaselineCsv(csv([`${districts[1]!.ocdId},LANGUAGES_AT_HOME,es,0.09,2023`, ',ZIP,97214,0.02,2023', ',PREFERRED_LANGUAGE,zh-hans,0.03,2023']), 'cli', byOcd);
    expect(rows).toEqual([
      { divisionId: districts[1]!.id, question: 'LANGUAGES_AT_HOME', category: 'es', share: 0.09, source: 'cli', sourceYear: 2023 },
      { divisionId: null, question: 'ZIP', category: '97214', share: 0.02, source: 'cli', sourceYear: 2023 },
      // Canonical, as the form stores the answers it is compared with.
      { divisionId: null, question: 'PREFERRED_LANGUAGE', category: 'zh-Hans', share: 0.03, source: 'cli', sourceYear: 2023 },
    ]);
    const error = (() => {
      try {
        parseBaselineCsv(csv([',ZIP,972,0.02,2023', ',NOPE,X,0.1,2023']), 'cli', byOcd);
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(BaselineCsvError);
    expect((error as Error).message).toMatch(/line 2, column category: must be a 5-digit ZIP code for ZIP/);
    expect((error as Error).message).toMatch(/line 3, column question: must be a question of the demographic form/);
  });
});

describe('interpretation requests', () => {
  // A year of its own: the baseline tests above have already read (and so frozen) YEAR.
  const INTERPRETATION_YEAR = 2035;
  let postingId: number;
  let bodyId: number;

  async function apply(n: number, values: { language: string | null; needed?: boolean; district?: number | null; submittedAt?: Date }) {
    const submittedAt = values.submittedAt ?? new Date(`${INTERPRETATION_YEAR}-06-01T12:00:00Z`);
    await api.db.insert(applications).values(
      Array.from({ length: n }, () => ({
        jurisdictionId: api.jurisdictionId,
        postingId,
        tokenHash: randomBytes(16).toString('hex'),
        submittedAt,
        expiresAt: new Date(submittedAt.getTime() + 90 * 86_400_000),
        fullName: 'Private Applicant',
        email: 'private@example.org',
        preferredLanguage: values.language,
        interpretationNeeded: values.needed ?? true,
        residenceDivisionId: values.district ?? null,
      })),
    );
  }

  beforeAll(async () => {
    const body = await organizationBySlug(api.db, 'design-commission');
    bodyId = body.id;
    const [posting] = await api.db
      .insert(vacancyPostings)
      .values({ jurisdictionId: api.jurisdictionId, organizationId: body.id, title: 'Commissioners', status: 'OPEN', opensOn: `${INTERPRETATION_YEAR}-01-01`, closesOn: `${INTERPRETATION_YEAR + 1}-01-01`, seatsAvailable: 2 })
      .returning();
    postingId = posting!.id;
    await apply(12, { language: 'es', district: districts[0]!.id });
    await apply(2, { language: 'vi', district: districts[0]!.id });
    await apply(9, { language: 'es', needed: false });
    // Just before the year starts in Portland (08:00 UTC on 1 January): counted in the year before.
    await apply(5, { language: 'es', submittedAt: new Date(`${INTERPRETATION_YEAR}-01-01T07:30:00Z`) });
  });

  test('are counted by preferred language, in the year of submission in the city’s time zone, with rare languages as OTHER', async () => {
    const r = await api.execute<any>(REPORT, { filter: { year: INTERPRETATION_YEAR, context: 'APPLICANT' } });
    const { requests, languages } = r.data.representationReport.interpretationRequests;
    expect(requests).toEqual({ count: 14, isSuppressed: false });
    // vi (2 in the whole city) is never named; OTHER = 2 is suppressed, and so is es beside it.
    expect(languages.map((l: any) => l.category)).toEqual(['es', 'OTHER', 'UNSPECIFIED']);
    expect(languages.find((l: any) => l.category === 'OTHER')).toMatchObject({ count: null, isSuppressed: true });
    expect(languages.find((l: any) => l.category === 'es')).toMatchObject({ count: null, isSuppressed: true });
    const previous = await api.execute<any>(REPORT, { filter: { year: INTERPRETATION_YEAR - 1, context: 'APPLICANT' } });
    expect(previous.data.representationReport.interpretationRequests.requests).toEqual({ count: null, isSuppressed: true });
  });

  test('follow the body and district filters, and are suppressed for a small group', async () => {
    const body = await api.execute<any>(REPORT, { filter: { year: INTERPRETATION_YEAR, context: 'APPLICANT', organization: toGlobalId('Organization', bodyId) } });
    expect(body.data.representationReport.interpretationRequests.requests.count).toBe(14);
    const other = await api.execute<any>(REPORT, { filter: { year: INTERPRETATION_YEAR, context: 'APPLICANT', councilDistrict: toGlobalId('Division', districts[1]!.id) } });
    expect(other.data.representationReport.interpretationRequests.requests).toEqual({ count: 0, isSuppressed: false });
  });
});

describe('the CSV export of the published report', () => {
  let http: HttpInstance;
  beforeAll(async () => {
    http = await startHttpInstance(api.db, { routes: [representationReportRoute(api.db, 'portland', createLogger('silent'))] });
  });
  afterAll(() => http?.close());

  test('writes every published number, and `suppressed` instead of a withheld one', async () => {
    const body = await organizationBySlug(api.db, 'historic-landmarks-commission');
    await respond(20, body.id, null, 'RENT', 2050);
    await respond(3, body.id, null, 'OWN', 2050);
    const res = await fetch(`${http.base}/exports/representation-report.csv?year=2050&context=APPLICANT&organization=${encodeURIComponent(toGlobalId('Organization', body.id))}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/csv/);
    expect(res.headers.get('cache-control')).toBe('no-store');
    const text = await res.text();
    const lines = text.trim().split('\r\n');
    expect(lines[0]).toBe('section,question,category,count,share,baseline_share,difference_from_baseline');
    expect(lines).toContain('respondents,,RESPONDENTS,23,,,');
    // (The baseline columns hold what an earlier test imported, if anything.)
    const line = (prefix: string) => lines.find((l) => l.startsWith(prefix));
    expect(line('category,HOUSING_TENURE,OWN,')).toMatch(/^category,HOUSING_TENURE,OWN,suppressed,,/);
    expect(line('category,HOUSING_TENURE,RENT,')).toMatch(/^category,HOUSING_TENURE,RENT,suppressed,,/);
    expect(line('category,HOUSING_TENURE,UNHOUSED,')).toMatch(/^category,HOUSING_TENURE,UNHOUSED,0,0,/);
    expect(text).not.toMatch(/,3,/);
  });

  test('the same filter through GraphQL and the CSV agree', async () => {
    const r = await api.execute<any>(`{ representationReport(filter: { year: 2050, context: APPLICANT }) { respondents { count } } }`);
    const text = await (await fetch(`${http.base}/exports/representation-report.csv?year=2050&context=APPLICANT`)).text();
    expect(text).toContain(`respondents,,RESPONDENTS,${r.data.representationReport.respondents.count},`);
  });

  test('bad or forged parameters are 400 or 404, with nothing of the data', async () => {
    expect((await fetch(`${http.base}/exports/representation-report.csv?context=APPLICANT`)).status).toBe(400);
    expect((await fetch(`${http.base}/exports/representation-report.csv?year=2050&context=SPY`)).status).toBe(400);
    // The current year (the clock is in 2060) is not over: no report yet.
    expect((await fetch(`${http.base}/exports/representation-report.csv?year=2060&context=APPLICANT`)).status).toBe(400);
    expect((await fetch(`${http.base}/exports/representation-report.csv?year=2050&context=APPLICANT&bodyKind=BOARD&organization=x`)).status).toBe(400);
    const neighborhood = await api.db.select({ id: divisions.id }).from(divisions).where(sql`${divisions.kind} = 'NEIGHBORHOOD'`).limit(1);
    const res = await fetch(`${http.base}/exports/representation-report.csv?year=2050&context=APPLICANT&councilDistrict=${encodeURIComponent(toGlobalId('Division', neighborhood[0]!.id))}`);
    expect(res.status).toBe(404);
  });
});

describe('the illustrative Portland baseline file', () => {
  test('parses against the imported council districts', async () => {
    const { readFile } = await import('node:fs/promises');
    const text = await readFile(new URL('../../src/datasets/portland/baselines.illustrative.csv', import.meta.url), 'utf8');
    const rows = parseBaselineCsv(text, 'illustrative', await councilDistrictsByOcdId(api.db, api.jurisdictionId));
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.every((r) => r.share >= 0 && r.share <= 1)).toBe(true);
  });
});
