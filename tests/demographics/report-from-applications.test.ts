import { count, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { applications } from '../../src/db/schema/index.ts';
import { toGlobalId } from '../../src/graphql/global-id.ts';
import { demographicCounts } from '../../src/modules/demographics/reports.repository.ts';
import { unlinkDemographicResponses } from '../../src/modules/demographics/unlink-job.ts';
import type { TestApi } from '../helpers/test-api.ts';
import { AMEND, applicantInput, openRecruitment, submit, today, type Body } from '../recruitment/recruitment-support.ts';

/**
 * The two halves of issue 7 end to end: answers given with applications through the API reach the
 * published report (and nothing under k does), and the unlink job's rewrite leaves it unchanged.
 */

const REPORT = `query($filter: RepresentationReportFilter!) {
  representationReport(filter: $filter) {
    minimumCount
    respondents { count isSuppressed }
    questions { question statuses { category count isSuppressed } categories { category count isSuppressed } }
    interpretationRequests { requests { count isSuppressed } languages { category count isSuppressed } }
  }
}`;

let api: TestApi;
let body: Body;
let postingId: string;
const tokens: string[] = [];
const year = Number(today().slice(0, 4));

afterAll(() => api?.dispose());

describe('a report built from applications submitted through the API', () => {
  beforeAll(async () => {
    ({ api, body, postingId } = await openRecruitment());
    // Twelve applicants answer; one of them also names a second race, and one declines the age question.
    for (let i = 0; i < 12; i++) {
      const race = i === 0 ? ['WHITE', 'ASIAN'] : ['WHITE'];
      const age = i === 11 ? { question: 'AGE_BAND', status: 'DECLINED' } : { question: 'AGE_BAND', status: 'ANSWERED', values: ['FROM_25_TO_34'] };
      const result = await submit(
        api,
        applicantInput(postingId, body, {
          email: `report.e2e.${i}@example.org`,
          preferredLanguage: 'vi',
          interpretationNeeded: true,
          demographics: { answers: [{ question: 'RACE_ETHNICITY', status: 'ANSWERED', values: race }, age] },
        }),
      );
      expect(result.errors).toBeUndefined();
      expect(result.data!.applicationSubmit.userErrors).toEqual([]);
      tokens.push(result.data!.applicationSubmit.token);
    }
    // The year's report opens on 2 January of the next.
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date(`${year + 1}-01-02T20:00:00Z`));
  }, 240_000);
  afterAll(() => vi.useRealTimers());

  const bodyReport = () => api.execute(REPORT, { filter: { year, context: 'APPLICANT', organization: toGlobalId('Organization', body.organizationId) } });
  const cellOf = (report: any, question: string, category: string) =>
    report.questions.find((q: any) => q.question === question).categories.find((c: any) => c.category === category);

  it('is not published while its year is still taking responses', async () => {
    vi.setSystemTime(new Date(`${year}-12-31T20:00:00Z`));
    try {
      const { errors } = await bodyReport();
      expect(errors![0]!.extensions!.code).toBe('BAD_USER_INPUT');
    } finally {
      vi.setSystemTime(new Date(`${year + 1}-01-02T20:00:00Z`));
    }
  });

  it('counts the respondents and publishes counts of at least k', async () => {
    const { data, errors } = await bodyReport();
    expect(errors).toBeUndefined();
    const report = data!.representationReport;
    expect(report.minimumCount).toBe(10);
    expect(report.respondents).toEqual({ count: 12, isSuppressed: false });
    expect(cellOf(report, 'RACE_ETHNICITY', 'WHITE')).toEqual({ category: 'WHITE', count: 12, isSuppressed: false });
  });

  it('withholds the count of one, and everything that would give it away', async () => {
    const report = (await bodyReport()).data!.representationReport;
    expect(cellOf(report, 'RACE_ETHNICITY', 'ASIAN')).toEqual({ category: 'ASIAN', count: null, isSuppressed: true });
    // AGE_BAND: 11 answered and 1 declined; publishing 11 would give the 1 away from the respondents.
    const age = report.questions.find((q: any) => q.question === 'AGE_BAND');
    const declined = age.statuses.find((s: any) => s.category === 'DECLINED');
    expect(declined.isSuppressed).toBe(true);
    const answered = age.statuses.find((s: any) => s.category === 'ANSWERED');
    expect(answered.isSuppressed).toBe(true);
    // No published number of the whole report is from 1 to k-1.
    const published = JSON.stringify(report).match(/"count":(\d+)/g)!.map((m) => Number(m.split(':')[1]));
    expect(published.filter((n) => n > 0 && n < 10)).toEqual([]);
  });

  it('counts the interpretation requests by language', async () => {
    const report = (await bodyReport()).data!.representationReport;
    expect(report.interpretationRequests.requests).toEqual({ count: 12, isSuppressed: false });
    expect(report.interpretationRequests.languages).toContainEqual({ category: 'vi', count: 12, isSuppressed: false });
  });

  it('counts the same after the unlink job has rewritten every response', async () => {
    // The report is frozen by now, so compare what the reporting role reads from the views.
    // In any order: the views group rows, and the rewrite moves them on disk.
    const counts = async () =>
      Object.entries(await demographicCounts(api.db, api.jurisdictionId, year, 'APPLICANT')).map(([view, rows]) => [view, rows.map((r: object) => JSON.stringify(r)).sort()]);
    const before = await counts();
    expect(await unlinkDemographicResponses(api.db)).toBe(12);
    expect(await counts()).toEqual(before);
    expect((await demographicCounts(api.db, api.jurisdictionId, year, 'APPLICANT')).respondents.map((r) => r.respondents)).toEqual([12]);
  });

  it('reads the same, GraphQL and CSV alike, after an applicant amends their interpretation need (the first read froze the year)', async () => {
    const before = await bodyReport();
    const cityBefore = await api.execute(REPORT, { filter: { year, context: 'APPLICANT' } });
    // Amended while the recruitment is still open, in the year it was submitted.
    vi.useRealTimers();
    try {
      const amended = await api.execute<any>(AMEND, { input: { token: tokens[0], interpretationNeeded: false } });
      expect(amended.errors).toBeUndefined();
      expect(amended.data.applicationAmend.userErrors).toEqual([]);
      const [live] = await api.db.select({ n: count() }).from(applications).where(eq(applications.interpretationNeeded, true));
      expect(live!.n).toBe(11);
    } finally {
      vi.useFakeTimers({ toFake: ['Date'] });
      vi.setSystemTime(new Date(`${year + 1}-01-02T20:00:00Z`));
    }
    const after = await bodyReport();
    expect(JSON.stringify(after)).toBe(JSON.stringify(before));
    expect(JSON.stringify(await api.execute(REPORT, { filter: { year, context: 'APPLICANT' } }))).toBe(JSON.stringify(cityBefore));
    expect(after.data!.representationReport.interpretationRequests.requests).toEqual({ count: 12, isSuppressed: false });
  });
});
