import { and, eq } from 'drizzle-orm';
import type { Database } from '../../src/db/client.ts';
import {
  divisions,
  memberships,
  organizations,
  people,
  personPrivateDetails,
  posts,
  type MembershipRow,
  type NewMembershipRow,
  type NewOrganizationRow,
  type NewPostRow,
  type OrganizationRow,
  type PersonRow,
  type PostRow,
} from '../../src/db/schema/index.ts';

let sequence = 0;
const next = () => ++sequence;

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
