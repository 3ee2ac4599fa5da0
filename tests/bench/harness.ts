/**
 * The benchmark run: seed, start the servers, check that every path returns equal data, count
 * statements and DB time per request inside PostgreSQL, then time every case on every path in
 * alternating order after a warm-up. Used by `npm run bench` (tests/bench/run.ts) and the smoke
 * test (tests/bench/bench-smoke.test.ts).
 */
import { cpus, loadavg, totalmem } from 'node:os';
import { isDeepStrictEqual } from 'node:util';
import booleanPointInPolygon from '@turf/boolean-point-in-polygon';
import postgres from 'postgres';
import { signStaffToken } from '../../src/auth/jwt.ts';
import { VENDORED_CITIES } from '../../src/datasets/vendored.ts';
import { mulberry32 } from '../../src/import/sample-members.ts';
import { benchCases, canonical, COMMUNITY_BOARD_SLUG, MAX_WRITE_DAYS, NYC_POINTS, PHILADELPHIA_POINTS, SERVERS, WRITE_BASE, type BenchCase, type CityFixtures, type Fixtures, type ServerName } from './cases.ts';
import { createStatementCounter, postGraphQL, runAutocannon, runLoop, runOpenLoop, type HttpLoad, type LoadResult, type OpenLoopResult, type StatementCounter } from './measure.ts';
import { BENCH_WRITE_SEAT_PREFIX, BENCH_WRITERS, seedBenchDatabase, type SeedSummary } from './seed.ts';
import { measureEmbeddedStartup, type StartupResult } from './startup.ts';
import { BENCH_JWT_SECRET, ensurePostGraphileInstalled, startCivicGraph, startPostGraphile, type RunningServer } from './servers.ts';

export interface BenchOptions {
  databaseUrl: string;
  scale: number;
  durationS: number;
  warmupS: number;
  connections: number;
  cases: string[];
  servers: ServerName[];
  poolMax: number;
  /** Sequential requests per case and server for the statement count. */
  countRequests: number;
  rounds: number;
  civicNode: 'current' | '22';
  reuseSeed: boolean;
  /** The fixed rate of the `locate` cases' latency target (Q5, Q5phl, Q5nyc; requests/s). */
  locateRate: number;
  /** Warm embedded `npm start` runs to time after the cases (0: none; see startup.ts). */
  startupRuns?: number;
  /**
   * Time on fresh servers with statement counting off (true for real runs). The smoke test keeps
   * the counted servers, since it checks agreement, not speed, and server starts dominate its time.
   */
  restartForTiming?: boolean;
  log: (message: string) => void;
}

export interface CaseServerResult {
  na?: string;
  equal?: boolean;
  refusedAsExpected?: boolean;
  statementsPerRequest?: number;
  dbMsPerRequest?: number;
  rounds: LoadResult[];
  /** Cases with a latency target (`openLoopP99Ms`: the `locate` cases): requests on a fixed schedule (open loop, runOpenLoop). */
  openLoop?: OpenLoopResult & { rate: number; targetP99Ms: number };
  /** Q5 only: autocannon at `overallRate` (bursty; kept for comparison with earlier runs). */
  fixedRate?: LoadResult & { rate: number };
  /** Cached cases only: did a write to data in the answer show in the next answer? */
  invalidation?: { ok: boolean; detail: string };
}

/** The running servers; `civic-graph-cached` is civic-graph with its response cache on (Q3c). */
type Servers = Partial<Record<ServerName | 'civic-graph-cached', RunningServer>>;

/** The server that answers `name`'s side of a case: the cached civic-graph for cached cases. */
function serverFor(benchCase: BenchCase, name: ServerName, servers: Servers): RunningServer | null {
  if (name === 'civic-graph' && benchCase.civicResponseCache) return servers['civic-graph-cached'] ?? null;
  return servers[name] ?? null;
}

/**
 * The response cache must never answer stale data: warm it with two requests, rename an
 * association that the answer shows (plain SQL: the change-log triggers record it like any write),
 * and the very next answer must carry the new name; then the name is restored and the answer must
 * be the original again.
 */
