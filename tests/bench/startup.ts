/**
 * The start-up targets: embedded `npm start` ready to answer in under 3 s on a warm data folder
 * (issue 6), and with the three vendored cities, a first start under 15 s and warm starts under 2 s
 * (issue 13). Measured as a newcomer meets it: the `npm start` command itself (npm, the esbuild
 * bundle of `prestart`, Node, PGlite, migrations check, dataset check, Apollo), from spawning it to
 * the first answered `{ __typename }`, on a data folder of its own. The first start (which imports
 * every city of VENDORED_CITIES: no CITIES in its environment) is timed and reported apart, and
 * after it answered (outside the timing) it is asked which cities it serves; the warm starts follow
 * it on the same folder.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { VENDORED_CITIES } from '../../src/datasets/vendored.ts';
import { freePort } from '../helpers/free-port.ts';
import { repoRoot } from './servers.ts';

export interface StartupResult {
  /** The first start: migrations and the import of every vendored city. */
  coldMs: number;
  /** The cities the first start answered for once ready (of VENDORED_CITIES). */
  cities: string[];
  /** Each later start on the same data folder. */
  warmMs: number[];
}

/** Which of the vendored cities a ready server answers for (`jurisdiction(slug:)` of each). */
async function servedCities(url: string): Promise<string[]> {
  const query = `{ ${VENDORED_CITIES.map((slug, i) => `c${i}: jurisdiction(slug: ${JSON.stringify(slug)}) { slug }`).join(' ')} }`;
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query }) });
  const body = (await response.json()) as { data?: Record<string, { slug: string } | null> };
  return Object.values(body.data ?? {}).flatMap((j) => (j ? [j.slug] : []));
}

/** Times one `npm start` to its first answer; `afterReady` runs on the ready server, untimed, before it stops. */
async function timeOneStart(dataDir: string, afterReady?: (url: string) => Promise<void>): Promise<number> {
  const port = await freePort();
  const env: NodeJS.ProcessEnv = { ...process.env, PORT: String(port), HOST: '127.0.0.1', DATA_DIR: dataDir, LOG_LEVEL: 'warn', SHUTDOWN_DRAIN_MS: '0' };
  // Exactly the newcomer's `npm start`: embedded database, no Redis, development defaults.
  for (const name of ['NODE_ENV', 'DATABASE_URL', 'REDIS_URL', 'DATASET_DIR', 'CITIES']) delete env[name];
  const started = performance.now();
  // detached: npm, its shell and node form one process group, stopped together below.
  const child = spawn('npm', ['start', '--silent'], { cwd: repoRoot, env, stdio: ['ignore', 'ignore', 'pipe'], detached: true });
  let stderr = '';
  child.stderr!.on('data', (chunk) => (stderr += chunk));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  try {
    for (;;) {
      if (child.exitCode !== null) throw new Error(`npm start exited with ${child.exitCode}: ${stderr.slice(-500)}`);
      if (performance.now() - started > 120_000) throw new Error('npm start was not ready within 120 s');
      let ready = false;
      try {
        const response = await fetch(`http://127.0.0.1:${port}/graphql`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: '{"query":"{ __typename }"}',
        });
        ready = response.ok;
      } catch {
        // not listening yet
      }
      if (ready) {
        const ms = Math.round(performance.now() - started);
        await afterReady?.(`http://127.0.0.1:${port}/graphql`);
        return ms;
      }
      await new Promise((r) => setTimeout(r, 20));
    }
  } finally {
    process.kill(-child.pid!, 'SIGTERM');
    await exited;
    // npm exits at once on SIGTERM while the server drains and closes PGlite (~1.7 s): wait for the
    // whole group, or the next start would share the data folder and the cores with a closing server.
    await groupGone(child.pid!);
  }
}

/** Resolves once no process of the group `pgid` remains (signal 0 probes without signalling). */
async function groupGone(pgid: number): Promise<void> {
  for (const started = performance.now(); performance.now() - started < 30_000; ) {
    try {
      process.kill(-pgid, 0);
    } catch {
      return;
    }
    await new Promise((r) => setTimeout(r, 10));
  }
  process.kill(-pgid, 'SIGKILL');
  throw new Error(`npm start's processes still ran 30 s after SIGTERM`);
}

export async function measureEmbeddedStartup(warmRuns: number, log: (m: string) => void): Promise<StartupResult> {
  const folder = await mkdtemp(join(tmpdir(), 'civic-graph-bench-start-'));
  try {
    const dataDir = join(folder, 'pglite');
    let cities: string[] = [];
    const coldMs = await timeOneStart(dataDir, async (url) => {
      cities = await servedCities(url);
    });
    log(`embedded npm start, first (import of ${cities.join(', ') || 'no city'}): ${coldMs} ms`);
    const warmMs: number[] = [];
    for (let i = 0; i < warmRuns; i++) {
      warmMs.push(await timeOneStart(dataDir));
      log(`embedded npm start, warm ${i + 1}: ${warmMs.at(-1)} ms`);
    }
    return { coldMs, cities, warmMs };
  } finally {
    await rm(folder, { recursive: true, force: true });
  }
}
