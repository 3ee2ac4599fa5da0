import { and, asc, eq, gt, inArray, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import type { Database } from '../../db/client.ts';
import { divisions, memberships, organizations, people, posts, type DivisionRow } from '../../db/schema/index.ts';
import { inEffectOn } from '../../db/temporal.ts';

/**
 * Reads for the bulk exports. Every select names its columns: only the fields the public API shows
 * leave here (no person_private_details, no residency override reason, no source notes or origins).
 * Rows come in id-ordered batches, so an export of any size holds one batch in memory.
 */
export const EXPORT_BATCH_SIZE = 500;

async function* inBatches<T extends { id: number }>(fetch: (afterId: number) => Promise<T[]>): AsyncGenerator<T[]> {
  let afterId = 0;
  for (;;) {
    const batch = await fetch(afterId);
    if (batch.length > 0) yield batch;
    if (batch.length < EXPORT_BATCH_SIZE) return;
    afterId = batch[batch.length - 1]!.id;
  }
}

export type DivisionKind = DivisionRow['kind'];

const parentDivisions = alias(divisions, 'parent_divisions');

export function divisionBatches(db: Database, jurisdictionId: number, kinds: DivisionKind[] | null, at: string) {
  return inBatches((afterId) =>
    db
      .select({
        id: divisions.id,
        ocdId: divisions.ocdId,
        kind: divisions.kind,
        name: divisions.name,
        parentOcdId: parentDivisions.ocdId,
        validFrom: divisions.validFrom,
        validUntil: divisions.validUntil,
        boundary: divisions.boundary,
        minLongitude: divisions.minLongitude,
        minLatitude: divisions.minLatitude,
        maxLongitude: divisions.maxLongitude,
        maxLatitude: divisions.maxLatitude,
      })
      .from(divisions)
      .leftJoin(parentDivisions, eq(parentDivisions.id, divisions.parentId))
      .where(
        and(
          eq(divisions.jurisdictionId, jurisdictionId),
          kinds ? inArray(divisions.kind, kinds) : undefined,
          inEffectOn(divisions.validFrom, divisions.validUntil, at),
          gt(divisions.id, afterId),
        ),
      )
      .orderBy(asc(divisions.id))
      .limit(EXPORT_BATCH_SIZE),
  );
}

export function organizationBatches(db: Database, jurisdictionId: number) {
  return inBatches((afterId) =>
    db
      .select({
        id: organizations.id,
        slug: organizations.slug,
        kind: organizations.kind,
        name: organizations.name,
        shortName: organizations.shortName,
        status: organizations.status,
        divisionOcdId: divisions.ocdId,
        website: organizations.website,
        overseenBy: organizations.overseenBy,
        bodyKind: organizations.bodyKind,
        foundedOn: organizations.foundedOn,
        dissolvedOn: organizations.dissolvedOn,
        minMembers: organizations.minMembers,
        maxMembers: organizations.maxMembers,
        sourceUrl: organizations.sourceUrl,
        description: organizations.description,
        rosterStatus: organizations.rosterStatus,
        rosterAsOf: organizations.rosterAsOf,
        registeredOn: organizations.registeredOn,
        registrationExpiresOn: organizations.registrationExpiresOn,
      })
      .from(organizations)
      .leftJoin(divisions, eq(divisions.id, organizations.divisionId))
      .where(and(eq(organizations.jurisdictionId, jurisdictionId), gt(organizations.id, afterId)))
      .orderBy(asc(organizations.id))
      .limit(EXPORT_BATCH_SIZE),
  );
}

/** Seats with their holder count on `at`, from which vacancies follow as in Post.vacancies. */
export function postBatches(db: Database, jurisdictionId: number, at: string) {
  const holders = db
    .select({ postId: memberships.postId, n: sql<number>`count(*)::int`.as('n') })
    .from(memberships)
    .where(and(eq(memberships.jurisdictionId, jurisdictionId), inEffectOn(memberships.startDate, memberships.endDate, at)))
    .groupBy(memberships.postId)
    .as('holders');
  return inBatches((afterId) =>
    db
      .select({
        id: posts.id,
        organizationId: posts.organizationId,
        organizationSlug: organizations.slug,
        organizationName: organizations.name,
        label: posts.label,
        role: posts.role,
        divisionOcdId: divisions.ocdId,
        appointingAuthority: posts.appointingAuthority,
        selectionMethod: posts.selectionMethod,
        maxHolders: posts.maxHolders,
        termLengthMonths: posts.termLengthMonths,
        termLimit: posts.termLimit,
        takesApplications: posts.takesApplications,
        eligibility: posts.eligibility,
        createdOn: posts.createdOn,
        abolishedOn: posts.abolishedOn,
        holders: sql<number>`coalesce(${holders.n}, 0)`,
        rosterStatus: organizations.rosterStatus,
      })
      .from(posts)
      .innerJoin(organizations, eq(organizations.id, posts.organizationId))
      .leftJoin(divisions, eq(divisions.id, posts.divisionId))
      .leftJoin(holders, eq(holders.postId, posts.id))
      .where(and(eq(posts.jurisdictionId, jurisdictionId), gt(posts.id, afterId)))
      .orderBy(asc(posts.id))
      .limit(EXPORT_BATCH_SIZE),
  );
}

/** Terms in effect on `at`: who holds which seat, with the public roster fields of the person. */
export function rosterBatches(db: Database, jurisdictionId: number, at: string) {
  return inBatches((afterId) =>
    db
      .select({
        id: memberships.id,
        organizationId: memberships.organizationId,
        organizationSlug: organizations.slug,
        organizationName: organizations.name,
        postId: memberships.postId,
        postLabel: posts.label,
        role: memberships.role,
        personId: people.id,
        personName: people.name,
        personSortName: people.sortName,
        isSample: people.isSample,
        startDate: memberships.startDate,
        scheduledEndDate: memberships.scheduledEndDate,
      })
      .from(memberships)
      .innerJoin(people, eq(people.id, memberships.personId))
      .innerJoin(organizations, eq(organizations.id, memberships.organizationId))
      .leftJoin(posts, eq(posts.id, memberships.postId))
      .where(
        and(eq(memberships.jurisdictionId, jurisdictionId), inEffectOn(memberships.startDate, memberships.endDate, at), gt(memberships.id, afterId)),
      )
      .orderBy(asc(memberships.id))
      .limit(EXPORT_BATCH_SIZE),
  );
}
