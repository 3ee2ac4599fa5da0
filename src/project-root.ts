import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The repository's root folder (the one holding package.json), where schema/, drizzle/ and the
 * datasets live. Found by walking up from this module rather than by a fixed `../..`, because the
 * same code runs from src/ (tsx: tests, CLIs, `npm run dev`) and from the bundle in dist/
 * (`npm start`), which sit at different depths.
 */
function findProjectRoot(from: string): string {
  for (let dir = from; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    if (dirname(dir) === dir) throw new Error(`no package.json above ${from}`);
  }
}

export const projectRoot = findProjectRoot(dirname(fileURLToPath(import.meta.url)));

/** A path inside the repository, e.g. `projectPath('schema')`. */
export const projectPath = (...parts: string[]): string => join(projectRoot, ...parts);
