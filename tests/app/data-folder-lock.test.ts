import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, utimes, writeFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DataFolderInUseError, lockDataFolder, LOCK_NAME, STALE_MS } from '../../src/db/data-folder-lock.ts';
import { projectRoot } from '../../src/project-root.ts';

/**
 * The embedded database's folder is held by one process at a time (src/db/data-folder-lock.ts).
 * The holder here is a real second process; the full start-up path (`npm start` twice) is in
 * tests/app/start-up-refusals.test.ts.
 */
let root: string;
const children: ChildProcess[] = [];

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'civic-graph-folder-lock-'));
});
afterAll(async () => {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  await rm(root, { recursive: true, force: true });
});

async function folder(name: string): Promise<string> {
  const dir = join(root, name);
  await mkdir(dir, { recursive: true });
  return dir;
}

/** Starts a process holding `dir`'s lock; resolves once it holds it. */
function holdInAnotherProcess(dir: string): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(projectRoot, 'tests', 'helpers', 'hold-data-folder.ts'), dir], { cwd: projectRoot, stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  let output = '';
  return new Promise((resolve, reject) => {
    child.stdout!.on('data', (chunk) => {
      output += chunk;
      if (output.includes('locked')) resolve(child);
    });
    child.stderr!.on('data', (chunk) => (output += chunk));
    child.once('exit', (code) => reject(new Error(`holder exited with ${code}: ${output}`)));
  });
}

const killed = (child: ChildProcess, signal: NodeJS.Signals) =>
  new Promise<void>((resolve) => {
    child.once('exit', () => resolve());
    child.kill(signal);
  });

/** The refusal lockDataFolder throws, or a failure if it took the lock. */
async function refusal(dir: string): Promise<DataFolderInUseError> {
  const error = await lockDataFolder(dir).then(
    async (lock) => {
      await lock.release();
      return new Error('the lock was taken');
    },
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(DataFolderInUseError);
  return error as DataFolderInUseError;
}

describe('the data folder lock', () => {
  it('refuses a second process while the first holds the folder, naming its pid and start time', async () => {
    const dir = await folder('held');
    const holder = await holdInAnotherProcess(dir);
    const error = await refusal(dir);
    expect(error.holder).toMatchObject({ pid: holder.pid, hostname: hostname() });
    expect(Date.parse(error.holder!.startedAt)).toBeLessThanOrEqual(Date.now());
    expect(error.message).toBe(
      `the data folder ${dir} is in use by process ${holder.pid} (started ${error.holder!.startedAt}); stop that process, or set DATA_DIR to another folder`,
    );
    await killed(holder, 'SIGTERM');
  });

  it('is taken at once after its holder was killed with SIGKILL (the pid is gone), well before the lock would go stale', async () => {
    const dir = await folder('killed');
    const holder = await holdInAnotherProcess(dir);
    await killed(holder, 'SIGKILL');
    // The lock directory is still there, freshly refreshed: only the dead pid says it is free.
    expect(existsSync(join(dir, LOCK_NAME, 'holder.json'))).toBe(true);
    const lock = await lockDataFolder(dir);
    await lock.release();
  });

  it('is freed when its holder exits, even without releasing it', async () => {
    const dir = await folder('clean-exit');
    const holder = await holdInAnotherProcess(dir);
    await killed(holder, 'SIGTERM');
    expect(existsSync(join(dir, LOCK_NAME))).toBe(false);
  });

  it('is taken over when its heartbeat stopped, even if its pid now belongs to another live process (pid reuse)', async () => {
    const dir = await folder('reused-pid');
    // As a machine restarted after a crash leaves it: holder.json naming a pid that is alive again
    // (here the parent of this test process), and an mtime older than STALE_MS.
    const lockDir = join(dir, LOCK_NAME);
    await mkdir(lockDir);
    await writeFile(join(lockDir, 'holder.json'), JSON.stringify({ pid: process.ppid, hostname: hostname(), startedAt: '2026-01-01T00:00:00.000Z' }));
    const old = new Date(Date.now() - STALE_MS - 5_000);
    await utimes(lockDir, old, old);
    const lock = await lockDataFolder(dir);
    await lock.release();
    expect(existsSync(lockDir)).toBe(false);
  });

  it('refuses while a fresh lock has a live holder, or a holder still writing its name, or one on another host', async () => {
    const dir = await folder('fresh');
    const lockDir = join(dir, LOCK_NAME);
    await mkdir(lockDir);
    // Between its mkdir and writing holder.json: refused, not mistaken for stale.
    expect((await refusal(dir)).message).toMatch(/in use by another process \(starting up\)/);
    // A pid on another host says nothing here: the fresh mtime holds it.
    await writeFile(join(lockDir, 'holder.json'), JSON.stringify({ pid: 999_999_999, hostname: 'elsewhere', startedAt: '2026-01-01T00:00:00.000Z' }));
    expect((await refusal(dir)).message).toMatch(/in use by process 999999999 on host elsewhere/);
    // The same dead pid on this host: taken over.
    await writeFile(join(lockDir, 'holder.json'), JSON.stringify({ pid: 999_999_999, hostname: hostname(), startedAt: '2026-01-01T00:00:00.000Z' }));
    const lock = await lockDataFolder(dir);
    await lock.release();
  });

  it('refuses a second open of the same folder in one process, and frees it on release', async () => {
    const dir = await folder('same-process');
    const lock = await lockDataFolder(dir);
    expect((await refusal(dir)).holder).toMatchObject({ pid: process.pid });
    await lock.release();
    expect(existsSync(join(dir, LOCK_NAME))).toBe(false);
    await (await lockDataFolder(dir)).release();
  });
});
