/**
 * Converts the vendored Portland sources (raw/) into the civic dataset format in this folder.
 * `npm run dataset:portland` writes the files; `convertPortland` returns them (the freshness test).
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { DATASET_FILES, KIND_COLUMNS, LINK_COLUMNS, MEMBERSHIP_COLUMNS, NO_FILLING_RULES, ORGANIZATION_COLUMNS, ORGANIZATION_CONTACT_COLUMNS, PERSON_COLUMNS, POST_COLUMNS } from '../format.ts';
import { compareKeys, sortBy, toCsv, toFeatureCollection } from '../write.ts';
import { buildFullAdvisoryBodies } from './advisory-bodies-full.ts';
import { buildAdvisoryBodies } from './advisory-bodies.ts';
import { JURISDICTION } from './constants.ts';
import { buildDivisions } from './divisions.ts';
import { buildKinds } from './kinds.ts';
import { buildBusinessDistricts, buildCoalitions, buildCouncil, buildNeighborhoodAssociations } from './organizations.ts';
import { buildElectedOffices, buildOfficials } from './officials.ts';
import { readPortlandRaw } from './raw.ts';
import { withRosterStatus } from '../roster.ts';
import { derivationSection } from './sources-header.ts';
import { applyWebsites, buildOfficeChannels } from './websites.ts';
import { noticeFiles } from '../notice-files.ts';
import { NOTICES } from './notices.ts';
import { complianceFiles } from '../compliance-files.ts';
import { COMPLIANCE_REQUIREMENTS } from './compliance.ts';

export const portlandDatasetDir = fileURLToPath(new URL('.', import.meta.url));
export const portlandRawDir = join(portlandDatasetDir, 'raw');

export async function convertPortland(rawDir: string = portlandRawDir): Promise<Record<string, string>> {
  const raw = await readPortlandRaw(rawDir);
  const divisions = buildDivisions(raw);

  const coalitions = buildCoalitions(raw);
  const associations = buildNeighborhoodAssociations(raw, new Set(coalitions.map((c) => c.key)));
  const business = buildBusinessDistricts(raw, new Set(associations.organizations.map((o) => o.key)));
  const advisory = buildAdvisoryBodies(raw.advisoryBodies);
  const districts = raw.councilDistricts.map((f) => f.properties.district).sort((a, b) => a - b);
  const council = buildCouncil(districts);
  const moreAdvisory = buildFullAdvisoryBodies(raw.advisoryBodiesFull, new Set(advisory.organizations.map((o) => o.key)));
  const offices = buildElectedOffices();
  const officials = buildOfficials(raw.councilMembers);

  const organizations = applyWebsites(
    [...coalitions, ...associations.organizations, ...business.organizations, ...advisory.organizations, ...moreAdvisory.organizations, council.organization, offices.organization],
    raw.associations,
    raw.associationWebsites,
    raw.coalitionOffices,
  );
  const seen = new Set<string>();
  for (const o of organizations) {
    if (seen.has(o.key)) throw new Error(`two organizations would get the slug ${o.key}`);
    seen.add(o.key);
  }
  const links = [...associations.links, ...business.links].sort(
    (a, b) =>
      compareKeys(a.member_key, b.member_key) ||
      compareKeys(a.parent_key, b.parent_key) ||
      compareKeys(a.kind, b.kind) ||
      compareKeys(a.start_date ?? '', b.start_date ?? ''),
  );
  const posts = [...advisory.posts, ...moreAdvisory.posts, ...council.posts, ...offices.posts].sort(
    (a, b) => compareKeys(a.organization_key, b.organization_key) || compareKeys(a.key, b.key),
  );

  // Unknown is not vacant (issue 13): bodies whose holders this dataset lists (memberships.csv: the
  // council and the elected offices) are RECORDED as of the day those terms began; the other bodies
  // with seats NOT_RECORDED.
  const organizationsWithHolders = new Set(officials.memberships.map((m) => m.organization_key));
  const rosterAsOf = officials.memberships.map((m) => m.start_date).sort().at(-1) ?? null;
  const rostered = withRosterStatus(organizations, posts, organizationsWithHolders, rosterAsOf);

  return {
    [DATASET_FILES.jurisdiction]: `${JSON.stringify(JURISDICTION, null, 2)}\n`,
    [DATASET_FILES.divisions]: toFeatureCollection(sortBy(divisions, (d) => d.properties.key)),
    [DATASET_FILES.organizations]: toCsv(ORGANIZATION_COLUMNS, sortBy(rostered, (o) => o.key).map((o) => ({ ...o, topics: o.topics.length ? o.topics.join(';') : null }))),
    [DATASET_FILES.organizationLinks]: toCsv(LINK_COLUMNS, links),
    [DATASET_FILES.posts]: toCsv(POST_COLUMNS, posts.map((p) => ({ ...NO_FILLING_RULES, ...p }))),
    [DATASET_FILES.organizationContacts]: toCsv(ORGANIZATION_CONTACT_COLUMNS, buildOfficeChannels(raw.coalitionOffices)),
    [DATASET_FILES.people]: toCsv(PERSON_COLUMNS, sortBy(officials.people, (p) => p.key)),
    [DATASET_FILES.memberships]: toCsv(
      MEMBERSHIP_COLUMNS,
      [...officials.memberships].sort(
        (a, b) => compareKeys(a.organization_key, b.organization_key) || compareKeys(a.post_key, b.post_key) || compareKeys(a.person_key, b.person_key),
      ),
    ),
    [DATASET_FILES.kinds]: toCsv(KIND_COLUMNS, buildKinds()),
    ...noticeFiles(NOTICES),
    ...complianceFiles(COMPLIANCE_REQUIREMENTS),
    [DATASET_FILES.sources]: derivationSection() + raw.sources,
  };
}

async function main(): Promise<void> {
  const files = await convertPortland();
  for (const [name, content] of Object.entries(files)) {
    await writeFile(join(portlandDatasetDir, name), content);
    console.log(`wrote ${join(portlandDatasetDir, name)} (${content.length} bytes)`);
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
}
