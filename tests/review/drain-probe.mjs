// Probe (not part of the suite): does the bundle answer a request that is in flight when SIGTERM
// arrives, then exit 0? Usage: node tests/review/drain-probe.mjs <bundle> <DATABASE_URL>
import { spawn } from 'node:child_process';
import { connect, createServer } from 'node:net';

const [bundle, url] = process.argv.slice(2);
const port = await new Promise((resolve) => { const s = createServer(); s.listen(0, '127.0.0.1', () => { const p = s.address().port; s.close(() => resolve(p)); }); });
const env = { ...process.env, PORT: String(port), HOST: '127.0.0.1', DATABASE_URL: url, LOG_LEVEL: 'info', SAMPLE_MEMBERS: 'false' };
delete env.NODE_ENV;
const child = spawn(process.execPath, ['--enable-source-maps', bundle], { env, stdio: ['ignore', 'pipe', 'pipe'] });
let out = '';
child.stdout.on('data', (c) => (out += c));
child.stderr.on('data', (c) => (out += c));
const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
const t0 = Date.now();
while (!out.includes('"civic-graph is ready"')) {
  if (child.exitCode !== null || Date.now() - t0 > 180_000) { console.log('NOT READY', out.slice(-2000)); process.exit(2); }
  await new Promise((r) => setTimeout(r, 50));
}
const body = JSON.stringify({ query: '{ councilDistricts { name organizations { name } } }' });
const socket = connect(port, '127.0.0.1');
await new Promise((r) => socket.once('connect', r));
let response = '';
socket.on('data', (c) => (response += c));
const closed = new Promise((r) => socket.once('close', r));
socket.write(`POST /graphql HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n`);
socket.write(body.slice(0, 10));
await new Promise((r) => setTimeout(r, 200));
child.kill('SIGTERM');
await new Promise((r) => setTimeout(r, 500));
socket.write(body.slice(10));
await Promise.race([closed, new Promise((r) => setTimeout(r, 15_000))]);
const result = await exited;
console.log(JSON.stringify({ status: response.split('\r\n')[0], answered: response.includes('"councilDistricts"'), exit: result, shuttingDown: out.includes('"shutting down"') }));
