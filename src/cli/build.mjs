/**
 * `npm run build` (and so every `npm start`; run from the project root, as npm does): bundles src/ into dist/server.js with esbuild. Each
 * file is written beside its place and renamed into it, so a process starting meanwhile (a second
 * `npm start` from the same folder, the benchmark) loads the old bundle or the new one, never a
 * truncated or empty file, which esbuild's own write (truncate, then write) can leave for a moment.
 * `--outfile=<path>` writes elsewhere (tests/http/production-bundle.test.ts).
 *
 * A bundle whose inputs have not changed is kept: beside it, `<outfile>.inputs.json` records the
 * SHA-256 of every file esbuild read for it (src/ only: packages stay external) and of this script.
 * When each still hashes the same, nothing is bundled (about 40 ms instead of 400 on every
 * `npm start`). A new source file can only enter the bundle through an import in a file that
 * therefore changed; a deleted one fails its hash. `--force` bundles regardless.
 */
import { createHash } from 'node:crypto';
import { access, mkdir, readFile, rename, stat, writeFile } from 'node:fs/promises';
import { dirname, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const outfile = process.argv.find((a) => a.startsWith('--outfile='))?.slice('--outfile='.length) ?? 'dist/server.js';
const force = process.argv.includes('--force');
const stampFile = `${outfile}.inputs.json`;
// This script's own options shape the bundle: a change here must bundle again.
const self = relative(process.cwd(), fileURLToPath(import.meta.url));

const sha256 = async (path) => createHash('sha256').update(await readFile(path)).digest('hex');

/** True when the bundle, its map and the recorded inputs are all there and every input is unchanged. */
async function isCurrent() {
  let stamp;
  try {
    stamp = JSON.parse(await readFile(stampFile, 'utf8'));
    await Promise.all([access(outfile), access(`${outfile}.map`)]);
  } catch {
    return false;
  }
  const recorded = Object.entries(stamp.inputs ?? {});
  if (recorded.length === 0) return false;
  try {
    const now = await Promise.all(recorded.map(([path]) => sha256(path)));
    return recorded.every(([, hash], i) => now[i] === hash);
  } catch {
    return false; // an input was deleted or cannot be read
  }
}

if (force || !(await isCurrent())) {
  const startedAt = Date.now();
  // Loaded only to bundle: a current bundle needs none of it.
  const { build } = await import('esbuild');
  const result = await build({
    entryPoints: ['src/index.ts'],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    sourcemap: true,
    outfile,
    write: false,
    metafile: true,
    logLevel: 'warning',
  });
  await mkdir(dirname(outfile), { recursive: true });
  // The source map first: the bundle that names it is renamed in last.
  for (const file of [...result.outputFiles].sort((a, b) => Number(b.path.endsWith('.map')) - Number(a.path.endsWith('.map')))) {
    const temporary = `${file.path}.${process.pid}.tmp`;
    await writeFile(temporary, file.contents);
    await rename(temporary, file.path);
  }
  // Recorded after the bundle is in place: a build stopped before this point bundles again next time.
  // Hashed now, after esbuild read them: a file saved while it bundled could be recorded at content
  // the bundle does not hold, so then nothing is recorded and the next build bundles again.
  const paths = [...Object.keys(result.metafile.inputs), self];
  const [hashes, times] = await Promise.all([Promise.all(paths.map(sha256)), Promise.all(paths.map(async (p) => (await stat(p)).mtimeMs))]);
  const temporary = `${stampFile}.${process.pid}.tmp`;
  if (times.every((t) => t < startedAt - 1_000)) {
    await writeFile(temporary, `${JSON.stringify({ inputs: Object.fromEntries(paths.map((p, i) => [p, hashes[i]])) }, null, 1)}\n`);
    await rename(temporary, stampFile);
  }
}
