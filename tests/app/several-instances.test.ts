import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { isNull, sql } from 'drizzle-orm';
import { createLogger } from '../../src/logger.ts';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { prepareDatabase } from '../../src/app.ts';
import { startBackgroundJobs, type BackgroundJobs } from '../../src/background.ts';
import { loadConfig } from '../../src/config.ts';
import { withAdvisoryLock } from '../../src/db/advisory-lock.ts';
import { createDatabase, type DatabaseHandle } from '../../src/db/client.ts';
import { migrateDatabase, migrationsFolder } from '../../src/db/migrate.ts';
import { notificationOutbox } from '../../src/db/schema/index.ts';
import type { NotificationSender, OutgoingNotification } from '../../src/notifications/sender.ts';
import { startHttpInstance } from '../helpers/http-instance.ts';
import { createTestDatabase } from '../helpers/test-database.ts';
import type { TestApi } from '../helpers/test-api.ts';
import { applicantInput, openRecruitment, submit, type Body } from '../recruitment/recruitment-support.ts';

/**
 * Several instances on one PostgreSQL database, each with its own connection pool, as separate
 * processes would be: they prepare the database in turn (migrations and import once), and each
 * periodic job runs on one of them at a time. PGlite is one process with one connection: a second
 * instance cannot open its folder (tests/app/data-folder-lock.test.ts), and the same code runs
 * there on its one connection (tests/app/background-jobs.test.ts), so the tests that need two
 * instances run only with TEST_DATABASE_URL.
 */
const adminUrl = process.env.TEST_DATABASE_URL;
const silent = createLogger('silent');
const portlandDataset = fileURLToPath(new URL('../../src/datasets/portland', import.meta.url));
const journal = JSON.parse(readFileSync(`${migrationsFolder}/meta/_journal.json`, 'utf8')) as { entries: unknown[] };

/** Rows of a raw statement, from either driver. */
async function rows<T>(handle: DatabaseHandle, statement: ReturnType<typeof sql>): Promise<T[]> {
  const result = (await handle.db.execute(statement)) as unknown as T[] | { rows: T[] };
  return Array.isArray(result) ? result : result.rows;
}

