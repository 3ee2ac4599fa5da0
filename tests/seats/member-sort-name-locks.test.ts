import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOrganization } from '../helpers/factories.ts';
import { createTestApi, type TestApi } from '../helpers/test-api.ts';

// Two transactions interleaving needs two connections: PGlite has one, and there transactions run
// one after another, so the lock orders below cannot arise. PostgreSQL only.
describe.runIf(process.env.TEST_DATABASE_URL)('the link sort key trigger under concurrent writers (PostgreSQL)', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await createTestApi();
  });
  afterAll(() => api.dispose());

  /** The SQLSTATE of a failed statement (postgres.js puts it on the cause Drizzle wraps). */
  const outcome = (result: PromiseSettledResult<unknown>) =>
    result.status === 'fulfilled' ? 'committed' : String((result.reason as any)?.cause?.code ?? (result.reason as any)?.code ?? result.reason);

  it('lets two transactions that add links for one member both commit (no deadlock between the key read and the touch)', async () => {
    const { db, jurisdictionId } = api;
    const member = await createOrganization(db, { jurisdictionId, kind: 'BUSINESS_DISTRICT_ASSOCIATION', name: 'Lock Probe Member' });
    const networks = [];
    for (let i = 0; i < 4; i++) networks.push(await createOrganization(db, { jurisdictionId, kind: 'NETWORK', name: `Lock Probe Network ${i}` }));
    // Each writer adds two NETWORK links of the member in one statement (as the importer adds all its
    // new links in one), pausing before the second row. Each row's BEFORE trigger reads the member's
    // name with a row lock; the touch of the member (an UPDATE) runs at the end of the statement.
    const addTwo = (a: number, b: number) =>
      db.transaction(async (tx) => {
        await tx.execute(sql`insert into organization_links (jurisdiction_id, kind, member_id, parent_id)
          select ${jurisdictionId}, 'NETWORK', ${member.id}, v.parent
          from (values (${a}::int, 0::float8), (${b}::int, 0.6::float8)) v(parent, pause)
          where pg_sleep(v.pause) is not null`);
      });
    const first = addTwo(networks[0]!.id, networks[1]!.id);
    await new Promise((resolve) => setTimeout(resolve, 150));
    const second = addTwo(networks[2]!.id, networks[3]!.id);
    const results = await Promise.allSettled([first, second]);
    // With FOR SHARE both writers hold the shared lock, then each waits for the other to touch the
    // member: 40P01 (deadlock_detected) for one of them.
    expect(results.map(outcome)).toEqual(['committed', 'committed']);
    const [row] = (await db.execute(sql`select count(*)::int as n from organization_links where member_id = ${member.id} and member_sort_name = 'lock probe member'`)) as unknown as Array<{ n: number }>;
    expect(row!.n).toBe(4);
  }, 20_000);

  it('gives a link added while its member is renamed the new name', async () => {
    const { db, jurisdictionId } = api;
    const member = await createOrganization(db, { jurisdictionId, kind: 'BUSINESS_DISTRICT_ASSOCIATION', name: 'Before Rename' });
    const network = await createOrganization(db, { jurisdictionId, kind: 'NETWORK', name: 'Rename Probe Network' });
    let commit!: () => void;
    const held = new Promise<void>((resolve) => (commit = resolve));
    let renamed!: () => void;
    const started = new Promise<void>((resolve) => (renamed = resolve));
    const rename = db.transaction(async (tx) => {
      await tx.execute(sql`update organizations set name = 'After Rename' where id = ${member.id}`);
      renamed();
      await held;
    });
    await started;
    const insert = db.execute(sql`insert into organization_links (jurisdiction_id, kind, member_id, parent_id) values (${jurisdictionId}, 'NETWORK', ${member.id}, ${network.id})`);
    await new Promise((resolve) => setTimeout(resolve, 200));
    commit();
    await Promise.all([rename, insert]);
    const [row] = (await db.execute(sql`select member_sort_name as key from organization_links where member_id = ${member.id}`)) as unknown as Array<{ key: string }>;
    expect(row!.key).toBe('after rename');
  }, 20_000);
});
