/**
 * Public officials (people.csv) upserted by (jurisdiction, key) and their terms (memberships.csv) by
 * (person, post, start_date). Sample members never sit beside a real holder: sample terms on a
 * post the dataset fills are deleted first (they were demo data, never a record of anyone).
 */
import { and, eq, inArray } from 'drizzle-orm';
import type { MembershipRecord, PersonRecord } from '../datasets/format.ts';
import { memberships, organizations, people, posts } from '../db/schema/index.ts';
import type { TableCounts } from './summary.ts';
import { upsertRows, type Tx } from './upsert.ts';

export interface PeopleCounts {
  people: TableCounts;
  memberships: TableCounts;
  /** Sample terms removed from posts the dataset's officials hold. */
  sampleMembershipsRemoved: number;
}

export async function writePeople(
  tx: Tx,
  jurisdictionId: number,
  personRecords: readonly PersonRecord[],
  membershipRecords: readonly MembershipRecord[],
): Promise<PeopleCounts> {
  const peopleCounts = await upsertRows(
    tx,
    people,
    personRecords.map((p) => ({
      jurisdictionId,
      sourceKey: p.key,
      name: p.name,
      sortName: p.sort_name,
      publicBio: p.public_bio,
      sourceUrl: p.source_url,
      isSample: false,
    })),
    [people.jurisdictionId, people.sourceKey],
    ['name', 'sortName', 'publicBio', 'sourceUrl'],
  );
  if (membershipRecords.length === 0) return { people: peopleCounts, memberships: { inserted: 0, updated: 0, unchanged: 0 }, sampleMembershipsRemoved: 0 };

  const personRows = await tx
    .select({ id: people.id, key: people.sourceKey })
    .from(people)
    .where(and(eq(people.jurisdictionId, jurisdictionId), inArray(people.sourceKey, [...new Set(membershipRecords.map((m) => m.person_key))])));
  const personIds = new Map(personRows.map((r) => [r.key!, r.id]));
  const postRows = await tx
    .select({ id: posts.id, organizationId: posts.organizationId, org: organizations.slug, key: posts.sourceKey })
    .from(posts)
    .innerJoin(organizations, eq(organizations.id, posts.organizationId))
    .where(eq(posts.jurisdictionId, jurisdictionId));
  const postByKey = new Map(postRows.map((r) => [`${r.org}/${r.key}`, r]));

  // Demo holders make room for the real ones (the seat's capacity trigger would refuse them otherwise).
  const heldPostIds = [...new Set(membershipRecords.map((m) => postByKey.get(`${m.organization_key}/${m.post_key}`)!.id))];
  const removed = await tx
    .delete(memberships)
    .where(
      and(
        inArray(memberships.postId, heldPostIds),
        inArray(memberships.personId, tx.select({ id: people.id }).from(people).where(and(eq(people.jurisdictionId, jurisdictionId), eq(people.isSample, true)))),
      ),
    )
    .returning({ id: memberships.id });

  const membershipCounts = await upsertRows(
    tx,
    memberships,
    membershipRecords.map((m) => {
      const post = postByKey.get(`${m.organization_key}/${m.post_key}`)!;
      return {
        jurisdictionId,
        personId: personIds.get(m.person_key)!,
        organizationId: post.organizationId,
        postId: post.id,
        role: m.role,
        startDate: m.start_date,
        endDate: m.end_date,
        scheduledEndDate: m.scheduled_end_date,
        endReason: m.end_date === null ? null : ('TERM_COMPLETED' as const),
        sourceUrl: m.source_url,
      };
    }),
    [memberships.personId, memberships.postId, memberships.startDate],
    ['organizationId', 'role', 'endDate', 'scheduledEndDate', 'endReason', 'sourceUrl'],
  );
  return { people: peopleCounts, memberships: membershipCounts, sampleMembershipsRemoved: removed.length };
}
