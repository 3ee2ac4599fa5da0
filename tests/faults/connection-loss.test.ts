import { randomUUID } from 'node:crypto';
import { count, eq, sql } from 'drizzle-orm';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { people } from '../../src/db/schema/index.ts';
import { memoryResponseStore } from '../../src/graphql/caching/response-store.ts';
import { staffToken, startHttpInstance, type HttpInstance } from '../helpers/http-instance.ts';
import { openTestDatabase, type PortlandTestDatabase } from '../helpers/portland-database.ts';

const COUNCIL_DISTRICTS = `{ councilDistricts { name } }`;
/** Read by the resolvers (not a compiled root, whose failure falls back to execution: a retry of its own). */
const DIVISIONS = `{ divisions(first: 5) { nodes { name } } }`;
const PERSON_CREATE = `mutation($input: PersonCreateInput!) { personCreate(input: $input) { person { id } userErrors { code } } }`;

// PGlite runs in the process: it has no connection that can drop. These run on PostgreSQL
// (TEST_DATABASE_URL), where pg_terminate_backend ends the server's connections under it.
describe.skipIf(!process.env.TEST_DATABASE_URL)('losing database connections under requests (PostgreSQL)', () => {
  let database: PortlandTestDatabase;
  let admin: postgres.Sql;
  let api: HttpInstance;
  let cached: HttpInstance;

  beforeAll(async () => {
    database = await openTestDatabase();
    const [{ name }] = (await database.db.execute(sql`select current_database() as name`)) as unknown as [{ name: string }];
    const url = new URL(process.env.TEST_DATABASE_URL!);
    url.pathname = `/${name}`;
    // Two connections: one holds a lock, the other terminates backends.
    admin = postgres(url.toString(), { max: 2, onnotice: () => {} });
    api = await startHttpInstance(database.db);
    cached = await startHttpInstance(database.db, { responseCache: memoryResponseStore() });
  });
  afterAll(async () => {
    await api?.close();
    await cached?.close();
    await admin?.end();
    await database?.dispose();
  });

  /** The server's backends waiting on a lock: statements certainly in flight on the server. */
  const waiting = async () =>
    admin<{ pid: number }[]>`select pid from pg_stat_activity where application_name = ${database.handle.applicationName!} and wait_event_type = 'Lock'`;

  /**
   * Holds an exclusive lock on `table` so the server's statements on it wait (in flight), then
   * terminates every waiting backend of the server `times` times, then lets the rest through.
   */
  async function terminateUnder<T>(table: string, expected: number, times: number, requests: () => Promise<T>): Promise<T> {
    const reserved = await admin.reserve();
    await reserved.unsafe('begin');
    await reserved.unsafe(`lock table ${table} in access exclusive mode`);
    const answers = requests();
    for (let round = 0; round < times; round += 1) {
      const until = Date.now() + 10_000;
      let pids: { pid: number }[] = [];
      while ((pids = await waiting()).length < expected) {
        if (Date.now() > until) throw new Error(`only ${pids.length} of ${expected} statements waiting on ${table}`);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      await admin`select pg_terminate_backend(pid) from pg_stat_activity where pid in ${admin(pids.map((p) => p.pid))}`;
    }
    await reserved.unsafe('commit');
    reserved.release();
    return answers;
  }

  it('answers reads whose connection was terminated, by sending them once more', async () => {
    const answers = await terminateUnder('divisions', 3, 1, () => Promise.all([api.post(DIVISIONS), api.post(DIVISIONS), api.post(DIVISIONS)]));
    for (const answer of answers) {
      expect(answer.status).toBe(200);
      expect(answer.body.errors).toBeUndefined();
      expect(answer.body.data.divisions.nodes).toHaveLength(5);
    }
  });

  it('reports a write whose connection was terminated as DATABASE_CONNECTION_LOST, with nothing stored, and a retry with the same key stores it once', async () => {
    const token = await staffToken();
    const key = randomUUID();
    const create = () => api.post(PERSON_CREATE, { token, variables: { input: { name: 'Lost Connection Person' } }, headers: { 'idempotency-key': key } });
    const lost = await terminateUnder('people', 1, 1, create);
    expect(lost.status).toBe(200);
    expect(lost.body.data).toBeNull();
    expect(lost.body.errors).toEqual([expect.objectContaining({ message: expect.stringContaining('connection was lost'), extensions: { code: 'DATABASE_CONNECTION_LOST', errorId: expect.any(String) } })]);
    const named = async () => (await database.db.select({ n: count() }).from(people).where(eq(people.name, 'Lost Connection Person')))[0]!.n;
    expect(await named()).toBe(0);
    const retried = await create();
    expect(retried.body.data.personCreate.userErrors).toEqual([]);
    expect(await create()).toEqual(expect.objectContaining({ body: retried.body }));
    expect(await named()).toBe(1);
  });

  it("treats a response-cache data version that cannot be read (lost twice) as a miss and answers from the database", async () => {
    // The data version reads the change log; terminated on both tries, the request still answers.
    const answer = await terminateUnder('changes', 1, 2, () => cached.post(COUNCIL_DISTRICTS));
    expect(answer.status).toBe(200);
    expect(answer.body.errors).toBeUndefined();
    expect(answer.body.data.councilDistricts).toHaveLength(4);
  });
});
