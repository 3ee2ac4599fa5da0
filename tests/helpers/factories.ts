import { and, eq } from 'drizzle-orm';
import type { Database } from '../../src/db/client.ts';
import {
  divisionKinds,
  divisionKindNames,
  divisions,
  jurisdictions,
  memberships,
  organizationKindNames,
  organizationKinds,
  organizations,
  people,
  personPrivateDetails,
  posts,
  type JurisdictionRow,
  type MembershipRow,
  type NewMembershipRow,
  type NewOrganizationRow,
  type NewPostRow,
  type OrganizationRow,
  type PersonRow,
  type PostRow,
} from '../../src/db/schema/index.ts';

import { readDataset } from '../../src/import/read-dataset.ts';
import { writeKinds } from '../../src/import/write-kinds.ts';
import { portlandDatasetDir } from './dataset-folder.ts';

let sequence = 0;
const next = () => ++sequence;

/**
 * A second city for tests of what stays in its own jurisdiction. Kinds are per-city data (a
 * division's or organization's kind must be one of its city's kinds), so it gets a copy of
 * Portland's kinds when Portland is there: tests can give its rows Portland's codes.
 */
export async function createJurisdiction(db: Database, values: typeof jurisdictions.$inferInsert): Promise<JurisdictionRow> {
  const [city] = await db.insert(jurisdictions).values(values).returning();
  const [portland] = await db.select({ id: jurisdictions.id }).from(jurisdictions).where(eq(jurisdictions.slug, 'portland'));
  if (!city) throw new Error('the jurisdiction was not created');
  if (!portland) {
    // An empty database (createTestDatabase) has no Portland to copy from: Portland's kinds.csv.
    const dataset = await readDataset(portlandDatasetDir);
    await db.transaction((tx) => writeKinds(tx, city.id, dataset.kinds, dataset.kindNames));
    return city;
  }
  for (const table of [divisionKinds, organizationKinds, divisionKindNames, organizationKindNames] as const) {
    const rows = await db.select().from(table as typeof divisionKinds).where(eq((table as typeof divisionKinds).jurisdictionId, portland.id));
    if (rows.length) await db.insert(table as typeof divisionKinds).values(rows.map((row) => ({ ...row, jurisdictionId: city.id })));
  }
  return city;
}

export async function organizationBySlug(db: Database, slug: string): Promise<OrganizationRow> {
  const [row] = await db.select().from(organizations).where(eq(organizations.slug, slug));
  if (!row) throw new Error(`no organization ${slug}`);
  return row;
}

export async function councilPost(db: Database, district: number): Promise<PostRow> {
  const council = await organizationBySlug(db, 'city-council');
  const [row] = await db
    .select()
    .from(posts)
    .where(and(eq(posts.organizationId, council.id), eq(posts.sourceKey, `district-${district}`)));
  if (!row) throw new Error(`no council post for district ${district}`);
  return row;
}

export async function divisionByOcdId(db: Database, ocdId: string) {
  const [row] = await db.select().from(divisions).where(eq(divisions.ocdId, ocdId));
  if (!row) throw new Error(`no division ${ocdId}`);
  return row;
}

export async function createPerson(db: Database, jurisdictionId: number, name = `Test Person ${next()}`): Promise<PersonRow> {
  const [row] = await db.insert(people).values({ jurisdictionId, name }).returning();
  return row!;
}

export async function createPrivateDetails(db: Database, personId: number, details: { email: string; homeAddress: string; phone: string }) {
  await db.insert(personPrivateDetails).values({ personId, ...details, preferredLanguage: 'vi', accessibilityNeeds: 'wheelchair access' });
}

export async function createOrganization(db: Database, values: Partial<NewOrganizationRow> & Pick<NewOrganizationRow, 'jurisdictionId'>): Promise<OrganizationRow> {
  const n = next();
  const [row] = await db
    .insert(organizations)
    // RECORDED like a body staff create through the API (organizationCreate): its holders are the ones tests add.
    .values({ slug: `test-org-${n}`, name: `Test Organization ${n}`, kind: 'ADVISORY_BODY', rosterStatus: 'RECORDED', ...values })
    .returning();
  return row!;
}

export async function createPost(db: Database, values: Partial<NewPostRow> & Pick<NewPostRow, 'jurisdictionId' | 'organizationId'>): Promise<PostRow> {
  const n = next();
  const [row] = await db
    .insert(posts)
    .values({ sourceKey: `test-post-${n}`, label: `Test Seat ${n}`, role: 'member', selectionMethod: 'APPOINTED', ...values })
    .returning();
  return row!;
}

export async function createMembership(
  db: Database,
  values: Partial<NewMembershipRow> & Pick<NewMembershipRow, 'jurisdictionId' | 'personId' | 'organizationId' | 'startDate'>,
): Promise<MembershipRow> {
  const [row] = await db.insert(memberships).values({ role: 'member', ...values }).returning();
  return row!;
}

/** Appoints fresh people to a post until it holds `count` members from `startDate`. */
export async function fillPost(db: Database, post: PostRow, count: number, startDate = '2025-01-01'): Promise<MembershipRow[]> {
  const rows: MembershipRow[] = [];
  for (let i = 0; i < count; i++) {
    const person = await createPerson(db, post.jurisdictionId);
    rows.push(
      await createMembership(db, {
        jurisdictionId: post.jurisdictionId,
        personId: person.id,
        organizationId: post.organizationId,
        postId: post.id,
        startDate,
      }),
    );
  }
  return rows;
}
