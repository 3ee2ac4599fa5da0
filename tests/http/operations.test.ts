import { Writable } from 'node:stream';
import type { AddressInfo } from 'node:net';
import { sql } from 'drizzle-orm';
import { createLogger } from '../../src/logger.ts';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { createContext } from '../../src/context.ts';
import { createDatabase } from '../../src/db/client.ts';
import { createHttpServer } from '../../src/http/http-server.ts';
import { MAX_OPERATION_NAMES, Metrics } from '../../src/http/metrics.ts';
import { createReadinessCheck } from '../../src/http/readiness.ts';
import { createApolloServer } from '../../src/server.ts';
import { partnerKey, staffToken, startHttpInstance, type HttpInstance } from '../helpers/http-instance.ts';
import { openTestDatabase, type PortlandTestDatabase } from '../helpers/portland-database.ts';
import { createTestDatabase } from '../helpers/test-database.ts';

const logger = createLogger('silent');
let database: PortlandTestDatabase;
const instances: HttpInstance[] = [];

beforeAll(async () => {
  database = await openTestDatabase();
});
afterEach(async () => {
  await Promise.all(instances.splice(0).map((instance) => instance.close()));
});
afterAll(async () => {
  await database.dispose();
});

async function start(options: Parameters<typeof startHttpInstance>[1] = {}) {
  const instance = await startHttpInstance(database.db, options);
  instances.push(instance);
  return instance;
}

const SCHEMA = `{ __schema { queryType { name } } }`;
const TYPE = `{ __type(name: "Organization") { name } }`;

describe('introspection', () => {
  it('is refused to the anonymous public in production, before anything runs', async () => {
    const api = await start({ production: true });
    for (const query of [SCHEMA, TYPE, `{ organization(slug: "buckman") { name } ...F } fragment F on Query { __schema { types { name } } }`]) {
      const { status, body } = await api.post(query);
      expect(status).toBe(403);
      expect(body.data).toBeUndefined();
      expect(body.errors[0].extensions.code).toBe('INTROSPECTION_DISABLED');
      expect(body.errors[0].message).toMatch(/^Introspection is not available to this caller/);
    }
    // __typename is not introspection; Relay and Apollo clients add it everywhere.
    const typename = await api.post(`{ __typename organization(slug: "buckman") { __typename name } }`);
    expect(typename.body).toMatchObject({ data: { __typename: 'Query', organization: { __typename: 'Organization', name: 'Buckman' } } });
  });

  it('is refused to partner keys in production unless INTROSPECTION_FOR_PARTNERS, and open to staff', async () => {
    const key = await partnerKey(database.db, database.jurisdictionId);
    const closed = await start({ production: true });
    expect((await closed.post(SCHEMA, { token: key })).body.errors[0].extensions.code).toBe('INTROSPECTION_DISABLED');
    expect((await closed.post(SCHEMA, { token: await staffToken() })).body.data.__schema.queryType.name).toBe('Query');

    const open = await start({ production: true, introspectionForPartners: true });
    expect((await open.post(SCHEMA, { token: key })).body.data.__schema.queryType.name).toBe('Query');
    expect((await open.post(SCHEMA)).status).toBe(403);
  });

  it('is open to everyone in development', async () => {
    const api = await start({ production: false });
    expect((await api.post(TYPE)).body.data.__type.name).toBe('Organization');
  });

  it('hides field suggestions in production and offers them in development', async () => {
    const typo = `{ organizatoin(slug: "buckman") { name } }`;
    const production = await (await start({ production: true })).post(typo);
    expect(production.body.errors[0].message).toBe('Cannot query field "organizatoin" on type "Query".');
    const development = await (await start({ production: false })).post(typo);
    expect(development.body.errors[0].message).toMatch(/Did you mean "organization"/);
  });
});

