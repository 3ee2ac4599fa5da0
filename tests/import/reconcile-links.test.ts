import { and, count, eq } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/client.ts';
import { organizationLinks, organizations } from '../../src/db/schema/index.ts';
import { DatasetImportError, formatSummary, importDataset, StaffLinkConflictError } from '../../src/import/index.ts';
import { copyDataset, editFile, portlandDatasetDir } from '../helpers/dataset-folder.ts';
import { snapshotImportedRows } from '../helpers/db-snapshot.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/test-database.ts';

let testDb: TestDatabase;
let db: Database;
let copy: Awaited<ReturnType<typeof copyDataset>>;
let slugOf: Map<number, string>;
let idOf: Map<string, number>;

const LINKS = 'organization_links.csv';
const BROOKLYN_2024 = 'brooklyn,district-4-coalition,DISTRICT_COALITION,2024-07-01,,';
const BROOKLYN_2023 = 'brooklyn,seul,DISTRICT_COALITION,,2024-07-01,';
const HAWTHORNE_VP = 'hawthorne-blvd-business-association,venture-portland,NETWORK,,,';

beforeAll(async () => {
  testDb = await createTestDatabase();
  db = testDb.handle.db;
  await importDataset(db, portlandDatasetDir);
  const orgs = await db.select({ id: organizations.id, slug: organizations.slug }).from(organizations);
  slugOf = new Map(orgs.map((o) => [o.id, o.slug]));
  idOf = new Map(orgs.map((o) => [o.slug, o.id]));
});
afterAll(() => testDb.dispose());
beforeEach(async () => {
  copy = await copyDataset();
});
afterEach(async () => {
  await copy.remove();
  // Back to the Portland dataset for the next test: staff links gone, dataset links as in the files.
  await db.delete(organizationLinks).where(eq(organizationLinks.origin, 'STAFF'));
  await importDataset(db, portlandDatasetDir);
});

/** Every link of a member (slugs instead of ids), in start order. */
async function linksOf(member: string) {
  const rows = await db.select().from(organizationLinks).where(eq(organizationLinks.memberId, idOf.get(member)!));
  return rows
    .map((l) => ({ ...l, parent: slugOf.get(l.parentId)! }))
    .sort((a, b) => (a.startDate ?? '').localeCompare(b.startDate ?? ''));
}

/** The slug of the member's district coalition on a date, from the stored links. */
async function coalitionOn(member: string, at: string): Promise<string[]> {
  return (await linksOf(member))
    .filter((l) => l.kind === 'DISTRICT_COALITION' && (l.startDate === null || l.startDate <= at) && (l.endDate === null || l.endDate > at))
    .map((l) => l.parent);
}

async function linkCount(): Promise<number> {
  return (await db.select({ n: count() }).from(organizationLinks))[0]!.n;
}

async function refusal(dir: string): Promise<Error> {
  const error = await importDataset(db, dir).then(
    () => null,
    (e: unknown) => e as Error,
  );
  if (!error) throw new Error('the import succeeded');
  return error;
}

/** A link as staff would make it through the API: origin left to its default, STAFF. */
async function insertStaffLink(values: { member: string; parent: string; kind: 'DISTRICT_COALITION' | 'NETWORK'; startDate: string | null; endDate?: string | null }) {
  const [row] = await db
    .insert(organizationLinks)
    .values({
      jurisdictionId: (await db.select().from(organizations).where(eq(organizations.slug, values.member)))[0]!.jurisdictionId,
      kind: values.kind,
      memberId: idOf.get(values.member)!,
      parentId: idOf.get(values.parent)!,
      startDate: values.startDate,
      endDate: values.endDate ?? null,
      note: 'made by staff in a test',
    })
    .returning();
  expect(row!.origin).toBe('STAFF');
  return row!;
}