async function checkInvalidation(benchCase: BenchCase, server: RunningServer, sql: postgres.Sql): Promise<{ ok: boolean; detail: string }> {
  const c = benchCase.servers['civic-graph'];
  const ask = async () => JSON.stringify(canonical(c.normalize!(await postGraphQL(server.url, c.request!(0)))));
  const before = await ask();
  if ((await ask()) !== before) return { ok: false, detail: 'two answers without a write differ' };
  const candidates = await sql`select id, name from organizations where kind = 'NEIGHBORHOOD_ASSOCIATION' order by id`;
  const org = candidates.find((o) => before.includes(JSON.stringify(o.name)));
  if (!org) return { ok: false, detail: 'no association of the answer found to rename' };
  const renamed = `${org.name} (renamed by the benchmark)`;
  try {
    await sql`update organizations set name = ${renamed} where id = ${org.id}`;
    const after = await ask();
    if (!after.includes(JSON.stringify(renamed))) return { ok: false, detail: 'the answer after the write still has the old name (stale cache)' };
  } finally {
    await sql`update organizations set name = ${org.name} where id = ${org.id}`;
  }
  if ((await ask()) !== before) return { ok: false, detail: 'the answer after restoring the name differs from the original' };
  return { ok: true, detail: 'the next answer after a write carried it, and the next after the undo was the original' };
}

export interface BenchResult {
  startedAt: string;
  finishedAt: string;
  machine: { cpu: string; cores: number; memoryGb: number; loadAtStart: number[]; loadAtEnd: number[]; postgres: string };
  versions: Record<string, string>;
  options: Omit<BenchOptions, 'log' | 'databaseUrl'> & { database: string };
  seed: SeedSummary;
  countMethod: string;
  peakRssMb: Record<string, number | null>;
  readyMs: Partial<Record<ServerName, number>>;
  /** Embedded `npm start`, when timed (startup.ts). */
  startup?: StartupResult;
  cases: Array<{ id: string; title: string; results: Partial<Record<ServerName, CaseServerResult>> }>;
  problems: string[];
}

/** A city's id and today's date in its time zone (each city answers "as of today" in its own). */
async function loadCity(sql: postgres.Sql, slug: string, points: CityFixtures['points']): Promise<CityFixtures> {
  const [j] = await sql`select id, timezone from jurisdictions where slug = ${slug}`;
  if (!j) throw new Error(`the benchmark database has no jurisdiction ${slug} (seed.ts imports every vendored city)`);
  const [{ today }] = (await sql`select to_char((now() at time zone ${j.timezone})::date, 'YYYY-MM-DD') as today`) as unknown as [{ today: string }];
  return { slug, jurisdictionId: j.id, today, points };
}

