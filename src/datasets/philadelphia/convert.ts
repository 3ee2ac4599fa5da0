/**
 * Converts the vendored Philadelphia sources (raw/) into the civic dataset format in this folder.
 * `npm run dataset:philadelphia` checks the result (check.ts) and writes the files;
 * `convertPhiladelphia` returns them (the freshness test).
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { DATASET_FILES, KIND_COLUMNS, LINK_COLUMNS, ORGANIZATION_COLUMNS } from '../format.ts';
import { compareKeys, sortBy, toCsv, toFeatureCollection } from '../write.ts';
import { buildAdvisoryBodies } from './advisory-bodies.ts';
import { checkPhiladelphia } from './check.ts';
import { JURISDICTION } from './constants.ts';
import { POST_COLUMNS_13, type Division, type Organization, type Post } from './contract.ts';
import { buildDivisions } from './divisions.ts';
import { KINDS } from './kinds.ts';
import { buildCouncil, buildRcos } from './organizations.ts';
import { readPhiladelphiaRaw } from './raw.ts';
import { derivationSection } from './sources-header.ts';
import { noticeFiles } from '../notice-files.ts';
import { NOTICES } from './notices.ts';
import { complianceFiles } from '../compliance-files.ts';
import { COMPLIANCE_REQUIREMENTS } from './compliance.ts';

export const philadelphiaDatasetDir = fileURLToPath(new URL('.', import.meta.url));
export const philadelphiaRawDir = join(philadelphiaDatasetDir, 'raw');

export interface PhiladelphiaRecords {
  divisions: Division[];
  organizations: Organization[];
  posts: Post[];
}

export async function buildPhiladelphia(rawDir: string = philadelphiaRawDir): Promise<PhiladelphiaRecords & { sources: string }> {
  const raw = await readPhiladelphiaRaw(rawDir);
  const divisions = sortBy(buildDivisions(raw), (d) => d.properties.key);
  const districts = raw.councilDistricts.map((f) => Number(f.properties.DISTRICT)).sort((a, b) => a - b);
  const council = buildCouncil(districts);
  const advisory = buildAdvisoryBodies(raw.advisoryBodies);
  const organizations = sortBy([...buildRcos(raw), council.organization, ...advisory.organizations], (o) => o.key);
  const posts = [...council.posts, ...advisory.posts].sort(
    (a, b) => compareKeys(a.organization_key, b.organization_key) || compareKeys(a.key, b.key),
  );
  return { divisions, organizations, posts, sources: raw.sources };
}

export async function convertPhiladelphia(rawDir: string = philadelphiaRawDir): Promise<Record<string, string>> {
  const { divisions, organizations, posts, sources } = await buildPhiladelphia(rawDir);
  return {
    [DATASET_FILES.jurisdiction]: `${JSON.stringify(JURISDICTION, null, 2)}\n`,
    [DATASET_FILES.kinds]: toCsv(KIND_COLUMNS, KINDS),
    ...noticeFiles(NOTICES),
    ...complianceFiles(COMPLIANCE_REQUIREMENTS),
    [DATASET_FILES.divisions]: toFeatureCollection(divisions),
    [DATASET_FILES.organizations]: toCsv(
      ORGANIZATION_COLUMNS,
      organizations.map((o) => ({ ...o, topics: o.topics.length ? o.topics.join(';') : null })),
    ),
    [DATASET_FILES.organizationLinks]: toCsv(LINK_COLUMNS, []),
    [DATASET_FILES.posts]: toCsv(POST_COLUMNS_13, posts),
    [DATASET_FILES.sources]: derivationSection() + sources,
  };
}

async function main(): Promise<void> {
  const records = await buildPhiladelphia();
  const report = await checkPhiladelphia(records);
  for (const line of report) console.log(`check: ${line}`);
  const files = await convertPhiladelphia();
  for (const [name, content] of Object.entries(files)) {
    await writeFile(join(philadelphiaDatasetDir, name), content);
    console.log(`wrote ${join(philadelphiaDatasetDir, name)} (${content.length} bytes)`);
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
}