describe('GET /readyz', () => {
  it('answers 200 when the database answers and carries every migration', async () => {
    const api = await start({ readiness: createReadinessCheck(database.db, logger) });
    const res = await fetch(`${api.base}/readyz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ready' });
  });

  it('answers 503 naming the reason when a migration is missing', async () => {
    const empty = await createTestDatabase();
    try {
      await empty.handle.db.execute(sql`delete from drizzle.__drizzle_migrations where created_at = (select max(created_at) from drizzle.__drizzle_migrations)`);
      const api = await start({ readiness: createReadinessCheck(empty.handle.db, logger) });
      const res = await fetch(`${api.base}/readyz`);
      expect(res.status).toBe(503);
      const body = (await res.json()) as { reason: string };
      expect(body).toEqual({ status: 'not ready', reason: expect.stringMatching(/^migrations pending: (\d+) of (\d+) applied$/) });
      const [, applied, shipped] = /(\d+) of (\d+)/.exec(body.reason)!.map(Number);
      expect(applied).toBe(shipped! - 1);
    } finally {
      await empty.dispose();
    }
  });

  it('answers 503 "database unreachable" without saying where the database is', async () => {
    const gone = await createTestDatabase();
    await gone.handle.close();
    const lines: string[] = [];
    const sink = new Writable({ write: (chunk, _e, done) => (lines.push(String(chunk)), done()) });
    const api = await start({ readiness: createReadinessCheck(gone.handle.db, createLogger('warn', sink)) });
    const res = await fetch(`${api.base}/readyz`);
    expect(res.status).toBe(503);
    expect(await res.json()).toEqual({ status: 'not ready', reason: 'database unreachable' });
    expect(lines.join('')).toContain('readiness: database unreachable');
    await gone.dispose().catch(() => {});
  });
});

describe('GET /metrics', () => {
  it('exposes requests, operations by name and outcome, errors, latency and process metrics', async () => {
    const metrics = new Metrics();
    const api = await start({ metrics });
    await api.post(`query DistrictNames { councilDistricts { name } }`);
    await api.post(`query DistrictNames { councilDistricts { name } }`);
    await api.post(`{ organizations(first: 2) { nodes { name } } }`);
    await api.post(`query TooMany { organizations(first: 5000) { nodes { name } } }`);
    await api.post(`query Broken {`);
    await fetch(`${api.base}/healthz`);
    await fetch(`${api.base}/no/such/path`);

    const res = await fetch(`${api.base}/metrics`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = await res.text();
    expect(text).toContain('http_requests_total{route="/graphql",method="POST",status="200"} 4');
    expect(text).toContain('http_requests_total{route="/graphql",method="POST",status="400"} 1');
    expect(text).toContain('http_requests_total{route="/healthz",method="GET",status="200"} 1');
    expect(text).toContain('http_requests_total{route="unmatched",method="GET",status="404"} 1');
    expect(text).toContain('graphql_operations_total{operation="DistrictNames",type="query",outcome="success"} 2');
    expect(text).toContain('graphql_operations_total{operation="anonymous",type="query",outcome="success"} 1');
    // first: 5000 is refused by the resolver: data null with an error, the client's fault.
    expect(text).toContain('graphql_operations_total{operation="TooMany",type="query",outcome="refused"} 1');
    // A document that does not parse has no name to read; it counts as anonymous.
    expect(text).toContain('graphql_operations_total{operation="anonymous",type="unknown",outcome="refused"} 1');
    expect(text).toContain('graphql_errors_total{code="BAD_USER_INPUT"} 1');
    expect(text).toContain('graphql_errors_total{code="GRAPHQL_PARSE_FAILED"} 1');
    expect(text).toContain('graphql_operation_duration_seconds_count{operation="DistrictNames"} 2');
    expect(text).toMatch(/graphql_operation_duration_seconds_bucket\{le="0.005",operation="DistrictNames"\} \d/);
    expect(text).toMatch(/http_request_duration_seconds_count\{route="\/graphql"\} 5/);
    expect(text).toContain('process_cpu_user_seconds_total');
    expect(text).toContain('nodejs_eventloop_lag_seconds');
  });

  it(`keeps at most ${MAX_OPERATION_NAMES} operation names as labels; the rest count as "other"`, async () => {
    const metrics = new Metrics({ defaultMetrics: false });
    const api = await start({ metrics });
    for (let i = 0; i <= MAX_OPERATION_NAMES; i += 1) await api.post(`query Op${i} { __typename }`);
    const text = (await metrics.render()).body;
    expect(text).toContain(`graphql_operations_total{operation="Op${MAX_OPERATION_NAMES - 1}",type="query",outcome="success"} 1`);
    expect(text).not.toContain(`operation="Op${MAX_OPERATION_NAMES}"`);
    expect(text).toContain('graphql_operations_total{operation="other",type="query",outcome="success"} 1');
  });

  it('requires the bearer token when METRICS_TOKEN is set', async () => {
    const api = await start({ metrics: new Metrics({ defaultMetrics: false }), metricsToken: 'scrape-token-0123456789' });
    expect((await fetch(`${api.base}/metrics`)).status).toBe(401);
    expect((await fetch(`${api.base}/metrics`, { headers: { authorization: 'Bearer scrape-token-wrong-00000' } })).status).toBe(401);
    const res = await fetch(`${api.base}/metrics`, { headers: { authorization: 'Bearer scrape-token-0123456789' } });
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('http_requests_total');
  });
});

describe('CORS', () => {
  const ALLOWED = 'https://map.example.org';

  it('allows a listed origin, with the rate-limit headers readable', async () => {
    const api = await start({ corsOrigins: [ALLOWED, 'https://council.example.gov'] });
    const res = await fetch(`${api.base}/graphql`, {
      method: 'POST',
      headers: { origin: ALLOWED, 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ __typename }' }),
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('access-control-allow-origin')).toBe(ALLOWED);
    expect(res.headers.get('vary')).toMatch(/Origin/);
    expect(res.headers.get('access-control-expose-headers')).toBe('ratelimit,ratelimit-policy,retry-after,x-request-id');
  });

  it('keeps Vary: Origin on a public cacheable GET answer, next to Authorization, Accept and Accept-Language', async () => {
    const api = await start({ corsOrigins: [ALLOWED] });
    const res = await api.get('{ councilDistricts { name } }', { headers: { origin: ALLOWED } });
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toMatch(/^public, max-age=\d+$/);
    expect(res.headers.get('access-control-allow-origin')).toBe(ALLOWED);
    const vary = res.headers.get('vary')!.split(',').map((field) => field.trim().toLowerCase());
    expect(vary.sort()).toEqual(['accept', 'accept-language', 'authorization', 'origin']);
  });

  it('answers a preflight from a listed origin with the methods and headers a client needs', async () => {
    const api = await start({ corsOrigins: [ALLOWED] });
    const res = await fetch(`${api.base}/graphql`, {
      method: 'OPTIONS',
      headers: { origin: ALLOWED, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type,authorization' },
    });
    expect(res.status).toBe(204);
    expect(res.headers.get('access-control-allow-origin')).toBe(ALLOWED);
    expect(res.headers.get('access-control-allow-methods')).toBe('GET,POST,OPTIONS');
    expect(res.headers.get('access-control-allow-headers')).toContain('authorization');
    expect(res.headers.get('access-control-max-age')).toBe('600');
  });

  it('gives an origin not on the list no Access-Control-Allow-Origin, preflight or not', async () => {
    const api = await start({ corsOrigins: [ALLOWED] });
    const preflight = await fetch(`${api.base}/graphql`, { method: 'OPTIONS', headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST' } });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBeNull();
    const post = await fetch(`${api.base}/graphql`, {
      method: 'POST',
      headers: { origin: 'https://evil.example', 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ __typename }' }),
    });
    expect(post.headers.get('access-control-allow-origin')).toBeNull();
    // A lookalike of an allowed origin is another origin.
    const lookalike = await fetch(`${api.base}/graphql`, { method: 'OPTIONS', headers: { origin: `${ALLOWED}.evil.example`, 'access-control-request-method': 'POST' } });
    expect(lookalike.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('allows no origin when CORS_ORIGINS is empty', async () => {
    const api = await start();
    const preflight = await fetch(`${api.base}/graphql`, { method: 'OPTIONS', headers: { origin: ALLOWED, 'access-control-request-method': 'POST' } });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBeNull();
  });
});

describe('request timeout', () => {
  it('answers 503 REQUEST_TIMEOUT when a request is not answered in time, and keeps serving', async () => {
    const apollo = createApolloServer({ logger, production: false });
    await apollo.start();
    const metrics = new Metrics({ defaultMetrics: false });
    let release = () => {};
    const held = new Promise<void>((resolve) => (release = resolve));
    // The first request's context waits until the test releases it: slower than any timeout.
    let first = true;
    const server = createHttpServer(
      apollo,
      async ({ requestId }) => {
        if (first) {
          first = false;
          await held;
        }
        return createContext({ db: database.db, defaultJurisdiction: 'portland', logger, requestId });
      },
      logger,
      { requestTimeoutMs: 200, metrics },
    );
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;
    const post = () => fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: '{ councilDistricts { name } }' }) });
    try {
      const res = await post();
      expect(res.status).toBe(503);
      const body = (await res.json()) as any;
      expect(body.errors[0].extensions).toEqual({ code: 'REQUEST_TIMEOUT', requestId: res.headers.get('x-request-id') });
      expect(body.errors[0].message).toBe('The request was not answered within 200 ms and was stopped. Ask for less (smaller pages), or retry later.');
      expect((await metrics.render()).body).toContain('http_request_timeouts_total 1');
      release();
      const next = await post();
      expect(next.status).toBe(200);
      expect(((await next.json()) as any).data.councilDistricts).toHaveLength(4);
    } finally {
      release();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      await apollo.stop();
    }
  });
});

describe('database pool metrics', () => {
  const scrape = async (api: HttpInstance) => {
    const res = await fetch(`${api.base}/metrics`);
    expect(res.status).toBe(200);
    return res.text();
  };
  const gauge = (text: string, series: string) => {
    const line = text.split('\n').find((l) => l.startsWith(`${series} `));
    return line === undefined ? undefined : Number(line.slice(series.length + 1));
  };

  it.runIf(!process.env.TEST_DATABASE_URL)('reports the one embedded PGlite connection, with no session states', async () => {
    const embedded = await createTestDatabase();
    try {
      const metrics = new Metrics({ defaultMetrics: false });
      metrics.observeDatabasePool(embedded.handle.poolStats);
      const text = await scrape(await start({ metrics }));
      expect(gauge(text, 'db_pool_max')).toBe(1);
      expect(gauge(text, 'db_pool_stats_up')).toBe(1);
      expect(text).not.toContain('db_pool_connections{');
    } finally {
      await embedded.dispose();
    }
  });

  it.runIf(!!process.env.TEST_DATABASE_URL)(
    "counts this pool's PostgreSQL connections by state, not another pool's, and says when it cannot read them",
    async () => {
      const pool = await createTestDatabase({ poolMax: 4 });
      const other = await createDatabase({ url: pool.url!, poolMax: 2 });
      let release = () => {};
      const gate = new Promise<void>((resolve) => (release = resolve));
      const held: Promise<unknown>[] = [];
      try {
        expect(pool.handle.applicationName).toMatch(/^civic-graph-\d+-\d+$/);
        const [own] = (await pool.handle.db.execute(sql`select application_name from pg_stat_activity where pid = pg_backend_pid()`)) as unknown as { application_name: string }[];
        expect(own!.application_name).toBe(pool.handle.applicationName);

        const metrics = new Metrics({ defaultMetrics: false });
        metrics.observeDatabasePool(pool.handle.poolStats);
        const api = await start({ metrics });

        // One connection idle in a transaction holding a lock, one active (blocked on that lock).
        let locked = () => {};
        const lockTaken = new Promise<void>((resolve) => (locked = resolve));
        held.push(
          pool.handle.db.transaction(async (tx) => {
            await tx.execute(sql`select pg_advisory_xact_lock(4242)`);
            locked();
            await gate;
          }),
        );
        await lockTaken;
        // (Drizzle's query promises are lazy: the async function sends the statement now.)
        held.push((async () => pool.handle.db.execute(sql`select pg_advisory_xact_lock(4242)`))());
        // Another pool on the same database, busy the same way: none of it is ours.
        held.push(other.db.transaction(async (tx) => (await tx.execute(sql`select 1`), gate)));

        await vi.waitFor(async () => {
          const text = await scrape(api);
          expect(gauge(text, 'db_pool_connections{state="active"}')).toBe(1);
          expect(gauge(text, 'db_pool_connections{state="idle_in_transaction"}')).toBe(1);
        });
        const text = await scrape(api);
        expect(gauge(text, 'db_pool_max')).toBe(4);
        expect(gauge(text, 'db_pool_stats_up')).toBe(1);
        const open = ['active', 'idle', 'idle_in_transaction', 'other'].reduce((sum, state) => sum + gauge(text, `db_pool_connections{state="${state}"}`)!, 0);
        expect(open).toBeLessThanOrEqual(4);

        release();
        await Promise.all(held);
        await vi.waitFor(async () => {
          const after = await scrape(api);
          expect(gauge(after, 'db_pool_connections{state="active"}')).toBe(0);
          expect(gauge(after, 'db_pool_connections{state="idle_in_transaction"}')).toBe(0);
        });

        // Database gone: /metrics still answers, with no pool states and db_pool_stats_up 0.
        await pool.handle.close();
        const gone = await scrape(api);
        expect(gauge(gone, 'db_pool_stats_up')).toBe(0);
        expect(gone).not.toContain('db_pool_connections{');
        expect(gone).toContain('http_requests_total');
      } finally {
        release();
        await Promise.allSettled(held);
        await other.close();
        await pool.dispose().catch(() => {});
      }
    },
  );
});
