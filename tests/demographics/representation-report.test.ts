import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, test, vi } from 'vitest';
import { demographicResponses, divisions, organizations, type NewDemographicResponseRow, type StoredAnswer } from '../../src/db/schema/index.ts';
import { toGlobalId } from '../../src/graphql/global-id.ts';
import { createOrganization, organizationBySlug, createJurisdiction } from '../helpers/factories.ts';
import { startHttpInstance } from '../helpers/http-instance.ts';
import { createTestApi, type TestApi } from '../helpers/test-api.ts';
import { recordRoster } from '../helpers/roster.ts';

// Representation reports through the real server: responses are written straight into
// demographics.responses (the form that writes them is another module), the report reads them back
// as published, suppressed counts.

const REPORT = `
  query ($filter: RepresentationReportFilter!, $jurisdiction: String) {
    representationReport(filter: $filter, jurisdiction: $jurisdiction) {
      minimumCount
      organization { name }
      councilDistrict { name }
      bodyKind
      baselineSource
      baselineDivision { name }
      respondents { count isSuppressed }
      questions {
        question
        selection
        statuses { category count isSuppressed share }
        categories { category count isSuppressed share baselineShare differenceFromBaseline }
      }
      interpretationRequests { requests { count isSuppressed } languages { category count isSuppressed share } }
    }
  }`;

interface Cell {
  category: string;
  count: number | null;
  isSuppressed: boolean;
  share: number | null;
  baselineShare?: number | null;
  differenceFromBaseline?: number | null;
}
interface Report {
  minimumCount: number;
  organization: { name: string } | null;
  councilDistrict: { name: string } | null;
  bodyKind: string | null;
  baselineSource: string | null;
  baselineDivision: { name: string } | null;
  respondents: { count: number | null; isSuppressed: boolean };
  questions: { question: string; selection: string; statuses: Cell[]; categories: Cell[] }[];
  interpretationRequests: { requests: { count: number | null; isSuppressed: boolean }; languages: Cell[] };
}

let api: TestApi;
let portland: number;
let districtIds: number[];
const YEAR = 2031;

/** `n` responses of one body (and district) with the same answers. */
async function respond(n: number, values: { organizationId: number; councilDistrictId?: number | null; context?: 'APPLICANT' | 'MEMBER' | 'EXIT'; year?: number; answers?: Record<string, StoredAnswer> }) {
  const rows: NewDemographicResponseRow[] = Array.from({ length: n }, () => ({
    jurisdictionId: portland,
    organizationId: values.organizationId,
    councilDistrictId: values.councilDistrictId ?? null,
    context: values.context ?? 'APPLICANT',
    reportingYear: values.year ?? YEAR,
    answers: values.answers ?? {},
  }));
  if (rows.length) await api.db.insert(demographicResponses).values(rows);
}

async function report(filter: Record<string, unknown>, year = YEAR): Promise<Report> {
  const result = await api.execute<{ representationReport: Report }>(REPORT, { filter: { year, context: 'APPLICANT', ...filter } });
  expect(result.errors).toBeUndefined();
  return result.data!.representationReport;
}

function question(r: Report, key: string) {
  return r.questions.find((q) => q.question === key)!;
}
function category(r: Report, key: string, code: string): Cell {
  return question(r, key).categories.find((c) => c.category === code)!;
}
function status(r: Report, key: string, code: string): Cell {
  return question(r, key).statuses.find((c) => c.category === code)!;
}
/** Every number a report shows (respondents, statuses, categories, interpretation). */
function allCells(r: Report): { count: number | null; isSuppressed: boolean }[] {
  return [r.respondents, ...r.questions.flatMap((q) => [...q.statuses, ...q.categories]), r.interpretationRequests.requests, ...r.interpretationRequests.languages];
}

const race = (...values: string[]): Record<string, StoredAnswer> => ({ RACE_ETHNICITY: { status: 'ANSWERED', values } });
const tenure = (value: string): Record<string, StoredAnswer> => ({ HOUSING_TENURE: { status: 'ANSWERED', values: [value] } });

