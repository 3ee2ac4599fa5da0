import { and, asc, count, eq, inArray } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/client.ts';
import {
  datasetImports,
  divisionOverlaps,
  divisions,
  jurisdictions,
  organizationLinks,
  organizations,
  posts,
} from '../../src/db/schema/index.ts';
import { importDataset, isDatasetCurrent, type ImportSummary } from '../../src/import/index.ts';
import { portlandDatasetDir } from '../helpers/dataset-folder.ts';
import { snapshotImportedRows } from '../helpers/db-snapshot.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/test-database.ts';

let testDb: TestDatabase;
let db: Database;
let first: ImportSummary;

beforeAll(async () => {
  testDb = await createTestDatabase();
  db = testDb.handle.db;
  first = await importDataset(db, portlandDatasetDir);
  console.log(`Portland import on ${testDb.handle.driver}: ${first.timings.totalMs} ms, overlaps ${first.timings.overlapsMs} ms`);
});
afterAll(() => testDb.dispose());

async function countWhere<T>(rows: Promise<T[]>): Promise<number> {
  return (await rows).length;
}

async function orgCount(kind: (typeof organizations.kind.enumValues)[number]): Promise<number> {
  const [row] = await db.select({ n: count() }).from(organizations).where(eq(organizations.kind, kind));
  return row!.n;
}

