import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDatabase, type DatabaseHandle } from '../../src/db/client.ts';
import { withinRequest } from '../../src/db/request-scope.ts';

/**
 * The embedded database's queue (src/db/fair-queue.ts), on a real PGlite: requests are served in
 * turn, and a request's statements stop at its time budget with PostgreSQL's query_canceled.
 */
let handle: DatabaseHandle;
beforeAll(async () => {
  handle = await createDatabase({ dataDir: 'memory://', statementTimeoutMs: 50 });
});
afterAll(() => handle.close());

const run = (text: string) => handle.db.execute(sql.raw(text));
/** Runs `work` as one HTTP request does (src/db/request-scope.ts), with a signal of its own. */
const asRequest = <T>(work: () => T, signal = new AbortController().signal) => withinRequest(signal, work);
/** The SQLSTATE of a failure: Drizzle wraps a statement's error (cause), a refused transaction is not wrapped. */
const codeOf = (error: { code?: string; cause?: { code?: string } }) => error.code ?? error.cause?.code;

describe('the embedded database queue', () => {
  it("serves a request's statement in turn with another request's many, not after all of them", async () => {
    const finished: string[] = [];
    const heavy = asRequest(() => Promise.all(Array.from({ length: 10 }, (_, i) => run('select 1').then(() => finished.push(`heavy ${i}`)))));
    const light = asRequest(() => run('select 2').then(() => finished.push('light')));
    await Promise.all([heavy, light]);
    // Within one round (the heavy request's running statement and its next turn); first in, first out would put it eleventh.
    expect(finished.indexOf('light')).toBeLessThanOrEqual(2);
  });

  it("refuses a request's next statement once its statements ran for the budget, with query_canceled (57014)", async () => {
    const outcome = await asRequest(async () => {
      await run('select pg_sleep(0.06)');
      return run('select 1').then(
        () => 'ran',
        codeOf,
      );
    });
    expect(outcome).toBe('57014');
  });

  it('keeps budgets apart: another request, and work outside any request, still run', async () => {
    await asRequest(async () => {
      await run('select pg_sleep(0.06)');
      await expect(run('select 1')).rejects.toMatchObject({ cause: { code: '57014' } });
    });
    await expect(asRequest(() => run('select 1'))).resolves.toBeDefined();
    await run('select pg_sleep(0.06)');
    await expect(run('select 1')).resolves.toBeDefined();
  });

  it('runs transactions through the queue too, and refuses them past the budget', async () => {
    const result = await asRequest(async () => {
      const first = await handle.db.transaction(async (tx) => tx.execute(sql`select pg_sleep(0.06)`));
      const second = await handle.db.transaction(async (tx) => tx.execute(sql`select 1`)).then(
        () => 'ran',
        codeOf,
      );
      return { first: first !== undefined, second };
    });
    expect(result).toEqual({ first: true, second: '57014' });
  });

  it("refuses the statements of a request the server gave up on, and serves the others", async () => {
    const abandon = new AbortController();
    const outcome = await asRequest(async () => {
      await run('select 1');
      abandon.abort();
      return run('select 2').then(
        () => 'sent',
        // Drizzle wraps the refusal ("Failed query"), with the queue's error as its cause.
        (error: Error & { cause?: Error }) => (error.cause ?? error).name,
      );
    }, abandon.signal);
    expect(outcome).toBe('RequestAbandoned');
    await expect(asRequest(() => run('select 3'))).resolves.toBeDefined();
  });
});
