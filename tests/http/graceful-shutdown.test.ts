import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { Agent, request, type IncomingMessage } from 'node:http';
import { mkdtemp, rm } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { projectRoot } from '../../src/project-root.ts';
import { freePort } from '../helpers/free-port.ts';

/**
 * Issue 12, item 8: requests sent on kept-alive connections after SIGTERM were reset. The real
 * production bundle runs here as `npm start` runs it; clients hold kept-alive sockets (node's
 * http.Agent with keepAlive), the server gets SIGTERM, and requests sent during the drain on those
 * sockets (and one in flight across the signal) must all be answered, with `Connection: close`.
 */
const run = promisify(execFile);
const DRAIN_MS = 3_000;
const QUERY = JSON.stringify({ query: '{ councilDistricts { name } }' });

let folder: string;
let outfile: string;
let child: ChildProcess;
let output = '';
let port: number;

beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), 'civic-graph-drain-'));
  outfile = join(projectRoot, 'dist', `test-drain-${process.pid}`, 'server.js');
  await run('npm', ['run', '-s', 'build', '--', `--outfile=${outfile}`], { cwd: projectRoot });
  port = await freePort();
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PORT: String(port),
    HOST: '127.0.0.1',
    DATA_DIR: join(folder, 'pglite'),
    LOG_LEVEL: 'info',
    SHUTDOWN_DRAIN_MS: String(DRAIN_MS),
    // Draining is not about the cities: Portland alone starts quickest.
    CITIES: 'portland',
  };
  for (const name of ['NODE_ENV', 'DATABASE_URL', 'REDIS_URL', 'DATASET_DIR', 'TEST_DATABASE_URL']) delete env[name];
  child = spawn(process.execPath, [outfile], { cwd: projectRoot, env, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout!.on('data', (chunk) => (output += chunk));
  child.stderr!.on('data', (chunk) => (output += chunk));
  await waitFor(() => output.includes('"civic-graph is ready"'), 120_000);
}, 180_000);

afterAll(async () => {
  if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  await rm(folder, { recursive: true, force: true });
  await rm(join(outfile, '..'), { recursive: true, force: true });
});

async function waitFor(check: () => boolean, ms: number): Promise<void> {
  const until = Date.now() + ms;
  while (!check()) {
    if (child.exitCode !== null) throw new Error(`the server exited with ${child.exitCode}:\n${output}`);
    if (Date.now() > until) throw new Error(`timed out waiting; output:\n${output}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

interface Answer {
  status: number;
  connection: string | undefined;
  reused: boolean;
  body: string;
}

/** POSTs the query through `agent`; rejects on a reset or refused connection. */
function post(agent: Agent): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port, path: '/graphql', method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(QUERY) } },
      (res: IncomingMessage) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk) => (body += chunk));
        res.on('end', () => resolve({ status: res.statusCode!, connection: res.headers.connection, reused: req.reusedSocket, body }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(QUERY);
  });
}

describe('SIGTERM with kept-alive connections', () => {
  it('answers in-flight requests and requests arriving on kept-alive sockets during the drain with Connection: close, resets none, then exits 0', async () => {
    const agent = new Agent({ keepAlive: true, maxSockets: 4 });
    // Four kept-alive sockets, idle in the agent's pool.
    const warm = await Promise.all([1, 2, 3, 4].map(() => post(agent)));
    expect(warm.every((a) => a.status === 200 && a.connection === 'keep-alive')).toBe(true);
    expect(Object.values(agent.freeSockets).flat()).toHaveLength(4);

    // A request in flight across the signal: its headers and half its body sent before it.
    const inFlight = connect(port, '127.0.0.1');
    await new Promise<void>((resolve) => inFlight.once('connect', () => resolve()));
    let raw = '';
    inFlight.setEncoding('utf8').on('data', (chunk) => (raw += chunk));
    const inFlightClosed = new Promise<void>((resolve) => inFlight.once('close', () => resolve()));
    const half = Math.floor(QUERY.length / 2);
    inFlight.write(`POST /graphql HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: ${QUERY.length}\r\n\r\n${QUERY.slice(0, half)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));

    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    child.kill('SIGTERM');
    await waitFor(() => output.includes('"shutting down"'), 10_000);

    // During the drain: twelve requests, the first four on the kept-alive sockets.
    const drained = await Promise.allSettled(Array.from({ length: 12 }, () => post(agent)));
    const failures = drained.filter((r) => r.status === 'rejected').map((r) => String((r as PromiseRejectedResult).reason));
    expect(failures).toEqual([]);
    const answers = drained.map((r) => (r as PromiseFulfilledResult<Answer>).value);
    expect(answers.filter((a) => a.reused)).toHaveLength(4);
    for (const answer of answers) {
      expect(answer.status).toBe(200);
      expect(answer.connection).toBe('close');
      expect(JSON.parse(answer.body).data.councilDistricts).toHaveLength(4);
    }
    // /readyz tells a load balancer to stop sending.
    const readyz = await fetch(`http://127.0.0.1:${port}/readyz`);
    expect(readyz.status).toBe(503);

    inFlight.write(QUERY.slice(half));
    await inFlightClosed;
    expect(raw).toMatch(/^HTTP\/1\.1 200 /);
    expect(raw).toMatch(/\r\nconnection: close\r\n/i);
    expect(raw).toContain('Portland City Council District 1');

    expect(await exited).toBe(0);
    agent.destroy();
  }, 60_000);
});
