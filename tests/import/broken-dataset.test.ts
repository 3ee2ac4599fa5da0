import { eq } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/client.ts';
import { organizations } from '../../src/db/schema/index.ts';
import { DatasetImportError, DatasetValidationError, importDataset } from '../../src/import/index.ts';
import { copyDataset, editFile, portlandDatasetDir } from '../helpers/dataset-folder.ts';
import { snapshotImportedRows } from '../helpers/db-snapshot.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/test-database.ts';

let testDb: TestDatabase;
let db: Database;
let copy: Awaited<ReturnType<typeof copyDataset>>;
let before: Awaited<ReturnType<typeof snapshotImportedRows>>;

beforeAll(async () => {
  testDb = await createTestDatabase();
  db = testDb.handle.db;
  await importDataset(db, portlandDatasetDir);
  before = await snapshotImportedRows(db);
});
afterAll(() => testDb.dispose());
beforeEach(async () => {
  copy = await copyDataset();
});
afterEach(async () => {
  await copy.remove();
  // Whatever the broken folder was, the database must be exactly as the good import left it.
  expect(await snapshotImportedRows(db)).toEqual(before);
});

async function refusal(dir: string): Promise<Error> {
  const error = await importDataset(db, dir).then(
    () => null,
    (e: unknown) => e as Error,
  );
  if (!error) throw new Error('the broken dataset was imported');
  return error;
}

/** Replaces the line of divisions.geojson whose feature has this key. */
async function editFeature(dir: string, key: string, edit: (feature: any) => void): Promise<void> {
  await editFile(dir, 'divisions.geojson', (text) =>
    text
      .split('\n')
      .map((line) => {
        if (!line.includes(`"key":"${key}"`)) return line;
        const comma = line.endsWith(',');
        const feature = JSON.parse(comma ? line.slice(0, -1) : line);
        edit(feature);
        return JSON.stringify(feature) + (comma ? ',' : '');
      })
      .join('\n'),
  );
}