async function loadFixtures(sql: postgres.Sql): Promise<Fixtures> {
  const [j] = await sql`select id, timezone from jurisdictions where slug = 'portland'`;
  const [{ today }] = (await sql`select to_char((now() at time zone ${j!.timezone})::date, 'YYYY-MM-DD') as today`) as unknown as [{ today: string }];
  const [org] = await sql`select id from organizations where jurisdiction_id = ${j!.id} and (slug = 'buckman' or kind = 'NEIGHBORHOOD_ASSOCIATION') order by (slug = 'buckman') desc, name limit 1`;
  const seats = await sql`select id, organization_id from posts where source_key like ${`${BENCH_WRITE_SEAT_PREFIX}%`} order by source_key`;
  const writers = await sql`select id from people where name like 'Bench Writer %' order by name`;
  writeOrganizationId = seats[0]!.organization_id;
  await closeOpenWrites(sql);
  // Continue after the latest write of earlier runs on this database (see writeStart in cases.ts).
  let [{ days }] = (await sql`
    select coalesce(max(start_date) - ${WRITE_BASE}::date, 0)::int as days
    from memberships where organization_id = ${writeOrganizationId}`) as unknown as [{ days: number }];
  if (days > MAX_WRITE_DAYS) {
    // Many runs used up the calendar: the write seats' history is the benchmark's own, start over.
    await sql`delete from memberships where organization_id = ${writeOrganizationId}`;
    days = 0;
    writeDay = 0;
  }
  writeDay = Math.max(writeDay, days + 1);
  // Points inside the city: seeded random points in the box of its council districts, kept when
  // inside one of them (the city division itself has no boundary in the dataset).
  const districts = await sql`select boundary, min_longitude, min_latitude, max_longitude, max_latitude from divisions where jurisdiction_id = ${j!.id} and kind = 'COUNCIL_DISTRICT'`;
  const box = {
    minLon: Math.min(...districts.map((d) => d.min_longitude)),
    maxLon: Math.max(...districts.map((d) => d.max_longitude)),
    minLat: Math.min(...districts.map((d) => d.min_latitude)),
    maxLat: Math.max(...districts.map((d) => d.max_latitude)),
  };
  const rand = mulberry32(6);
  const points: Fixtures['points'] = [];
  while (points.length < 200) {
    const longitude = Number((box.minLon + rand() * (box.maxLon - box.minLon)).toFixed(6));
    const latitude = Number((box.minLat + rand() * (box.maxLat - box.minLat)).toFixed(6));
    if (districts.some((d) => booleanPointInPolygon([longitude, latitude], d.boundary))) points.push({ latitude, longitude });
  }
  const staffToken = await signStaffToken(
    { secret: BENCH_JWT_SECRET, issuer: 'civic-graph', audience: 'civic-graph' },
    { subject: 'bench@example.gov', role: 'staff', jurisdiction: 'portland', name: 'Benchmark', expiresIn: '12h' },
  );
  const philadelphia = await loadCity(sql, 'philadelphia', PHILADELPHIA_POINTS);
  const nyc = await loadCity(sql, 'nyc', NYC_POINTS);
  const [board] = await sql`select id from organizations where jurisdiction_id = ${nyc.jurisdictionId} and slug = ${COMMUNITY_BOARD_SLUG}`;
  if (!board) throw new Error(`New York has no organization ${COMMUNITY_BOARD_SLUG}`);
  return {
    jurisdictionId: j!.id,
    today,
    organizationId: org!.id,
    writeSeatIds: seats.map((x) => x.id),
    writeOrganizationId: seats[0]!.organization_id,
    writerIds: writers.map((w) => w.id),
    points,
    staffToken,
    philadelphia,
    nyc,
    communityBoard: { slug: COMMUNITY_BOARD_SLUG, id: board.id },
  };
}

/** Every pair of writes gets its own day, across servers and runs (see writeStart in cases.ts). */
let writeDay = 0;
let writeOrganizationId = 0;

/** Ends the terms a write run left open when it stopped between an appointment and its end. */
async function closeOpenWrites(sql: postgres.Sql): Promise<void> {
  // One row at a time: the seat-capacity trigger locks each seat, and requests still in flight
  // from the load generator take the same locks (a bulk update could deadlock with them).
  const open = await sql`select id from memberships where organization_id = ${writeOrganizationId} and end_date is null order by post_id, id`;
  for (const { id } of open) {
    for (let attempt = 1; ; attempt++) {
      try {
        await sql`update memberships set end_date = start_date + 1, end_reason = 'OTHER' where id = ${id} and end_date is null`;
        break;
      } catch (error) {
        if (attempt >= 5 || !['40P01', '40001'].includes((error as { code?: string }).code ?? '')) throw error;
        await new Promise((r) => setTimeout(r, 50 * attempt));
      }
    }
  }
}

/** One request (or write pair) of a case on a server, returning the normalized answer. */
async function askOnce(benchCase: BenchCase, name: ServerName, servers: Servers, raw: postgres.Sql, index: number): Promise<{ answer: unknown; response: any }> {
  const c = benchCase.servers[name];
  const server = serverFor(benchCase, name, servers);
  if (name === 'raw') {
    const response = await c.raw!(raw, index);
    return { answer: c.normalize ? c.normalize(response) : response, response };
  }
  if (c.write) {
    const day = writeDay++;
    const appointed = await postGraphQL(server!.url, c.write.appoint(day, index));
    const id = c.write.membershipIdOf(appointed);
    if (!id) throw new Error(`${benchCase.id} ${name}: appointment failed: ${JSON.stringify(appointed).slice(0, 400)}`);
    const ended = await postGraphQL(server!.url, c.write.end(id, day));
    return { answer: c.normalize!(ended), response: ended };
  }
  const response = await postGraphQL(server!.url, c.request!(index));
  return { answer: c.normalize ? c.normalize(response) : response, response };
}

