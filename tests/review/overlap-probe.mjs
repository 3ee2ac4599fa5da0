// Probe (not part of the suite): a new server started on an embedded data folder while the previous
// one is still shutting down (what `npm start` right after Ctrl-C does, and startup.ts's next run).
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer } from 'node:net';

const bundle = process.argv[2];
const cycles = Number(process.argv[3] ?? 4);
const folder = await mkdtemp(join(tmpdir(), 'review-overlap-'));
const freePort = () => new Promise((resolve) => { const s = createServer(); s.listen(0, '127.0.0.1', () => { const p = s.address().port; s.close(() => resolve(p)); }); });
async function start() {
  const port = await freePort();
  const env = { ...process.env, PORT: String(port), HOST: '127.0.0.1', DATA_DIR: join(folder, 'pglite'), LOG_LEVEL: 'info' };
  for (const name of ['NODE_ENV', 'DATABASE_URL', 'REDIS_URL', 'DATASET_DIR']) delete env[name];
  const child = spawn(process.execPath, ['--enable-source-maps', bundle], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (c) => (out += c));
  child.stderr.on('data', (c) => (out += c));
  const exited = new Promise((resolve) => child.once('exit', (code) => resolve(code)));
  const t0 = Date.now();
  while (!out.includes('"civic-graph is ready"')) {
    if (child.exitCode !== null || Date.now() - t0 > 120_000) return { child, port, out, exited, ready: false };
    await new Promise((r) => setTimeout(r, 20));
  }
  return { child, port, out: () => out, exited, ready: true };
}
const count = async (port) => {
  const r = await fetch(`http://127.0.0.1:${port}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: '{ organizations { totalCount } councilDistricts { name } }' }) });
  return JSON.stringify(await r.json());
};
let previous = await start();
console.log('cold ready', previous.ready, await count(previous.port));
for (let i = 0; i < cycles; i++) {
  previous.child.kill('SIGTERM');
  const next = await start(); // at once, as after Ctrl-C: the previous one is still closing
  const code = await previous.exited;
  console.log(JSON.stringify({ cycle: i, previousExit: code, nextReady: next.ready, answer: next.ready ? await count(next.port) : String(typeof next.out === 'function' ? next.out() : next.out).slice(-800) }));
  if (!next.ready) break;
  previous = next;
}
previous.child.kill('SIGTERM');
await previous.exited;
const last = await start();
console.log('after', last.ready, last.ready ? await count(last.port) : String(last.out).slice(-1500));
last.child.kill('SIGTERM');
await last.exited;
await rm(folder, { recursive: true, force: true });