beforeAll(async () => {
  api = await createTestApi();
  portland = api.jurisdictionId;
  const rows = await api.db.select({ id: divisions.id }).from(divisions).where(sql`${divisions.jurisdictionId} = ${portland} and ${divisions.kind} = 'COUNCIL_DISTRICT'`).orderBy(divisions.name);
  districtIds = rows.map((r) => r.id);
});
afterAll(() => api?.dispose());

// Reports open once their year is over (reportOpensOn); every year these tests report on is.
beforeAll(() => {
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(new Date('2060-06-01T12:00:00Z'));
});
afterAll(() => vi.useRealTimers());

describe('a report of one body', () => {
  test('publishes true counts of a body with at least k respondents, zeros included, and shares of published cells', async () => {
    const body = await organizationBySlug(api.db, 'portland-utility-board');
    await respond(12, { organizationId: body.id, answers: tenure('RENT') });
    await respond(10, { organizationId: body.id, answers: tenure('OWN') });
    const r = await report({ organization: toGlobalId('Organization', body.id), year: YEAR });
    expect(r.minimumCount).toBe(10);
    expect(r.organization?.name).toBe('Portland Utility Board');
    expect(r.respondents).toEqual({ count: 22, isSuppressed: false });
    expect(category(r, 'HOUSING_TENURE', 'RENT')).toMatchObject({ count: 12, isSuppressed: false, share: 12 / 22 });
    expect(category(r, 'HOUSING_TENURE', 'OWN')).toMatchObject({ count: 10, isSuppressed: false, share: 10 / 22 });
    expect(category(r, 'HOUSING_TENURE', 'UNHOUSED')).toMatchObject({ count: 0, isSuppressed: false, share: 0 });
    expect(status(r, 'HOUSING_TENURE', 'ANSWERED')).toMatchObject({ count: 22, share: 1 });
    // Nobody was asked about race: 22 NOT_ASKED, every category 0.
    expect(status(r, 'RACE_ETHNICITY', 'NOT_ASKED')).toMatchObject({ count: 22, isSuppressed: false });
    expect(category(r, 'RACE_ETHNICITY', 'ASIAN')).toMatchObject({ count: 0, share: null });
  });

  test("a small body's report is fully suppressed: no respondent count, no category, no status", async () => {
    const body = await organizationBySlug(api.db, 'design-commission');
    await respond(3, { organizationId: body.id, year: 2046, answers: { ...race('BLACK_AFRICAN_AMERICAN'), ...tenure('RENT') } });
    const r = await report({ organization: toGlobalId('Organization', body.id) }, 2046);
    expect(r.respondents).toEqual({ count: null, isSuppressed: true });
    for (const cell of r.questions.flatMap((q) => [...q.statuses, ...q.categories])) {
      expect(cell).toMatchObject({ count: null, isSuppressed: true, share: null });
    }
  });

  test('a body nobody answered for publishes zeros', async () => {
    const body = await organizationBySlug(api.db, 'planning-commission');
    const r = await report({ organization: toGlobalId('Organization', body.id) });
    expect(r.respondents).toEqual({ count: 0, isSuppressed: false });
    expect(category(r, 'AGE_BAND', 'FROM_25_TO_34')).toMatchObject({ count: 0, isSuppressed: false });
  });
});

