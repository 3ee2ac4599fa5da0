/**
 * `npm run build` (and so every `npm start`; run from the project root, as npm does): bundles src/ into dist/server.js with esbuild. Each
 * file is written beside its place and renamed into it, so a process starting meanwhile (a second
 * `npm start` from the same folder, the benchmark) loads the old bundle or the new one, never a
 * truncated or empty file, which esbuild's own write (truncate, then write) can leave for a moment.
 * `--outfile=<path>` writes elsewhere (tests/http/production-bundle.test.ts).
 */
import { build } from 'esbuild';
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';

const outfile = process.argv.find((a) => a.startsWith('--outfile='))?.slice('--outfile='.length) ?? 'dist/server.js';
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
  logLevel: 'warning',
});
await mkdir(dirname(outfile), { recursive: true });
// The source map first: the bundle that names it is renamed in last.
for (const file of [...result.outputFiles].sort((a, b) => Number(b.path.endsWith('.map')) - Number(a.path.endsWith('.map')))) {
  const temporary = `${file.path}.${process.pid}.tmp`;
  await writeFile(temporary, file.contents);
  await rename(temporary, file.path);
}
