/**
 * `npm run bench -- --attacks [--only memory,search,redis-hang] [--bundle dist/server.js] [--database-url postgres://…]`
 * Issue 12's resource attacks against a real server process (`npm start`'s bundle, embedded
 * PGlite on a fresh data folder unless --database-url): the memory attack (documents padded with
 * comments, then distinct documents just under the 64 KiB limit, then as many persisted-query
 * registrations), reporting RSS before, after and at peak; the search attack (clients sending
 * the costliest searches the limits allow, and 30 aliased ones) while `locate` is timed; and the
 * Redis hang (the server's REDIS_URL points at a TCP proxy in front of the Redis at 127.0.0.1:6379,
 * which stops forwarding for a while: connections stay open, nothing is answered), with `locate`
 * timed before, during and after the hang and /readyz read in the middle of each phase. Prints a
 * Markdown block with the load average, for BENCHMARKS.md. Traffic stays on 127.0.0.1; every loop is
 * bounded in count and time. --bundle runs another build (e.g. an older commit's) for a before/after.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { connect } from 'node:net';
import { join } from 'node:path';
import { freePort } from '../helpers/free-port.ts';
import { startHangableProxy } from '../helpers/hangable-proxy.ts';

const LOCATE = 'query Locate($latitude: Float!, $longitude: Float!) { locate(latitude: $latitude, longitude: $longitude) { councilDistrict { name } neighborhoods { name } } }';
const POINTS = [
  { latitude: 45.5122, longitude: -122.6587 },
  { latitude: 45.5231, longitude: -122.6765 },
  { latitude: 45.4871, longitude: -122.6145 },
];
const LONG_QUERY = 'neighborhood association of the city '.repeat(6).slice(0, 199);

interface Server {
  child: ChildProcess;
  url: string;
  pid: number;
  stop(): Promise<void>;
}

async function start(bundle: string, env: Record<string, string>): Promise<Server> {
  const port = await freePort();
  const child = spawn(process.execPath, [bundle], {
    env: { ...process.env, NODE_ENV: 'production', HOST: '127.0.0.1', PORT: String(port), LOG_LEVEL: 'warn', TRUST_PROXY: '1', SHUTDOWN_DRAIN_MS: '0', ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (chunk) => (stderr += chunk));
  const url = `http://127.0.0.1:${port}/graphql`;
  const until = Date.now() + 180_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the server exited with ${child.exitCode}: ${stderr.slice(-2000)}`);
    if (Date.now() > until) throw new Error('the server was not ready within 180 s');
    try {
      if ((await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"query":"{ __typename }"}' })).ok) break;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return {
    child,
    url,
    pid: child.pid!,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        const force = setTimeout(() => child.kill('SIGKILL'), 20_000);
        child.once('exit', () => {
          clearTimeout(force);
          resolve();
        });
        child.kill('SIGTERM');
      }),
  };
}

/** VmRSS and VmHWM (peak) of a process, in MB. */
function memory(pid: number): { rss: number; peak: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
  return { rss: Math.round(kb('VmRSS') / 1024), peak: Math.round(kb('VmHWM') / 1024) };
}

/** Status 0: no answer (a network error, or none within `timeoutMs` when given). */
async function post(url: string, body: object, client = '198.51.100.1', timeoutMs?: number): Promise<{ status: number; ms: number }> {
  const started = performance.now();
  try {
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-forwarded-for': client },
      body: JSON.stringify(body),
      signal: timeoutMs === undefined ? undefined : AbortSignal.timeout(timeoutMs),
    });
    await res.arrayBuffer();
    return { status: res.status, ms: performance.now() - started };
  } catch {
    return { status: 0, ms: performance.now() - started };
  }
}

async function flood(count: number, parallel: number, request: (n: number) => Promise<{ status: number }>): Promise<Record<number, number>> {
  const statuses: Record<number, number> = {};
  let next = 0;
  await Promise.all(
    Array.from({ length: parallel }, async () => {
      while (next < count) {
        const { status } = await request(next++);
        statuses[status] = (statuses[status] ?? 0) + 1;
      }
    }),
  );
  return statuses;
}

const padded = (n: number, bytes: number) => {
  const head = `{ councilDistricts { name } } # ${n} `;
  return head + 'x'.repeat(bytes - head.length);
};
const load = () => loadavg().map((n) => n.toFixed(2)).join(' ');
const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
};

