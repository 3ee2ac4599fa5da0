import { randomBytes } from 'node:crypto';
import { sql } from 'drizzle-orm';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Database } from '../../src/db/client.ts';
import { demographicResponses } from '../../src/db/schema/index.ts';
import { createOrganization, createJurisdiction } from '../helpers/factories.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/test-database.ts';

// The database-level half of "answers are kept apart": the role the reports read with can read the
// aggregate views and cannot read a single response, whatever the API code above it does.
describe('the demographics reporting role', () => {
  let testDb: TestDatabase;
  let db: Database;

  beforeAll(async () => {
    testDb = await createTestDatabase();
    db = testDb.handle.db as Database;
    const city = await createJurisdiction(db, { slug: 'role-city', name: 'Role City', ocdId: 'ocd-jurisdiction/test:role', timezone: 'America/Los_Angeles' });
    const body = await createOrganization(db, { jurisdictionId: city!.id, kind: 'ADVISORY_BODY', name: 'Role Test Board', slug: 'role-test-board' });
    await db.insert(demographicResponses).values([
      { jurisdictionId: city!.id, organizationId: body.id, context: 'APPLICANT', reportingYear: 2026, answers: { RACE_ETHNICITY: { status: 'ANSWERED', values: ['ASIAN', 'WHITE'], selfDescribed: 'secret words' }, ZIP: { status: 'DECLINED' } } },
      { jurisdictionId: city!.id, organizationId: body.id, context: 'APPLICANT', reportingYear: 2026, answers: { RACE_ETHNICITY: { status: 'ANSWERED', values: ['ASIAN'] } } },
    ]);
  });
  afterAll(() => testDb?.dispose());

  /** Runs `statement` as the reporting role in a transaction that is rolled back. */
  async function asReportingRole<T>(statement: ReturnType<typeof sql>): Promise<T[]> {
    let rows: T[] = [];
    await db
      .transaction(async (tx) => {
        await tx.execute(sql`set local role civic_graph_reporting`);
        rows = (await tx.execute(statement)) as unknown as T[];
        throw new Rollback();
      })
      .catch((error: unknown) => {
        if (!(error instanceof Rollback)) throw error;
      });
    return Array.isArray(rows) ? rows : ((rows as { rows: T[] }).rows ?? []);
  }
  class Rollback extends Error {}

  /** The database's own message for a refused statement (Drizzle wraps it in `cause`). */
  async function refusal(statement: ReturnType<typeof sql>): Promise<string> {
    try {
      await asReportingRole(statement);
    } catch (error) {
      return String((error as { cause?: { message?: string } }).cause?.message ?? (error as Error).message);
    }
    return 'no refusal';
  }

  test('reads respondent and answer counts from the aggregate views', async () => {
    const respondents = await asReportingRole<{ respondents: number }>(sql`select respondents from demographics.respondent_counts`);
    expect(respondents.map((r) => Number(r.respondents))).toEqual([2]);
    const answers = await asReportingRole<{ question: string; status: string; category: string | null; responses: number }>(
      sql`select question, status, category, responses from demographics.answer_counts order by question, status, category`,
    );
    expect(answers.map((a) => [a.question, a.status, a.category, Number(a.responses)])).toEqual([
      ['RACE_ETHNICITY', 'ANSWERED', 'ASIAN', 2],
      ['RACE_ETHNICITY', 'ANSWERED', 'WHITE', 1],
      ['ZIP', 'DECLINED', null, 1],
    ]);
  });

  test('cannot read a single response, its self-described text included', async () => {
    expect(await refusal(sql`select * from demographics.responses`)).toMatch(/permission denied for table responses/);
    expect(await refusal(sql`select answers -> 'RACE_ETHNICITY' ->> 'selfDescribed' from demographics.responses`)).toMatch(/permission denied for table responses/);
  });

  test('cannot write responses either', async () => {
    expect(await refusal(sql`delete from demographics.responses`)).toMatch(/permission denied for table responses/);
    expect(await refusal(sql`insert into demographics.responses (jurisdiction_id, organization_id, context, reporting_year) values (1, 1, 'MEMBER', 2026)`)).toMatch(
      /permission denied for table responses/,
    );
  });
});

// A login role is a server-wide object, and PGlite has one user: the hardened deployment of the
// src/modules/demographics/README.md ("The database role the API logs in as") can only be checked on a PostgreSQL server.
describe.skipIf(!process.env.TEST_DATABASE_URL)('a serving role with only the grants the privacy model lists', () => {
  let testDb: TestDatabase;
  let db: Database;
  let serving: ReturnType<typeof postgres>;
  const role = `civic_graph_api_test_${randomBytes(4).toString('hex')}`;
  let ids: { jurisdictionId: number; organizationId: number };

  beforeAll(async () => {
    testDb = await createTestDatabase();
    db = testDb.handle.db as Database;
    const city = await createJurisdiction(db, { slug: 'serving-city', name: 'Serving City', ocdId: 'ocd-jurisdiction/test:serving', timezone: 'America/Los_Angeles' });
    const body = await createOrganization(db, { jurisdictionId: city!.id, kind: 'ADVISORY_BODY', name: 'Serving Test Board', slug: 'serving-test-board' });
    ids = { jurisdictionId: city!.id, organizationId: body.id };
    await db.execute(sql.raw(`create role ${role} login`));
    await db.execute(sql.raw(`grant civic_graph_reporting to ${role}`));
    await db.execute(sql.raw(`grant usage on schema demographics to ${role}`));
    await db.execute(sql.raw(`grant insert on demographics.responses to ${role}`));
    await db.execute(sql.raw(`grant select, insert, delete on demographics.survey_invitations to ${role}`));
    const url = new URL(testDb.url!);
    url.username = role;
    url.password = '';
    serving = postgres(url.toString(), { max: 1, onnotice: () => {} });
  });
  afterAll(async () => {
    await serving?.end();
    await testDb?.dispose();
    const admin = postgres(process.env.TEST_DATABASE_URL!, { max: 1, onnotice: () => {} });
    try {
      await admin.unsafe(`drop role if exists ${role}`);
    } finally {
      await admin.end();
    }
  });

  test('stores a response with a plain INSERT', async () => {
    await serving`insert into demographics.responses (jurisdiction_id, organization_id, context, reporting_year, answers)
      values (${ids.jurisdictionId}, ${ids.organizationId}, 'APPLICANT', 2026, ${serving.json({ ZIP: { status: 'ANSWERED', values: ['97214'] } })})`;
    const [stored] = await db.execute(sql`select count(*)::int as n from demographics.responses`) as unknown as { n: number }[];
    expect(Number(stored!.n)).toBe(1);
  });

  test('is refused every response, and reading one back from the INSERT', async () => {
    await expect(serving`select answers from demographics.responses`).rejects.toThrow(/permission denied for table responses/);
    await expect(
      serving`insert into demographics.responses (jurisdiction_id, organization_id, context, reporting_year) values (${ids.jurisdictionId}, ${ids.organizationId}, 'MEMBER', 2026) returning answers`,
    ).rejects.toThrow(/permission denied for table responses/);
  });

  test('reads the report views as civic_graph_reporting', async () => {
    const rows = await serving.begin(async (tx) => {
      await tx`set local role civic_graph_reporting`;
      return tx`select respondents from demographics.respondent_counts`;
    });
    expect(rows.map((r) => Number(r.respondents))).toEqual([1]);
  });
});
