/**
 * Organizations' office channels (organization_contacts.csv): upserted by (organization, kind, value);
 * a channel the import wrote that the file no longer lists is deleted (nothing refers to one), while
 * channels staff recorded are never touched.
 */
import { and, eq, isNull, notInArray } from 'drizzle-orm';
import type { OrganizationContactRecord } from '../datasets/format.ts';
import { organizationContactChannels } from '../db/schema/index.ts';
import type { TableCounts } from './summary.ts';
import { upsertRows, type Tx } from './upsert.ts';

export async function writeContacts(
  tx: Tx,
  jurisdictionId: number,
  records: readonly OrganizationContactRecord[],
  organizationIdsBySlug: ReadonlyMap<string, number>,
): Promise<{ counts: TableCounts; deleted: number }> {
  const rows = records.map((c) => ({
    jurisdictionId,
    organizationId: organizationIdsBySlug.get(c.organization_key)!,
    kind: c.kind,
    value: c.value,
    sourceUrl: c.source_url,
    note: c.note,
  }));
  const counts = await upsertRows(tx, organizationContactChannels, rows, [organizationContactChannels.organizationId, organizationContactChannels.kind, organizationContactChannels.value], ['sourceUrl', 'note'], {
    // The unique index holds among current channels: an ended one is history, not this row.
    targetWhere: isNull(organizationContactChannels.validUntil),
  });
  const kept = (
    await tx
      .select({ id: organizationContactChannels.id, organizationId: organizationContactChannels.organizationId, kind: organizationContactChannels.kind, value: organizationContactChannels.value })
      .from(organizationContactChannels)
      .where(and(eq(organizationContactChannels.jurisdictionId, jurisdictionId), eq(organizationContactChannels.origin, 'DATASET')))
  ).filter((r) => rows.some((w) => w.organizationId === r.organizationId && w.kind === r.kind && w.value === r.value));
  const keptIds = kept.map((r) => r.id);
  const base = and(eq(organizationContactChannels.jurisdictionId, jurisdictionId), eq(organizationContactChannels.origin, 'DATASET'));
  const removed = await tx
    .delete(organizationContactChannels)
    .where(keptIds.length ? and(base, notInArray(organizationContactChannels.id, keptIds)) : base)
    .returning({ id: organizationContactChannels.id });
  return { counts, deleted: removed.length };
}
