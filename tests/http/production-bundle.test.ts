import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { projectRoot } from '../../src/project-root.ts';
import { freePort } from '../helpers/free-port.ts';

/**
 * `npm start` runs a bundle of src/ (dist/server.js, built by esbuild in `prestart`), not the
 * TypeScript through tsx: the suite's in-process servers never load that bundle, so this test does,
 * the way `npm start` does, on a fresh embedded database. It proves the bundle finds schema/,
 * drizzle/ and the Portland dataset from dist/ (they sit at another depth than from src/), imports
 * the city, answers, and shuts down cleanly on SIGTERM.
 */
const run = promisify(execFile);

let folder: string;
let outfile: string;
/** Every started bundle, stopped in afterAll if a failed test left it running. */
const children: ChildProcess[] = [];

/** Starts the bundle and resolves once it logs that it is ready (or rejects with its output). */
function startBundle(port: number, dataDir: string): Promise<{ child: ChildProcess; output: () => string }> {
  const env: NodeJS.ProcessEnv = { ...process.env, PORT: String(port), HOST: '127.0.0.1', DATA_DIR: dataDir, LOG_LEVEL: 'info' };
  // What `npm start` sees on a newcomer's machine: no server, no Redis, development defaults.
  for (const name of ['NODE_ENV', 'DATABASE_URL', 'REDIS_URL', 'DATASET_DIR', 'TEST_DATABASE_URL']) delete env[name];
  const child = spawn(process.execPath, ['--enable-source-maps', outfile], { cwd: projectRoot, env, stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  let text = '';
  child.stdout!.on('data', (chunk) => (text += chunk));
  child.stderr!.on('data', (chunk) => (text += chunk));
  return new Promise((resolve, reject) => {
    // Three cities imported on a fresh folder, on a loaded 2-core machine: minutes at worst.
    const timer = setTimeout(() => reject(new Error(`not ready in 240 s:\n${text}`)), 240_000);
    child.stdout!.on('data', () => {
      if (text.includes('"civic-graph is ready"')) {
        clearTimeout(timer);
        resolve({ child, output: () => text });
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`exited with ${code} before it was ready:\n${text}`));
    });
  });
}

beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), 'civic-graph-bundle-'));
  // The `build` script itself, into a folder of this test's own under dist/ (so a concurrent build
  // of dist/server.js, by the benchmark's smoke test, cannot change the file under this test).
  outfile = join(projectRoot, 'dist', `test-${process.pid}`, 'server.js');
  await run('npm', ['run', '-s', 'build', '--', `--outfile=${outfile}`], { cwd: projectRoot });
}, 60_000);

afterAll(async () => {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  await rm(folder, { recursive: true, force: true });
  await rm(join(outfile, '..'), { recursive: true, force: true });
});

describe('the production bundle (npm start)', () => {
  it('starts on a fresh embedded database with the three cities, answers for each, and exits 0 on SIGTERM', async () => {
    const port = await freePort();
    const { child, output } = await startBundle(port, join(folder, 'pglite'));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    try {
      expect(output()).toMatch(/"dataset imported"/);
      const response = await fetch(`http://127.0.0.1:${port}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          query: '{ councilDistricts { name } philadelphia: councilDistricts(jurisdiction: "philadelphia") { name } nyc: councilDistricts(jurisdiction: "nyc") { name } }',
        }),
      });
      expect(response.status).toBe(200);
      const body = (await response.json()) as { data: Record<'councilDistricts' | 'philadelphia' | 'nyc', { name: string }[]> };
      expect(body.data.councilDistricts.map((d) => d.name)).toEqual([1, 2, 3, 4].map((n) => `Portland City Council District ${n}`));
      // CITIES defaults to every vendored city: Philadelphia's 10 districts and New York's 51.
      expect(body.data.philadelphia).toHaveLength(10);
      expect(body.data.nyc).toHaveLength(51);
      expect(output().match(/"dataset imported"/g)).toHaveLength(3);
    } finally {
      child.kill('SIGTERM');
    }
    expect(await exited).toBe(0);
    expect(output()).toMatch(/"shutting down"/);
  }, 300_000);

  it('a second start on the same data folder skips the import; a second signal does not cut the shutdown short', async () => {
    const port = await freePort();
    const { child, output } = await startBundle(port, join(folder, 'pglite'));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    expect(output()).toMatch(/"dataset already imported"/);
    expect(output()).not.toMatch(/"dataset imported"/);
    // Ctrl-C on `npm start` delivers the signal twice (terminal and npm): still one clean shutdown.
    child.kill('SIGINT');
    child.kill('SIGINT');
    expect(await exited).toBe(0);
    expect(output().match(/"shutting down"/g)).toHaveLength(1);
  }, 120_000);
});
