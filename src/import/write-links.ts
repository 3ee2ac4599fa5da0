/**
 * Reconciles the jurisdiction's DATASET org-in-org links with organization_links.csv.
 *
 * Links are pure relationships (nothing references them), so the importer owns exactly the links it
 * wrote (origin DATASET): it updates them in place, inserts new ones and deletes those the dataset no
 * longer lists. Links staff made through the API (origin STAFF) are never changed; a dataset link that
 * would conflict with one fails the import, naming both.
 *
 * Links have no unique key (only exclusion constraints on dates), so dataset records are matched to
 * stored rows in memory, most specific first:
 *   1. the same (member, parent, kind, start_date): the end date or note may have changed;
 *   2. the same (member, parent, kind) over overlapping dates: the dates were corrected;
 *   3. the same (member, kind) over exactly the same dates: the parent was corrected (a coalition).
 * Writes go in an order that never violates the exclusion constraints between two statements:
 * deletes first, then updates (each after the updates whose old dates it would collide with), then
 * inserts.
 */
import { eq, inArray } from 'drizzle-orm';
import { DrizzleQueryError } from 'drizzle-orm/errors';
import type { LinkKind, LinkRecord } from '../datasets/format.ts';
import { organizationLinks, organizations, type OrganizationLinkRow } from '../db/schema/index.ts';
import { linkKey, overlapping } from './read-dataset.ts';
import type { RemovedRow, TableCounts } from './summary.ts';
import type { Tx } from './upsert.ts';

/** A link as the importer compares it: ids resolved, without bookkeeping columns. */
interface LinkState {
  memberId: number;
  parentId: number;
  kind: LinkKind;
  startDate: string | null;
  endDate: string | null;
  note: string | null;
}

interface Update {
  row: OrganizationLinkRow;
  target: LinkState;
}

/** A dataset link and a staff link that the database's exclusion constraints would not allow together. */
export class StaffLinkConflictError extends Error {
  constructor(readonly conflicts: readonly string[]) {
    const shown = conflicts.slice(0, 10);
    const more = conflicts.length > shown.length ? `\n  … and ${conflicts.length - shown.length} more` : '';
    super(
      `${conflicts.length} dataset link(s) conflict with links staff made through the API. The importer never changes ` +
        `staff links: edit organization_links.csv to agree with them (or end or delete the staff link) and import again.\n  ` +
        shown.join('\n  ') +
        more,
    );
    this.name = 'StaffLinkConflictError';
  }
}

/** The rule of the exclusion constraint that two links of the same member would break, or null. */
function conflict(a: LinkState, b: LinkState): 'pair' | 'coalition' | null {
  if (a.memberId !== b.memberId) return null;
  if (!overlapping({ start: a.startDate, end: a.endDate }, { start: b.startDate, end: b.endDate })) return null;
  if (a.parentId === b.parentId && a.kind === b.kind) return 'pair'; // organization_links_pair_no_overlap
  if (a.kind === 'DISTRICT_COALITION' && b.kind === 'DISTRICT_COALITION') return 'coalition'; // ..._one_coalition_at_a_time
  return null;
}

/** The database's own reason (a constraint name), not Drizzle's "Failed query: <sql> params: …" wrapper. */
function reason(error: unknown): string {
  const cause = error instanceof DrizzleQueryError && error.cause instanceof Error ? error.cause : error;
  return cause instanceof Error ? cause.message : String(cause);
}

function sameState(a: LinkState, b: LinkState): boolean {
  return (
    a.memberId === b.memberId &&
    a.parentId === b.parentId &&
    a.kind === b.kind &&
    a.startDate === b.startDate &&
    a.endDate === b.endDate &&
    a.note === b.note
  );
}

const byStart = (a: LinkState, b: LinkState) =>
  a.startDate === b.startDate ? 0 : a.startDate === null ? -1 : b.startDate === null ? 1 : a.startDate < b.startDate ? -1 : 1;

function groupBy<T>(items: Iterable<T>, key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const group = groups.get(k);
    if (group) group.push(item);
    else groups.set(k, [item]);
  }
  return groups;
}

/**
 * Pairs each dataset record with at most one stored DATASET row (see the tiers above). Within one
 * (member, parent, kind) neither side overlaps itself, so matching in start order is unambiguous.
 */
function matchLinks(rows: readonly OrganizationLinkRow[], targets: readonly LinkState[]) {
  const unmatchedRows = new Set(rows);
  const unmatchedTargets = new Set(targets);
  const pairs: Update[] = [];
  const pair = (row: OrganizationLinkRow, target: LinkState) => {
    pairs.push({ row, target });
    unmatchedRows.delete(row);
    unmatchedTargets.delete(target);
  };
  const tiers: Array<{ group: (l: LinkState) => string; matches: (row: LinkState, target: LinkState) => boolean }> = [
    { group: (l) => `${l.memberId}/${l.parentId}/${l.kind}/${l.startDate}`, matches: () => true },
    {
      group: (l) => `${l.memberId}/${l.parentId}/${l.kind}`,
      matches: (r, t) => overlapping({ start: r.startDate, end: r.endDate }, { start: t.startDate, end: t.endDate }),
    },
    { group: (l) => `${l.memberId}/${l.kind}/${l.startDate}/${l.endDate}`, matches: () => true },
  ];
  for (const tier of tiers) {
    const rowsByGroup = groupBy([...unmatchedRows].sort(byStart), tier.group);
    for (const target of [...unmatchedTargets].sort(byStart)) {
      const candidates = rowsByGroup.get(tier.group(target));
      const index = candidates?.findIndex((row) => tier.matches(row, target)) ?? -1;
      if (index < 0) continue;
      pair(candidates![index]!, target);
      candidates!.splice(index, 1);
    }
  }
  return { pairs, inserts: [...unmatchedTargets], deletes: [...unmatchedRows] };
}