describe('a broken dataset folder', () => {
  it('is refused when a ring is not closed, naming the feature and the ring', async () => {
    await editFeature(copy.dir, 'neighborhood-14', (f) => {
      f.geometry.coordinates[0].pop(); // drop the closing position
    });
    const error = await refusal(copy.dir);
    expect(error).toBeInstanceOf(DatasetValidationError);
    expect(error.message).toMatch(/divisions\.geojson feature \d+ \(key "neighborhood-14"\): geometry\.coordinates\[0\]: ring is not closed/);
  });

  it('is refused when a ring has too few positions or a latitude is out of range', async () => {
    await editFeature(copy.dir, 'neighborhood-1', (f) => {
      f.geometry.coordinates[0] = [[-122.6, 45.5], [-122.5, 45.5], [-122.6, 45.5]];
    });
    await editFeature(copy.dir, 'neighborhood-2', (f) => {
      f.geometry.coordinates[0][1][1] = 95;
    });
    const error = await refusal(copy.dir);
    expect(error.message).toContain('(key "neighborhood-1"): geometry.coordinates[0]: ring has 3 positions; at least 4 are needed');
    expect(error.message).toContain('(key "neighborhood-2"): geometry.coordinates[0][1]: latitude 95 is outside [-90, 90]');
  });

  it('is refused when a ring crosses itself, naming the feature, the ring and where', async () => {
    await editFeature(copy.dir, 'neighborhood-14', (f) => {
      f.geometry = { type: 'Polygon', coordinates: [[[-122.65, 45.51], [-122.64, 45.52], [-122.64, 45.51], [-122.65, 45.52], [-122.65, 45.51]]] };
    });
    await editFeature(copy.dir, 'neighborhood-2', (f) => {
      const [shell] = f.geometry.type === 'Polygon' ? f.geometry.coordinates : f.geometry.coordinates[0];
      const [lon, lat] = shell[0];
      f.geometry = { type: 'Polygon', coordinates: [shell, [[lon + 1, lat], [lon + 1, lat + 0.01], [lon + 1.01, lat], [lon + 1, lat]]] };
    });
    const error = (await refusal(copy.dir)) as DatasetValidationError;
    expect(error).toBeInstanceOf(DatasetValidationError);
    expect(error.issues).toEqual([
      expect.stringMatching(/^divisions\.geojson feature \d+ \(key "neighborhood-14"\): geometry\.coordinates\[0\]: ring crosses itself near \(-122\.645, 45\.515\)$/),
      expect.stringMatching(/^divisions\.geojson feature \d+ \(key "neighborhood-2"\): geometry\.coordinates\[1\]: hole lies outside its shell near \(/),
    ]);
  });

  it('is refused when coordinates nest 100,000 levels deep, naming the feature, without a stack overflow', async () => {
    // Written as text: JSON.stringify itself overflows the stack on such a value.
    const deep = `${'['.repeat(100_000)}0,0${']'.repeat(100_000)}`;
    await editFile(copy.dir, 'divisions.geojson', (text) =>
      text
        .split('\n')
        .map((line) => (line.includes('"key":"neighborhood-14"') ? line.replace(/"coordinates":.*\}\}(,?)$/, `"coordinates":${deep}}}$1`) : line))
        .join('\n'),
    );
    const error = (await refusal(copy.dir)) as DatasetValidationError;
    expect(error).toBeInstanceOf(DatasetValidationError);
    expect(error.issues.length).toBeGreaterThan(0);
    for (const issue of error.issues) expect(issue).toMatch(/^divisions\.geojson feature \d+ \(key "neighborhood-14"\): geometry\.coordinates/);
  });

  it('is refused when a kind is unknown, naming the file, line and field', async () => {
    await editFile(copy.dir, 'organizations.csv', (text) =>
      text.replace('buckman,NEIGHBORHOOD_ASSOCIATION,', 'buckman,NEIGHBOURHOOD_CLUB,'),
    );
    await editFeature(copy.dir, 'council-district-1', (f) => {
      f.properties.kind = 'WARD';
    });
    const error = await refusal(copy.dir);
    expect(error).toBeInstanceOf(DatasetValidationError);
    expect(error.message).toMatch(/organizations\.csv line \d+ \(key "buckman"\): kind "NEIGHBOURHOOD_CLUB" is not an ORGANIZATION kind in kinds\.csv/);
    expect(error.message).toMatch(/divisions\.geojson \(key "council-district-1"\): kind "WARD" is not a DIVISION kind in kinds\.csv \(DIVISION kinds: CITY, COUNCIL_DISTRICT/);
    expect((error as DatasetValidationError).issues).toHaveLength(2);
  });

  it('is refused when a link points to an organization that does not exist', async () => {
    await editFile(copy.dir, 'organization_links.csv', (text) => `${text}buckman,no-such-coalition,NETWORK,,,\n`);
    const error = await refusal(copy.dir);
    expect(error.message).toMatch(/organization_links\.csv line \d+: parent_key "no-such-coalition" is not an organization in organizations\.csv/);
  });

  it('is refused when required cells are empty, dates are malformed or a reference is dangling', async () => {
    await editFile(copy.dir, 'posts.csv', (text) =>
      text.replace('city-council,district-1,District 1,councilor,council-district-1,', 'city-council,district-1,,councilor,council-district-9,'),
    );
    await editFile(copy.dir, 'organizations.csv', (text) => text.replace(',2024-07-01,,,,https://www.portland.gov/civic/dco-model-updates', ',2024-13-01,,,,https://www.portland.gov/civic/dco-model-updates'));
    const error = (await refusal(copy.dir)) as DatasetValidationError;
    expect(error.issues).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^posts\.csv line \d+ \(city-council\/district-1\): label: is required but empty$/),
        expect.stringMatching(/^organizations\.csv line \d+ \(key "district-1-coalition"\): founded_on: must be a date written YYYY-MM-DD$/),
      ]),
    );
  });

  it('is refused when an association would be in two coalitions at once', async () => {
    await editFile(copy.dir, 'organization_links.csv', (text) =>
      text.replace('buckman,seul,DISTRICT_COALITION,,2024-07-01,', 'buckman,seul,DISTRICT_COALITION,,2024-08-01,'),
    );
    const error = await refusal(copy.dir);
    expect(error.message).toMatch(/"buckman" would be in two district coalitions at once/);
  });

  it('rolls back everything when the database refuses a row that passed validation', async () => {
    // A renamed division key with its old OCD id collides with the stored row's unique OCD id;
    // the organization edited in the same folder must not be written either.
    await editFeature(copy.dir, 'neighborhood-14', (f) => {
      f.properties.key = 'neighborhood-buckman';
    });
    await editFile(copy.dir, 'organizations.csv', (text) =>
      text.replace('neighborhood-14,', 'neighborhood-buckman,').replace('Hawthorne Blvd. Business Association,', 'Hawthorne Business Association,'),
    );
    const error = await refusal(copy.dir);
    expect(error).toBeInstanceOf(DatasetImportError);
    expect(error.message).toMatch(/^Import failed while writing divisions\.geojson; nothing was changed/);
    const [hawthorne] = await db.select().from(organizations).where(eq(organizations.slug, 'hawthorne-blvd-business-association'));
    expect(hawthorne!.name).toBe('Hawthorne Blvd. Business Association');
  });

  it('is refused when a file is missing', async () => {
    await editFile(copy.dir, 'posts.csv', () => 'wrong,header\n');
    const error = await refusal(copy.dir);
    expect(error.message).toContain('posts.csv: header must be exactly "organization_key,key,label');
  });
});
