import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { promisify } from 'node:util';
import { PGlite } from '@electric-sql/pglite';
import { sql } from 'drizzle-orm';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDatabase, type Database } from '../../src/db/client.ts';
import { migrateDatabase } from '../../src/db/migrate.ts';
import { toGlobalId } from '../../src/graphql/global-id.ts';
import type { HttpRoute } from '../../src/http/http-server.ts';
import { createLogger } from '../../src/logger.ts';
import { createJobLeadership } from '../../src/job-leadership.ts';
import { startPeriodicJob } from '../../src/periodic-job.ts';
import { copyDataset, editFile } from '../helpers/dataset-folder.ts';
import { startHttpInstance, staffToken, type HttpInstance } from '../helpers/http-instance.ts';
import { createTestDatabase } from '../helpers/test-database.ts';
import type { TestApi } from '../helpers/test-api.ts';
import { applicantInput, freshClient, openRecruitment, SUBMIT, USER_ERRORS, type Body } from '../recruitment/recruitment-support.ts';

/**
 * Issue 12, item 1: no log line, at any level and on any path, carries a failed statement's
 * parameters or a private value. Each path below is made to fail in the database on a statement
 * whose parameters hold distinctive seeded values (a probe CHECK constraint refuses exactly those
 * rows, so PostgreSQL's `detail` quotes the whole row too), and every line written is searched.
 */

const SEEDS = {
  email: 'seeded.applicant.7731@private-logs.test',
  phone: '+1 503 555 7731',
  answer: 'I care about parks seeded-answer-7731',
  personEmail: 'seeded.person.7731@private-logs.test',
  homeAddress: '7731 SE Seeded Hidden Ave',
  selfDescribed: 'seeded-selfdesc-heron-7731',
  importDescription: 'seeded-import-description-7731',
  jobRecipient: 'seeded.recipient.7731@private-logs.test',
};

