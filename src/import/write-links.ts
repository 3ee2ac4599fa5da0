/**
 * Org-in-org links have no unique constraint (only exclusion constraints on dates), so they are
 * matched in memory on (member, parent, kind, start_date) and then inserted or updated one by one.
 */
import { eq } from 'drizzle-orm';
import type { LinkRecord } from '../datasets/format.ts';
import { organizationLinks } from '../db/schema/index.ts';
import { linkKey } from './read-dataset.ts';
import type { MissingRow, TableCounts } from './summary.ts';
import type { Tx } from './upsert.ts';

export async function writeLinks(
  tx: Tx,
  jurisdictionId: number,
  records: readonly LinkRecord[],
  organizationIds: ReadonlyMap<string, number>,
): Promise<{ counts: TableCounts; missing: MissingRow[] }> {
  const slugById = new Map([...organizationIds].map(([slug, id]) => [id, slug]));
  const existing = await tx.select().from(organizationLinks).where(eq(organizationLinks.jurisdictionId, jurisdictionId));
  const byKey = new Map(
    existing.map((l) => [
      linkKey({ member_key: slugById.get(l.memberId)!, parent_key: slugById.get(l.parentId)!, kind: l.kind, start_date: l.startDate }),
      l,
    ]),
  );

  const counts: TableCounts = { inserted: 0, updated: 0, unchanged: 0 };
  for (const record of records) {
    const key = linkKey(record);
    const found = byKey.get(key);
    byKey.delete(key);
    try {
      if (!found) {
        await tx.insert(organizationLinks).values({
          jurisdictionId,
          kind: record.kind,
          memberId: organizationIds.get(record.member_key)!,
          parentId: organizationIds.get(record.parent_key)!,
          startDate: record.start_date,
          endDate: record.end_date,
          note: record.note,
        });
        counts.inserted++;
      } else if (found.endDate !== record.end_date || found.note !== record.note) {
        await tx
          .update(organizationLinks)
          .set({ endDate: record.end_date, note: record.note })
          .where(eq(organizationLinks.id, found.id));
        counts.updated++;
      } else {
        counts.unchanged++;
      }
    } catch (error) {
      // Name the link: the likely cause is an exclusion constraint against a link the dataset dropped.
      throw new Error(`link ${key}: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
    }
  }
  const missing = [...byKey.keys()].map((key): MissingRow => ({ table: 'organization_links', key }));
  return { counts, missing };
}
