import { count, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/client.ts';
import { organizationLinks, organizations } from '../../src/db/schema/index.ts';
import { importDataset, isDatasetCurrent } from '../../src/import/index.ts';
import { copyDataset, editFile, portlandDatasetDir } from '../helpers/dataset-folder.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/test-database.ts';

let testDb: TestDatabase;
let db: Database;
let copy: Awaited<ReturnType<typeof copyDataset>>;

beforeAll(async () => {
  testDb = await createTestDatabase();
  db = testDb.handle.db;
  await importDataset(db, portlandDatasetDir);
  copy = await copyDataset();
});
afterAll(async () => {
  await copy.remove();
  await testDb.dispose();
});

const bySlug = async (slug: string) => (await db.select().from(organizations).where(eq(organizations.slug, slug)))[0];

describe('importing a changed copy of the dataset', () => {
  it('updates the changed row and inserts the new one, without duplicates', async () => {
    const before = await bySlug('hawthorne-blvd-business-association');
    expect(before?.website).toBe('https://www.hawthorneblvd.com/');
    const untouched = await bySlug('buckman');

    await editFile(copy.dir, 'organizations.csv', (text) =>
      text.replace('https://www.hawthorneblvd.com/', 'https://hawthorne.example.org/') +
        'test-new-business-association,BUSINESS_DISTRICT_ASSOCIATION,Test New Business Association,,,https://new.example.org/,ACTIVE,,,,,,,,added by a test,,,,,,\n',
    );
    expect(await isDatasetCurrent(db, copy.dir)).toBe(false);

    const summary = await importDataset(db, copy.dir);
    expect(summary.counts.organizations).toEqual({ inserted: 1, updated: 1, unchanged: 224 });
    expect(summary.counts.divisions).toEqual({ inserted: 0, updated: 0, unchanged: 103 });
    expect(summary.counts.organizationLinks).toMatchObject({ inserted: 0, updated: 0 });

    const after = await bySlug('hawthorne-blvd-business-association');
    expect(after).toMatchObject({ id: before!.id, website: 'https://hawthorne.example.org/' });
    expect(after!.updatedAt.getTime()).toBeGreaterThan(before!.updatedAt.getTime());
    expect((await bySlug('buckman'))!.updatedAt).toEqual(untouched!.updatedAt);
    expect(await bySlug('test-new-business-association')).toMatchObject({ kind: 'BUSINESS_DISTRICT_ASSOCIATION', sourceNote: 'added by a test' });
    const [total] = await db.select({ n: count() }).from(organizations);
    expect(total!.n).toBe(226);
    const [dupes] = await db
      .select({ n: count() })
      .from(organizations)
      .where(eq(organizations.slug, 'hawthorne-blvd-business-association'));
    expect(dupes!.n).toBe(1);
    expect(await isDatasetCurrent(db, copy.dir)).toBe(true);
  });

  it('updates a changed link in place', async () => {
    await editFile(copy.dir, 'organization_links.csv', (text) =>
      text.replace(
        'buckman,district-3-coalition,DISTRICT_COALITION,2024-07-01,,computed overlay',
        'buckman,district-3-coalition,DISTRICT_COALITION,2024-07-01,,confirmed by a test; computed overlay',
      ),
    );
    const linksBefore = await db.select({ n: count() }).from(organizationLinks);
    const summary = await importDataset(db, copy.dir);
    expect(summary.counts.organizationLinks).toEqual({ inserted: 0, updated: 1, unchanged: 216 });
    expect(await db.select({ n: count() }).from(organizationLinks)).toEqual(linksBefore);
    const buckman = await bySlug('buckman');
    const links = await db.select().from(organizationLinks).where(eq(organizationLinks.memberId, buckman!.id));
    expect(links.find((l) => l.startDate === '2024-07-01')?.note).toMatch(/^confirmed by a test/);
  });

  it('reports rows that left the dataset and keeps them', async () => {
    await editFile(copy.dir, 'organizations.csv', (text) =>
      text
        .split('\n')
        .filter((line) => !line.startsWith('menlo-park-business-association,'))
        .join('\n'),
    );
    const summary = await importDataset(db, copy.dir);
    expect(summary.missing).toEqual([{ table: 'organizations', key: 'menlo-park-business-association' }]);
    expect(summary.counts.organizations).toEqual({ inserted: 0, updated: 0, unchanged: 225 });
    expect(await bySlug('menlo-park-business-association')).toBeDefined();
  });
});
