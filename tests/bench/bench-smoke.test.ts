/**
 * Smoke test of the benchmark harness (`npm run bench`): scale 1, about a second per case and
 * server, and the point of it: civic-graph, PostGraphile 5 and the raw SQL path return equal data
 * for every case, Portland's and the per-city ones of issue 13 (Philadelphia's and New York's
 * directory, `locate` there, a New York community board's roster), the fan-out is refused before
 * any SQL, and the table is written. No timing is asserted (performance goals live in
 * BENCHMARKS.md only).
 *
 * Needs a PostgreSQL server (TEST_DATABASE_URL, as in .ci/run's second pass); on the embedded PGlite
 * there is nothing to compare with, so it is skipped. The first run installs PostGraphile and its
 * Node 22 into tests/bench/postgraphile (npm ci, about a minute).
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import postgres from 'postgres';
import { afterAll, describe, expect, it } from 'vitest';
import { VENDORED_CITIES } from '../../src/datasets/vendored.ts';
import { SERVERS } from './cases.ts';
import { runBenchmark, type BenchResult } from './harness.ts';
import { renderTable, writeBenchmarksFile } from './report.ts';

const adminUrl = process.env.TEST_DATABASE_URL;
const reason = 'needs a PostgreSQL server: set TEST_DATABASE_URL (the benchmark compares servers over one real database)';

describe.skipIf(!adminUrl)(`benchmark harness smoke test${adminUrl ? '' : ` (skipped: ${reason})`}`, () => {
  const name = `civic_graph_bench_smoke_${randomBytes(4).toString('hex')}`;
  const url = new URL(adminUrl ?? 'postgres://localhost/x');
  url.pathname = `/${name}`;
  const outDir = mkdtempSync(join(tmpdir(), 'bench-smoke-'));

  afterAll(async () => {
    rmSync(outDir, { recursive: true, force: true });
    const admin = postgres(adminUrl!, { max: 1, onnotice: () => {} });
    await admin.unsafe(`drop database if exists "${name}" with (force)`);
    await admin.end();
  });

  // Every case of `npm run bench`, in its order.
  const CASES = ['Q0', 'Q1', 'Q2', 'Q3', 'Q3c', 'Q3phl', 'Q3nyc', 'Q4', 'Q5', 'Q5phl', 'Q5nyc', 'Q6', 'Q7nyc', 'Q8phl'];

  it('runs every case on every server, and all servers agree on the data', { timeout: 300_000 }, async () => {
    const result: BenchResult = await runBenchmark({
      databaseUrl: url.toString(),
      scale: 1,
      durationS: 1,
      warmupS: 0,
      connections: 4,
      cases: CASES,
      servers: [...SERVERS],
      poolMax: 4,
      countRequests: 2,
      rounds: 1,
      civicNode: 'current',
      reuseSeed: false,
      locateRate: 20,
      restartForTiming: false,
      log: () => {},
    });

    expect(result.problems).toEqual([]);
    expect(result.cases.map((c) => c.id)).toEqual(CASES);
    for (const c of result.cases) {
      for (const server of SERVERS) {
        const r = c.results[server]!;
        if (r.na) continue;
        if (c.id === 'Q4') {
          expect(r.refusedAsExpected, `${c.id} ${server}`).toBe(true);
          continue;
        }
        expect(r.equal, `${c.id} ${server} returns the same data`).toBe(true);
        expect(r.rounds, `${c.id} ${server} was timed`).toHaveLength(1);
        expect(r.rounds[0]!.failures, `${c.id} ${server} failures`).toBe(0);
      }
    }
    // Every case has a civic-graph result and the directory ran on all three paths.
    const q3 = result.cases.find((c) => c.id === 'Q3')!;
    expect(Object.keys(q3.results).sort()).toEqual(['civic-graph', 'postgraphile', 'raw']);
    // PostGraphile and the raw path answer the directory in one statement (counted by PostgreSQL),
    // when this machine lets the harness count (pg_stat_statements or a readable server log).
    if (!Number.isNaN(q3.results.raw!.statementsPerRequest)) {
      expect(q3.results.raw!.statementsPerRequest).toBe(1);
      expect(q3.results.postgraphile!.statementsPerRequest).toBe(1);
    }

    // The locate cases' latency runs (Portland, Philadelphia, New York) sent their schedule (20 req/s
    // for 1 s) and every request was answered (the per-city cases also check what they answer: a point
    // in Philadelphia with overlapping RCO areas, one in New York with its community board).
    for (const id of ['Q5', 'Q5phl', 'Q5nyc']) {
      const open = result.cases.find((c) => c.id === id)!.results['civic-graph']!.openLoop!;
      expect(open.requests, `${id} open loop`).toBe(20);
      expect(open.failures, `${id} open loop`).toBe(0);
      expect(open.p99, `${id} open loop`).toBeGreaterThan(0);
      expect(open.targetP99Ms).toBe(5);
    }
    // The per-city directories and the community board roster ran on all three paths; civic-graph
    // answers the directories in one statement, like Q3 in Portland.
    for (const id of ['Q3phl', 'Q3nyc', 'Q7nyc']) {
      const c = result.cases.find((x) => x.id === id)!;
      expect(Object.keys(c.results).sort(), id).toEqual(['civic-graph', 'postgraphile', 'raw']);
    }
    for (const id of ['Q3phl', 'Q3nyc']) {
      const cg = result.cases.find((c) => c.id === id)!.results['civic-graph']!;
      if (!Number.isNaN(cg.statementsPerRequest)) expect(cg.statementsPerRequest, id).toBe(1);
    }

    // With the response cache on, a write to data in the directory shows in the very next answer.
    const q3c = result.cases.find((c) => c.id === 'Q3c')!;
    expect(q3c.results['civic-graph']!.invalidation).toEqual({ ok: true, detail: expect.any(String) });

    const file = join(outDir, 'BENCHMARKS.md');
    writeBenchmarksFile(file, 'scale-1', 'Smoke run', renderTable(result));
    const written = readFileSync(file, 'utf8');
    for (const id of ['Q0', 'Q3', 'Q6', 'Q3phl', 'Q3nyc', 'Q5phl', 'Q5nyc', 'Q7nyc', 'Q8phl']) expect(written).toContain(`| ${id} | civic-graph |`);
    expect(written).toContain('Load average at start');
    expect(written).toContain('Targets (issue 13, three cities');
    for (const id of ['Q5phl', 'Q5nyc']) expect(written).toContain(`- ${id} p99 < 5 ms at 20 req/s (open loop):`);

    // The start-up lines (the smoke run does not start `npm start`: a stand-in result).
    const withStartup = renderTable({ ...result, startup: { coldMs: 9_000, cities: [...VENDORED_CITIES], warmMs: [1_500, 2_500] } });
    expect(withStartup).toContain(`- First embedded \`npm start\` with the three cities < 15 s: 9,000 ms, answering for ${VENDORED_CITIES.join(', ')} — met.`);
    expect(withStartup).toContain('- Warm embedded `npm start` < 2 s: slowest of 2 starts 2,500 ms — not met.');
  });
});
