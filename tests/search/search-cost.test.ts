import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_SEARCHES_PER_OPERATION, SEARCH_SCAN_COST } from '../../src/graphql/limits/list-sizes.ts';
import { createCostLimiter } from '../../src/graphql/limits/rate-limiter.ts';
import { startHttpInstance, type HttpInstance } from '../helpers/http-instance.ts';
import { openTestDatabase, type PortlandTestDatabase } from '../helpers/portland-database.ts';

/**
 * Issue 12, item 6: 30 aliased `search(first: 100)` cost 3,000 points but took 1.4 s on the embedded
 * database, and a few such clients held every other request behind them. A search is now priced by
 * the scan it does, only a few may share an operation, and a request's statements have a time budget.
 */
const LONG_QUERY = 'neighborhood association of the city '.repeat(6).slice(0, 199);
const statements: string[] = [];
let database: PortlandTestDatabase;
let api: HttpInstance;

function aliasedSearches(n: number, { totalCount = false } = {}): string {
  const fields = Array.from({ length: n }, (_, i) => `s${i}: search(query: $q, first: 100) { ${totalCount ? 'totalCount ' : ''}nodes { __typename } }`);
  return `query ($q: String!) { ${fields.join(' ')} }`;
}

beforeAll(async () => {
  database = await openTestDatabase({ onQuery: (text) => statements.push(text) });
  const rateLimiter = createCostLimiter({ windowSeconds: 60, budgets: { public: 300_000, partner: 1_500_000, staff: 3_000_000 } });
  api = await startHttpInstance(database.db, { rateLimiter });
});
afterAll(async () => {
  await api.close();
  await database.dispose();
});

describe('search is priced by what it scans', () => {
  it('costs its scan on top of its page, and its totalCount a second scan', async () => {
    const page = await api.post(aliasedSearches(1), { variables: { q: 'buckman' } });
    expect(page.status).toBe(200);
    expect(page.body.extensions.cost.requestedQueryCost).toBe(SEARCH_SCAN_COST + 100);
    const counted = await api.post(aliasedSearches(1, { totalCount: true }), { variables: { q: 'buckman' } });
    expect(counted.body.data.s0.totalCount).toBeGreaterThan(0);
    expect(counted.body.extensions.cost.requestedQueryCost).toBe(2 * SEARCH_SCAN_COST + 100);
  });

  it('keeps the scan cost when the page comes back short: only unreturned objects are refunded', async () => {
    const nothing = await api.post(aliasedSearches(1, { totalCount: true }), { variables: { q: 'qqqqzzzzxxxx' } });
    expect(nothing.body.data.s0).toEqual({ totalCount: 0, nodes: [] });
    expect(nothing.body.extensions.cost.actualQueryCost).toBe(2 * SEARCH_SCAN_COST);
  });

  it(`refuses 30 aliased searches with QUERY_TOO_COSTLY naming the limit of ${MAX_SEARCHES_PER_OPERATION}, and runs none of them`, async () => {
    statements.length = 0;
    const res = await api.post(aliasedSearches(30), { variables: { q: LONG_QUERY } });
    expect(res.status).toBe(400);
    expect(res.body.data).toBeUndefined();
    expect(res.body.errors).toHaveLength(1);
    expect(res.body.errors[0].extensions).toMatchObject({ code: 'QUERY_TOO_COSTLY', field: 'search', selected: 30, max: MAX_SEARCHES_PER_OPERATION });
    expect(res.body.errors[0].message).toMatch(/at most 3/);
    expect(statements.filter((text) => /similarity/.test(text))).toEqual([]);
  });

  it('counts searches spread through fragments, and allows the limit itself', async () => {
    const fragments = 'query ($q: String!) { ...A ...B } fragment A on Query { a: search(query: $q) { nodes { __typename } } ...B } fragment B on Query { b: search(query: $q) { nodes { __typename } } }';
    // A once, B twice (directly and inside A): three, the limit.
    const allowed = await api.post(fragments, { variables: { q: 'buckman' } });
    expect(allowed.status).toBe(200);
    const over = await api.post(`${fragments.replace('{ ...A ...B }', '{ ...A ...B c: search(query: $q) { nodes { __typename } } }')}`, { variables: { q: 'buckman' } });
    expect(over.status).toBe(400);
    expect(over.body.errors[0].extensions).toMatchObject({ code: 'QUERY_TOO_COSTLY', selected: 4 });
  });

  it('does not count a search skipped by @skip', async () => {
    const res = await api.post(`query ($q: String!) { ${Array.from({ length: 5 }, (_, i) => `s${i}: search(query: $q) @skip(if: ${i >= 3}) { nodes { __typename } }`).join(' ')} }`, {
      variables: { q: 'buckman' },
    });
    expect(res.status).toBe(200);
    expect(Object.keys(res.body.data)).toHaveLength(3);
  });
});

// The embedded database's per-request budget (src/db/fair-queue.ts). PostgreSQL enforces
// statement_timeout itself, tested with a blocked statement in tests/http/statement-timeout.test.ts;
// a 1 ms timeout there would cancel this file's own setup.
describe.skipIf(process.env.TEST_DATABASE_URL)('a request has a time budget on the embedded database', () => {
  let tight: PortlandTestDatabase;
  let tightApi: HttpInstance;
  beforeAll(async () => {
    // 1 ms: the queue refuses the request's next statement once its statements ran that long.
    tight = await openTestDatabase({ statementTimeoutMs: 1 });
    tightApi = await startHttpInstance(tight.db);
  });
  afterAll(async () => {
    await tightApi.close();
    await tight.dispose();
  });

  it('ends a request whose statements exceed it with a clean QUERY_TIMEOUT, and the server goes on answering', async () => {
    const res = await tightApi.post(aliasedSearches(MAX_SEARCHES_PER_OPERATION, { totalCount: true }), { variables: { q: LONG_QUERY } });
    const codes = (res.body.errors ?? []).map((e: { extensions: { code: string } }) => e.extensions.code);
    expect(codes.length).toBeGreaterThan(0);
    expect(new Set(codes)).toEqual(new Set(['QUERY_TIMEOUT']));
    expect(res.body.errors[0].message).toMatch(/took too long/);
    const after = await tightApi.post('{ __typename }');
    expect(after.body).toEqual({ data: { __typename: 'Query' } });
  });
});