describe('importing the Portland dataset', () => {
  it('creates the jurisdiction, the city, 4 council districts and 98 neighborhood divisions', async () => {
    const [portland] = await db.select().from(jurisdictions);
    expect(portland).toMatchObject({ slug: 'portland', name: 'City of Portland', timezone: 'America/Los_Angeles' });
    const byKind = await db.select({ kind: divisions.kind, n: count() }).from(divisions).groupBy(divisions.kind);
    expect(Object.fromEntries(byKind.map((r) => [r.kind, r.n]))).toEqual({ CITY: 1, COUNCIL_DISTRICT: 4, NEIGHBORHOOD: 98 });
  });

  it('stores every boundary as a MultiPolygon with its bounding box, and the city without one', async () => {
    const rows = await db.select().from(divisions);
    for (const d of rows.filter((r) => r.kind !== 'CITY')) {
      expect(d.boundary?.type).toBe('MultiPolygon');
      expect(d.minLongitude).toBeLessThan(d.maxLongitude!);
      expect(d.minLatitude).toBeLessThan(d.maxLatitude!);
      expect(d.minLongitude).toBeGreaterThan(-123);
      expect(d.maxLongitude).toBeLessThan(-122.4);
    }
    const city = rows.find((r) => r.kind === 'CITY')!;
    expect(city.boundary).toBeNull();
    const buckman = rows.find((r) => r.sourceKey === 'neighborhood-14')!;
    expect(buckman).toMatchObject({ name: 'Buckman', ocdId: 'ocd-division/country:us/state:or/place:portland/neighborhood:buckman', parentId: city.id });
    const d2 = rows.find((r) => r.sourceKey === 'council-district-2')!;
    expect(d2).toMatchObject({ ocdId: 'ocd-division/country:us/state:or/place:portland/council_district:2', validFrom: '2023-08-21', validUntil: null });
  });

  it('creates 94 associations, 7 + 4 coalitions, 50 business districts, 67 advisory bodies, the council, the citywide elected offices and Venture Portland', async () => {
    expect(await orgCount('NEIGHBORHOOD_ASSOCIATION')).toBe(94);
    expect(await orgCount('BUSINESS_DISTRICT_ASSOCIATION')).toBe(50);
    expect(await orgCount('ADVISORY_BODY')).toBe(67);
    expect(await orgCount('COUNCIL')).toBe(1);
    expect(await orgCount('ELECTED_OFFICE')).toBe(1); // the Mayor's and the Auditor's posts
    expect(await orgCount('NETWORK')).toBe(1);
    const coalitions = await db.select().from(organizations).where(eq(organizations.kind, 'DISTRICT_COALITION'));
    const old = coalitions.filter((c) => c.dissolvedOn === '2024-07-01');
    expect(old.map((c) => c.shortName).sort()).toEqual(['CNN', 'EPCO', 'NECN', 'NPNS', 'NWNW', 'SEUL', 'SWCS']);
    expect(old.every((c) => c.status === 'DISSOLVED')).toBe(true);
    const offices = coalitions.filter((c) => c.foundedOn === '2024-07-01');
    expect(offices.map((c) => c.name).sort()).toEqual([
      'District 1 Coalition (CNN)',
      'District 2 Coalition (NECN)',
      'District 3 Coalition (SEUL)',
      'District 4 Coalition (NWNW)',
    ]);
    expect(offices.every((c) => c.status === 'ACTIVE' && c.divisionId !== null)).toBe(true);
  });

  it('gives the council one post per district with 3 holders, elected, tied to the district', async () => {
    const rows = await db
      .select({ key: posts.sourceKey, maxHolders: posts.maxHolders, method: posts.selectionMethod, district: divisions.sourceKey })
      .from(posts)
      .innerJoin(organizations, eq(organizations.id, posts.organizationId))
      .innerJoin(divisions, eq(divisions.id, posts.divisionId))
      .where(eq(organizations.slug, 'city-council'))
      .orderBy(asc(posts.sourceKey));
    expect(rows).toEqual([1, 2, 3, 4].map((n) => ({ key: `district-${n}`, maxHolders: 3, method: 'ELECTED', district: `council-district-${n}` })));
  });

  it('links each association to exactly one coalition ending 2024-07-01 and one office starting then', async () => {
    const nas = await db.select({ id: organizations.id }).from(organizations).where(eq(organizations.kind, 'NEIGHBORHOOD_ASSOCIATION'));
    const links = await db
      .select()
      .from(organizationLinks)
      .where(inArray(organizationLinks.memberId, nas.map((n) => n.id)));
    for (const na of nas) {
      const mine = links.filter((l) => l.memberId === na.id);
      expect(mine.every((l) => l.kind === 'DISTRICT_COALITION')).toBe(true);
      expect(mine.filter((l) => l.startDate === null && l.endDate === '2024-07-01')).toHaveLength(1);
      expect(mine.filter((l) => l.startDate === '2024-07-01' && l.endDate === null)).toHaveLength(1);
      expect(mine).toHaveLength(2);
    }
    const network = await db.select({ n: count() }).from(organizationLinks).where(eq(organizationLinks.kind, 'NETWORK'));
    expect(network[0]!.n).toBe(29);
  });

  it("computes Buckman's overlap with council district 3 as about 98%", async () => {
    const [buckman] = await db.select().from(divisions).where(eq(divisions.sourceKey, 'neighborhood-14'));
    const [d3] = await db.select().from(divisions).where(eq(divisions.sourceKey, 'council-district-3'));
    const [d4] = await db.select().from(divisions).where(eq(divisions.sourceKey, 'council-district-4'));
    const share = async (a: number, b: number) =>
      (await db.select().from(divisionOverlaps).where(and(eq(divisionOverlaps.divisionId, a), eq(divisionOverlaps.otherDivisionId, b))))[0]?.share;
    expect(await share(buckman!.id, d3!.id)).toBeCloseTo(0.982, 2);
    expect(await share(buckman!.id, d4!.id)).toBeCloseTo(0.018, 2);
    // The other direction is the share of the district inside Buckman: small but above the threshold.
    const back = await share(d3!.id, buckman!.id);
    expect(back).toBeGreaterThanOrEqual(0.005);
    expect(back).toBeLessThan(0.1);
    // Same-kind pairs (neighborhood/neighborhood) are never computed.
    const rows = await db.select().from(divisionOverlaps).where(eq(divisionOverlaps.divisionId, buckman!.id));
    expect(rows.map((r) => r.otherDivisionId).sort()).toEqual([d3!.id, d4!.id].sort());
  });

  it('records the import with its content hash, and reports the folder as current', async () => {
    const rows = await db.select().from(datasetImports);
    expect(rows).toHaveLength(1);
    expect(rows[0]!.contentHash).toBe(first.contentHash);
    expect(JSON.parse(rows[0]!.summary).counts.organizations.inserted).toBe(225);
    expect(await isDatasetCurrent(db, portlandDatasetDir)).toBe(true);
    expect(first.missing).toEqual([]);
  });
});

describe('importing the same dataset again', () => {
  it('changes nothing: no inserts, no updates, same rows, same updated_at', async () => {
    const before = await snapshotImportedRows(db);
    const second = await importDataset(db, portlandDatasetDir);
    const after = await snapshotImportedRows(db);

    for (const [table, c] of Object.entries(second.counts)) {
      expect({ table, inserted: c.inserted, updated: c.updated }).toEqual({ table, inserted: 0, updated: 0 });
    }
    expect(second.counts.organizations.unchanged).toBe(225);
    expect(second.counts.divisionOverlaps.deleted).toBe(0);
    expect(second.missing).toEqual([]);
    // Only the import log grows, by one row.
    expect(after.datasetImports).toHaveLength(before.datasetImports.length + 1);
    expect({ ...after, datasetImports: [] }).toEqual({ ...before, datasetImports: [] });
    expect(await countWhere(db.select().from(organizations))).toBe(225);
  });
});
