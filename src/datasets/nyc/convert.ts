/**
 * Converts the vendored New York sources (raw/) into the civic dataset format in this folder.
 * `npm run dataset:nyc` writes the files; `convertNyc` returns them (the freshness test). Every file
 * is checked (checks.ts) before anything is written.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { DATASET_FILES } from '../format.ts';
import { compareKeys, sortBy, toCsv, toFeatureCollection } from '../write.ts';
import { checkDataset, type NycDataset } from './checks.ts';
import { JURISDICTION } from './constants.ts';
import { buildDivisions } from './divisions.ts';
import { KINDS } from './kinds.ts';
import { councilShares } from './nominators.ts';
import { buildAdvisoryBodies, buildCommunityBoards, buildCouncil } from './organizations.ts';
import { readNycRaw } from './raw.ts';
import { COMPOSITION_RULE_COLUMNS, KIND_COLUMNS, LINK_COLUMNS, NYC_FILES, ORGANIZATION_COLUMNS, NYC_POST_COLUMNS } from './records.ts';
import { derivationSection } from './sources-header.ts';
import { noticeFiles } from '../notice-files.ts';
import { NOTICES } from './notices.ts';

export const nycDatasetDir = fileURLToPath(new URL('.', import.meta.url));
export const nycRawDir = join(nycDatasetDir, 'raw');

/** The dataset's records, checked; `convertNyc` serializes them. */
export async function buildNyc(rawDir: string = nycRawDir) {
  const raw = await readNycRaw(rawDir);
  const divisions = buildDivisions(raw);
  const shares = councilShares(divisions);
  const advisory = buildAdvisoryBodies(raw.advisoryBodies);
  const boards = buildCommunityBoards(raw, shares.kept, advisory.boardsRow);
  const council = buildCouncil(raw.councilDistricts.map((f) => f.properties.CounDist).sort((a, b) => a - b));

  const dataset: NycDataset = {
    kinds: [...KINDS].sort((a, b) => compareKeys(a.scope, b.scope) || a.sort_order - b.sort_order || compareKeys(a.code, b.code)),
    divisions: sortBy(divisions, (d) => d.properties.key),
    organizations: sortBy([...boards.organizations, council.organization, ...advisory.organizations], (o) => o.key),
    posts: [...boards.posts, ...council.posts, ...advisory.posts].sort(
      (a, b) => compareKeys(a.organization_key, b.organization_key) || compareKeys(a.key, b.key),
    ),
    rules: [...boards.rules].sort((a, b) => compareKeys(a.organization_key, b.organization_key) || compareKeys(a.code, b.code)),
  };
  await checkDataset(dataset);
  return { raw, dataset, shares };
}

export async function convertNyc(rawDir: string = nycRawDir): Promise<Record<string, string>> {
  return serializeNyc(await buildNyc(rawDir));
}

/** The files of a built dataset, byte-for-byte deterministic. */
export function serializeNyc({ raw, dataset, shares }: Awaited<ReturnType<typeof buildNyc>>): Record<string, string> {
  return {
    [DATASET_FILES.jurisdiction]: `${JSON.stringify(JURISDICTION, null, 2)}\n`,
    [DATASET_FILES.kinds]: toCsv(KIND_COLUMNS, dataset.kinds),
    ...noticeFiles(NOTICES),
    [DATASET_FILES.divisions]: toFeatureCollection(dataset.divisions),
    [DATASET_FILES.organizations]: toCsv(
      ORGANIZATION_COLUMNS,
      dataset.organizations.map((o) => ({ ...o, topics: o.topics.length ? o.topics.join(';') : null })),
    ),
    [DATASET_FILES.organizationLinks]: toCsv(LINK_COLUMNS, []),
    [DATASET_FILES.posts]: toCsv(NYC_POST_COLUMNS, dataset.posts),
    [NYC_FILES.compositionRules]: toCsv(COMPOSITION_RULE_COLUMNS, dataset.rules),
    [DATASET_FILES.sources]: derivationSection(dataset, shares) + raw.sources,
  };
}

async function main(): Promise<void> {
  const files = await convertNyc();
  for (const [name, content] of Object.entries(files)) {
    await writeFile(join(nycDatasetDir, name), content);
    console.log(`wrote ${join(nycDatasetDir, name)} (${content.length} bytes)`);
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
}