describe('re-importing changed organization links', () => {
  it('marks every imported link as a DATASET link', async () => {
    const byOrigin = await db.select({ origin: organizationLinks.origin, n: count() }).from(organizationLinks).groupBy(organizationLinks.origin);
    expect(byOrigin).toEqual([{ origin: 'DATASET', n: 217 }]);
  });

  it("updates Brooklyn's 2024 coalition in place when the dataset corrects it", async () => {
    const [, before] = await linksOf('brooklyn');
    expect(before).toMatchObject({ parent: 'district-4-coalition', startDate: '2024-07-01', endDate: null });
    const snapshot = await snapshotImportedRows(db);
    await editFile(copy.dir, LINKS, (text) => text.replace(BROOKLYN_2024, 'brooklyn,district-3-coalition,DISTRICT_COALITION,2024-07-01,,'));

    const summary = await importDataset(db, copy.dir);
    expect(summary.counts.organizationLinks).toEqual({ inserted: 0, updated: 1, unchanged: 216 });
    expect(summary.removed).toEqual([]);
    expect(summary.missing).toEqual([]);
    expect(await linkCount()).toBe(217);

    const after = await linksOf('brooklyn');
    expect(after.map((l) => [l.parent, l.startDate, l.endDate])).toEqual([
      ['seul', null, '2024-07-01'],
      ['district-3-coalition', '2024-07-01', null],
    ]);
    expect(after[1]).toMatchObject({ id: before!.id, origin: 'DATASET' });
    expect(after[1]!.updatedAt.getTime()).toBeGreaterThan(before!.updatedAt.getTime());
    expect(await coalitionOn('brooklyn', '2024-07-01')).toEqual(['district-3-coalition']);
    expect(await coalitionOn('brooklyn', '2024-06-30')).toEqual(['seul']);
    // Every other link is untouched.
    const others = (s: typeof snapshot) => s.organizationLinks.filter((l) => l.id !== before!.id);
    expect(others(await snapshotImportedRows(db))).toEqual(others(snapshot));

    // Importing the changed folder again changes nothing.
    const unchanged = await snapshotImportedRows(db);
    const again = await importDataset(db, copy.dir);
    expect(again.counts.organizationLinks).toEqual({ inserted: 0, updated: 0, unchanged: 217 });
    expect(again.removed).toEqual([]);
    expect({ ...(await snapshotImportedRows(db)), datasetImports: [] }).toEqual({ ...unchanged, datasetImports: [] });
  });

  it('updates a NETWORK link in place when the dataset gives it a start date', async () => {
    const [before] = await linksOf('hawthorne-blvd-business-association');
    await editFile(copy.dir, LINKS, (text) => text.replace(HAWTHORNE_VP, 'hawthorne-blvd-business-association,venture-portland,NETWORK,2010-03-01,,'));

    const summary = await importDataset(db, copy.dir);
    expect(summary.counts.organizationLinks).toEqual({ inserted: 0, updated: 1, unchanged: 216 });
    const after = await linksOf('hawthorne-blvd-business-association');
    expect(after).toHaveLength(1);
    expect(after[0]).toMatchObject({ id: before!.id, parent: 'venture-portland', kind: 'NETWORK', startDate: '2010-03-01', endDate: null });
    expect(await linkCount()).toBe(217);
  });

  it('moves the 2024 change date of a coalition pair, shortening one link before extending the other', async () => {
    // SEUL's link is extended to 2024-08-01 (listed first, matched first) into the dates the
    // District 4 link gives up: the shortening must be written first.
    await editFile(copy.dir, LINKS, (text) =>
      text
        .replace(`${BROOKLYN_2023}`, 'brooklyn,seul,DISTRICT_COALITION,,2024-08-01,')
        .replace(BROOKLYN_2024, 'brooklyn,district-4-coalition,DISTRICT_COALITION,2024-08-01,,'),
    );
    const ids = (await linksOf('brooklyn')).map((l) => l.id);
    const summary = await importDataset(db, copy.dir);
    expect(summary.counts.organizationLinks).toEqual({ inserted: 0, updated: 2, unchanged: 215 });
    const after = await linksOf('brooklyn');
    expect(after.map((l) => [l.id, l.parent, l.startDate, l.endDate])).toEqual([
      [ids[0], 'seul', null, '2024-08-01'],
      [ids[1], 'district-4-coalition', '2024-08-01', null],
    ]);
  });

  it('replaces a link whose parent and dates both changed: the old one is deleted before the new one is written', async () => {
    await editFile(copy.dir, LINKS, (text) =>
      text
        .replace(`${BROOKLYN_2023}`, 'brooklyn,seul,DISTRICT_COALITION,,2024-09-01,')
        .replace(BROOKLYN_2024, 'brooklyn,district-3-coalition,DISTRICT_COALITION,2024-09-01,,'),
    );
    const summary = await importDataset(db, copy.dir);
    expect(summary.counts.organizationLinks).toEqual({ inserted: 1, updated: 1, unchanged: 215 });
    expect(summary.removed).toEqual([{ table: 'organization_links', key: 'brooklyn -> district-4-coalition (DISTRICT_COALITION, from 2024-07-01)' }]);
    expect((await linksOf('brooklyn')).map((l) => [l.parent, l.startDate, l.endDate, l.origin])).toEqual([
      ['seul', null, '2024-09-01', 'DATASET'],
      ['district-3-coalition', '2024-09-01', null, 'DATASET'],
    ]);
    expect(await linkCount()).toBe(217);
  });

  it('deletes a link the dataset no longer lists and reports it as removed', async () => {
    const members = async () =>
      (await db.select({ n: count() }).from(organizationLinks).where(eq(organizationLinks.parentId, idOf.get('venture-portland')!)))[0]!.n;
    expect(await members()).toBe(29);
    await editFile(copy.dir, LINKS, (text) =>
      text
        .split('\n')
        .filter((line) => !line.startsWith(HAWTHORNE_VP))
        .join('\n'),
    );

    const summary = await importDataset(db, copy.dir);
    expect(summary.counts.organizationLinks).toEqual({ inserted: 0, updated: 0, unchanged: 216 });
    const removed = { table: 'organization_links', key: 'hawthorne-blvd-business-association -> venture-portland (NETWORK, from the beginning)' };
    expect(summary.removed).toEqual([removed]);
    expect(summary.missing).toEqual([]);
    expect(formatSummary(summary)).toContain(`1 dataset link(s) are no longer in the dataset (removed, deleted):\n    organization_links: ${removed.key}`);
    expect(await linksOf('hawthorne-blvd-business-association')).toEqual([]);
    expect(await members()).toBe(28);
    expect(await linkCount()).toBe(216);

    // The next import of the same folder has nothing left to remove.
    const again = await importDataset(db, copy.dir);
    expect(again.removed).toEqual([]);
    expect(again.counts.organizationLinks).toEqual({ inserted: 0, updated: 0, unchanged: 216 });
  });

  it('changes nothing when the folder is unchanged: same rows, same updated_at', async () => {
    const before = await snapshotImportedRows(db);
    const summary = await importDataset(db, portlandDatasetDir);
    expect(summary.counts.organizationLinks).toEqual({ inserted: 0, updated: 0, unchanged: 217 });
    expect(summary.removed).toEqual([]);
    expect({ ...(await snapshotImportedRows(db)), datasetImports: [] }).toEqual({ ...before, datasetImports: [] });
  });
});

