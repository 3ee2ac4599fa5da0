import { asc } from 'drizzle-orm';
import type { Database } from '../../src/db/client.ts';
import {
  datasetImports,
  divisionOverlaps,
  divisions,
  jurisdictions,
  memberships,
  organizationContactChannels,
  organizationLinks,
  organizations,
  people,
  posts,
} from '../../src/db/schema/index.ts';

/** Every imported row with its id and updated_at (overlaps with their share): equal snapshots mean nothing changed. */
export async function snapshotImportedRows(db: Database) {
  const stamp = { id: jurisdictions.id, updatedAt: jurisdictions.updatedAt };
  return {
    jurisdictions: await db.select(stamp).from(jurisdictions).orderBy(asc(jurisdictions.id)),
    divisions: await db.select({ id: divisions.id, updatedAt: divisions.updatedAt }).from(divisions).orderBy(asc(divisions.id)),
    organizations: await db
      .select({ id: organizations.id, updatedAt: organizations.updatedAt })
      .from(organizations)
      .orderBy(asc(organizations.id)),
    posts: await db.select({ id: posts.id, updatedAt: posts.updatedAt }).from(posts).orderBy(asc(posts.id)),
    organizationLinks: await db
      .select({ id: organizationLinks.id, updatedAt: organizationLinks.updatedAt })
      .from(organizationLinks)
      .orderBy(asc(organizationLinks.id)),
    divisionOverlaps: await db.select().from(divisionOverlaps).orderBy(asc(divisionOverlaps.divisionId), asc(divisionOverlaps.otherDivisionId)),
    people: await db.select({ id: people.id, updatedAt: people.updatedAt }).from(people).orderBy(asc(people.id)),
    memberships: await db.select({ id: memberships.id, updatedAt: memberships.updatedAt }).from(memberships).orderBy(asc(memberships.id)),
    organizationContactChannels: await db
      .select({ id: organizationContactChannels.id, updatedAt: organizationContactChannels.updatedAt })
      .from(organizationContactChannels)
      .orderBy(asc(organizationContactChannels.id)),
    datasetImports: await db.select({ id: datasetImports.id }).from(datasetImports).orderBy(asc(datasetImports.id)),
  };
}
