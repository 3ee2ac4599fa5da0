import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startJurisdictionCache } from '../../src/modules/jurisdictions/jurisdiction-cache.ts';
import { startHttpInstance, type HttpInstance } from '../helpers/http-instance.ts';
import { openTestDatabase, type PortlandTestDatabase } from '../helpers/portland-database.ts';

const statements: string[] = [];
let database: PortlandTestDatabase;
let api: HttpInstance;

beforeAll(async () => {
  database = await openTestDatabase({ onQuery: (text) => statements.push(text) });
  await startJurisdictionCache(database.handle);
  api = await startHttpInstance(database.db);
});
afterAll(async () => {
  await api.close();
  await database.dispose();
});

// A list its resolvers answer (the compiled lists read the jurisdiction inside their one statement).
const PAGE = '{ districtCoalitions { name } }';
const JURISDICTION = '{ jurisdiction { name timezone } }';
const readsJurisdictions = (text: string) => /from "jurisdictions"/.test(text);

async function counted(query: string) {
  statements.length = 0;
  const res = await api.post(query);
  expect(res.body.errors).toBeUndefined();
  return { body: res.body, statements: [...statements] };
}

describe('jurisdiction cache', () => {
  it('reads a jurisdiction once per process, not once per request', async () => {
    await counted(PAGE);
    const again = await counted(PAGE);
    expect(again.statements.some(readsJurisdictions)).toBe(false);
    expect(again.statements).toHaveLength(1);
    expect((await counted(JURISDICTION)).statements).toEqual([]);
  });

  it('forgets it when the table is written, by plain SQL as by the import', async () => {
    expect((await counted(JURISDICTION)).body.data.jurisdiction).toEqual({ name: 'City of Portland', timezone: 'America/Los_Angeles' });
    await database.db.execute(sql`update jurisdictions set name = 'Portland (renamed)' where slug = 'portland'`);
    // Forgotten when the commit's notification arrives (a trigger sends it; PostgreSQL delivers it at commit).
    await vi.waitFor(async () => expect((await counted(JURISDICTION)).body.data.jurisdiction.name).toBe('Portland (renamed)'), { timeout: 2000, interval: 20 });
    const reread = await counted(PAGE);
    expect(reread.statements.some(readsJurisdictions)).toBe(false);
    await database.db.execute(sql`update jurisdictions set name = 'City of Portland' where slug = 'portland'`);
    await vi.waitFor(async () => expect((await counted(JURISDICTION)).body.data.jurisdiction.name).toBe('City of Portland'), { timeout: 2000, interval: 20 });
  });

  it('does not remember a slug that names no jurisdiction, so a new one is found at once', async () => {
    const unknown = await api.post('{ jurisdiction(slug: "gresham") { name } }');
    expect(unknown.body.data.jurisdiction).toBeNull();
    await database.db.execute(
      sql`insert into jurisdictions (slug, name, ocd_id, timezone) values ('gresham', 'City of Gresham', 'ocd-division/country:us/state:or/place:gresham', 'America/Los_Angeles')`,
    );
    expect((await api.post('{ jurisdiction(slug: "gresham") { name } }')).body.data.jurisdiction).toEqual({ name: 'City of Gresham' });
    await database.db.execute(sql`delete from jurisdictions where slug = 'gresham'`);
    await vi.waitFor(async () => expect((await api.post('{ jurisdiction(slug: "gresham") { name } }')).body.data.jurisdiction).toBeNull(), { timeout: 2000, interval: 20 });
  });

  it("holds the jurisdiction's kinds too, and forgets them when a kinds table is written (migration 0035)", async () => {
    const KINDS = '{ jurisdiction { organizationKinds { code name } } divisions(first: 1) { nodes { kindInfo { name } } } }';
    const readsKinds = (text: string) => /from "(division|organization)_kinds"/.test(text);
    await counted(KINDS);
    const again = await counted(KINDS);
    expect(again.statements.some(readsKinds)).toBe(false);
    const nameOf = (body: any) => body.data.jurisdiction.organizationKinds.find((k: { code: string }) => k.code === 'NETWORK').name;
    expect(nameOf(again.body)).toBe('Network');
    await database.db.execute(sql`update organization_kinds set name = 'Network (renamed)' where code = 'NETWORK'`);
    await vi.waitFor(async () => expect(nameOf((await counted(KINDS)).body)).toBe('Network (renamed)'), { timeout: 2000, interval: 20 });
    await database.db.execute(sql`update organization_kinds set name = 'Network' where code = 'NETWORK'`);
    await vi.waitFor(async () => expect(nameOf((await counted(KINDS)).body)).toBe('Network'), { timeout: 2000, interval: 20 });
  });
});
