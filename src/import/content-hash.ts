/** A fingerprint of a dataset folder, so startup can skip an import whose files have not changed. */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { desc, eq } from 'drizzle-orm';
import { DATASET_FILES } from '../datasets/format.ts';
import type { Database } from '../db/client.ts';
import { datasetImports, jurisdictions } from '../db/schema/index.ts';

/**
 * Bump when the importer starts writing different rows from the same files, to force a re-import.
 * 2: dataset links are reconciled (links no longer in the files are deleted, not kept).
 */
export const IMPORTER_VERSION = '2';

/** sha256 over the format's files (name and bytes), not the whole folder: converters live beside them. */
export async function datasetContentHash(folder: string): Promise<string> {
  const hash = createHash('sha256').update(`civic-graph-dataset/${IMPORTER_VERSION}\0`);
  for (const name of Object.values(DATASET_FILES).sort()) {
    let bytes: Buffer;
    try {
      bytes = await readFile(join(folder, name));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      hash.update(`${name}\0missing\0`);
      continue;
    }
    hash.update(`${name}\0${bytes.length}\0`).update(bytes);
  }
  return hash.digest('hex');
}

/** The jurisdiction slug a dataset folder declares, or undefined when its jurisdiction.json is unreadable. */
export async function datasetSlug(folder: string): Promise<string | undefined> {
  try {
    const slug = (JSON.parse(await readFile(join(folder, DATASET_FILES.jurisdiction), 'utf8')) as { slug?: unknown }).slug;
    return typeof slug === 'string' ? slug : undefined;
  } catch {
    return undefined;
  }
}

/** True when the latest import of this folder's jurisdiction had exactly these files. */
export async function isDatasetCurrent(db: Database, folder: string): Promise<boolean> {
  const slug = await datasetSlug(folder);
  if (slug === undefined) return false;
  const [latest] = await db
    .select({ contentHash: datasetImports.contentHash })
    .from(datasetImports)
    .innerJoin(jurisdictions, eq(jurisdictions.id, datasetImports.jurisdictionId))
    .where(eq(jurisdictions.slug, slug))
    .orderBy(desc(datasetImports.id))
    .limit(1);
  return latest !== undefined && latest.contentHash === (await datasetContentHash(folder));
}
