import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOCK_NAME } from '../../src/db/data-folder-lock.ts';
import { projectRoot } from '../../src/project-root.ts';
import { freePort } from '../helpers/free-port.ts';

/**
 * `npm start` refuses, in one line and with exit status 1, what a person starting it can fix: a
 * port already taken (found before the database is touched) and an embedded data folder already
 * opened by another process (named by its pid and start time). A holder killed with SIGKILL does
 * not block the next start. The bundle `npm start` runs is built once, as in production-bundle.test.ts.
 */
const run = promisify(execFile);

let folder: string;
let outfile: string;
const children: ChildProcess[] = [];
const servers: Server[] = [];

beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), 'civic-graph-start-'));
  outfile = join(projectRoot, 'dist', `test-start-${process.pid}`, 'server.js');
  await run('npm', ['run', '-s', 'build', '--', `--outfile=${outfile}`], { cwd: projectRoot });
}, 60_000);

afterAll(async () => {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  for (const server of servers) server.close();
  await rm(folder, { recursive: true, force: true });
  await rm(join(outfile, '..'), { recursive: true, force: true });
});

interface Started {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
}

/** Starts the bundle as `npm start` would on a newcomer's machine (embedded database unless `databaseUrl`). */
function start(port: number, env: { DATA_DIR?: string; DATABASE_URL?: string }): Started {
  const childEnv: NodeJS.ProcessEnv = { ...process.env, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'info', ...env };
  for (const name of ['NODE_ENV', 'REDIS_URL', 'DATASET_DIR', 'TEST_DATABASE_URL', ...(env.DATABASE_URL ? [] : ['DATABASE_URL'])]) delete childEnv[name];
  const child = spawn(process.execPath, ['--enable-source-maps', outfile], { cwd: projectRoot, env: childEnv, stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  let text = '';
  child.stdout!.on('data', (chunk) => (text += chunk));
  child.stderr!.on('data', (chunk) => (text += chunk));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, output: () => text, exited };
}

/** Resolves once the started process logs that it is ready; rejects if it exits first. */
function ready(started: Started): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setInterval(() => {
      if (started.output().includes('"civic-graph is ready"')) {
        clearInterval(timer);
        resolve();
      }
    }, 100);
    void started.exited.then((code) => {
      clearInterval(timer);
      reject(new Error(`exited with ${code} before it was ready:\n${started.output()}`));
    });
  });
}

/** The process's whole output, which must be one JSON log line, parsed. */
function oneLine(output: string): { level: number; msg: string } {
  const lines = output.trim().split('\n');
  expect(lines, output).toHaveLength(1);
  expect(output).not.toMatch(/^\s+at /m); // no stack trace
  return JSON.parse(lines[0]!) as { level: number; msg: string };
}

async function councilDistricts(port: number): Promise<number> {
  const response = await fetch(`http://127.0.0.1:${port}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query: '{ councilDistricts { name } }' }),
  });
  const body = (await response.json()) as { data: { councilDistricts: unknown[] } };
  return body.data.councilDistricts.length;
}

describe('a port already in use', () => {
  it('is refused in one line with exit status 1, before the database is opened, migrated or imported', async () => {
    const port = await freePort();
    const taken = createServer();
    servers.push(taken);
    await new Promise<void>((resolve) => taken.listen(port, '127.0.0.1', resolve));

    const adminUrl = process.env.TEST_DATABASE_URL;
    if (adminUrl) {
      // PostgreSQL: an empty database that must stay empty (no drizzle schema, no tables).
      const name = `civic_graph_port_${randomBytes(6).toString('hex')}`;
      const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
      await admin.unsafe(`create database "${name}"`);
      try {
        const url = new URL(adminUrl);
        url.pathname = `/${name}`;
        const started = start(port, { DATABASE_URL: url.toString() });
        expect(await started.exited).toBe(1);
        const line = oneLine(started.output());
        expect(line).toMatchObject({ level: 60, msg: `port ${port} is in use; stop what listens there, or set PORT to a free port` });
        const inspect = postgres(url.toString(), { max: 1, onnotice: () => {} });
        const [counts] = await inspect<{ tables: number; schemas: number }[]>`
          select (select count(*)::int from pg_tables where schemaname not in ('pg_catalog', 'information_schema')) as tables,
                 (select count(*)::int from pg_namespace where nspname = 'drizzle') as schemas`;
        await inspect.end();
        expect(counts).toEqual({ tables: 0, schemas: 0 });
      } finally {
        await admin.unsafe(`drop database if exists "${name}" with (force)`);
        await admin.end();
      }
    } else {
      const dataDir = join(folder, 'port-taken');
      const started = start(port, { DATA_DIR: dataDir });
      expect(await started.exited).toBe(1);
      expect(oneLine(started.output())).toMatchObject({ level: 60, msg: `port ${port} is in use; stop what listens there, or set PORT to a free port` });
      // The embedded database was not even created.
      expect(existsSync(dataDir)).toBe(false);
    }
  }, 120_000);
});

describe('two starts on one embedded data folder', () => {
  it('refuses the second, naming the first by pid and start time; after the first is killed with SIGKILL, the next start takes the folder at once', async () => {
    const dataDir = join(folder, 'pglite');
    const firstPort = await freePort();
    const first = start(firstPort, { DATA_DIR: dataDir });
    await ready(first);

    const second = start(await freePort(), { DATA_DIR: dataDir });
    // Exits at once; coming up beside the first would be the defect (both serving, data split).
    const outcome = await Promise.race([second.exited.then((code) => ({ code })), ready(second).then(() => 'ready', () => 'exited')]);
    expect(outcome).toEqual({ code: 1 });
    const line = oneLine(second.output());
    expect(line.level).toBe(60);
    expect(line.msg).toMatch(
      new RegExp(`^the data folder ${dataDir} is in use by process ${first.child.pid} \\(started \\d{4}-\\d\\d-\\d\\dT[\\d:.]+Z\\); stop that process, or set DATA_DIR to another folder$`),
    );
    // The first is unaffected.
    expect(await councilDistricts(firstPort)).toBe(4);

    first.child.kill('SIGKILL');
    await first.exited;
    expect(existsSync(join(dataDir, LOCK_NAME))).toBe(true); // left behind by the killed process

    const thirdPort = await freePort();
    const third = start(thirdPort, { DATA_DIR: dataDir });
    await ready(third);
    expect(third.output()).toMatch(/"dataset already imported"/);
    expect(await councilDistricts(thirdPort)).toBe(4);

    // A clean shutdown gives the folder back.
    third.child.kill('SIGTERM');
    expect(await third.exited).toBe(0);
    expect(existsSync(join(dataDir, LOCK_NAME))).toBe(false);
  }, 300_000);
});
