/**
 * Imports a civic dataset folder into the database: validate everything first, then write it all
 * in one transaction, idempotently (natural-key upserts; unchanged rows are left untouched).
 * Org-in-org links are reconciled instead: the dataset's own links are updated, inserted or deleted
 * to match the file, and links staff made through the API are never touched (see write-links.ts).
 */
import { eq, sql } from 'drizzle-orm';
import type { Database } from '../db/client.ts';
import { DATASET_FILES } from '../datasets/format.ts';
import { alias } from 'drizzle-orm/pg-core';
import { boundaryAgreements, datasetImports, divisions, jurisdictions, organizations, posts } from '../db/schema/index.ts';
import { datasetContentHash } from './content-hash.ts';
import { DatasetImportError, DatasetValidationError } from './errors.ts';
import { sameKindOverlaps, type SameKindOverlap } from './kind-overlaps.ts';
import { recomputeOverlaps } from './overlaps.ts';
import { readDataset, type Dataset } from './read-dataset.ts';
import type { ImportSummary, MissingRow, TableCounts } from './summary.ts';
import { upsertRows, type Tx } from './upsert.ts';
import { writeDivisions } from './write-divisions.ts';
import { writeKinds } from './write-kinds.ts';
import { writeLinks } from './write-links.ts';
import { writeOrganizations, writePosts } from './write-organizations.ts';
import { writePeople } from './write-people.ts';
import { writeContacts } from './write-contacts.ts';
import { writeRegistrationTerms } from './write-registrations.ts';
import { writeNotices } from './write-notices.ts';
import { writeComplianceRequirements } from './write-compliance.ts';
import { writeCompositionRules, writePostReferences } from './write-seat-filling.ts';

/** Runs one write step, turning a database refusal into an error that names the step. */
async function namedStep<T>(name: string, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (error instanceof DatasetImportError) throw error;
    throw new DatasetImportError(name, error);
  }
}

async function writeJurisdiction(tx: Tx, dataset: Dataset): Promise<{ id: number; counts: TableCounts }> {
  const j = dataset.jurisdiction;
  const { extent, ...columns } = j;
  const values = { ...columns, extentKind: extent?.kind ?? null };
  const counts = await upsertRows(tx, jurisdictions, [values], [jurisdictions.slug], ['name', 'ocdId', 'timezone', 'defaultLocale', 'locales', 'extentKind']);
  const [row] = await tx.select({ id: jurisdictions.id }).from(jurisdictions).where(eq(jurisdictions.slug, j.slug));
  return { id: row!.id, counts };
}

/**
 * Divisions, organizations and posts of this jurisdiction that the dataset does not list. They are
 * reported and kept: they may be referenced by memberships, history or staff records, and deleting
 * them is a decision for a person. (Links are different: writeLinks deletes the dataset's own.)
 */
async function missingRows(tx: Tx, jurisdictionId: number, dataset: Dataset): Promise<MissingRow[]> {
  const divisionKeys = new Set(dataset.divisions.map((d) => d.properties.key));
  const orgKeys = new Set(dataset.organizations.map((o) => o.key));
  const postKeys = new Set(dataset.posts.map((p) => `${p.organization_key}/${p.key}`));
  const missing: MissingRow[] = [];
  const divisionRows = await tx.select({ key: divisions.sourceKey }).from(divisions).where(eq(divisions.jurisdictionId, jurisdictionId));
  for (const { key } of divisionRows) if (!divisionKeys.has(key)) missing.push({ table: 'divisions', key });
  const orgRows = await tx.select({ key: organizations.slug }).from(organizations).where(eq(organizations.jurisdictionId, jurisdictionId));
  for (const { key } of orgRows) if (!orgKeys.has(key)) missing.push({ table: 'organizations', key });
  const postRows = await tx
    .select({ org: organizations.slug, key: posts.sourceKey })
    .from(posts)
    .innerJoin(organizations, eq(organizations.id, posts.organizationId))
    .where(eq(posts.jurisdictionId, jurisdictionId));
  for (const { org, key } of postRows) if (!postKeys.has(`${org}/${key}`)) missing.push({ table: 'posts', key: `${org}/${key}` });
  return missing.sort((a, b) => (a.table + a.key < b.table + b.key ? -1 : 1));
}

/** Pairs of same-kind divisions that overlap where their kind's policy is not FREELY (kind-overlaps.ts). */
function overlapsToPolice(dataset: Dataset): Promise<SameKindOverlap[]> {
  const policies = new Map(dataset.kinds.filter((k) => k.scope === 'DIVISION').map((k) => [k.code, k.overlap_policy!]));
  const items = dataset.divisions.flatMap((d) =>
    d.boundary && d.bbox
      ? [{ key: d.properties.key, kind: d.properties.kind, validFrom: d.properties.validFrom, validUntil: d.properties.validUntil, boundary: d.boundary, bbox: d.bbox }]
      : [],
  );
  return sameKindOverlaps(items, (kind) => policies.get(kind));
}

/**
 * The overlap policies, checked like the rest of the dataset before anything is written: NEVER
 * refuses an overlap, WITH_AGREEMENT one with no boundary agreement on record between the two
 * divisions (recorded by staff through associationBoundarySet), FREELY is never checked.
 */
