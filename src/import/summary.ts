/** What an import did, table by table; stored as JSON in dataset_imports.summary. */

export interface TableCounts {
  inserted: number;
  updated: number;
  unchanged: number;
}

export interface OverlapCounts extends TableCounts {
  deleted: number;
}

/**
 * A division, organization or post of the jurisdiction that the dataset no longer lists. It is
 * reported and kept: memberships, history and staff records may refer to it.
 */
export interface MissingRow {
  table: 'divisions' | 'organizations' | 'posts';
  key: string;
}

/**
 * An org-in-org link the importer had written that the dataset no longer lists: links are pure
 * relationships (nothing refers to them), so the import deleted it.
 */
export interface RemovedRow {
  table: 'organization_links';
  key: string;
}

export interface ImportSummary {
  jurisdiction: string;
  contentHash: string;
  counts: {
    jurisdictions: TableCounts;
    /** Division and organization kinds (kinds.csv), together. */
    kinds?: TableCounts;
    divisions: TableCounts;
    organizations: TableCounts;
    posts: TableCounts;
    organizationLinks: TableCounts;
    /** Public officials of people.csv and their terms of memberships.csv (absent in older summaries). */
    people?: TableCounts;
    memberships?: TableCounts;
    /** Office channels of organization_contacts.csv; `deleted`: dataset channels the file no longer lists. */
    organizationContacts?: OverlapCounts;
    /** composition_rules.csv: made to match the file (deleted = rules no longer listed). */
    compositionRules: OverlapCounts;
    /** notice_*.csv: made to match the files (absent in older summaries). */
    noticeProcedures?: OverlapCounts;
    noticeRules?: OverlapCounts;
    noticeDeadlines?: OverlapCounts;
    /** compliance_requirements.csv: made to match the file (absent in older summaries). */
    complianceRequirements?: OverlapCounts;
    divisionOverlaps: OverlapCounts;
  };
  /** Sample (demo) terms deleted from posts that memberships.csv fills with real holders. */
  sampleMembershipsRemoved?: number;
  /** Kept, reported only. */
  missing: MissingRow[];
  /** Deleted by this import. */
  removed: RemovedRow[];
  timings: { totalMs: number; overlapsMs: number };
}

export function emptyCounts(): TableCounts {
  return { inserted: 0, updated: 0, unchanged: 0 };
}

export function addCounts(a: TableCounts, b: TableCounts): TableCounts {
  return { inserted: a.inserted + b.inserted, updated: a.updated + b.updated, unchanged: a.unchanged + b.unchanged };
}

export function formatSummary(s: ImportSummary): string {
  const lines = [`Imported jurisdiction "${s.jurisdiction}" (content ${s.contentHash.slice(0, 12)})`];
  for (const [table, c] of Object.entries(s.counts)) {
    if (!c) continue;
    const deleted = 'deleted' in c ? `, ${c.deleted} deleted` : '';
    lines.push(`  ${table.padEnd(18)} ${c.inserted} inserted, ${c.updated} updated, ${c.unchanged} unchanged${deleted}`);
  }
  if (s.sampleMembershipsRemoved) lines.push(`  ${s.sampleMembershipsRemoved} sample membership(s) removed from posts real officials hold`);
  if (s.missing.length) {
    lines.push(`  ${s.missing.length} row(s) in the database are no longer in the dataset (kept, not deleted):`);
    for (const m of s.missing) lines.push(`    ${m.table}: ${m.key}`);
  }
  if (s.removed.length) {
    lines.push(`  ${s.removed.length} dataset link(s) are no longer in the dataset (removed, deleted):`);
    for (const r of s.removed) lines.push(`    ${r.table}: ${r.key}`);
  }
  lines.push(`  took ${s.timings.totalMs} ms (overlaps ${s.timings.overlapsMs} ms)`);
  return lines.join('\n');
}
