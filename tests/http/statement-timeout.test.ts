import { randomBytes } from 'node:crypto';
import { sql } from 'drizzle-orm';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import { createDatabase, type DatabaseHandle } from '../../src/db/client.ts';
import { startHttpInstance } from '../helpers/http-instance.ts';

const adminUrl = process.env.TEST_DATABASE_URL;

describe('statement_timeout', () => {
  it('is set on the embedded database (PGlite)', async () => {
    const handle = await createDatabase({ dataDir: 'memory://', statementTimeoutMs: 250 });
    try {
      const result = (await handle.db.execute(sql`show statement_timeout`)) as unknown as { rows: { statement_timeout: string }[] };
      expect(result.rows[0]!.statement_timeout).toBe('250ms');
    } finally {
      await handle.close();
    }
  });

  it('is refused in configuration above the request timeout', () => {
    expect(loadConfig({})).toMatchObject({ DATABASE_STATEMENT_TIMEOUT_MS: 8_000, REQUEST_TIMEOUT_MS: 10_000 });
    expect(() => loadConfig({ DATABASE_STATEMENT_TIMEOUT_MS: '20000' })).toThrow(/DATABASE_STATEMENT_TIMEOUT_MS must not exceed REQUEST_TIMEOUT_MS/);
    expect(() => loadConfig({ REQUEST_TIMEOUT_MS: 'soon' })).toThrow(/REQUEST_TIMEOUT_MS/);
  });
});

/**
 * PostgreSQL only. PGlite runs in-process on one connection, so no other session can hold a lock
 * that blocks it, and its WebAssembly build does not enforce statement_timeout (measured: a
 * pg_sleep(1) under a 100 ms timeout completes); only the setting above can be checked there.
 */
describe.skipIf(!adminUrl)('on PostgreSQL: slow statements are cancelled', () => {
  const name = `civic_graph_test_${randomBytes(6).toString('hex')}`;
  let url: string;
  let admin: postgres.Sql;

  beforeAll(async () => {
    // A copy of the run's Portland template: the jurisdiction must exist for a list to be read.
    const template = inject('testDatabaseTemplate');
    if (template.kind !== 'postgres') throw new Error('expected a PostgreSQL template');
    admin = postgres(adminUrl!, { max: 1, onnotice: () => {} });
    await admin.unsafe(`create database "${name}" template "${template.database}"`);
    url = Object.assign(new URL(adminUrl!), { pathname: `/${name}` }).toString();
  });
  afterAll(async () => {
    await admin.unsafe(`drop database if exists "${name}" with (force)`);
    await admin.end();
  });

  /** Holds an exclusive lock on organizations until released: any read of it waits. */
  async function lockOrganizations() {
    const locker = postgres(url, { max: 1, onnotice: () => {} });
    const reserved = await locker.reserve();
    await reserved.unsafe('begin');
    await reserved.unsafe('lock table organizations in access exclusive mode');
    return async () => {
      await reserved.unsafe('rollback');
      reserved.release();
      await locker.end();
    };
  }

  /** Our server's statements waiting on that lock. */
  async function waitingStatements(): Promise<number> {
    const [row] = await admin<{ count: number }[]>`
      select count(*)::int as count from pg_stat_activity
      where datname = ${name} and wait_event_type = 'Lock' and query ilike '%organizations%'`;
    return row!.count;
  }

  async function eventually(check: () => Promise<boolean>): Promise<boolean> {
    for (let i = 0; i < 200; i += 1) {
      if (await check()) return true;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    return false;
  }

  it('answers QUERY_TIMEOUT when PostgreSQL cancels a statement at statement_timeout', async () => {
    const handle: DatabaseHandle = await createDatabase({ url, statementTimeoutMs: 300 });
    const api = await startHttpInstance(handle.db, { requestTimeoutMs: 30_000 });
    const unlock = await lockOrganizations();
    try {
      const { status, body } = await api.post(`{ organizations(first: 5) { nodes { name } } }`);
      expect(status).toBe(200);
      expect(body.data).toBeNull();
      expect(body.errors[0].extensions.code).toBe('QUERY_TIMEOUT');
      expect(body.errors[0].message).toMatch(/^The database took too long to answer and the query was cancelled; ask for less \(error id [0-9a-f-]{36}\)$/);
      expect(await waitingStatements()).toBe(0);
    } finally {
      await unlock();
      await api.close();
      await handle.close();
    }
  });

  it('answers QUERY_TIMEOUT for the compiled directory without running it a second time through execution', async () => {
    const statements: string[] = [];
    const handle = await createDatabase({ url, statementTimeoutMs: 300, onQuery: (text) => statements.push(text) });
    const api = await startHttpInstance(handle.db, { requestTimeoutMs: 30_000 });
    // The jurisdiction is looked up (and cached) before the lock: what follows reads organizations only.
    expect((await api.post(`{ councilDistricts { name } }`)).body.errors).toBeUndefined();
    const unlock = await lockOrganizations();
    try {
      statements.length = 0;
      const { status, body } = await api.post(`{ councilDistricts { name organizations(kind: DISTRICT_COALITION) { name } } }`);
      expect(status).toBe(200);
      expect(body.data).toBeNull();
      expect(body.errors).toEqual([expect.objectContaining({ path: ['councilDistricts'], extensions: { code: 'QUERY_TIMEOUT', errorId: expect.any(String) } })]);
      // One statement, the compiled one, cancelled once: no second run through the resolvers.
      expect(statements.filter((text) => text.includes('organizations'))).toHaveLength(1);
    } finally {
      await unlock();
      await api.close();
      await handle.close();
    }
  });

  it('answers 503 REQUEST_TIMEOUT at the request timeout and cancels the statement still waiting, with no statement_timeout at all', async () => {
    // No statement timeout: only the request's own cancellation (src/db/request-scope.ts) can stop it.
    const handle = await createDatabase({ url });
    const api = await startHttpInstance(handle.db, { requestTimeoutMs: 200 });
    const unlock = await lockOrganizations();
    try {
      const { status, body } = await api.post(`{ organizations(first: 5) { nodes { name } } }`);
      expect(status).toBe(503);
      expect(body.errors[0].extensions.code).toBe('REQUEST_TIMEOUT');
      // Cancelled with the lock still held: nothing keeps working (or waiting) for an answered request.
      expect(await eventually(async () => (await waitingStatements()) === 0)).toBe(true);
    } finally {
      await unlock();
      await api.close();
      await handle.close();
    }
  });
});