function httpLoad(benchCase: BenchCase, name: ServerName, server: RunningServer, options: BenchOptions, durationS: number, overallRate?: number): HttpLoad {
  const c = benchCase.servers[name];
  let index = 0;
  return {
    url: server.url,
    connections: overallRate ? 4 : options.connections,
    durationS,
    ...(overallRate ? { overallRate } : {}),
    ...(benchCase.expectRefusal ? { expectedRefusal: benchCase.expectRefusal } : {}),
    steps: [{ build: () => c.request!(index++) }],
  };
}

async function timeOne(benchCase: BenchCase, name: ServerName, servers: Servers, raw: postgres.Sql, options: BenchOptions, durationS: number): Promise<LoadResult> {
  const server = serverFor(benchCase, name, servers);
  if (name === 'raw') {
    const call = benchCase.servers.raw.raw!;
    return runLoop((i) => call(raw, i), options.connections, durationS);
  }
  const write = benchCase.servers[name].write;
  if (write) {
    // A closed loop per connection, each its own writer (person and seat), sending the appointment
    // and then ending it: autocannon builds a connection's next request before it has read the
    // previous response, so it cannot carry the new term's id into the next request.
    const loops = Math.min(options.connections, BENCH_WRITERS);
    const result = await runLoop(
      async (_i, loop) => {
        const day = writeDay++;
        const appointed = await postGraphQL(server!.url, write.appoint(day, loop));
        const id = write.membershipIdOf(appointed);
        if (!id) throw new Error(`appointment refused: ${JSON.stringify(appointed).slice(0, 300)}`);
        const ended = await postGraphQL(server!.url, write.end(id, day));
        if (ended.errors || JSON.stringify(ended).includes('"userErrors":[{')) throw new Error(`end refused: ${JSON.stringify(ended).slice(0, 300)}`);
      },
      loops,
      durationS,
      2,
    );
    await closeOpenWrites(raw);
    return result;
  }
  return runAutocannon(httpLoad(benchCase, name, server!, options, durationS));
}

