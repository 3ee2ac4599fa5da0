import { eq } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/client.ts';
import { jurisdictions } from '../../src/db/schema/index.ts';
import { DatasetValidationError, importDataset } from '../../src/import/index.ts';
import { copyDataset, editFile, portlandDatasetDir } from '../helpers/dataset-folder.ts';
import { snapshotImportedRows } from '../helpers/db-snapshot.ts';
import { createTestApi, type TestApi } from '../helpers/test-api.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/test-database.ts';

// Expected answers, and where they come from:
// - Milwaukie (45.45, -122.63): a home south of SE Johnson Creek Blvd, in the City of Milwaukie. The
//   Ardenwald-Johnson Creek neighborhood polygon reaches past Portland's limits there (only 22.7% of
//   it lies in Portland's council districts: issue 13), so the point is in that neighborhood but in
//   no council district.
// - Buckman (45.5185, -122.6550): SE Ankeny and 12th, Buckman neighborhood, District 3 (the city's
//   2023 district map), as the locate tests in geography.test.ts answer for Buckman.
// - The Pacific off Cannon Beach (45.5, -124.5): in no division of the city.
const MILWAUKIE = { latitude: 45.45, longitude: -122.63 };
const BUCKMAN = { latitude: 45.5185, longitude: -122.655 };
const PACIFIC = { latitude: 45.5, longitude: -124.5 };

const LOCATE = /* GraphQL */ `
  query Locate($latitude: Float!, $longitude: Float!, $at: Date) {
    locate(latitude: $latitude, longitude: $longitude, at: $at) {
      isInJurisdiction
      councilDistrict { ocdId }
      neighborhoods { name }
      neighborhoodAssociations { slug }
      districtCoalitions { name }
      divisions { kind name }
    }
  }
`;

describe("locate and the city's extent", () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await createTestApi();
  });
  afterAll(() => api.dispose());

  it('records the extent the dataset declares: Portland is the union of its council districts', async () => {
    const [row] = await api.db.select({ extentKind: jurisdictions.extentKind }).from(jurisdictions).where(eq(jurisdictions.id, api.jurisdictionId));
    expect(row!.extentKind).toBe('COUNCIL_DISTRICT');
    const { data, errors } = await api.execute(`{ jurisdiction { extentKind } }`);
    expect(errors).toBeUndefined();
    expect(data!.jurisdiction.extentKind).toBe('COUNCIL_DISTRICT');
  });

  it('puts a Milwaukie home outside Portland, though a straying neighborhood polygon covers it, and still lists that association', async () => {
    const { data, errors } = await api.execute(LOCATE, { ...MILWAUKIE, at: '2025-06-01' });
    expect(errors).toBeUndefined();
    const loc = data!.locate;
    expect(loc.isInJurisdiction).toBe(false);
    expect(loc.councilDistrict).toBeNull();
    expect(loc.divisions.map((d: any) => d.kind)).not.toContain('COUNCIL_DISTRICT');
    // The documented rule: the neighborhood and its association do serve the area, so they are listed.
    expect(loc.neighborhoods.map((n: any) => n.name)).toEqual(['Ardenwald-Johnson Creek']);
    expect(loc.neighborhoodAssociations.map((o: any) => o.slug)).toEqual(['ardenwald-johnson-creek']);
  });

  it('puts a Buckman point inside Portland, in District 3, as before', async () => {
    const { data, errors } = await api.execute(LOCATE, { ...BUCKMAN, at: '2025-06-01' });
    expect(errors).toBeUndefined();
    expect(data!.locate.isInJurisdiction).toBe(true);
    expect(data!.locate.councilDistrict.ocdId).toBe('ocd-division/country:us/state:or/place:portland/council_district:3');
    expect(data!.locate.neighborhoods.map((n: any) => n.name)).toEqual(['Buckman']);
  });

  it('answers a point in the ocean with an empty result and no error', async () => {
    const { data, errors } = await api.execute(LOCATE, PACIFIC);
    expect(errors).toBeUndefined();
    expect(data!.locate).toEqual({ isInJurisdiction: false, councilDistrict: null, neighborhoods: [], neighborhoodAssociations: [], districtCoalitions: [], divisions: [] });
  });

  it('puts no point inside on a date before the extent divisions were in effect (the districts began 2023-08-21)', async () => {
    const { data } = await api.execute(LOCATE, { ...BUCKMAN, at: '2023-08-20' });
    expect(data!.locate.isInJurisdiction).toBe(false);
    expect(data!.locate.neighborhoods.map((n: any) => n.name)).toEqual(['Buckman']);
  });

  it('costs no statement for the extent: a warm locate is still one statement besides the jurisdiction', async () => {
    for (const point of [MILWAUKIE, BUCKMAN]) {
      await api.execute(LOCATE, point);
      api.statements.reset();
      const { data } = await api.execute(LOCATE, point);
      expect(typeof data!.locate.isInJurisdiction).toBe('boolean');
      const statements = api.statements.log.filter((statement) => !statement.includes(' from "jurisdictions" '));
      expect(api.statements.log.length - statements.length).toBeLessThanOrEqual(1);
      // A point outside the default city, asked with no city named, also looks for another city whose
      // extent holds it (one statement; tests/cities/locate-any-city.test.ts); the extent test is free.
      const lookups = statements.filter((statement) => statement.includes('"jurisdictions"."extent_kind"'));
      expect(lookups).toHaveLength(point === MILWAUKIE ? 1 : 0);
      expect(statements.length - lookups.length).toBe(1);
    }
  });
});

describe("a dataset's extent at import", () => {
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
    expect(await snapshotImportedRows(db)).toEqual(before);
  });

  async function refusal(kind: unknown): Promise<DatasetValidationError> {
    await editFile(copy.dir, 'jurisdiction.json', (text) => JSON.stringify({ ...JSON.parse(text), extent: { kind } }, null, 2));
    const error = await importDataset(db, copy.dir).then(
      () => null,
      (e: unknown) => e as Error,
    );
    if (!error) throw new Error('the dataset with a bad extent was imported');
    expect(error).toBeInstanceOf(DatasetValidationError);
    return error as DatasetValidationError;
  }

  it('is refused when the extent kind has no division', async () => {
    const error = await refusal('WARD');
    expect(error.issues).toEqual(['jurisdiction.json: extent.kind "WARD" has no division with a boundary in divisions.geojson; the city\'s extent is the union of those divisions']);
  });

  it('is refused when the extent kind has divisions but none with a boundary (Portland\'s CITY division has none)', async () => {
    const error = await refusal('CITY');
    expect(error.issues).toEqual([expect.stringContaining('extent.kind "CITY" has no division with a boundary')]);
  });

  it('is refused when the extent kind is not a kind code', async () => {
    const error = await refusal('council district');
    expect(error.issues).toEqual([expect.stringMatching(/^jurisdiction\.json: extent\.kind: must be a division kind code/)]);
  });
});
