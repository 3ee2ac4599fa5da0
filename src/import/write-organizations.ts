/** Upserts organizations by (jurisdiction, slug) and their posts by (organization, key). */
import { eq } from 'drizzle-orm';
import type { OrganizationRecord, PostRecord } from '../datasets/format.ts';
import { organizations, posts } from '../db/schema/index.ts';
import type { TableCounts } from './summary.ts';
import { upsertRows, type Tx } from './upsert.ts';

export async function organizationIds(tx: Tx, jurisdictionId: number): Promise<Map<string, number>> {
  const rows = await tx
    .select({ id: organizations.id, slug: organizations.slug })
    .from(organizations)
    .where(eq(organizations.jurisdictionId, jurisdictionId));
  return new Map(rows.map((r) => [r.slug, r.id]));
}

export async function writeOrganizations(
  tx: Tx,
  jurisdictionId: number,
  records: readonly OrganizationRecord[],
  divisionIds: ReadonlyMap<string, number>,
): Promise<{ counts: TableCounts; ids: Map<string, number> }> {
  const rows = records.map((o) => ({
    jurisdictionId,
    slug: o.key,
    kind: o.kind,
    name: o.name,
    shortName: o.short_name,
    description: o.description,
    website: o.website,
    status: o.status,
    divisionId: o.division_key === null ? null : divisionIds.get(o.division_key)!,
    overseenBy: o.overseen_by,
    foundedOn: o.founded_on,
    dissolvedOn: o.dissolved_on,
    minMembers: o.min_members,
    maxMembers: o.max_members,
    sourceUrl: o.source_url,
    sourceNote: o.source_note,
    bodyKind: o.body_kind,
    topics: [...o.topics],
    rosterStatus: o.roster_status ?? 'NOT_RECORDED',
    rosterAsOf: o.roster_as_of ?? null,
    registeredOn: o.registered_on ?? null,
    registrationExpiresOn: o.registration_expires_on ?? null,
  }));
  const counts = await upsertRows(tx, organizations, rows, [organizations.jurisdictionId, organizations.slug], [
    'kind',
    'name',
    'shortName',
    'description',
    'website',
    'status',
    'divisionId',
    'overseenBy',
    'foundedOn',
    'dissolvedOn',
    'minMembers',
    'maxMembers',
    'sourceUrl',
    'sourceNote',
    'bodyKind',
    'topics',
    'rosterStatus',
    'rosterAsOf',
    'registeredOn',
    'registrationExpiresOn',
  ]);
  return { counts, ids: await organizationIds(tx, jurisdictionId) };
}

export async function writePosts(
  tx: Tx,
  jurisdictionId: number,
  records: readonly PostRecord[],
  organizationIdsBySlug: ReadonlyMap<string, number>,
  divisionIds: ReadonlyMap<string, number>,
): Promise<TableCounts> {
  const rows = records.map((p) => ({
    jurisdictionId,
    organizationId: organizationIdsBySlug.get(p.organization_key)!,
    sourceKey: p.key,
    label: p.label,
    role: p.role,
    divisionId: p.division_key === null ? null : divisionIds.get(p.division_key)!,
    appointingAuthority: p.appointing_authority,
    selectionMethod: p.selection_method,
    maxHolders: p.max_holders,
    termLengthMonths: p.term_length_months,
    termLimit: p.term_limit,
    takesApplications: p.takes_applications,
    eligibility: p.eligibility,
    createdOn: p.created_on,
    abolishedOn: p.abolished_on,
  }));
  return upsertRows(tx, posts, rows, [posts.organizationId, posts.sourceKey], [
    'label',
    'role',
    'divisionId',
    'appointingAuthority',
    'selectionMethod',
    'maxHolders',
    'termLengthMonths',
    'termLimit',
    'takesApplications',
    'eligibility',
    'createdOn',
    'abolishedOn',
  ]);
}
