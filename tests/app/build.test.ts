import { execFile } from 'node:child_process';
import { readFile, rm, stat, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { projectRoot } from '../../src/project-root.ts';

/**
 * `npm start` runs `npm run build` first (prestart); the build keeps a bundle whose inputs are
 * unchanged (src/cli/build.mjs). Each rebuild renames a new file into place, so a new inode means
 * the bundle was written again and the same inode means it was kept.
 */
const run = promisify(execFile);
const folder = join(projectRoot, 'dist', `test-build-${process.pid}`);
const outfile = join(folder, 'server.js');
const stampFile = `${outfile}.inputs.json`;

const build = (...args: string[]) => run(process.execPath, ['src/cli/build.mjs', `--outfile=${outfile}`, ...args], { cwd: projectRoot });
const inode = async () => (await stat(outfile)).ino;
const stamp = async (): Promise<{ inputs: Record<string, string> }> => JSON.parse(await readFile(stampFile, 'utf8'));

beforeAll(async () => {
  await build();
}, 60_000);
afterAll(async () => {
  await rm(folder, { recursive: true, force: true });
});

describe('npm run build', () => {
  it('records the hash of every source file in the bundle, and of the build script', async () => {
    const { inputs } = await stamp();
    expect(Object.keys(inputs)).toEqual(expect.arrayContaining(['src/index.ts', 'src/server.ts', 'src/cli/build.mjs']));
    expect(Object.keys(inputs).some((path) => path.includes('node_modules'))).toBe(false);
    for (const hash of Object.values(inputs)) expect(hash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('keeps the bundle when no input changed', async () => {
    const before = await inode();
    await build();
    expect(await inode()).toBe(before);
  });

  it('bundles again when an input differs from what was recorded', async () => {
    const recorded = await stamp();
    // As if src/index.ts had been edited since: its recorded hash no longer matches the file.
    await writeFile(stampFile, JSON.stringify({ inputs: { ...recorded.inputs, 'src/index.ts': '0'.repeat(64) } }));
    const before = await inode();
    await build();
    expect(await inode()).not.toBe(before);
    expect((await stamp()).inputs['src/index.ts']).toBe(recorded.inputs['src/index.ts']);
  });

  it('bundles again when an input is gone, the source map is missing, or --force is given', async () => {
    const recorded = await stamp();
    await writeFile(stampFile, JSON.stringify({ inputs: { ...recorded.inputs, 'src/no-such-file.ts': '0'.repeat(64) } }));
    let before = await inode();
    await build();
    expect(await inode()).not.toBe(before);

    await unlink(`${outfile}.map`);
    before = await inode();
    await build();
    expect(await inode()).not.toBe(before);
    await stat(`${outfile}.map`);

    before = await inode();
    await build('--force');
    expect(await inode()).not.toBe(before);
  });
});
