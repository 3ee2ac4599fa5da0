import { eq, sql } from 'drizzle-orm';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applications, demographicResponses, demographicSurveyInvitations } from '../../src/db/schema/index.ts';
import { createJobLeadership } from '../../src/job-leadership.ts';
import { deleteExpiredSurveyInvitations, startDemographicsJobs, unlinkDemographicResponses } from '../../src/modules/demographics/unlink-job.ts';
import type { TestApi } from '../helpers/test-api.ts';
import { applicantInput, openRecruitment, submit, type Body } from '../recruitment/recruitment-support.ts';
import { countOf, responseRows } from './demographics-support.ts';

let api: TestApi;
let body: Body;
let postingId: string;

beforeAll(async () => {
  ({ api, body, postingId } = await openRecruitment());
});
afterAll(() => api.dispose());

/** Rows of a raw statement, from either driver. */
async function rows<T>(statement: ReturnType<typeof sql>): Promise<T[]> {
  const result = (await api.db.execute(statement)) as unknown as T[] | { rows: T[] };
  return Array.isArray(result) ? result : result.rows;
}

/** An application with a response whose ZIP is `zip`; returns the application's id. */
async function applyWithZip(zip: string): Promise<number> {
  const result = await submit(api, applicantInput(postingId, body, { email: `unlink-${zip}@example.org`, demographics: { answers: [{ question: 'ZIP', status: 'ANSWERED', values: [zip] }] } }));
  expect(result.data!.applicationSubmit.userErrors).toEqual([]);
  const [row] = await api.db.select({ id: applications.id }).from(applications).where(eq(applications.email, `unlink-${zip}@example.org`));
  return row!.id;
}

const xminOfApplication = async (id: number) => (await rows<{ xmin: string }>(sql`select xmin::text as xmin from applications where id = ${id}`))[0]!.xmin;
const responsesByXmin = async () => rows<{ xmin: string; zip: string; unlinked: boolean }>(sql`select xmin::text as xmin, answers -> 'ZIP' -> 'values' ->> 0 as zip, unlinked from demographics.responses`);
/** ZIPs of the responses in their order on disk. */
const zipsOnDisk = async () => (await rows<{ zip: string }>(sql`select answers -> 'ZIP' -> 'values' ->> 0 as zip from demographics.responses order by ctid`)).map((r) => r.zip);
/** What the reports count: every response's columns but its id. */
const contents = async () =>
  (await responseRows(api)).map(({ id: _id, unlinked: _unlinked, ...rest }) => JSON.stringify(rest)).sort();

describe('the demographic unlink job', () => {
  it('rewrites new responses in a transaction of its own: their xmin no longer matches the application’s', async () => {
    const applicationId = await applyWithZip('99801');
    const xmin = await xminOfApplication(applicationId);
    // Before the job: written in the application's transaction, so a superuser could match them.
    expect((await responsesByXmin()).filter((r) => r.xmin === xmin)).toMatchObject([{ zip: '99801', unlinked: false }]);
    const before = await contents();
    const idsBefore = (await responseRows(api)).map((r) => r.id);

    expect(await unlinkDemographicResponses(api.db)).toBe(idsBefore.length);

    const after = await responsesByXmin();
    expect(after.filter((r) => r.xmin === xmin)).toEqual([]);
    expect(after.every((r) => r.unlinked)).toBe(true);
    // Same answers, counted the same, under new ids.
    expect(await contents()).toEqual(before);
    const idsAfter = (await responseRows(api)).map((r) => r.id);
    expect(idsAfter.filter((id) => idsBefore.includes(id))).toEqual([]);
  });

  it('leaves responses it already rewrote alone on the next run', async () => {
    await unlinkDemographicResponses(api.db);
    const ids = (await responseRows(api)).map((r) => r.id).sort();
    expect(await unlinkDemographicResponses(api.db)).toBe(0);
    expect((await responseRows(api)).map((r) => r.id).sort()).toEqual(ids);
  });

  it('writes a batch in random order, so the order on disk no longer follows the order of applications', async () => {
    await unlinkDemographicResponses(api.db);
    const earlier = (await responseRows(api)).map((r) => r.id);
    expect(earlier.length).toBeGreaterThan(0);
    const zips = Array.from({ length: 12 }, (_, i) => String(99810 + i));
    for (const zip of zips) await applyWithZip(zip);
    const onDisk = async () => (await zipsOnDisk()).filter((z) => zips.includes(z));
    expect(await onDisk()).toEqual(zips);
    // The whole year is rewritten with the new ones, the responses rewritten earlier included: a
    // run's time then narrows no response down to the applications of one quarter-hour.
    expect(await unlinkDemographicResponses(api.db)).toBe(earlier.length + 12);
    expect((await responseRows(api)).filter((r) => earlier.includes(r.id))).toEqual([]);
    const shuffled = await onDisk();
    expect([...shuffled].sort()).toEqual(zips);
    // 12! orders: the chance of the original one coming back by accident is about 2 in a billion.
    expect(shuffled).not.toEqual(zips);
  });

  it('deletes expired survey invitations and keeps the others', async () => {
    const day = 86_400_000;
    await api.db.insert(demographicSurveyInvitations).values([
      { tokenHash: 'expired-invitation', jurisdictionId: api.jurisdictionId, organizationId: body.organizationId, context: 'MEMBER', expiresAt: new Date(Date.now() - day) },
      { tokenHash: 'current-invitation', jurisdictionId: api.jurisdictionId, organizationId: body.organizationId, context: 'EXIT', expiresAt: new Date(Date.now() + day) },
    ]);
    expect(await deleteExpiredSurveyInvitations(api.db)).toBe(1);
    const left = (await api.db.select().from(demographicSurveyInvitations)).map((r) => r.tokenHash);
    expect(left).toContain('current-invitation');
    expect(left).not.toContain('expired-invitation');
  });

  it('runs when the background jobs start, logging counts only', async () => {
    await applyWithZip('99899');
    const ofTheYear = await countOf(api, demographicResponses);
    const lines: Record<string, unknown>[] = [];
    const logger = pino({ level: 'info' }, { write: (line: string) => void lines.push(JSON.parse(line)) });
    const leadership = createJobLeadership(api.handle);
    const jobs = startDemographicsJobs({ db: api.db, logger, leadership, everyMs: 3600_000 });
    await jobs.stop();
    await leadership.close();
    expect(await countOf(api, demographicResponses)).toBeGreaterThan(0);
    expect((await responsesByXmin()).every((r) => r.unlinked)).toBe(true);
    // The new response's whole year was rewritten with it.
    expect(lines).toMatchObject([{ msg: 'demographic responses unlinked', unlinked: ofTheYear }]);
    expect(JSON.stringify(lines)).not.toContain('99899');
  });
});
