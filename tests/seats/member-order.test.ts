import { and, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { changes, organizationLinks, organizations } from '../../src/db/schema/index.ts';
import { encodeCursor } from '../../src/graphql/pagination.ts';
import { createOrganization, organizationBySlug } from '../helpers/factories.ts';
import { createTestApi, type TestApi } from '../helpers/test-api.ts';
import { idOfSlug, USER_ERRORS } from '../organizations/associations-support.ts';

// A coalition's members are ordered by the link's copy of the member's key (member_sort_name,
// migration 0027), which triggers keep equal to lower(name) in "C": the order must stay exactly
// the old one (lower(o.name) collate "C", o.id), on the compiled directory and the resolvers alike.

let api: TestApi;
beforeAll(async () => {
  api = await createTestApi();
});
afterAll(() => api.dispose());

const SEUL = 'district-3-coalition';

/** Rows of a plain SQL statement, from either driver (postgres.js gives an array, PGlite { rows }). */
async function rowsOf<T>(statement: ReturnType<typeof sql>): Promise<T[]> {
  const result = (await api.db.execute(statement)) as unknown as T[] | { rows: T[] };
  return Array.isArray(result) ? result : result.rows;
}

/** The compiled directory (one statement): each coalition's member names, by slug. */
async function compiledMembers(first: number): Promise<Map<string, string[]>> {
  api.statements.reset();
  const { data, errors } = await api.execute(
    `query($first: Int) { councilDistricts { organizations(kind: DISTRICT_COALITION) { slug memberOrganizations(first: $first) { totalCount nodes { name } } } } }`,
    { first },
  );
  expect(errors).toBeUndefined();
  expect(api.statements.count()).toBe(1);
  const coalitions = data!.councilDistricts.flatMap((d: any) => d.organizations);
  return new Map(coalitions.map((c: any) => [c.slug, c.memberOrganizations.nodes.map((n: any) => n.name)]));
}

const MEMBER_PAGE = /* GraphQL */ `
  query($slug: String!, $first: Int, $after: String) {
    organization(slug: $slug) {
      memberOrganizations(first: $first, after: $after) { totalCount nodes { name slug } pageInfo { endCursor hasNextPage } }
    }
  }
`;

/**
 * The resolvers' path: one page of a parent's members. `organization(slug:)` compiles, but a member
 * page with `after` does not, so this document always runs through the loaders: more than the one
 * statement a compiled answer costs (asserted, so the comparisons stay compiled against resolved).
 */
async function resolvedPage(slug: string, first: number, after: string | null = null) {
  api.statements.reset();
  const { data, errors } = await api.execute(MEMBER_PAGE, { slug, first, after });
  expect(errors).toBeUndefined();
  expect(api.statements.count()).toBeGreaterThan(1);
  return data!.organization.memberOrganizations as { totalCount: number; nodes: { name: string; slug: string }[]; pageInfo: { endCursor: string | null; hasNextPage: boolean } };
}

async function resolvedMembers(slug: string, first = 100): Promise<string[]> {
  return (await resolvedPage(slug, first)).nodes.map((n) => n.name);
}

/** The order before migration 0027, computed from the organizations themselves. */
async function referenceOrder(slug: string): Promise<string[]> {
  const parent = await organizationBySlug(api.db, slug);
  const rows = await rowsOf<{ name: string }>(sql`
    select o.name from organization_links l join organizations o on o.id = l.member_id
    where l.parent_id = ${parent.id} and (l.start_date is null or l.start_date <= current_date) and (l.end_date is null or l.end_date > current_date)
    order by lower(o.name) collate "C", o.id`);
  return rows.map((r) => r.name);
}

async function rename(slug: string, name: string): Promise<void> {
  const { data, errors } = await api.execute(
    `mutation($input: OrganizationUpdateInput!) { organizationUpdate(input: $input) { organization { name } ${USER_ERRORS} } }`,
    { input: { organizationId: await idOfSlug(api, slug), name } },
    { viewer: api.staff() },
  );
  expect(errors).toBeUndefined();
  expect(data!.organizationUpdate).toEqual({ organization: { name }, userErrors: [] });
}

/** Links whose key is not their member's lower(name): none, whatever wrote them. */
async function staleKeys(): Promise<number> {
  const [row] = await rowsOf<{ n: number }>(sql`
    select count(*)::int as n from organization_links l join organizations o on o.id = l.member_id
    where l.member_sort_name is distinct from lower(o.name)`);
  return row!.n;
}

describe('member order (the link\'s member_sort_name)', () => {
  it('gives every coalition the old order, lower(name) in "C" then id, on the compiled and the resolvers\' path', async () => {
    const compiled = await compiledMembers(100);
    expect(compiled.size).toBe(4);
    for (const [slug, names] of compiled) {
      expect(names.length).toBeGreaterThan(5);
      expect(names).toEqual(await referenceOrder(slug));
      expect(await resolvedMembers(slug)).toEqual(names);
    }
    expect(await staleKeys()).toBe(0); // the migration's backfill
  });

  it('moves a renamed member within its coalition\'s page, compiled and resolved alike', async () => {
    const before = await resolvedMembers(SEUL);
    const last = (await resolvedPage(SEUL, 100)).nodes.at(-1)!;
    expect((await compiledMembers(3)).get(SEUL)).not.toContain('aaa Renamed First');

    // Lower case: the order ignores case, so it sorts before every "A…" name.
    await rename(last.slug, 'aaa Renamed First');
    expect((await compiledMembers(3)).get(SEUL)![0]).toBe('aaa Renamed First');
    expect(await resolvedMembers(SEUL, 3)).toEqual((await compiledMembers(3)).get(SEUL));
    const after = await resolvedMembers(SEUL);
    expect(after).toEqual(['aaa Renamed First', ...before.slice(0, -1)]);
    expect(after).toEqual(await referenceOrder(SEUL));
    expect((await compiledMembers(100)).get(SEUL)).toEqual(after);

    await rename(last.slug, 'ZZZ Renamed Last');
    expect((await compiledMembers(3)).get(SEUL)).toEqual(before.slice(0, 3));
    expect(await resolvedMembers(SEUL)).toEqual([...before.slice(0, -1), 'ZZZ Renamed Last']);
    expect((await compiledMembers(100)).get(SEUL)).toEqual(await referenceOrder(SEUL));
    expect(await staleKeys()).toBe(0);
  });

  it('pages with cursors of [name, id], as before, through every member once and in order', async () => {
    const all = await resolvedPage(SEUL, 100);
    const seen: string[] = [];
    let after: string | null = null;
    for (;;) {
      const page = await resolvedPage(SEUL, 4, after);
      seen.push(...page.nodes.map((n) => n.name));
      const lastNode = page.nodes.at(-1)!;
      const { id } = await organizationBySlug(api.db, lastNode.slug);
      expect(page.pageInfo.endCursor).toBe(encodeCursor([lastNode.name, id]));
      if (!page.pageInfo.hasNextPage) break;
      after = page.pageInfo.endCursor;
    }
    expect(seen).toEqual(all.nodes.map((n) => n.name));
    expect(seen).toHaveLength(all.totalCount);
  });

  it('keys new links and changed members from the member, whatever the writer gave', async () => {
    const { db, jurisdictionId } = api;
    const seul = await organizationBySlug(db, SEUL);
    // A plain insert that gives no key (the importer and the seed write like this).
    const newcomer = await createOrganization(db, { jurisdictionId, kind: 'NEIGHBORHOOD_ASSOCIATION', name: 'Aab Newcomer Association' });
    const [link] = await db.insert(organizationLinks).values({ jurisdictionId, kind: 'DISTRICT_COALITION', memberId: newcomer.id, parentId: seul.id, startDate: '2024-07-01' }).returning();
    expect(link!.memberSortName).toBe('aab newcomer association');
    expect((await compiledMembers(1)).get(SEUL)).toEqual(['Aab Newcomer Association']);
    expect(await resolvedMembers(SEUL, 1)).toEqual(['Aab Newcomer Association']);

    // A key written by hand is replaced by the member's.
    await db.update(organizationLinks).set({ memberSortName: 'zzzz' }).where(eq(organizationLinks.id, link!.id));
    expect((await compiledMembers(1)).get(SEUL)).toEqual(['Aab Newcomer Association']);

    // Another member on the same link: the key follows it.
    const other = await createOrganization(db, { jurisdictionId, kind: 'NEIGHBORHOOD_ASSOCIATION', name: 'Zzz Other Association' });
    await db.update(organizationLinks).set({ memberId: other.id }).where(eq(organizationLinks.id, link!.id));
    const members = (await compiledMembers(100)).get(SEUL)!;
    expect(members).not.toContain('Aab Newcomer Association');
    expect(members).toContain('Zzz Other Association');
    expect(members).toEqual(await referenceOrder(SEUL));
    expect(await resolvedMembers(SEUL)).toEqual(members);

    // A move through the API (a new link to another coalition) is keyed too.
    const { data } = await api.execute(
      `mutation($input: AssociationCoalitionMoveInput!) { associationCoalitionMove(input: $input) { ${USER_ERRORS} } }`,
      { input: { organizationId: await idOfSlug(api, newcomer.slug), coalitionId: await idOfSlug(api, 'district-4-coalition'), effectiveOn: '2025-01-01' } },
      { viewer: api.staff() },
    );
    expect(data!.associationCoalitionMove.userErrors).toEqual([]);
    expect((await compiledMembers(1)).get('district-4-coalition')).toEqual(['Aab Newcomer Association']);
    expect(await staleKeys()).toBe(0);
  });

  it('records a rename once, as the organization\'s change, and leaves its links\' updated_at as it was', async () => {
    const { db } = api;
    const member = await organizationBySlug(db, 'buckman');
    const linksBefore = await db.select({ id: organizationLinks.id, updatedAt: organizationLinks.updatedAt }).from(organizationLinks).where(eq(organizationLinks.memberId, member.id)).orderBy(organizationLinks.id);
    expect(linksBefore.length).toBeGreaterThan(0);
    const changesOf = async (id: number) =>
      (await db.select({ operation: changes.operation }).from(changes).where(and(eq(changes.entityType, 'Organization'), eq(changes.entityId, id)))).length;
    const [memberChanges, allChanges] = [await changesOf(member.id), (await db.select({ n: sql<number>`count(*)::int` }).from(changes))[0]!.n];

    await rename('buckman', 'Buckman Renamed');
    const [link] = await db.select({ key: organizationLinks.memberSortName }).from(organizationLinks).where(eq(organizationLinks.id, linksBefore[0]!.id));
    expect(link!.key).toBe('buckman renamed');
    expect(await changesOf(member.id)).toBe(memberChanges + 1);
    expect((await db.select({ n: sql<number>`count(*)::int` }).from(changes))[0]!.n).toBe(allChanges + 1);
    const linksAfter = await db.select({ id: organizationLinks.id, updatedAt: organizationLinks.updatedAt }).from(organizationLinks).where(eq(organizationLinks.memberId, member.id)).orderBy(organizationLinks.id);
    expect(linksAfter).toEqual(linksBefore);

    // A change of case only keeps the key, so the links are not even rewritten.
    await db.update(organizations).set({ name: 'BUCKMAN RENAMED' }).where(eq(organizations.id, member.id));
    expect(await staleKeys()).toBe(0);
    expect(await db.select({ id: organizationLinks.id, updatedAt: organizationLinks.updatedAt }).from(organizationLinks).where(eq(organizationLinks.memberId, member.id)).orderBy(organizationLinks.id)).toEqual(linksBefore);
  });

  it('still refuses a link to a missing organization on the foreign key', async () => {
    const seul = await organizationBySlug(api.db, SEUL);
    const insert = api.db.insert(organizationLinks).values({ jurisdictionId: api.jurisdictionId, kind: 'NETWORK', memberId: 999_999, parentId: seul.id });
    await expect(insert).rejects.toSatisfy((error: any) => (error.cause ?? error).code === '23503');
  });
});