describe('complementary suppression', () => {
  test('one small cell cannot be recovered from the total: the next smallest cell is suppressed too', async () => {
    // A year of its own: 30 respondents of one body, 27 RENT, 3 OWN. Publishing the total and RENT
    // would give OWN = 3 by subtraction.
    const body = await organizationBySlug(api.db, 'community-budget-advisory-board');
    await respond(27, { organizationId: body.id, year: 2040, answers: tenure('RENT') });
    await respond(3, { organizationId: body.id, year: 2040, answers: tenure('OWN') });
    const r = await report({ organization: toGlobalId('Organization', body.id) }, 2040);
    expect(r.respondents).toEqual({ count: 30, isSuppressed: false });
    expect(category(r, 'HOUSING_TENURE', 'OWN').isSuppressed).toBe(true);
    expect(category(r, 'HOUSING_TENURE', 'RENT').isSuppressed).toBe(true);
    // Whatever is published adds up to a total minus at least k (or exactly).
    const tenureCells = [...question(r, 'HOUSING_TENURE').statuses.slice(1), ...question(r, 'HOUSING_TENURE').categories];
    const published = tenureCells.reduce((sum, c) => sum + (c.count ?? 0), 0);
    expect(30 - published === 0 || 30 - published >= 10).toBe(true);
  });

  test('the city minus a body cannot reveal a small body: a body kind and the city are suppressed alike', async () => {
    // Two boards: one large (15), one small (4). The city and BOARD totals would give the small one.
    const large = await organizationBySlug(api.db, 'portland-utility-board');
    const small = await organizationBySlug(api.db, 'community-budget-advisory-board');
    await respond(15, { organizationId: large.id, year: 2041, answers: tenure('RENT') });
    await respond(4, { organizationId: small.id, year: 2041, answers: tenure('RENT') });
    const city = await report({}, 2041);
    const boards = await report({ bodyKind: 'BOARD' }, 2041);
    const largeReport = await report({ organization: toGlobalId('Organization', large.id) }, 2041);
    for (const [a, b] of [
      [city, largeReport],
      [boards, largeReport],
    ] as const) {
      const difference = a.respondents.count !== null && b.respondents.count !== null ? a.respondents.count - b.respondents.count : null;
      expect(difference === null || difference === 0 || difference >= 10).toBe(true);
      const rentA = category(a, 'HOUSING_TENURE', 'RENT').count;
      const rentB = category(b, 'HOUSING_TENURE', 'RENT').count;
      expect(rentA === null || rentB === null || rentA - rentB === 0 || rentA - rentB >= 10).toBe(true);
    }
  });
});