/** An empty database (no schema at all) on the test server, dropped by `drop`. */
async function emptyDatabase(): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `civic_graph_instances_${randomBytes(6).toString('hex')}`;
  const admin = postgres(adminUrl!, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database "${name}"`);
  await admin.end();
  const url = new URL(adminUrl!);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const cleanup = postgres(adminUrl!, { max: 1, onnotice: () => {} });
      await cleanup.unsafe(`drop database if exists "${name}" with (force)`);
      await cleanup.end();
    },
  };
}

describe('advisory locks', () => {
  it('are released when the work under them fails', async () => {
    const database = await createTestDatabase();
    try {
      const session = await database.handle.openSession();
      await expect(withAdvisoryLock(session.db, 'civic-graph:test-failing-work', async () => Promise.reject(new Error('failed midway')))).rejects.toThrow('failed midway');
      // Advisory locks carry their database: this one is the test's own, so other tests' locks do not count.
      const held = await rows<{ n: number }>(database.handle, sql`select count(*)::int as n from pg_locks where locktype = 'advisory' and database = (select oid from pg_database where datname = current_database())`);
      expect(held).toEqual([{ n: 0 }]);
      await session.close();
    } finally {
      await database.dispose();
    }
  });
});

describe.skipIf(!adminUrl)('two instances starting at once on an empty PostgreSQL database', () => {
  const opened: DatabaseHandle[] = [];
  let drop = async () => {};
  afterAll(async () => {
    for (const handle of opened) await handle.close();
    await drop();
  });

  async function twoInstances(): Promise<[DatabaseHandle, DatabaseHandle]> {
    const database = await emptyDatabase();
    const previous = drop;
    drop = async () => {
      await previous();
      await database.drop();
    };
    const pair = [await createDatabase({ url: database.url }), await createDatabase({ url: database.url })] as [DatabaseHandle, DatabaseHandle];
    opened.push(...pair);
    return pair;
  }

  /** Each applied migration, with how many times it was recorded. */
  const applied = (handle: DatabaseHandle) =>
    rows<{ hash: string; times: number }>(handle, sql`select hash, count(*)::int as times from drizzle.__drizzle_migrations group by hash`);

  it('migrate in turn: both finish, and each migration is applied and recorded once', async () => {
    const [one, two] = await twoInstances();
    await Promise.all([migrateDatabase(one), migrateDatabase(two)]);
    const recorded = await applied(one);
    expect(recorded).toHaveLength(journal.entries.length);
    expect(recorded.every((m) => m.times === 1)).toBe(true);
  });

  it('prepare in turn: both come up serving, with the schema migrated once and the dataset imported once', async () => {
    const [one, two] = await twoInstances();
    const options = { datasetDirs: [portlandDataset], sampleMembers: false, jurisdiction: 'portland', logger: silent };
    await Promise.all([prepareDatabase(one, options), prepareDatabase(two, options)]);
    expect((await applied(one)).every((m) => m.times === 1)).toBe(true);
    expect(await rows(one, sql`select count(*)::int as n from dataset_imports`)).toEqual([{ n: 1 }]);
    expect(await rows(one, sql`select count(*)::int as n from jurisdictions`)).toEqual([{ n: 1 }]);
    for (const handle of [one, two]) {
      const http = await startHttpInstance(handle.db);
      try {
        const { body } = await http.post('{ councilDistricts { name } }');
        expect(body.data.councilDistricts).toHaveLength(4);
      } finally {
        await http.close();
      }
    }
  });
});

describe.skipIf(!adminUrl)('periodic jobs on two instances of one PostgreSQL database', () => {
  let api: TestApi;
  let body: Body;
  let postingId: string;
  /** The second instance: its own pool (and sessions) on the first one's database. */
  let other: DatabaseHandle;
  const otherStatements: string[] = [];
  const running: BackgroundJobs[] = [];

  beforeAll(async () => {
    ({ api, body, postingId } = await openRecruitment());
    const [database] = await rows<{ name: string }>(api.handle, sql`select current_database() as name`);
    const url = new URL(adminUrl!);
    url.pathname = `/${database!.name}`;
    other = await createDatabase({ url: url.toString(), onQuery: (statement) => otherStatements.push(statement) });
  });
  afterAll(async () => {
    for (const jobs of running) await jobs.stop();
    await other.close();
    await api.dispose();
  });

  function recordingSender(): NotificationSender & { sent: OutgoingNotification[] } {
    const sent: OutgoingNotification[] = [];
    return { sent, send: async (n) => void sent.push(n) };
  }

  /** Starts one instance's background jobs, every job on a short period. */
  function startJobs(database: DatabaseHandle, sender: NotificationSender): BackgroundJobs {
    const jobs = startBackgroundJobs(loadConfig({}), { database, logger: silent, sender, dispatchEveryMs: 40, expireEveryMs: 40, retentionEveryMs: 40, unlinkEveryMs: 40 });
    running.push(jobs!);
    return jobs!;
  }

  /** A statement only each job sends (through its instance's pool). */
  const JOBS = {
    'notification dispatch': /from "notification_outbox" .*for update skip locked/s,
    'application expiry': /from "applications" .*for update skip locked/s,
    'change log retention': /delete from changes where id in/,
    'demographic unlinking': /delete from demographics\.responses/,
  };
  /** For each job: which of the two instances sent its statements since the logs were cleared. */
  function whoRan(): Record<string, string[]> {
    const instances = { first: api.statements.log, second: otherStatements };
    return Object.fromEntries(
      Object.entries(JOBS).map(([job, pattern]) => [job, Object.entries(instances).filter(([, log]) => log.some((s) => pattern.test(s))).map(([name]) => name)]),
    );
  }
  const clearLogs = () => {
    api.statements.reset();
    otherStatements.length = 0;
  };

  async function queueNotifications(prefix: string, count: number): Promise<string[]> {
    const emails = Array.from({ length: count }, (_, i) => `${prefix}-${i}@example.org`);
    for (const email of emails) expect((await submit(api, applicantInput(postingId, body, { email }))).data!.applicationSubmit.userErrors).toEqual([]);
    return emails;
  }
  const sentTo = (senders: { sent: OutgoingNotification[] }[], emails: string[]) =>
    senders.flatMap((s) => s.sent).filter((n) => emails.includes(n.recipient));

  it('runs each job on one instance only, sends each notification once, and hands a job over when its instance stops', async () => {
    await api.db.update(notificationOutbox).set({ sentAt: new Date() }).where(isNull(notificationOutbox.sentAt));
    const emails = await queueNotifications('two-instances', 6);
    clearLogs();
    const senders = [recordingSender(), recordingSender()] as const;
    const jobs = [startJobs(api.handle, senders[0]), startJobs(other, senders[1])];

    await vi.waitFor(() => expect(sentTo([...senders], emails)).toHaveLength(6), { timeout: 20_000 });
    // Many periods (40 ms) later: still one instance per job, and nothing sent twice.
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    const ran = whoRan();
    for (const instances of Object.values(ran)) expect(instances).toHaveLength(1);
    expect(sentTo([...senders], emails).map((n) => n.recipient).sort()).toEqual([...emails].sort());

    // The dispatching instance stops (as on SIGTERM): the other takes the job at its next tick.
    const dispatching = ran['notification dispatch']![0] === 'first' ? 0 : 1;
    await jobs[dispatching]!.stop();
    const later = await queueNotifications('handed-over', 1);
    await vi.waitFor(() => expect(sentTo([senders[1 - dispatching]!], later)).toHaveLength(1), { timeout: 20_000 });
    expect(sentTo([senders[dispatching]!], later)).toEqual([]);
    await jobs[1 - dispatching]!.stop();
  }, 60_000);

  it('a leader whose connection is terminated loses its jobs to one instance, and they go on running once', async () => {
    await api.db.update(notificationOutbox).set({ sentAt: new Date() }).where(isNull(notificationOutbox.sentAt));
    const senders = [recordingSender(), recordingSender()] as const;
    clearLogs();
    startJobs(api.handle, senders[0]);
    startJobs(other, senders[1]);
    await new Promise((resolve) => setTimeout(resolve, 500));
    const leader = whoRan()['notification dispatch']![0] === 'first' ? api.handle : other;

    // The server ends the leader's session (as a failover or an idle timeout would): its locks go.
    const terminated = await rows<{ n: number }>(
      api.handle,
      sql`select count(pg_terminate_backend(pid))::int as n from pg_stat_activity where application_name = ${`${leader.applicationName}-session`}`,
    );
    expect(terminated).toEqual([{ n: 1 }]);

    const emails = await queueNotifications('after-termination', 3);
    await vi.waitFor(() => expect(sentTo([...senders], emails)).toHaveLength(3), { timeout: 20_000 });
    // Once settled, again one instance per job (the old leader noticed its new connection holds nothing).
    await new Promise((resolve) => setTimeout(resolve, 300));
    clearLogs();
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    for (const instances of Object.values(whoRan())) expect(instances).toHaveLength(1);
    expect(sentTo([...senders], emails).map((n) => n.recipient).sort()).toEqual([...emails].sort());
  }, 60_000);
});
