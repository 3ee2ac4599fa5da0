/**
 * The start-up target (issue 6): embedded `npm start` ready to answer in under 3 s on a warm data
 * folder. Measured as a newcomer meets it: the `npm start` command itself (npm, the esbuild bundle
 * of `prestart`, Node, PGlite, migrations check, dataset check, Apollo), from spawning it to the
 * first answered `{ __typename }`, on a data folder of its own. The first start (which imports
 * Portland) is timed and reported apart; the warm starts follow it on the same folder.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../helpers/free-port.ts';
import { repoRoot } from './servers.ts';

export interface StartupResult {
  /** The first start: migrations and the Portland import. */
  coldMs: number;
  /** Each later start on the same data folder. */
  warmMs: number[];
}

async function timeOneStart(dataDir: string): Promise<number> {
  const port = await freePort();
  const env: NodeJS.ProcessEnv = { ...process.env, PORT: String(port), HOST: '127.0.0.1', DATA_DIR: dataDir, LOG_LEVEL: 'warn', SHUTDOWN_DRAIN_MS: '0' };
  // Exactly the newcomer's `npm start`: embedded database, no Redis, development defaults.
  for (const name of ['NODE_ENV', 'DATABASE_URL', 'REDIS_URL', 'DATASET_DIR']) delete env[name];
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
      try {
        const response = await fetch(`http://127.0.0.1:${port}/graphql`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: '{"query":"{ __typename }"}',
        });
        if (response.ok) return Math.round(performance.now() - started);
      } catch {
        // not listening yet
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
    const coldMs = await timeOneStart(dataDir);
    log(`embedded npm start, first (import): ${coldMs} ms`);
    const warmMs: number[] = [];
    for (let i = 0; i < warmRuns; i++) {
      warmMs.push(await timeOneStart(dataDir));
      log(`embedded npm start, warm ${i + 1}: ${warmMs.at(-1)} ms`);
    }
    return { coldMs, warmMs };
  } finally {
    await rm(folder, { recursive: true, force: true });
  }
}