export async function runBenchmark(options: BenchOptions): Promise<BenchResult> {
  const log = options.log;
  const startedAt = new Date().toISOString();
  const loadAtStart = loadavg().map((n) => Number(n.toFixed(2)));
  const problems: string[] = [];
  const dbName = decodeURIComponent(new URL(options.databaseUrl).pathname.slice(1));
  const adminUrl = options.databaseUrl.replace(/\/[^/]*$/, '/postgres');

  if (options.servers.includes('postgraphile') || options.civicNode === '22') ensurePostGraphileInstalled(log);
  const seed = await seedBenchDatabase(options.databaseUrl, options.scale, { reuse: options.reuseSeed, log });
  log(`seed: scale ${seed.scale}${seed.reused ? ' (reused)' : ''}, ${JSON.stringify(seed.counts)}`);

  const fixturesSql = postgres(options.databaseUrl, { max: 1, onnotice: () => {} });
  const fixtures = await loadFixtures(fixturesSql);
  const [{ version: pgVersion }] = (await fixturesSql`select version()`) as unknown as [{ version: string }];
  await fixturesSql.end();

  const wantedCases = new Set(options.cases.map((id) => id.toUpperCase()));
  const cases = benchCases(fixtures).filter((c) => wantedCases.has(c.id.toUpperCase()));
  const wanted = SERVERS.filter((s) => options.servers.includes(s));
  const result: BenchResult = {
    startedAt,
    finishedAt: '',
    machine: { cpu: cpus()[0]?.model ?? 'unknown', cores: cpus().length, memoryGb: Math.round(totalmem() / 2 ** 30), loadAtStart, loadAtEnd: [], postgres: String(pgVersion).split(' on ')[0]! },
    versions: {},
    options: { ...options, log: undefined, databaseUrl: undefined, database: dbName } as never,
    seed,
    countMethod: '',
    peakRssMb: {},
    readyMs: {},
    cases: cases.map((c) => ({ id: c.id, title: c.title, results: {} })),
    problems,
  };

  const counter: StatementCounter = await createStatementCounter(adminUrl, dbName);
  result.countMethod = counter.method;

  const startServers = async (): Promise<Servers> => {
    const servers: Servers = {};
    if (wanted.includes('civic-graph')) {
      const s = await startCivicGraph({ databaseUrl: options.databaseUrl, poolMax: options.poolMax, civicNode: options.civicNode });
      servers['civic-graph'] = s;
      result.readyMs['civic-graph'] = s.readyMs;
      result.versions['civic-graph Node'] = s.nodeVersion;
    }
    if (wanted.includes('civic-graph') && cases.some((c) => c.civicResponseCache)) {
      servers['civic-graph-cached'] = await startCivicGraph({ databaseUrl: options.databaseUrl, poolMax: options.poolMax, civicNode: options.civicNode, responseCache: 'memory' });
    }
    if (wanted.includes('postgraphile')) {
      const s = await startPostGraphile({ databaseUrl: options.databaseUrl, poolMax: options.poolMax, civicNode: options.civicNode });
      servers.postgraphile = s;
      result.readyMs.postgraphile = s.readyMs;
      result.versions['PostGraphile Node'] = s.nodeVersion;
    }
    return servers;
  };
  const stopServers = async (servers: Servers) => {
    for (const s of Object.values(servers)) await s?.stop();
  };

  // ---- phase 1: equal data, refusals and statement counts (servers started with counting on) ----
  await counter.enable();
  let servers = await startServers();
  let rawSql = postgres(options.databaseUrl, { max: options.poolMax, onnotice: () => {} });
  try {
    for (const [i, benchCase] of cases.entries()) {
      const entry = result.cases[i]!;
      let reference: { name: ServerName; answer: unknown } | null = null;
      for (const name of wanted) {
        const c = benchCase.servers[name];
        if (c.na) {
          entry.results[name] = { na: c.na, rounds: [] };
          continue;
        }
        const r: CaseServerResult = { rounds: [] };
        entry.results[name] = r;
        try {
          if (benchCase.expectRefusal) {
            await counter.begin();
            const { response } = await askOnce(benchCase, name, servers, rawSql, 0);
            const window = await counter.end();
            const code = response?.errors?.[0]?.extensions?.code;
            r.refusedAsExpected = code === benchCase.expectRefusal && response?.data == null && window.statements === 0;
            r.statementsPerRequest = window.statements;
            r.dbMsPerRequest = window.dbMs;
            if (!r.refusedAsExpected) problems.push(`${benchCase.id} ${name}: expected ${benchCase.expectRefusal} with no SQL; got code ${code} and ${window.statements} statements`);
            continue;
          }
          const { answer } = await askOnce(benchCase, name, servers, rawSql, 0);
          const normalized = canonical(answer);
          if (!reference) {
            reference = { name, answer: normalized };
            r.equal = true;
          } else {
            r.equal = isDeepStrictEqual(reference.answer, normalized);
            if (!r.equal) {
              problems.push(`${benchCase.id}: ${name} differs from ${reference.name}`);
              log(`${benchCase.id}: ${name} differs from ${reference.name}:\n${JSON.stringify(normalized).slice(0, 1500)}\nvs\n${JSON.stringify(reference.answer).slice(0, 1500)}`);
            }
          }
          // Statement count: sequential requests (a write pair counts as two requests).
          const n = benchCase.servers[name].write ? Math.max(2, Math.floor(options.countRequests / 2)) : options.countRequests;
          await counter.begin();
          for (let k = 0; k < n; k++) await askOnce(benchCase, name, servers, rawSql, k);
          const window = await counter.end();
          const requests = benchCase.servers[name].write ? 2 * n : n;
          r.statementsPerRequest = window.statements / requests;
          r.dbMsPerRequest = window.dbMs / requests;
          if (name === 'civic-graph' && benchCase.civicResponseCache) {
            r.invalidation = await checkInvalidation(benchCase, serverFor(benchCase, name, servers)!, rawSql);
            if (!r.invalidation.ok) problems.push(`${benchCase.id} civic-graph: response cache not invalidated by a write: ${r.invalidation.detail}`);
          }
        } catch (error) {
          problems.push(`${benchCase.id} ${name}: ${(error as Error).message.slice(0, 300)}`);
          r.equal = false;
        }
      }
      log(`${benchCase.id} checked: ${wanted.map((n) => `${n} ${JSON.stringify({ eq: entry.results[n]?.equal ?? entry.results[n]?.refusedAsExpected, stmts: entry.results[n]?.statementsPerRequest })}`).join('; ')}`);
    }
  } finally {
    if (options.restartForTiming !== false) {
      await stopServers(servers);
      await rawSql.end();
    }
    await counter.disable();
  }

  // ---- phase 2: throughput and latency (fresh servers, counting off) ----
  if (options.restartForTiming !== false) {
    servers = await startServers();
    rawSql = postgres(options.databaseUrl, { max: options.poolMax, onnotice: () => {} });
  }
  try {
    for (const [i, benchCase] of cases.entries()) {
      const entry = result.cases[i]!;
      const runnable = wanted.filter((n) => !benchCase.servers[n].na && entry.results[n]?.equal !== false && entry.results[n]?.refusedAsExpected !== false);
      for (let round = 0; round < options.rounds; round++) {
        const order = round % 2 === 0 ? runnable : [...runnable].reverse();
        for (const name of order) {
          await timeOne(benchCase, name, servers, rawSql, options, options.warmupS);
          const measured = await timeOne(benchCase, name, servers, rawSql, options, options.durationS);
          entry.results[name]!.rounds.push(measured);
          if (measured.failures > 0) problems.push(`${benchCase.id} ${name} round ${round + 1}: ${measured.failures} failed requests of ${measured.requests}${measured.failureSample ? ` (first: ${measured.failureSample})` : ''}`);
          log(`${benchCase.id} ${name} round ${round + 1}: ${measured.rps.toFixed(0)} req/s, p50 ${measured.p50} ms, p99 ${measured.p99} ms`);
        }
      }
      if (benchCase.openLoopP99Ms !== undefined && servers['civic-graph'] && runnable.includes('civic-graph')) {
        // A warm-up at the fixed rate first, like every timed run: the latency target is about the
        // steady state at 200 req/s, not about the garbage the 50-connection rounds just left behind.
        const request = benchCase.servers['civic-graph'].request!;
        const server = servers['civic-graph'];
        if (options.warmupS > 0) await runOpenLoop(server.url, options.locateRate, options.warmupS, request);
        const open = await runOpenLoop(server.url, options.locateRate, options.durationS, request);
        entry.results['civic-graph']!.openLoop = { ...open, rate: options.locateRate, targetP99Ms: benchCase.openLoopP99Ms };
        if (open.failures > 0) problems.push(`${benchCase.id} civic-graph at ${options.locateRate} req/s: ${open.failures} failed requests (first: ${open.failureSample})`);
        log(`${benchCase.id} civic-graph at ${options.locateRate} req/s, open loop: p50 ${open.p50} ms, p99 ${open.p99} ms, max ${open.max} ms (client lateness p99 ${open.lateP99} ms)`);
        // autocannon's overallRate beside it for Q5 only, for comparison with runs before the open loop.
        if (benchCase.id === 'Q5') {
          const fixed = await runAutocannon(httpLoad(benchCase, 'civic-graph', server, options, options.durationS, options.locateRate));
          entry.results['civic-graph']!.fixedRate = { ...fixed, rate: options.locateRate };
          log(`Q5 civic-graph at ${options.locateRate} req/s, autocannon overallRate: p50 ${fixed.p50} ms, p99 ${fixed.p99} ms`);
        }
      }
    }
    for (const name of wanted) {
      if (name !== 'raw') result.peakRssMb[name] = servers[name]?.peakRssMb() ?? null;
    }
    if (servers['civic-graph-cached']) result.peakRssMb['civic-graph (cache on)'] = servers['civic-graph-cached'].peakRssMb();
  } finally {
    await stopServers(servers);
    await rawSql.end();
    await counter.close();
  }
  // Last, with every server of the run stopped, so the start-ups have the machine to themselves.
  if (options.startupRuns) {
    result.startup = await measureEmbeddedStartup(options.startupRuns, options.log);
    const missing = VENDORED_CITIES.filter((c) => !result.startup!.cities.includes(c));
    if (missing.length) problems.push(`embedded npm start: the first start does not answer for ${missing.join(', ')}`);
  }
  result.finishedAt = new Date().toISOString();
  result.machine.loadAtEnd = loadavg().map((n) => Number(n.toFixed(2)));
  return result;
}