/**
 * Orders the updates of one member so that each runs only once no update still pending keeps old
 * dates its new state collides with (a shortened link goes before the one extended into its place).
 * Should updates ever wait on each other in a cycle, one of them is rewritten as a delete (now) and
 * an insert (with the other inserts, once every update is done).
 */
function orderUpdates(updates: readonly Update[]): { ordered: Update[]; recreated: Update[] } {
  const ordered: Update[] = [];
  const recreated: Update[] = [];
  for (const group of groupBy(updates, (u) => String(u.row.memberId)).values()) {
    const pending = [...group];
    while (pending.length > 0) {
      const index = pending.findIndex((u) => pending.every((other) => other === u || !conflict(u.target, other.row)));
      if (index >= 0) ordered.push(...pending.splice(index, 1));
      else recreated.push(...pending.splice(0, 1));
    }
  }
  return { ordered, recreated };
}

export async function writeLinks(
  tx: Tx,
  jurisdictionId: number,
  records: readonly LinkRecord[],
  organizationIds: ReadonlyMap<string, number>,
): Promise<{ counts: TableCounts; removed: RemovedRow[] }> {
  const slugById = new Map([...organizationIds].map(([slug, id]) => [id, slug]));
  const slug = (id: number) => slugById.get(id) ?? `organization #${id}`;
  const keyOf = (l: LinkState) => linkKey({ member_key: slug(l.memberId), parent_key: slug(l.parentId), kind: l.kind, start_date: l.startDate });
  const describe = (l: LinkState) => `${slug(l.memberId)} -> ${slug(l.parentId)} (${l.kind}, [${l.startDate ?? '…'}, ${l.endDate ?? '…'}))`;

  const targets: LinkState[] = records.map((r) => ({
    memberId: organizationIds.get(r.member_key)!,
    parentId: organizationIds.get(r.parent_key)!,
    kind: r.kind,
    startDate: r.start_date,
    endDate: r.end_date,
    note: r.note,
  }));
  const jurisdictionLinks = await tx
    .select()
    .from(organizationLinks)
    .where(
      inArray(
        organizationLinks.memberId,
        tx.select({ id: organizations.id }).from(organizations).where(eq(organizations.jurisdictionId, jurisdictionId)),
      ),
    );
  // The importer's own links; every other link of the jurisdiction's organizations is left alone.
  const ours = (l: OrganizationLinkRow) => l.origin === 'DATASET' && l.jurisdictionId === jurisdictionId;
  const stored = jurisdictionLinks.filter(ours);
  const staff = jurisdictionLinks.filter((l) => !ours(l));

  // Staff links win until the dataset agrees with them: refuse before writing anything.
  const staffByMember = groupBy(staff, (l) => String(l.memberId));
  const conflicts: string[] = [];
  for (const target of targets) {
    for (const link of staffByMember.get(String(target.memberId)) ?? []) {
      const rule = conflict(target, link);
      if (!rule) continue;
      const why = rule === 'coalition' ? `"${slug(target.memberId)}" would be in two district coalitions at once` : 'the same link over overlapping dates';
      conflicts.push(`dataset link ${describe(target)} conflicts with staff link #${link.id} ${describe(link)}: ${why}`);
    }
  }
  if (conflicts.length > 0) throw new StaffLinkConflictError(conflicts);

  const { pairs, inserts, deletes } = matchLinks(stored, targets);
  const changed = pairs.filter((p) => !sameState(p.row, p.target));
  const { ordered, recreated } = orderUpdates(changed);
  const counts: TableCounts = { inserted: inserts.length, updated: changed.length, unchanged: pairs.length - changed.length };

  const toDelete = [...deletes.map((row) => row.id), ...recreated.map((u) => u.row.id)];
  if (toDelete.length > 0) await tx.delete(organizationLinks).where(inArray(organizationLinks.id, toDelete));
  for (const { row, target } of ordered) {
    const { parentId, startDate, endDate, note } = target;
    try {
      await tx.update(organizationLinks).set({ parentId, startDate, endDate, note }).where(eq(organizationLinks.id, row.id));
    } catch (error) {
      throw new Error(`updating link ${describe(row)} to ${describe(target)}: ${reason(error)}`, { cause: error });
    }
  }
  const newRows = [...inserts, ...recreated.map((u) => u.target)].map((l) => ({ ...l, jurisdictionId, origin: 'DATASET' as const }));
  if (newRows.length > 0) {
    // Every row left in the table now agrees with the final state, so the new ones go in one statement.
    try {
      await tx.insert(organizationLinks).values(newRows);
    } catch (error) {
      const shown = newRows.slice(0, 5).map(describe).join('; ') + (newRows.length > 5 ? `; … and ${newRows.length - 5} more` : '');
      throw new Error(`inserting link(s) ${shown}: ${reason(error)}`, { cause: error });
    }
  }

  const removed = deletes
    .map((row): RemovedRow => ({ table: 'organization_links', key: keyOf(row) }))
    .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  return { counts, removed };
}