async function checkOverlapPolicies(tx: Tx, folder: string, dataset: Dataset, found: readonly SameKindOverlap[]): Promise<void> {
  if (found.length === 0) return;
  const agreed = new Set<string>();
  if (found.some((o) => o.policy === 'WITH_AGREEMENT')) {
    const da = alias(divisions, 'da');
    const db = alias(divisions, 'db');
    const rows = await tx
      .select({ a: da.sourceKey, b: db.sourceKey })
      .from(boundaryAgreements)
      .innerJoin(da, eq(da.id, boundaryAgreements.divisionId))
      .innerJoin(db, eq(db.id, boundaryAgreements.otherDivisionId))
      .innerJoin(jurisdictions, eq(jurisdictions.id, boundaryAgreements.jurisdictionId))
      .where(eq(jurisdictions.slug, dataset.jurisdiction.slug));
    for (const { a, b } of rows) agreed.add(`${a}\u0000${b}`).add(`${b}\u0000${a}`);
  }
  const issues = found
    .filter((o) => o.policy === 'NEVER' || !agreed.has(`${o.a}\u0000${o.b}`))
    .map((o) =>
      o.policy === 'NEVER'
        ? `${DATASET_FILES.divisions} (key "${o.a}"): overlaps "${o.b}", and divisions of kind ${o.kind} never overlap (overlap_policy NEVER in ${DATASET_FILES.kinds})`
        : `${DATASET_FILES.divisions} (key "${o.a}"): overlaps "${o.b}" with no boundary agreement on record, and divisions of kind ${o.kind} overlap only by agreement (overlap_policy WITH_AGREEMENT in ${DATASET_FILES.kinds})`,
    );
  if (issues.length) throw new DatasetValidationError(folder, issues);
}

export interface ImportOptions {
  /** Called as each step starts (`reading files`, `divisions.geojson`, …), for progress on the console. */
  onProgress?: (step: string) => void;
}

export async function importDataset(db: Database, folder: string, options: ImportOptions = {}): Promise<ImportSummary> {
  const started = performance.now();
  options.onProgress?.('reading and validating files');
  const dataset = await readDataset(folder); // throws DatasetValidationError before any write
  options.onProgress?.('checking overlap policies');
  const policedOverlaps = await overlapsToPolice(dataset);
  const contentHash = await datasetContentHash(folder);
  const step = <T>(name: string, run: () => Promise<T>): Promise<T> => {
    options.onProgress?.(name);
    return namedStep(name, run);
  };

  return db.transaction(async (tx) => {
    // Two processes importing the same city at once (two app instances starting) take turns.
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`civic-graph-import:${dataset.jurisdiction.slug}`}))`);
    await checkOverlapPolicies(tx, folder, dataset, policedOverlaps);
    const jurisdiction = await step('jurisdiction.json', () => writeJurisdiction(tx, dataset));
    const jid = jurisdiction.id;
    const kinds = await step('kinds.csv', () => writeKinds(tx, jid, dataset.kinds, dataset.kindNames));
    const div = await step('divisions.geojson', () => writeDivisions(tx, jid, dataset.divisions));
    const org = await step('organizations.csv', () => writeOrganizations(tx, jid, dataset.organizations, div.ids));
    await writeRegistrationTerms(tx, jid);
    const postCounts = await step('posts.csv', () => writePosts(tx, jid, dataset.posts, org.ids, div.ids));
    await writePostReferences(tx, jid, dataset.posts, org.ids);
    const ruleCounts = await step('composition_rules.csv', () => writeCompositionRules(tx, jid, dataset.compositionRules, org.ids));
    const links = await step('organization_links.csv', () => writeLinks(tx, jid, dataset.links, org.ids));
    const officials = await step('people.csv and memberships.csv', () => writePeople(tx, jid, dataset.people, dataset.memberships));
    const contacts = await step('organization_contacts.csv', () => writeContacts(tx, jid, dataset.organizationContacts, org.ids));
    const notices = await step('notice_*.csv', () => writeNotices(tx, jid, dataset));
    const compliance = await step('compliance_requirements.csv', () => writeComplianceRequirements(tx, jid, dataset.complianceRequirements));
    const missing = await missingRows(tx, jid, dataset);

    const overlapsStarted = performance.now();
    const overlaps = await step('division_overlaps', () => recomputeOverlaps(tx, jid));
    const overlapsMs = Math.round(performance.now() - overlapsStarted);

    const summary: ImportSummary = {
      jurisdiction: dataset.jurisdiction.slug,
      contentHash,
      counts: {
        jurisdictions: jurisdiction.counts,
        kinds,
        divisions: div.counts,
        organizations: org.counts,
        posts: postCounts,
        organizationLinks: links.counts,
        people: officials.people,
        memberships: officials.memberships,
        organizationContacts: { ...contacts.counts, deleted: contacts.deleted },
        compositionRules: ruleCounts,
        noticeProcedures: notices.procedures,
        noticeRules: notices.rules,
        noticeDeadlines: notices.deadlines,
        complianceRequirements: compliance,
        divisionOverlaps: overlaps,
      },
      sampleMembershipsRemoved: officials.sampleMembershipsRemoved,
      missing,
      removed: links.removed,
      timings: { totalMs: Math.round(performance.now() - started), overlapsMs },
    };
    await tx.insert(datasetImports).values({ jurisdictionId: jid, contentHash, summary: JSON.stringify(summary) });
    return summary;
  });
}
export { datasetContentHash, datasetSlug, isDatasetCurrent } from './content-hash.ts';
