/**
 * `npm run bench [-- --scale 1 --duration 10 --connections 50 --cases Q0,Q1,Q3 ...]`
 * Seeds the benchmark database, runs civic-graph, PostGraphile 5 and the raw path over it, prints
 * the table and writes it into BENCHMARKS.md. See tests/bench/README.md.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { AttackName } from './attacks.ts';
import { SERVERS, type ServerName } from './cases.ts';
import { runBenchmark } from './harness.ts';
import { renderTable, writeBenchmarksFile } from './report.ts';
import { repoRoot } from './servers.ts';

const { values } = parseArgs({
  options: {
    scale: { type: 'string', default: '1' },
    duration: { type: 'string', default: '10' },
    warmup: { type: 'string', default: '3' },
    connections: { type: 'string', default: '50' },
    cases: { type: 'string', default: 'Q0,Q1,Q2,Q3,Q3c,Q3phl,Q3nyc,Q4,Q5,Q5phl,Q5nyc,Q6,Q7nyc,Q8phl' },
    servers: { type: 'string', default: SERVERS.join(',') },
    rounds: { type: 'string', default: '2' },
    pool: { type: 'string', default: '10' },
    'count-requests': { type: 'string', default: '20' },
    'locate-rate': { type: 'string', default: '200' },
    'civic-node': { type: 'string', default: 'current' },
    reseed: { type: 'boolean', default: false },
    'skip-startup': { type: 'boolean', default: false },
    out: { type: 'string', default: join(repoRoot, 'BENCHMARKS.md') },
    json: { type: 'string' },
    help: { type: 'boolean', default: false },
    attacks: { type: 'boolean', default: false },
    bundle: { type: 'string', default: join(repoRoot, 'dist', 'server.js') },
    'database-url': { type: 'string' },
    only: { type: 'string' },
  },
});

if (values.help) {
  console.log(`npm run bench -- [--scale 1|10|100] [--duration s] [--warmup s] [--connections n] [--cases Q0,Q1,Q2,Q3,Q3c,Q3phl,Q3nyc,Q4,Q5,Q5phl,Q5nyc,Q6,Q7nyc,Q8phl]
  [--servers civic-graph,postgraphile,raw] [--rounds 2] [--pool 10] [--count-requests 20] [--locate-rate 200]
  [--civic-node current|22] [--reseed] [--skip-startup] [--out BENCHMARKS.md] [--json result.json]
npm run bench -- --attacks [--only memory,search,redis-hang] [--bundle dist/server.js] [--database-url URL]: issue 12's
  memory attack, search attack and Redis hang (locate timed while a proxy in front of the Redis at 127.0.0.1:6379
  stops answering), each against a server process of its own (embedded PGlite unless --database-url), printed as
  Markdown with the load average.
Per-city cases (issue 13; the seed holds Portland, Philadelphia and New York): Q3phl, Q3nyc the directory in
  Philadelphia and New York; Q5phl, Q5nyc \`locate\` there, timed in the open loop at --locate-rate like Q5
  (p99 target 5 ms); Q7nyc a community board's roster; Q8phl \`noticeRecipients\` (issue 15) at
  Q5phl's points, timed in the open loop like them.
--skip-startup: do not time the embedded \`npm start\` (its first start, importing the three cities, then 3
  warm starts, after the cases).
DATABASE_URL (default postgres://postgres@127.0.0.1:5432/civic_graph_bench) is dropped and re-created.`);
  process.exit(0);
}

// Issue 12's resource attacks (tests/bench/attacks.ts), on their own: memory, search and the Redis hang.
if (values.attacks) {
  const { ATTACKS, runAttacks } = await import('./attacks.ts');
  const only = (values.only?.split(',').map((a) => a.trim()) ?? [...ATTACKS]) as AttackName[];
  for (const a of only) if (!ATTACKS.includes(a)) throw new Error(`--only: unknown attack ${a} (known: ${ATTACKS.join(', ')})`);
  console.log(await runAttacks({ bundle: values.bundle!, databaseUrl: values['database-url'], only, log: (m) => console.error(m) }));
  process.exit(0);
}

const int = (name: string, v: string | undefined, min = 1) => {
  const n = Number(v);
  if (!Number.isInteger(n) || n < min) throw new Error(`--${name} must be an integer ≥ ${min}`);
  return n;
};
const scale = int('scale', values.scale);
const servers = values.servers!.split(',').map((s) => s.trim()) as ServerName[];
for (const s of servers) if (!SERVERS.includes(s)) throw new Error(`unknown server ${s}`);

const result = await runBenchmark({
  databaseUrl: process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/civic_graph_bench',
  scale,
  durationS: int('duration', values.duration),
  warmupS: int('warmup', values.warmup, 0),
  connections: int('connections', values.connections),
  cases: values.cases!.split(',').map((c) => c.trim().toUpperCase()),
  servers,
  poolMax: int('pool', values.pool),
  countRequests: int('count-requests', values['count-requests']),
  rounds: int('rounds', values.rounds),
  locateRate: int('locate-rate', values['locate-rate']),
  startupRuns: values['skip-startup'] ? 0 : 3,
  civicNode: values['civic-node'] === '22' ? '22' : 'current',
  reuseSeed: !values.reseed,
  log: (m) => console.error(`[bench] ${m}`),
});

const table = renderTable(result);
console.log(table);
writeBenchmarksFile(values.out!, `scale-${scale}`, `Latest run at scale ${scale}`, table);
if (values.json) writeFileSync(values.json, JSON.stringify(result, null, 2));
console.error(`[bench] written to ${values.out}`);
process.exit(result.problems.length ? 1 : 0);