describe('filters', () => {
  test("another jurisdiction's body is NOT_FOUND and nothing of it is read", async () => {
    const other = await createJurisdiction(api.db, { slug: 'elsewhere', name: 'Elsewhere', ocdId: 'ocd-jurisdiction/test:elsewhere', timezone: 'America/New_York' });
    const foreign = await createOrganization(api.db, { jurisdictionId: other!.id, kind: 'ADVISORY_BODY', name: 'Foreign Board', slug: 'foreign-board' });
    await api.db.insert(demographicResponses).values({ jurisdictionId: other!.id, organizationId: foreign.id, context: 'APPLICANT', reportingYear: YEAR, answers: race('ASIAN') });
    const result = await api.execute(REPORT, { filter: { year: YEAR, context: 'APPLICANT', organization: toGlobalId('Organization', foreign.id) } });
    expect(result.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    expect(result.data).toBeNull();
  });

  test('an organization that is not an advisory body is NOT_FOUND', async () => {
    const association = await organizationBySlug(api.db, 'buckman');
    const result = await api.execute(REPORT, { filter: { year: YEAR, context: 'APPLICANT', organization: toGlobalId('Organization', association.id) } });
    expect(result.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
  });

  test('a body kind with one body reports exactly what that body reports (nothing finer)', async () => {
    // The Cannabis Policy Oversight Team is Portland's only OTHER body.
    const team = await organizationBySlug(api.db, 'cannabis-policy-oversight-team');
    await respond(11, { organizationId: team.id, year: 2042, answers: race('WHITE') });
    await respond(2, { organizationId: team.id, year: 2042, answers: race('ASIAN') });
    const kind = await report({ bodyKind: 'OTHER' }, 2042);
    const body = await report({ organization: toGlobalId('Organization', team.id) }, 2042);
    expect(kind.questions).toEqual(body.questions);
    expect(kind.respondents).toEqual(body.respondents);
    expect(category(kind, 'RACE_ETHNICITY', 'ASIAN')).toMatchObject({ count: null, isSuppressed: true });
    // 13 answered, 11 WHITE: the 2 who did not choose WHITE are protected too.
    expect(category(kind, 'RACE_ETHNICITY', 'WHITE').isSuppressed).toBe(true);
  });

  test('a council district with one respondent shows nothing about that person', async () => {
    const body = await organizationBySlug(api.db, 'portland-utility-board');
    await respond(20, { organizationId: body.id, councilDistrictId: districtIds[0], year: 2043, answers: race('WHITE') });
    await respond(1, { organizationId: body.id, councilDistrictId: districtIds[1], year: 2043, answers: race('NATIVE_HAWAIIAN_PACIFIC_ISLANDER') });
    const r = await report({ councilDistrict: toGlobalId('Division', districtIds[1]!) }, 2043);
    expect(r.respondents).toEqual({ count: null, isSuppressed: true });
    for (const cell of allCells(r).slice(1)) if (cell.count !== 0) expect(cell.isSuppressed).toBe(true);
    expect(category(r, 'RACE_ETHNICITY', 'NATIVE_HAWAIIAN_PACIFIC_ISLANDER')).toMatchObject({ count: null, isSuppressed: true });
    // Nor can the city minus the other district give it away.
    const city = await report({}, 2043);
    const first = await report({ councilDistrict: toGlobalId('Division', districtIds[0]!) }, 2043);
    const nhpi = category(city, 'RACE_ETHNICITY', 'NATIVE_HAWAIIAN_PACIFIC_ISLANDER').count;
    expect(nhpi === null || nhpi === 0 || nhpi >= 10).toBe(true);
    const [cityCount, firstCount] = [city.respondents.count, first.respondents.count];
    expect(cityCount === null || firstCount === null || cityCount - firstCount === 0 || cityCount - firstCount >= 10).toBe(true);
  });

  test("a district's id from another jurisdiction, or a neighborhood's, is NOT_FOUND", async () => {
    const [neighborhood] = await api.db.select({ id: divisions.id }).from(divisions).where(sql`${divisions.kind} = 'NEIGHBORHOOD'`).limit(1);
    const result = await api.execute(REPORT, { filter: { year: YEAR, context: 'APPLICANT', councilDistrict: toGlobalId('Division', neighborhood!.id) } });
    expect(result.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
  });

  test('more than one of organization, bodyKind and councilDistrict is BAD_USER_INPUT', async () => {
    const result = await api.execute(REPORT, { filter: { year: YEAR, context: 'APPLICANT', bodyKind: 'BOARD', councilDistrict: toGlobalId('Division', districtIds[0]!) } });
    expect(result.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });

  test('a year outside 2000–2100 is BAD_USER_INPUT', async () => {
    const result = await api.execute(REPORT, { filter: { year: 1999, context: 'APPLICANT' } });
    expect(result.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });

  test('the context separates applicants from members', async () => {
    const body = await organizationBySlug(api.db, 'portland-utility-board');
    await respond(10, { organizationId: body.id, year: 2044, context: 'MEMBER', answers: tenure('OWN') });
    expect((await report({ organization: toGlobalId('Organization', body.id) }, 2044)).respondents.count).toBe(0);
    const members = await api.execute<{ representationReport: Report }>(REPORT, { filter: { year: 2044, context: 'MEMBER', organization: toGlobalId('Organization', body.id) } });
    expect(members.data!.representationReport.respondents.count).toBe(10);
  });
});

describe('how the report reads', () => {
  test('the first read computes the set as the reporting role, from the aggregate views only, in the same number of statements for every filter', async () => {
    const body = await organizationBySlug(api.db, 'portland-utility-board');
    await report({}, 2030); // warm the jurisdiction loader's cache
    const filters = [{}, { bodyKind: 'BOARD' }, { organization: toGlobalId('Organization', body.id) }, { councilDistrict: toGlobalId('Division', districtIds[2]!) }];
    const counts: number[] = [];
    // Each filter is the first read of a year of its own (2026–2029 are read by no other test).
    for (const [i, filter] of filters.entries()) {
      await respond(12, { organizationId: body.id, year: 2026 + i });
      api.statements.reset();
      await report(filter, 2026 + i);
      counts.push(api.statements.count());
      const log = api.statements.log.join('\n');
      expect(log).toMatch(/set local role civic_graph_reporting/);
      expect(log).toMatch(/insert into "published_reports".*on conflict do nothing/i);
      expect(log).not.toMatch(/from "?demographics"?\."?responses"?/);
    }
    // The body filter loads the body, the district filter the district: one statement more at most.
    expect(Math.max(...counts) - Math.min(...counts)).toBeLessThanOrEqual(1);
    expect(Math.max(...counts)).toBeLessThanOrEqual(13);
  });

  test('a later read serves the stored copy: no aggregate view is read, in the same number of statements for every filter', async () => {
    const body = await organizationBySlug(api.db, 'portland-utility-board');
    const counts: number[] = [];
    for (const filter of [{}, { bodyKind: 'BOARD' }, { organization: toGlobalId('Organization', body.id) }, { councilDistrict: toGlobalId('Division', districtIds[2]!) }]) {
      await report({}); // warm the loaders, and freeze the year
      api.statements.reset();
      await report(filter);
      counts.push(api.statements.count());
      const log = api.statements.log.join('\n');
      expect(log).not.toMatch(/civic_graph_reporting|respondent_counts|insert into/i);
      expect(log).toMatch(/from "published_reports"/);
    }
    expect(Math.max(...counts) - Math.min(...counts)).toBeLessThanOrEqual(1);
    expect(Math.max(...counts)).toBeLessThanOrEqual(6);
  });

  test('the number of statements does not grow with the number of bodies', async () => {
    await report({}, 2047);
    api.statements.reset();
    await report({}, 2048);
    const before = api.statements.count();
    for (let i = 0; i < 5; i++) await createOrganization(api.db, { jurisdictionId: portland, kind: 'ADVISORY_BODY', name: `Statement Count Body ${i}`, bodyKind: 'BOARD' });
    api.statements.reset();
    await report({}, 2049);
    expect(api.statements.count()).toBe(before);
  });

  test('a response added after the first read does not change the year: the first read froze it', async () => {
    const body = await organizationBySlug(api.db, 'historic-landmarks-commission');
    await respond(10, { organizationId: body.id, year: 2045 });
    expect((await report({ organization: toGlobalId('Organization', body.id) }, 2045)).respondents.count).toBe(10);
    await respond(1, { organizationId: body.id, year: 2045 });
    expect((await report({ organization: toGlobalId('Organization', body.id) }, 2045)).respondents.count).toBe(10);
    expect((await report({}, 2045)).respondents.count).toBe(10);
  });

  test('over HTTP the answer carries no public Cache-Control', async () => {
    const instance = await startHttpInstance(api.db);
    try {
      const response = await instance.get('{ representationReport(filter: { year: 2045, context: APPLICANT }) { respondents { count } } }');
      expect(response.status).toBe(200);
      expect(response.body.errors).toBeUndefined();
      expect(response.headers.get('cache-control') ?? '').not.toMatch(/public|max-age=[1-9]/);
    } finally {
      await instance.close();
    }
  });
});

describe('body kind', () => {
  test('imported advisory bodies have a kind from their name; other organizations have none', async () => {
    const result = await api.execute<{ a: { bodyKind: string | null }; b: { bodyKind: string | null }; c: { bodyKind: string | null }; d: { bodyKind: string | null } }>(`{
      a: organization(slug: "design-commission") { bodyKind }
      b: organization(slug: "portland-utility-board") { bodyKind }
      c: organization(slug: "portland-clean-energy-fund-grant-committee") { bodyKind }
      d: organization(slug: "buckman") { bodyKind }
    }`);
    expect(result.errors).toBeUndefined();
    expect(result.data).toEqual({ a: { bodyKind: 'COMMISSION' }, b: { bodyKind: 'BOARD' }, c: { bodyKind: 'COMMITTEE' }, d: { bodyKind: null } });
  });

  test('staff set a body kind on an advisory body; on another kind it is refused and nothing changes', async () => {
    const staff = api.staff();
    const created = await api.execute<any>(
      `mutation ($input: OrganizationCreateInput!) { organizationCreate(input: $input) { organization { id bodyKind } userErrors { code field } } }`,
      { input: { kind: 'ADVISORY_BODY', name: 'Tree Task Force', bodyKind: 'TASK_FORCE' } },
      { viewer: staff },
    );
    expect(created.data.organizationCreate).toMatchObject({ organization: { bodyKind: 'TASK_FORCE' }, userErrors: [] });
    const refused = await api.execute<any>(
      `mutation ($input: OrganizationCreateInput!) { organizationCreate(input: $input) { organization { id } userErrors { code field } } }`,
      { input: { kind: 'NEIGHBORHOOD_ASSOCIATION', name: 'Kind Test NA', bodyKind: 'BOARD' } },
      { viewer: staff },
    );
    expect(refused.data.organizationCreate).toEqual({ organization: null, userErrors: [{ code: 'WRONG_ORGANIZATION_KIND', field: ['input', 'bodyKind'] }] });
    expect(await api.db.select().from(organizations).where(eq(organizations.name, 'Kind Test NA'))).toEqual([]);
    const buckman = await organizationBySlug(api.db, 'buckman');
    const update = await api.execute<any>(
      `mutation ($input: OrganizationUpdateInput!) { organizationUpdate(input: $input) { organization { bodyKind } userErrors { code } } }`,
      { input: { organizationId: toGlobalId('Organization', buckman.id), bodyKind: 'COMMITTEE' } },
      { viewer: staff },
    );
    expect(update.data.organizationUpdate.userErrors).toEqual([{ code: 'WRONG_ORGANIZATION_KIND' }]);
    const team = await organizationBySlug(api.db, 'cannabis-policy-oversight-team');
    const changed = await api.execute<any>(
      `mutation ($input: OrganizationUpdateInput!) { organizationUpdate(input: $input) { organization { bodyKind } userErrors { code } } }`,
      { input: { organizationId: toGlobalId('Organization', team.id), bodyKind: 'COMMITTEE' } },
      { viewer: staff },
    );
    expect(changed.data.organizationUpdate).toEqual({ organization: { bodyKind: 'COMMITTEE' }, userErrors: [] });
    await api.db.update(organizations).set({ bodyKind: 'OTHER' }).where(eq(organizations.id, team.id));
  });

  test('openSeats filters by body kind', async () => {
    // Unknown is not vacant: only bodies whose rosters staff recorded offer seats.
    for (const slug of ['design-commission', 'planning-commission', 'community-budget-advisory-board', 'portland-utility-board']) await recordRoster(api, slug);
    const query = `query ($filter: OpenSeatFilter) { openSeats(filter: $filter, first: 100) { totalCount nodes { organization { name bodyKind } } } }`;
    const all = await api.execute<any>(query, { filter: {} });
    const commissions = await api.execute<any>(query, { filter: { bodyKind: 'COMMISSION' } });
    expect(commissions.errors).toBeUndefined();
    const kinds = new Set(commissions.data.openSeats.nodes.map((n: any) => n.organization.bodyKind));
    expect([...kinds]).toEqual(['COMMISSION']);
    expect(commissions.data.openSeats.totalCount).toBeGreaterThan(0);
    expect(commissions.data.openSeats.totalCount).toBeLessThan(all.data.openSeats.totalCount);
    const expected = all.data.openSeats.nodes.filter((n: any) => n.organization.bodyKind === 'COMMISSION').length;
    expect(commissions.data.openSeats.totalCount).toBe(expected);
  });

  test('the database refuses a body kind on an organization that is not an advisory body', async () => {
    const buckman = await organizationBySlug(api.db, 'buckman');
    const error = await api.db.update(organizations).set({ bodyKind: 'BOARD' }).where(eq(organizations.id, buckman.id)).catch((e: unknown) => e);
    expect(String((error as { cause?: Error }).cause?.message ?? error)).toMatch(/organizations_body_kind_check/);
  });
});

describe('a year still taking responses', () => {
  test('has no report until 2 January of the next year, in the city’s calendar', async () => {
    // 1 January 2061 at noon in Portland: 2060 is over but a response may still be committing.
    vi.setSystemTime(new Date('2061-01-01T20:00:00Z'));
    try {
      const open = await api.execute(REPORT, { filter: { year: 2060, context: 'APPLICANT' } });
      expect(open.data).toBeNull();
      expect(open.errors![0]!.extensions!.code).toBe('BAD_USER_INPUT');
      expect(open.errors![0]!.message).toMatch(/The 2060 report opens on 2061-01-02/);
      vi.setSystemTime(new Date('2061-01-02T20:00:00Z'));
      const published = await api.execute(REPORT, { filter: { year: 2060, context: 'APPLICANT' } });
      expect(published.errors).toBeUndefined();
    } finally {
      vi.setSystemTime(new Date('2060-06-01T12:00:00Z'));
    }
  });
});
