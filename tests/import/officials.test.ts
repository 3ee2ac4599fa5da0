/**
 * Portland's public officials from the dataset (people.csv, memberships.csv): the 12 councilors
 * seated January 2025 with their Charter §3-101 terms, the Mayor and the Auditor; the files'
 * refusals; idempotent re-import; sample members giving way to real holders; the 67 advisory bodies.
 */
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { and, asc, count, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/client.ts';
import { memberships, organizations, people, posts } from '../../src/db/schema/index.ts';
import { addSampleMembers, importDataset } from '../../src/import/index.ts';
import { copyDataset, editFile, portlandDatasetDir } from '../helpers/dataset-folder.ts';
import { createTestApi, type TestApi } from '../helpers/test-api.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/test-database.ts';

const ROSTER = /* GraphQL */ `
  query Roster($slug: String!) {
    organization(slug: $slug) {
      name
      kind
      posts(first: 10) {
        nodes {
          label
          maxHolders
          vacancies(at: "2026-06-01")
          holders(at: "2026-06-01") { role startDate endDate scheduledEndDate sourceUrl person { name sortName isSample sourceUrl } }
        }
      }
    }
  }
`;

type Holder = { role: string; startDate: string; endDate: string | null; scheduledEndDate: string | null; sourceUrl: string | null; person: { name: string; sortName: string; isSample: boolean; sourceUrl: string | null } };
type Roster = { organization: { name: string; kind: string; posts: { nodes: Array<{ label: string; maxHolders: number; vacancies: number; holders: Holder[] }> } } };

describe('the officials on the rosters (through the server)', () => {
  let api: TestApi;
  beforeAll(async () => {
    // The test template has Portland without its officials, and samples on every seat type; the
    // full dataset's import seats the officials and takes the samples off their seats.
    api = await createTestApi({ sampleMembers: true });
    await importDataset(api.db, portlandDatasetDir);
  });
  afterAll(() => api?.dispose());

  it('seats the 12 councilors, 3 per district: Districts 1 and 2 until 2029, Districts 3 and 4 for an initial term until 2027', async () => {
    const { data, errors } = await api.execute<Roster>(ROSTER, { slug: 'city-council' });
    expect(errors).toBeUndefined();
    const byDistrict = Object.fromEntries(
      data!.organization.posts.nodes.map((p) => [p.label, { vacancies: p.vacancies, names: p.holders.map((h) => h.person.name).sort(), ends: [...new Set(p.holders.map((h) => h.scheduledEndDate))] }]),
    );
    expect(byDistrict).toEqual({
      'District 1': { vacancies: 0, names: ['Candace Avalos', 'Jamie Dunphy', 'Loretta Smith'], ends: ['2029-01-01'] },
      'District 2': { vacancies: 0, names: ['Dan Ryan', 'Elana Pirtle-Guiney', 'Sameer Kanal'], ends: ['2029-01-01'] },
      'District 3': { vacancies: 0, names: ['Angelita Morillo', 'Steve Novick', 'Tiffany Koyama Lane'], ends: ['2027-01-01'] },
      'District 4': { vacancies: 0, names: ['Eric Zimmerman', 'Mitch Green', 'Olivia Clark'], ends: ['2027-01-01'] },
    });
    const holders = data!.organization.posts.nodes.flatMap((p) => p.holders);
    for (const h of holders) {
      expect(h).toMatchObject({ role: 'councilor', startDate: '2025-01-01', endDate: null, sourceUrl: 'https://www.portland.gov/auditor/elections/city-office-candidacy' });
      expect(h.person.isSample).toBe(false);
      expect(h.person.sourceUrl).toMatch(/^https:\/\/www\.portland\.gov\/council\/districts\/[1-4]\//);
    }
    expect(holders.find((h) => h.person.name === 'Tiffany Koyama Lane')!.person.sortName).toBe('Koyama Lane, Tiffany');
  });

  it('seats the Mayor until 2029 and the Auditor for an initial term until 2027', async () => {
    const { data, errors } = await api.execute<Roster>(ROSTER, { slug: 'citywide-elected-offices' });
    expect(errors).toBeUndefined();
    const seats = Object.fromEntries(data!.organization.posts.nodes.map((p) => [p.label, p.holders.map((h) => [h.person.name, h.role, h.scheduledEndDate])]));
    expect(seats).toEqual({
      Mayor: [['Keith Wilson', 'mayor', '2029-01-01']],
      'City Auditor': [['Simone Rede', 'auditor', '2027-01-01']],
    });
  });

  it('had nobody on the council seats before the new council took office on 2025-01-01', async () => {
    const { data } = await api.execute<{ organization: { posts: { nodes: Array<{ label: string; holders: Holder[] }> } } }>(
      `query { organization(slug: "city-council") { posts(first: 10) { nodes { label holders(at: "2024-12-31") { person { name } } } } } }`,
    );
    // Before the new council took office nobody held these seats.
    expect(data!.organization.posts.nodes.every((p) => p.holders.length === 0)).toBe(true);
  });

  it('records the council and the elected offices as RECORDED rosters (as of 2025-01-01), advisory bodies NOT_RECORDED', async () => {
    const roster = async (slug: string) =>
      (await api.execute<{ organization: { roster: { status: string; asOf: string | null } } }>(`query($slug: String!) { organization(slug: $slug) { roster { status asOf } } }`, { slug })).data!.organization.roster;
    expect(await roster('city-council')).toEqual({ status: 'RECORDED', asOf: '2025-01-01' });
    expect(await roster('citywide-elected-offices')).toEqual({ status: 'RECORDED', asOf: '2025-01-01' });
    expect(await roster('design-commission')).toMatchObject({ status: 'NOT_RECORDED' });
    expect(await roster('adjustment-committee')).toMatchObject({ status: 'NOT_RECORDED' });
  });

  it('has all 67 advisory bodies of advisory_bodies_full.csv', async () => {
    const { data, errors } = await api.execute<{ organizations: { totalCount: number } }>(
      `query { organizations(filter: { kind: ADVISORY_BODY }, first: 1) { totalCount } }`,
    );
    expect(errors).toBeUndefined();
    expect(data!.organizations.totalCount).toBe(67);
    const design = await api.execute<{ organization: { status: string; minMembers: number; maxMembers: number } }>(
      `query { organization(slug: "community-board-for-police-accountability") { status minMembers maxMembers } }`,
    );
    expect(design.data!.organization).toEqual({ status: 'ACTIVE', minMembers: 21, maxMembers: 21 });
  });

  it('no sample sits beside a real holder on any seat', async () => {
    const rows = await api.db
      .select({ post: posts.id, sample: people.isSample })
      .from(memberships)
      .innerJoin(people, eq(people.id, memberships.personId))
      .innerJoin(posts, eq(posts.id, memberships.postId));
    const real = new Set(rows.filter((r) => !r.sample).map((r) => r.post));
    expect(real.size).toBe(6);
    expect(rows.filter((r) => r.sample && real.has(r.post))).toEqual([]);
    expect(rows.some((r) => r.sample)).toBe(true); // samples are there, on other seats
  });
});

describe('importing people.csv and memberships.csv', () => {
  let testDb: TestDatabase;
  let db: Database;
  let copy: Awaited<ReturnType<typeof copyDataset>>;
  beforeAll(async () => {
    testDb = await createTestDatabase();
    db = testDb.handle.db;
    await importDataset(db, portlandDatasetDir);
  });
  afterAll(async () => {
    await testDb?.dispose();
  });

  const snapshot = async () => ({
    people: await db.select().from(people).orderBy(asc(people.id)),
    memberships: await db.select().from(memberships).orderBy(asc(memberships.id)),
  });

  it('is idempotent: a second import inserts and updates nothing, and no updated_at moves', async () => {
    const before = await snapshot();
    expect(before.people).toHaveLength(14);
    expect(before.memberships).toHaveLength(14);
    const again = await importDataset(db, portlandDatasetDir);
    expect(again.counts.people).toEqual({ inserted: 0, updated: 0, unchanged: 14 });
    expect(again.counts.memberships).toEqual({ inserted: 0, updated: 0, unchanged: 14 });
    expect(again.sampleMembershipsRemoved).toBe(0);
    expect(await snapshot()).toEqual(before);
  });

  async function refused(edit: (dir: string) => Promise<void>, message: RegExp) {
    copy = await copyDataset();
    try {
      await edit(copy.dir);
      const before = await snapshot();
      await expect(importDataset(db, copy.dir)).rejects.toThrow(message);
      expect(await snapshot()).toEqual(before);
    } finally {
      await copy.remove();
    }
  }

  it('refuses a membership of an unknown person, changing nothing', async () => {
    await refused(
      (dir) => editFile(dir, 'memberships.csv', (t) => t.replace('candace-avalos,city-council', 'nobody-known,city-council')),
      /memberships\.csv line \d+: person_key "nobody-known" is not a person in people\.csv/,
    );
  });

  it('refuses a membership of an unknown post, changing nothing', async () => {
    await refused(
      (dir) => editFile(dir, 'memberships.csv', (t) => t.replace('keith-wilson,citywide-elected-offices,mayor', 'keith-wilson,citywide-elected-offices,governor')),
      /post "citywide-elected-offices\/governor" is not a post in posts\.csv/,
    );
  });

  it('refuses memberships that overlap beyond the seat\'s max holders, changing nothing', async () => {
    await refused(
      (dir) => editFile(dir, 'memberships.csv', (t) => t.replace('keith-wilson,citywide-elected-offices,mayor,mayor,2025-01-01,,2029-01-01', 'simone-rede,citywide-elected-offices,mayor,mayor,2026-01-01,,2027-01-01,https://example.org/\nkeith-wilson,citywide-elected-offices,mayor,mayor,2025-01-01,,2029-01-01')),
      /post "citywide-elected-offices\/mayor" would have 2 holders on 2026-01-01; its max_holders is 1/,
    );
    await refused(
      (dir) => editFile(dir, 'memberships.csv', (t) => `${t}dan-ryan,city-council,district-1,councilor,2025-06-01,,2029-01-01,https://example.org/\n`),
      /post "city-council\/district-1" would have 4 holders on 2025-06-01; its max_holders is 3/,
    );
  });

  it('refuses a person file with private columns (the header is fixed) and a row without a source', async () => {
    await refused(
      (dir) => editFile(dir, 'people.csv', (t) => t.replace('key,name,sort_name,public_bio,source_url', 'key,name,sort_name,public_bio,source_url,email')),
      /people\.csv: header must be exactly "key,name,sort_name,public_bio,source_url"/,
    );
    await refused(
      (dir) => editFile(dir, 'people.csv', (t) => t.replace(',https://www.portland.gov/mayor/keith-wilson', ',')),
      /people\.csv line \d+ \(key "keith-wilson"\): source_url/,
    );
  });

  it('imports a folder without people.csv and memberships.csv (both optional)', async () => {
    copy = await copyDataset();
    try {
      await rm(join(copy.dir, 'people.csv'));
      await rm(join(copy.dir, 'memberships.csv'));
      const summary = await importDataset(db, copy.dir);
      expect(summary.counts.people).toEqual({ inserted: 0, updated: 0, unchanged: 0 });
      // Officials already imported stay: leaving the files out removes nobody.
      expect((await db.select({ n: count() }).from(people))[0]!.n).toBe(14);
    } finally {
      await copy.remove();
    }
  });
});

describe('sample members added before the officials were imported', () => {
  let testDb: TestDatabase;
  let db: Database;
  beforeAll(async () => {
    testDb = await createTestDatabase();
    db = testDb.handle.db;
  });
  afterAll(async () => {
    await testDb?.dispose();
  });

  it('give way: the import removes the samples from seats the officials take, and keeps the others', async () => {
    const copy = await copyDataset();
    try {
      await rm(join(copy.dir, 'people.csv'));
      await rm(join(copy.dir, 'memberships.csv'));
      await importDataset(db, copy.dir);
    } finally {
      await copy.remove();
    }
    await addSampleMembers(db, 'portland');
    const onCouncil = async (sample: boolean) =>
      (
        await db
          .select({ n: count() })
          .from(memberships)
          .innerJoin(people, eq(people.id, memberships.personId))
          .innerJoin(organizations, eq(organizations.id, memberships.organizationId))
          .where(and(eq(organizations.slug, 'city-council'), eq(people.isSample, sample)))
      )[0]!.n;
    const samplesBefore = await onCouncil(true);
    expect(samplesBefore).toBeGreaterThan(0);
    const elsewhere = (await db.select({ n: count() }).from(memberships).innerJoin(people, eq(people.id, memberships.personId)).where(eq(people.isSample, true)))[0]!.n - samplesBefore;

    const summary = await importDataset(db, portlandDatasetDir);
    expect(summary.sampleMembershipsRemoved).toBeGreaterThanOrEqual(samplesBefore);
    expect(await onCouncil(true)).toBe(0);
    expect(await onCouncil(false)).toBe(12);
    const samplesLeft = (await db.select({ n: count() }).from(memberships).innerJoin(people, eq(people.id, memberships.personId)).where(eq(people.isSample, true)))[0]!.n;
    expect(samplesLeft).toBe(elsewhere - (summary.sampleMembershipsRemoved! - samplesBefore));
  });
});
