/**
 * Migration 0030 upgrades a database holding a city imported before kinds were data: the old enum
 * values become that city's kinds before the foreign keys are added, and rows keep their kinds.
 * PGlite; the migrations before 0030 come from a copy of drizzle/ with a shortened journal.
 */
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { migrate } from 'drizzle-orm/pglite/migrator';
import type { PgliteDatabase } from 'drizzle-orm/pglite';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createDatabase, type DatabaseHandle } from '../../src/db/client.ts';
import { migrateDatabase, migrationsFolder } from '../../src/db/migrate.ts';

let handle: DatabaseHandle;
let folder: string;

const rowsOf = async <T>(query: ReturnType<typeof sql>): Promise<T[]> => {
  const result = (await handle.db.execute(query)) as unknown as { rows?: T[] } | T[];
  return Array.isArray(result) ? result : (result.rows ?? []);
};

beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), 'civic-migrations-'));
  await cp(migrationsFolder, folder, { recursive: true });
  const journalPath = join(folder, 'meta', '_journal.json');
  const journal = JSON.parse(await readFile(journalPath, 'utf8')) as { entries: Array<{ idx: number; tag: string }> };
  journal.entries = journal.entries.filter((e) => e.idx < 30);
  await writeFile(journalPath, JSON.stringify(journal));
  handle = await createDatabase({ dataDir: 'memory://' });
  await migrate(handle.db as unknown as PgliteDatabase, { migrationsFolder: folder });
});
afterAll(async () => {
  await handle.close();
  await rm(folder, { recursive: true, force: true });
});

it("gives an existing city the old enum values as its kinds, keeps its rows' kinds and adds the foreign keys", async () => {
  await handle.db.execute(sql`insert into jurisdictions (slug, name, ocd_id, timezone) values ('oldtown', 'Old Town', 'ocd-division/country:us/state:or/place:oldtown', 'America/Los_Angeles')`);
  await handle.db.execute(sql`insert into divisions (jurisdiction_id, source_key, ocd_id, kind, name) select id, 'n-1', 'ocd-division/country:us/state:or/place:oldtown/neighborhood:n_1', 'NEIGHBORHOOD', 'North' from jurisdictions`);
  await handle.db.execute(sql`insert into organizations (jurisdiction_id, slug, kind, name, body_kind) select id, 'old-board', 'ADVISORY_BODY', 'Old Board', 'BOARD' from jurisdictions`);

  await migrateDatabase(handle);

  const divisionKinds = await rowsOf<{ code: string; category: string; overlap_policy: string }>(sql`select code, category, overlap_policy from division_kinds order by sort_order`);
  expect(divisionKinds.map((k) => k.code)).toEqual(['CITY', 'COUNCIL_DISTRICT', 'COALITION_AREA', 'NEIGHBORHOOD', 'BUSINESS_DISTRICT']);
  expect(divisionKinds.find((k) => k.code === 'NEIGHBORHOOD')).toEqual({ code: 'NEIGHBORHOOD', category: 'NEIGHBORHOOD', overlap_policy: 'WITH_AGREEMENT' });
  const organizationKinds = await rowsOf<{ code: string }>(sql`select code from organization_kinds order by sort_order`);
  expect(organizationKinds.map((k) => k.code)).toEqual(['NEIGHBORHOOD_ASSOCIATION', 'BUSINESS_DISTRICT_ASSOCIATION', 'DISTRICT_COALITION', 'ADVISORY_BODY', 'COUNCIL', 'NETWORK']);
  expect(await rowsOf(sql`select kind from divisions`)).toEqual([{ kind: 'NEIGHBORHOOD' }]);
  expect(await rowsOf(sql`select kind, body_kind from organizations`)).toEqual([{ kind: 'ADVISORY_BODY', body_kind: 'BOARD' }]);

  // The composite foreign key refuses a kind the city does not have; the body kind check is kept.
  await expect(handle.db.execute(sql`insert into divisions (jurisdiction_id, source_key, ocd_id, kind, name) select id, 'w-1', 'ocd-division/country:us/state:or/place:oldtown/ward:1', 'WARD', 'Ward 1' from jurisdictions`)).rejects.toThrow();
  await expect(handle.db.execute(sql`insert into organizations (jurisdiction_id, slug, kind, name, body_kind) select id, 'old-council', 'COUNCIL', 'Council', 'BOARD' from jurisdictions`)).rejects.toThrow();
  expect(await rowsOf(sql`select typname from pg_type where typname in ('division_kind', 'organization_kind')`)).toEqual([]);
});