async function memoryAttack(server: Server, lines: string[]): Promise<void> {
  await post(server.url, { query: '{ councilDistricts { name } }' });
  const before = memory(server.pid);
  lines.push(`| before | ${before.rss} | ${before.peak} | | ${load()} |`);
  const started = performance.now();
  const huge = await flood(300, 6, (n) => post(server.url, { query: padded(1000 + n, 2_300_000) }, `198.51.100.${n % 250}`));
  let now = memory(server.pid);
  lines.push(`| 300 documents of 2.3 MB of comment (${JSON.stringify(huge)}, ${((performance.now() - started) / 1000).toFixed(1)} s) | ${now.rss} | ${now.peak} | | ${load()} |`);
  const near = await flood(1000, 6, (n) => post(server.url, { query: padded(2000 + n, 64 * 1024 - 1) }, `198.51.100.${n % 250}`));
  now = memory(server.pid);
  lines.push(`| 1,000 distinct documents of 64 KiB − 1 (${JSON.stringify(near)}) | ${now.rss} | ${now.peak} | | ${load()} |`);
  const apq = await flood(1000, 6, (n) => {
    const query = padded(5000 + n, 64 * 1024 - 1);
    return post(server.url, { query, extensions: { persistedQuery: { version: 1, sha256Hash: createHash('sha256').update(query).digest('hex') } } }, `198.51.100.${n % 250}`);
  });
  now = memory(server.pid);
  lines.push(`| 1,000 persisted-query registrations of 64 KiB − 1 (${JSON.stringify(apq)}) | ${now.rss} | ${now.peak} | | ${load()} |`);
  await new Promise((resolve) => setTimeout(resolve, 10_000));
  now = memory(server.pid);
  const answers = await post(server.url, { query: '{ councilDistricts { name } }' });
  lines.push(`| 10 s later (the server answers: HTTP ${answers.status}) | ${now.rss} | ${now.peak} | | ${load()} |`);
}

/** `locate` timed one request after another for `ms`, from its own client address. */
async function timeLocate(url: string, ms: number): Promise<number[]> {
  const times: number[] = [];
  const until = performance.now() + ms;
  for (let i = 0; performance.now() < until && i < 10_000; i += 1) {
    const { status, ms: took } = await post(url, { query: LOCATE, variables: POINTS[i % POINTS.length] }, '203.0.113.7');
    if (status === 200) times.push(took);
  }
  return times;
}

async function searchAttack(server: Server, clients: number, lines: string[]): Promise<void> {
  const three = `query ($q: String!) { ${[0, 1, 2].map((i) => `s${i}: search(query: $q, first: 100) { totalCount nodes { __typename } }`).join(' ')} }`;
  const thirty = `query ($q: String!) { ${Array.from({ length: 30 }, (_, i) => `s${i}: search(query: $q, first: 100) { nodes { __typename } }`).join(' ')} }`;
  const row = (label: string, times: number[], extra = '') =>
    lines.push(`| ${label} | ${times.length} | ${percentile(times, 50).toFixed(1)} | ${percentile(times, 99).toFixed(1)} | ${extra} | ${load()} |`);
  row('alone', await timeLocate(server.url, 10_000));
  let stop = false;
  const statuses: Record<string, number> = {};
  const attackers = Array.from({ length: clients }, async (_, c) => {
    for (let i = 0; !stop && i < 5_000; i += 1) {
      const { status } = await post(server.url, { query: i % 2 ? three : thirty, variables: { q: LONG_QUERY } }, `198.51.100.${200 + c}`);
      const key = `${i % 2 ? '3' : '30'}→${status}`;
      statuses[key] = (statuses[key] ?? 0) + 1;
    }
  });
  const during = await timeLocate(server.url, 20_000);
  stop = true;
  await Promise.all(attackers);
  row(`during ${clients} search clients`, during, JSON.stringify(statuses));
}

/** The real Redis the hang proxy forwards to (the one every session on this machine shares). */
const REDIS_TARGET = { host: '127.0.0.1', port: 6379 };
/** How long one `locate` may wait during the hang before it counts as unanswered (status 0). */
const HANG_REQUEST_TIMEOUT_MS = 15_000;

/** Whether a Redis answers PING at `target` within 2 s (the hang proxy is pointless without one). */
function redisAnswers(target: { host: string; port: number }): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(target.port, target.host);
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(2_000, () => done(false));
    socket.on('error', () => done(false));
    socket.on('connect', () => socket.write('PING\r\n'));
    socket.on('data', (chunk) => done(chunk.toString().startsWith('+PONG')));
  });
}

/** GET /readyz: its status and body, as one table cell. */
async function readyz(server: Server): Promise<string> {
  try {
    const res = await fetch(new URL('/readyz', server.url), { signal: AbortSignal.timeout(5_000) });
    return `${res.status} \`${(await res.text()).replaceAll('|', '\\|')}\``;
  } catch (error) {
    return `no answer (${(error as Error).name})`;
  }
}

/**
 * `locate` timed one request after another for `ms`, counting every answer (a slow 503 is what a
 * stalled server gives, so it is timed too), with /readyz read once halfway through.
 */
async function locatePhase(server: Server, ms: number): Promise<{ times: number[]; failures: Record<number, number>; ready: string }> {
  const ready = new Promise<string>((resolve) => setTimeout(() => resolve(readyz(server)), ms / 2));
  const times: number[] = [];
  const failures: Record<number, number> = {};
  const until = performance.now() + ms;
  for (let i = 0; performance.now() < until && i < 10_000; i += 1) {
    const { status, ms: took } = await post(server.url, { query: LOCATE, variables: POINTS[i % POINTS.length] }, '203.0.113.9', HANG_REQUEST_TIMEOUT_MS);
    times.push(took);
    if (status !== 200) failures[status] = (failures[status] ?? 0) + 1;
  }
  return { times, failures, ready: await ready };
}

