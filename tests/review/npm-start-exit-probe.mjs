// Probe (not part of the suite): after tests/bench/startup.ts's SIGTERM to `npm start`'s process
// group, how long does the server (node) outlive npm, whose exit the harness waits for?
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer } from 'node:net';

const repo = process.argv[2];
const folder = await mkdtemp(join(tmpdir(), 'review-start-'));
const groupAlive = (pid) => { try { process.kill(-pid, 0); return true; } catch { return false; } };
for (const run of ['cold', 'warm']) {
  const port = await new Promise((resolve) => { const s = createServer(); s.listen(0, '127.0.0.1', () => { const p = s.address().port; s.close(() => resolve(p)); }); });
  const env = { ...process.env, PORT: String(port), HOST: '127.0.0.1', DATA_DIR: join(folder, 'pglite'), LOG_LEVEL: 'warn' };
  for (const name of ['NODE_ENV', 'DATABASE_URL', 'REDIS_URL', 'DATASET_DIR']) delete env[name];
  const started = performance.now();
  const child = spawn('npm', ['start', '--silent'], { cwd: repo, env, stdio: ['ignore', 'ignore', 'inherit'], detached: true });
  const npmExited = new Promise((resolve) => child.once('exit', () => resolve(performance.now())));
  for (;;) {
    try { if ((await fetch(`http://127.0.0.1:${port}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"query":"{ __typename }"}' })).ok) break; } catch {}
    await new Promise((r) => setTimeout(r, 20));
  }
  const ready = performance.now();
  process.kill(-child.pid, 'SIGTERM');
  const npmAt = await npmExited;
  while (groupAlive(child.pid)) await new Promise((r) => setTimeout(r, 5));
  const goneAt = performance.now();
  console.log(JSON.stringify({ run, readyMs: Math.round(ready - started), npmExitAfterKillMs: Math.round(npmAt - ready), serverGoneAfterKillMs: Math.round(goneAt - ready) }));
}
await rm(folder, { recursive: true, force: true });
