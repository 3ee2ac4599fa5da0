import { eq } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/client.ts';
import { jurisdictions } from '../../src/db/schema/index.ts';
import { DatasetValidationError, importDataset } from '../../src/import/index.ts';
import { copyDataset, editFile, portlandDatasetDir } from '../helpers/dataset-folder.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/test-database.ts';

let testDb: TestDatabase;
let db: Database;
let copy: Awaited<ReturnType<typeof copyDataset>>;

const portland = async () => (await db.select().from(jurisdictions).where(eq(jurisdictions.slug, 'portland')))[0]!;

beforeAll(async () => {
  testDb = await createTestDatabase();
  db = testDb.handle.db;
  await importDataset(db, portlandDatasetDir);
});
afterAll(() => testDb.dispose());
beforeEach(async () => {
  copy = await copyDataset();
});
afterEach(() => copy.remove());

describe('jurisdiction locales in a dataset', () => {
  it("imports Portland's default locale and site languages", async () => {
    const row = await portland();
    expect(row.defaultLocale).toBe('en');
    expect(row.locales).toEqual(['en', 'es', 'vi', 'zh-Hans', 'ru', 'uk', 'ro', 'ne', 'chk', 'ja', 'ko', 'fil', 'lo', 'ar', 'km', 'so']);
  });

  it('stores tags canonical, the default first, and a second import of the same files changes nothing', async () => {
    await editFile(copy.dir, 'jurisdiction.json', (text) => text.replace('"zh-Hans"', '"ZH-hans"').replace('"so"', '"so",\n    "de"'));
    await importDataset(db, copy.dir);
    const row = await portland();
    expect(row.locales).toContain('zh-Hans');
    expect(row.locales).toContain('de');
    expect(row.locales[0]).toBe('en');
    const summary = await importDataset(db, copy.dir);
    expect(summary.counts.jurisdictions).toMatchObject({ inserted: 0, updated: 0 });
    expect((await portland()).updatedAt).toEqual(row.updatedAt);
    await importDataset(db, portlandDatasetDir);
  });

  it.each([
    ['a malformed tag', (text: string) => text.replace('"ne"', '"not a tag"'), /jurisdiction\.json.*locales\.\d+: must be a BCP-47 language tag/],
    ['a default locale that is not among the locales', (text: string) => text.replace('"defaultLocale": "en"', '"defaultLocale": "de"'), /jurisdiction\.json.*locales: must include the default locale de/],
  ])('is refused for %s, naming the file, and changes nothing', async (_name, edit, message) => {
    const before = await portland();
    await editFile(copy.dir, 'jurisdiction.json', edit);
    const error = await importDataset(db, copy.dir).then(() => null, (e: unknown) => e as Error);
    expect(error).toBeInstanceOf(DatasetValidationError);
    expect(error!.message).toMatch(message);
    expect(await portland()).toEqual(before);
  });
});
