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
    expect(added.memberships).toBe(a.length);
  });

  it('are clearly labelled', async () => {
    const all = await one.handle.db.select().from(people);
    expect(all.length).toBe(added.people);
    for (const p of all) {
      expect(p.name.endsWith('(sample)')).toBe(true);
      expect(p.isSample).toBe(true);
    }
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
      .where(isNull(memberships.endDate));
    const perPost = new Map<string, { n: number; max: number }>();
    for (const m of current) {
      const key = `${m.org}/${m.post}`;
      perPost.set(key, { n: (perPost.get(key)?.n ?? 0) + 1, max: m.max });
    }
    for (const { n, max } of perPost.values()) expect(n).toBeLessThanOrEqual(max);
    expect(Object.fromEntries([...perPost].filter(([k]) => k.startsWith('city-council/')).map(([k, v]) => [k, v.n]))).toEqual({
      'city-council/district-1': 2,
      'city-council/district-2': 2,
      'city-council/district-3': 2,
      'city-council/district-4': 3,
    });
    const advisory = [...perPost].filter(([k]) => !k.startsWith('city-council/'));
    expect(advisory.length).toBeGreaterThan(0);
    for (const [, { n, max }] of advisory) expect(n).toBeLessThan(max); // never full
  });

  it('sit only on active advisory bodies (about half of them) and the council, with one finished term', async () => {
    const rows = await assignments(one.handle.db);
    const bodies = new Set(rows.filter((r) => r.org !== 'city-council').map((r) => r.org));
    const active = await one.handle.db
      .select({ slug: organizations.slug })
      .from(organizations)
      .where(and(eq(organizations.kind, 'ADVISORY_BODY'), eq(organizations.status, 'ACTIVE')));
    expect([...bodies].every((b) => active.some((a) => a.slug === b))).toBe(true);
    expect(bodies.size).toBe(Math.ceil(active.length / 2));
    for (const r of rows.filter((x) => x.org !== 'city-council' && x.end === null)) {
      expect(r.start >= '2023-01-01' && r.start <= '2025-12-31').toBe(true);
    }
    const council = rows.filter((r) => r.org === 'city-council');
    expect(council.every((r) => r.start === '2025-01-01' && r.scheduledEnd === '2029-01-01')).toBe(true);
    const ended = await one.handle.db.select().from(memberships).where(isNotNull(memberships.endDate));
    expect(ended).toHaveLength(1);
    expect(ended[0]!.endReason).toBe('TERM_COMPLETED');
  });

  it('refuse an unknown jurisdiction', async () => {
    await expect(addSampleMembers(one.handle.db, 'atlantis')).rejects.toThrow(/No jurisdiction "atlantis"/);
  });
});