async function redisHangAttack(server: Server, proxy: { hang(): void; resume(): void }, phaseMs: number, lines: string[]): Promise<void> {
  const row = (label: string, { times, failures, ready }: Awaited<ReturnType<typeof locatePhase>>) => {
    const failed = Object.values(failures).reduce((a, b) => a + b, 0);
    lines.push(
      `| ${label} | ${times.length} | ${percentile(times, 50).toFixed(1)} | ${percentile(times, 99).toFixed(1)} | ${Math.max(...times).toFixed(1)} | ${failed ? `${failed} ${JSON.stringify(failures)}` : '0'} | ${ready} | ${load()} |`,
    );
  };
  row('Redis healthy', await locatePhase(server, phaseMs));
  proxy.hang();
  try {
    row('Redis hung', await locatePhase(server, phaseMs));
  } finally {
    proxy.resume();
  }
  row('Redis resumed', await locatePhase(server, phaseMs));
}

export type AttackName = 'memory' | 'search' | 'redis-hang';
export const ATTACKS: readonly AttackName[] = ['memory', 'search', 'redis-hang'];

export async function runAttacks({
  bundle,
  databaseUrl,
  log,
  only = ATTACKS,
  redisHangPhaseMs = 10_000,
}: {
  bundle: string;
  databaseUrl?: string;
  log: (line: string) => void;
  /** Which attacks to run, in the order of ATTACKS. */
  only?: readonly AttackName[];
  /** Length of each of the Redis hang's three phases (healthy, hung, resumed). */
  redisHangPhaseMs?: number;
}): Promise<string> {
  const folder = await mkdtemp(join(tmpdir(), 'civic-graph-attacks-'));
  const lines: string[] = [];
  const env: Record<string, string> = databaseUrl ? { DATABASE_URL: databaseUrl } : { DATA_DIR: join(folder, 'pglite') };
  const database = databaseUrl ? 'PostgreSQL' : 'embedded PGlite';
  try {
    if (only.includes('memory')) {
      log(`memory attack (${database})`);
      const server = await start(bundle, { ...env, RESPONSE_CACHE: 'memory' });
      lines.push(`Memory attack, ${database}, \`${bundle}\`, NODE_ENV=production, 6 requests in flight, each from one of 250 addresses:`, '');
      lines.push('| after | RSS MB | peak RSS MB | | load average (1, 5, 15 min) |', '| --- | ---: | ---: | --- | --- |');
      await memoryAttack(server, lines);
      await server.stop();
    }
    if (only.includes('search')) {
      log(`search attack (${database})`);
      const server = await start(bundle, env);
      const clients = databaseUrl ? 4 : 2;
      lines.push('', `\`locate\` during the search attack, ${database}: ${clients} clients, each alternating 30 aliased searches and 3 with totalCount (199-character query, first: 100), public budgets:`, '');
      lines.push('| `locate` | requests | p50 ms | p99 ms | attack requests (kind→status) | load average |', '| --- | ---: | ---: | ---: | --- | --- |');
      await searchAttack(server, clients, lines);
      await server.stop();
    }
    if (only.includes('redis-hang')) {
      log(`Redis hang (${database})`);
      const seconds = redisHangPhaseMs / 1000;
      lines.push('', `\`locate\` during a Redis hang, ${database}, \`${bundle}\`: REDIS_URL is a TCP proxy in front of the Redis at ${REDIS_TARGET.host}:${REDIS_TARGET.port} (the response cache and rate limits in Redis, as REDIS_URL makes them by default); ${seconds} s per phase, one request after another, each given ${HANG_REQUEST_TIMEOUT_MS / 1000} s (status 0: no answer); during the hang the proxy keeps every connection open and forwards nothing:`, '');
      if (!(await redisAnswers(REDIS_TARGET))) {
        lines.push(`Not run: no Redis answers PING at ${REDIS_TARGET.host}:${REDIS_TARGET.port}.`);
      } else {
        const proxy = await startHangableProxy(REDIS_TARGET);
        try {
          const server = await start(bundle, { ...env, REDIS_URL: proxy.url });
          try {
            lines.push(
              '| `locate` | requests | p50 ms | p99 ms | max ms | not 200 (status→count) | /readyz halfway (status, body) | load average |',
              '| --- | ---: | ---: | ---: | ---: | --- | --- | --- |',
            );
            await redisHangAttack(server, proxy, redisHangPhaseMs, lines);
          } finally {
            await server.stop();
          }
        } finally {
          await proxy.close();
        }
      }
    }
  } finally {
    await rm(folder, { recursive: true, force: true });
  }
  return lines.join('\n');
}
