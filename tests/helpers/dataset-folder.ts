import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DATASET_FILES } from '../../src/datasets/format.ts';

export const portlandDatasetDir = fileURLToPath(new URL('../../src/datasets/portland', import.meta.url));

/** A throw-away copy of a dataset folder's format files, for tests that edit them. */
export async function copyDataset(from: string = portlandDatasetDir): Promise<{ dir: string; remove(): Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'civic-dataset-'));
  for (const name of Object.values(DATASET_FILES)) {
    // Optional files (kind_names.csv) may be absent from the source folder.
    await cp(join(from, name), join(dir, name)).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== 'ENOENT') throw error;
    });
  }
  return { dir, remove: () => rm(dir, { recursive: true, force: true }) };
}

/** Rewrites one file of a copied dataset through `edit`; throws if the edit changed nothing. */
export async function editFile(dir: string, name: string, edit: (text: string) => string): Promise<void> {
  const path = join(dir, name);
  const before = await readFile(path, 'utf8');
  const after = edit(before);
  if (after === before) throw new Error(`test edit of ${name} changed nothing`);
  await writeFile(path, after);
}