describe('links staff made through the API', () => {
  it('are left alone by a re-import', async () => {
    const staff = await insertStaffLink({ member: 'buckman', parent: 'venture-portland', kind: 'NETWORK', startDate: '2025-01-01' });
    const before = await snapshotImportedRows(db);
    const summary = await importDataset(db, portlandDatasetDir);
    expect(summary.counts.organizationLinks).toEqual({ inserted: 0, updated: 0, unchanged: 217 });
    expect(summary.removed).toEqual([]);
    expect({ ...(await snapshotImportedRows(db)), datasetImports: [] }).toEqual({ ...before, datasetImports: [] });
    const [row] = await db.select().from(organizationLinks).where(eq(organizationLinks.id, staff.id));
    expect(row).toEqual(staff);
  });

  it('make an import fail, naming both links and changing nothing, when a dataset link would overlap one', async () => {
    const staff = await insertStaffLink({ member: 'buckman', parent: 'venture-portland', kind: 'NETWORK', startDate: '2025-01-01' });
    await editFile(copy.dir, LINKS, (text) => `${text}buckman,venture-portland,NETWORK,2024-01-01,,added by a test\n`);
    // An unrelated change in the same folder must not be written either.
    await editFile(copy.dir, LINKS, (text) => text.replace(BROOKLYN_2024, 'brooklyn,district-3-coalition,DISTRICT_COALITION,2024-07-01,,'));
    const before = await snapshotImportedRows(db);

    const error = await refusal(copy.dir);
    expect(error).toBeInstanceOf(DatasetImportError);
    expect(error.cause).toBeInstanceOf(StaffLinkConflictError);
    expect(error.message).toMatch(/^Import failed while writing organization_links\.csv; nothing was changed/);
    expect(error.message).toContain(
      `dataset link buckman -> venture-portland (NETWORK, [2024-01-01, …)) conflicts with staff link #${staff.id} ` +
        'buckman -> venture-portland (NETWORK, [2025-01-01, …)): the same link over overlapping dates',
    );
    expect(await snapshotImportedRows(db)).toEqual(before);
    expect(await coalitionOn('brooklyn', '2024-07-01')).toEqual(['district-4-coalition']);
  });

  it('win over the dataset only once the dataset is edited to agree with them (a staff coalition move)', async () => {
    // What the API's coalition move does: end the current (dataset) link, add a staff link.
    const [, current] = await linksOf('brooklyn');
    await db.update(organizationLinks).set({ endDate: '2026-01-01' }).where(eq(organizationLinks.id, current!.id));
    const staff = await insertStaffLink({ member: 'brooklyn', parent: 'district-3-coalition', kind: 'DISTRICT_COALITION', startDate: '2026-01-01' });
    const before = await snapshotImportedRows(db);

    // The dataset still says District 4 from 2024-07-01 on, open-ended: refused.
    const error = await refusal(portlandDatasetDir);
    expect(error.message).toContain(
      `dataset link brooklyn -> district-4-coalition (DISTRICT_COALITION, [2024-07-01, …)) conflicts with staff link #${staff.id} ` +
        'brooklyn -> district-3-coalition (DISTRICT_COALITION, [2026-01-01, …)): "brooklyn" would be in two district coalitions at once',
    );
    expect(error.message).toContain('edit organization_links.csv to agree with them');
    expect(await snapshotImportedRows(db)).toEqual(before);

    // Once the dataset ends the District 4 link when the staff link starts, the import goes through.
    await editFile(copy.dir, LINKS, (text) => text.replace(BROOKLYN_2024, 'brooklyn,district-4-coalition,DISTRICT_COALITION,2024-07-01,2026-01-01,'));
    const summary = await importDataset(db, copy.dir);
    expect(summary.counts.organizationLinks).toEqual({ inserted: 0, updated: 0, unchanged: 217 });
    expect(await coalitionOn('brooklyn', '2025-12-31')).toEqual(['district-4-coalition']);
    expect(await coalitionOn('brooklyn', '2026-01-01')).toEqual(['district-3-coalition']);
    const [row] = await db
      .select()
      .from(organizationLinks)
      .where(and(eq(organizationLinks.id, staff.id), eq(organizationLinks.origin, 'STAFF')));
    expect(row).toEqual(staff);
  });
});
