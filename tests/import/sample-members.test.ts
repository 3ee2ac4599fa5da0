import { and, asc, eq, isNotNull, isNull } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/client.ts';
import { memberships, organizations, people, posts } from '../../src/db/schema/index.ts';
import { addSampleMembers, importDataset } from '../../src/import/index.ts';
import { portlandDatasetDir } from '../helpers/dataset-folder.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/test-database.ts';

let one: TestDatabase;
let two: TestDatabase;
let added: { people: number; memberships: number };

beforeAll(async () => {
  [one, two] = await Promise.all([createTestDatabase(), createTestDatabase()]);
  await importDataset(one.handle.db, portlandDatasetDir);
  await importDataset(two.handle.db, portlandDatasetDir);
  added = await addSampleMembers(one.handle.db, 'portland');
  await addSampleMembers(two.handle.db, 'portland');
});
afterAll(async () => {
  await one?.dispose();
  await two?.dispose();
});

/** Everything that identifies an assignment, without database ids. */
async function assignments(db: Database) {
  return db
    .select({
      name: people.name,
      sortName: people.sortName,
      org: organizations.slug,
      post: posts.sourceKey,
      start: memberships.startDate,
      end: memberships.endDate,
      scheduledEnd: memberships.scheduledEndDate,
      endReason: memberships.endReason,
    })
    .from(memberships)
    .innerJoin(people, eq(people.id, memberships.personId))
    .innerJoin(organizations, eq(organizations.id, memberships.organizationId))
    .innerJoin(posts, eq(posts.id, memberships.postId))
    .orderBy(asc(organizations.slug), asc(posts.sourceKey), asc(people.name));
}

describe('sample members', () => {
  it('are deterministic: two fresh databases get identical people and assignments', async () => {
    const a = await assignments(one.handle.db);
    expect(a.length).toBeGreaterThan(10);
    expect(a).toEqual(await assignments(two.handle.db));
    expect(added.memberships).toBe(a.filter((r) => r.name.endsWith('(sample)')).length);
  });

  it('are clearly labelled, and the real officials of the dataset are not', async () => {
    const all = await one.handle.db.select().from(people);
    const samples = all.filter((p) => p.origin !== 'DATASET');
    expect(samples.length).toBe(added.people);
    for (const p of samples) {
      expect(p.name.endsWith('(sample)')).toBe(true);
      expect(p.isSample).toBe(true);
    }
    const officials = all.filter((p) => p.origin === 'DATASET');
    expect(officials).toHaveLength(14);
    for (const p of officials) expect({ name: p.name, isSample: p.isSample, sample: p.name.includes('(sample)') }).toMatchObject({ isSample: false, sample: false });
  });

  it('are idempotent: a second call adds nothing', async () => {
    const before = await assignments(one.handle.db);
    expect(await addSampleMembers(one.handle.db, 'portland')).toEqual({ people: 0, memberships: 0 });
    expect(await assignments(one.handle.db)).toEqual(before);
  });

  it('never put more current holders on a post than max_holders, and leave vacancies', async () => {
    const db = one.handle.db;
    const current = await db
      .select({ postId: memberships.postId, max: posts.maxHolders, org: organizations.slug, post: posts.sourceKey })
      .from(memberships)
      .innerJoin(posts, eq(posts.id, memberships.postId))
      .innerJoin(organizations, eq(organizations.id, posts.organizationId))
      .innerJoin(people, eq(people.id, memberships.personId))
      .where(and(isNull(memberships.endDate), eq(people.isSample, true)));
    const perPost = new Map<string, { n: number; max: number }>();
    for (const m of current) {
      const key = `${m.org}/${m.post}`;
      perPost.set(key, { n: (perPost.get(key)?.n ?? 0) + 1, max: m.max });
    }
    for (const { n, max } of perPost.values()) expect(n).toBeLessThanOrEqual(max);
    // The council's and the elected offices' seats have real holders (memberships.csv): no sample sits beside them.
    expect([...perPost.keys()].filter((k) => k.startsWith('city-council/') || k.startsWith('citywide-elected-offices/'))).toEqual([]);
    const advisory = [...perPost];
    expect(advisory.length).toBeGreaterThan(0);
    for (const [, { n, max }] of advisory) expect(n).toBeLessThan(max); // never full
  });

  it('sit only on active advisory bodies (about half of their seats), with one finished term', async () => {
    const rows = (await assignments(one.handle.db)).filter((r) => r.name.endsWith('(sample)'));
    expect(rows.filter((r) => r.org === 'city-council' || r.org === 'citywide-elected-offices')).toEqual([]);
    const bodies = new Set(rows.map((r) => r.org));
    const active = await one.handle.db
      .select({ slug: organizations.slug })
      .from(organizations)
      .where(and(eq(organizations.kind, 'ADVISORY_BODY'), eq(organizations.status, 'ACTIVE')));
    expect([...bodies].every((b) => active.some((a) => a.slug === b))).toBe(true);
    // Half of the active bodies' appointed seats are chosen; a body may have two (members and alternates).
    expect(bodies.size).toBeGreaterThan(active.length / 4);
    expect(bodies.size).toBeLessThanOrEqual(Math.ceil(active.length / 2) + 1);
    for (const r of rows.filter((x) => x.end === null)) {
      expect(r.start >= '2023-01-01' && r.start <= '2025-12-31').toBe(true);
    }
    const ended = await one.handle.db.select().from(memberships).where(isNotNull(memberships.endDate));
    expect(ended).toHaveLength(1);
    expect(ended[0]!.endReason).toBe('TERM_COMPLETED');
  });

  it('never sit beside a real holder: seats held by dataset officials are skipped', async () => {
    const rows = await assignments(one.handle.db);
    const realSeats = new Set(rows.filter((r) => !r.name.endsWith('(sample)')).map((r) => `${r.org}/${r.post}`));
    expect(realSeats).toEqual(new Set(['city-council/district-1', 'city-council/district-2', 'city-council/district-3', 'city-council/district-4', 'citywide-elected-offices/auditor', 'citywide-elected-offices/mayor']));
    expect(rows.filter((r) => r.name.endsWith('(sample)') && realSeats.has(`${r.org}/${r.post}`))).toEqual([]);
  });

  it('refuse an unknown jurisdiction', async () => {
    await expect(addSampleMembers(one.handle.db, 'atlantis')).rejects.toThrow(/No jurisdiction "atlantis"/);
  });
});