/** What no log line may contain: each seeded value, and Drizzle's parameter list. */
function expectClean(lines: readonly unknown[]): void {
  const text = lines.map((line) => (typeof line === 'string' ? line : JSON.stringify(line))).join('\n');
  for (const seed of Object.values(SEEDS)) expect(text).not.toContain(seed);
  expect(text).not.toContain('params:');
  expect(text).not.toMatch(/Key \(|Failing row contains/);
}

/** A logger made by the one factory, writing into an array. */
function capturedLogger(level = 'trace') {
  const lines: Record<string, any>[] = [];
  const sink = new Writable({
    write(chunk, _encoding, done) {
      for (const line of String(chunk).split('\n').filter(Boolean)) lines.push(JSON.parse(line));
      done();
    },
  });
  return { logger: createLogger(level, sink), lines };
}

async function refusal(work: () => Promise<unknown>): Promise<Error> {
  try {
    await work();
  } catch (error) {
    return error as Error;
  }
  throw new Error('the statement was expected to fail');
}

describe('the logger, given errors of real failed statements', () => {
  let db: Database;
  let dispose: () => Promise<void>;
  beforeAll(async () => {
    const test = await createTestDatabase();
    db = test.handle.db;
    dispose = test.dispose;
    await db.execute(sql.raw(`create table private_logs_probe (email text constraint private_logs_probe_email_unique unique, note text, constraint private_logs_probe_note_check check (note <> '${SEEDS.answer}'))`));
    await db.execute(sql`insert into private_logs_probe (email) values (${SEEDS.email})`);
  });
  afterAll(() => dispose());

  /** Failed statements whose parameters (and PostgreSQL's detail or message) quote a seeded value. */
  const failures: [string, (db: Database) => Promise<unknown>][] = [
    ['a unique violation (detail "Key (email)=(…) already exists")', (d) => d.execute(sql`insert into private_logs_probe (email) values (${SEEDS.email})`)],
    ['a check violation (detail "Failing row contains (…)")', (d) => d.execute(sql`insert into private_logs_probe (email, note) values (${SEEDS.personEmail}, ${SEEDS.answer})`)],
    ['a data exception whose message quotes the value', (d) => d.execute(sql`select ${SEEDS.phone}::int`)],
    ['a lone surrogate in JSON (where "JSON data, line 1: …")', (d) => d.execute(sql`select ${JSON.stringify({ answer: `${SEEDS.answer} \ud83c` })}::jsonb`)],
  ];

  it.each(failures)('%s: keeps class, SQLSTATE code and constraint, never the values, at any depth', async (_name, fail) => {
    const error = await refusal(() => fail(db));
    // The raw error does quote the values: the test can see a leak.
    expect(`${error.message} ${JSON.stringify(error.cause)} ${(error.cause as { detail?: string })?.detail ?? ''}`).toMatch(/7731/);
    const { logger, lines } = capturedLogger();
    const wrapped = new Error(`import step failed: ${error.message}`, { cause: error });
    logger.error({ err: error }, 'top-level err');
    logger.error(error);
    logger.warn({ error }, 'under another key');
    logger.info({ job: { run: 3, failure: error } }, 'nested');
    logger.error({ err: wrapped }, 'wrapped with its message quoted');
    logger.error({ err: new AggregateError([error, wrapped], 'several failed') }, 'aggregate');
    logger.error({ requestId: 'r1' }, `interpolated: ${error.message}`);
    logger.error('formatted: %s', error);
    logger.child({ requestId: 'r2' }).debug({ err: error });
    expect(lines).toHaveLength(9);
    expectClean(lines);
    const code = (error.cause as { code: string }).code;
    expect(lines[0]!.err).toMatchObject({ type: 'DrizzleQueryError', cause: { code } });
    expect(lines[1]!.err.cause.code).toBe(code);
    expect(lines[2]!.error.cause.code).toBe(code);
    expect(lines[3]!.job.failure.cause.code).toBe(code);
    expect(lines[5]!.err.errors[1].cause.cause.code).toBe(code);
    expect(lines[0]!.err.stack).toMatch(/^\s+at /);
  });

  it('names the constraint and table of a unique violation', async () => {
    const error = await refusal(failures[0]![1].bind(null, db));
    const { logger, lines } = capturedLogger();
    logger.error({ err: error }, 'unique');
    expectClean(lines);
    expect(lines[0]!.err.cause).toMatchObject({ code: '23505', constraint: 'private_logs_probe_email_unique', table: 'private_logs_probe', routine: expect.any(String) });
    expect(lines[0]!.err.cause.message).toMatch(/private_logs_probe_email_unique/);
    expectClean(lines);
  });

  it('handles the drivers\' own errors too: PGlite and postgres.js without Drizzle', async () => {
    const pglite = new PGlite();
    const errors: unknown[] = [await refusal(() => pglite.query('select $1::int', [SEEDS.phone]))];
    await pglite.close();
    const url = process.env.TEST_DATABASE_URL;
    if (url) {
      const client = postgres(url, { max: 1, onnotice: () => {} });
      errors.push(await refusal(() => client`select ${SEEDS.phone}::int`));
      await client.end();
    }
    const { logger, lines } = capturedLogger();
    for (const err of errors) {
      // PostgreSQL's own message quotes the refused value (and the driver keeps the parameters).
      expect((err as Error).message).toContain(SEEDS.phone);
      logger.error({ err }, 'driver error');
    }
    expectClean(lines);
    expect(lines.map((line) => line.err.code)).toEqual(errors.map(() => '22P02'));
  });

  it('censors private keys a caller logs by mistake', () => {
    const { logger, lines } = capturedLogger();
    logger.info({ email: SEEDS.email, applicant: { phone: SEEDS.phone }, headers: { authorization: 'Bearer x' } }, 'careless');
    expect(lines[0]).toMatchObject({ email: '[private]', applicant: { phone: '[private]' }, headers: { authorization: '[private]' } });
    expectClean(lines);
  });
});

describe('requests that fail in the database', () => {
  let api: TestApi;
  let body: Body;
  let postingId: string;
  let http: HttpInstance;
  const captured = capturedLogger();

  /** A route that stands for any handler outside GraphQL: its statement fails and it throws. */
  const failingRoute: HttpRoute = async (_req, _res, url) => {
    if (url.pathname !== '/private-logs-probe') return false;
    await api.db.execute(sql`insert into person_private_details (person_id, email) values (-1, ${SEEDS.personEmail})`);
    return true;
  };

  beforeAll(async () => {
    ({ api, body, postingId } = await openRecruitment());
    // Probe constraints: the database refuses exactly the rows carrying the seeded values.
    await api.db.execute(sql.raw(`alter table applications add constraint private_logs_probe check (email <> '${SEEDS.email}')`));
    await api.db.execute(sql.raw(`alter table person_private_details add constraint private_logs_probe check (email <> '${SEEDS.personEmail}')`));
    await api.db.execute(sql.raw(`alter table demographics.responses add constraint private_logs_probe check (answers::text not like '%${SEEDS.selfDescribed}%')`));
    http = await startHttpInstance(api.db, { logger: captured.logger, routes: [failingRoute] });
  });
  afterAll(async () => {
    await http?.close();
    await api?.dispose();
  });

  const applicant = () => applicantInput(postingId, body, { email: SEEDS.email, phone: SEEDS.phone, answers: [{ questionId: 'why', answer: SEEDS.answer }] });

  it('applicationSubmit through the Apollo server: masked for the client, logged with code and constraint only', async () => {
    const { errors } = await api.execute(SUBMIT, { input: applicant() }, { clientAddress: freshClient() });
    expect(errors?.[0]?.extensions?.code).toBe('INTERNAL_SERVER_ERROR');
    expectClean(api.logs);
    const logged = api.logs.filter((line) => line.errorId === errors![0]!.extensions!.errorId);
    expect(logged).toHaveLength(1);
    expect(JSON.stringify(logged)).toMatch(/"code":"23514".*"constraint":"private_logs_probe"/);
  });

  it('applicationSubmit and personCreate through the HTTP server', async () => {
    const submitted = await http.post(SUBMIT, { variables: { input: applicant() } });
    expect(submitted.body.errors[0].extensions.code).toBe('INTERNAL_SERVER_ERROR');
    const created = await http.post(`mutation($input: PersonCreateInput!) { personCreate(input: $input) { person { id } ${USER_ERRORS} } }`, {
      token: await staffToken(),
      variables: { input: { name: 'Seeded Person', privateDetails: { email: SEEDS.personEmail, phone: SEEDS.phone, homeAddress: SEEDS.homeAddress } } },
    });
    expect(created.body.errors[0].extensions.code).toBe('INTERNAL_SERVER_ERROR');
    expectClean(captured.lines);
    const ids = [submitted.body.errors[0].extensions.errorId, created.body.errors[0].extensions.errorId];
    expect(ids.map((id) => captured.lines.filter((line) => line.errorId === id).length)).toEqual([1, 1]);
  });

  it('the HTTP server\'s own "HTTP request failed" handler', async () => {
    const from = captured.lines.length;
    const res = await fetch(`${http.base}/private-logs-probe`);
    expect(res.status).toBe(500);
    expectClean(captured.lines.slice(from));
    const line = captured.lines.slice(from).find((l) => l.msg === 'HTTP request failed');
    // The SQLSTATE of the refusal (a check or foreign-key violation) is there, wherever it sits in the chain.
    expect(JSON.stringify(line?.err)).toMatch(/"code":"23/);
  });

  it('demographicSurveySubmit: a demographic answer never reaches the log', async () => {
    const from = api.logs.length;
    const invited = await api.execute(
      `mutation($input: DemographicSurveyInviteInput!) { demographicSurveyInvite(input: $input) { tokens ${USER_ERRORS} } }`,
      { input: { organizationId: toGlobalId('Organization', body.organizationId), context: 'MEMBER', count: 1, expiresInDays: 30 } },
      { viewer: api.staff() },
    );
    const [token] = invited.data!.demographicSurveyInvite.tokens;
    const { errors } = await api.execute(
      `mutation($input: DemographicSurveySubmitInput!) { demographicSurveySubmit(input: $input) { isRecorded ${USER_ERRORS} } }`,
      { input: { token, demographics: { answers: [{ question: 'RACE_ETHNICITY', status: 'ANSWERED', values: ['SELF_DESCRIBED'], selfDescribed: SEEDS.selfDescribed }] } } },
      { clientAddress: freshClient() },
    );
    expect(errors?.[0]?.extensions?.code).toBe('INTERNAL_SERVER_ERROR');
    // This test's own lines: each path is checked on its own.
    expectClean(api.logs.slice(from));
    expect(JSON.stringify(api.logs.slice(from))).toContain(String(errors![0]!.extensions!.errorId));
  });

  it('a background job whose statement fails', async () => {
    const { logger, lines } = capturedLogger();
    const leadership = createJobLeadership(api.handle);
    const job = startPeriodicJob(() => api.db.execute(sql`insert into person_private_details (person_id, email) values (-1, ${SEEDS.jobRecipient})`), {
      name: 'private-logs-probe',
      everyMs: 60_000,
      logger,
      leadership,
      failure: 'probe job failed',
    });
    await job.stop();
    await leadership.close();
    expect(lines.map((l) => l.msg)).toEqual(['probe job failed']);
    expectClean(lines);
    expect(lines[0]!.err.cause.code).toMatch(/^23/);
  });
});

describe('the import CLI', () => {
  it('reports a database refusal by code and constraint, without the rows it was writing', { timeout: 300_000 }, async () => {
    // The CLI's database: the test server's (PostgreSQL), or a PGlite folder; migrated, with a probe constraint.
    const test = process.env.TEST_DATABASE_URL ? await createTestDatabase() : null;
    const dataDir = test ? null : await mkdtemp(join(tmpdir(), 'civic-graph-private-logs-'));
    const handle = test?.handle ?? (await createDatabase({ dataDir: dataDir! }));
    const copy = await copyDataset();
    try {
      if (!test) await migrateDatabase(handle);
      await handle.db.execute(sql.raw(`alter table organizations add constraint private_logs_probe check (description is distinct from '${SEEDS.importDescription}')`));
      if (!test) await handle.close();
      await editFile(copy.dir, 'organizations.csv', (text) => text.replace('42nd-avenue,BUSINESS_DISTRICT_ASSOCIATION,42nd Avenue,,,', `42nd-avenue,BUSINESS_DISTRICT_ASSOCIATION,42nd Avenue,,${SEEDS.importDescription},`));
      const { DATABASE_URL: _unused, ...inherited } = process.env;
      const env = { ...inherited, ...(test ? { DATABASE_URL: test.url } : { DATA_DIR: dataDir! }) };
      const failed = await promisify(execFile)('npx', ['tsx', 'src/cli/import.ts', copy.dir], { env }).then(
        () => null,
        (error: { code: number; stdout: string; stderr: string }) => error,
      );
      expect(failed?.code).toBe(1);
      expectClean([failed!.stdout, failed!.stderr]);
      expect(failed!.stderr).toMatch(/^Import failed: .*organizations\.csv.*23514.*private_logs_probe/s);
    } finally {
      await copy.remove();
      if (test) await test.dispose();
      if (dataDir) await rm(dataDir, { recursive: true, force: true });
    }
  });
});
