/**
 * Land-use notice rules (notice_procedures.csv, notice_rules.csv, notice_deadlines.csv), written
 * after kinds.csv (a rule names an organization kind). They are the city's rules as its dataset
 * states them, so the jurisdiction's rows are made to match the files exactly: replaced in the
 * import's transaction, with counts of what the replacement changed.
 */
import { eq } from 'drizzle-orm';
import type { NoticeDeadlineRecord, NoticeProcedureRecord, NoticeRuleRecord } from '../datasets/format.ts';
import { noticeDeadlines, noticeProcedures, noticeRules } from '../db/schema/index.ts';
import type { OverlapCounts } from './summary.ts';
import type { Tx } from './upsert.ts';

export interface NoticeRecords {
  noticeProcedures: readonly NoticeProcedureRecord[];
  noticeRules: readonly NoticeRuleRecord[];
  noticeDeadlines: readonly NoticeDeadlineRecord[];
}

/** Rows of each table as comparable text, so unchanged rows are counted as unchanged. */
const keyed = <T>(rows: readonly T[], key: (row: T) => string, value: (row: T) => unknown) => new Map(rows.map((r) => [key(r), JSON.stringify(value(r))]));

function countChanges(before: Map<string, string>, after: Map<string, string>): OverlapCounts {
  const counts: OverlapCounts = { inserted: 0, updated: 0, unchanged: 0, deleted: 0 };
  for (const [key, value] of after) {
    const old = before.get(key);
    if (old === undefined) counts.inserted++;
    else if (old === value) counts.unchanged++;
    else counts.updated++;
  }
  for (const key of before.keys()) if (!after.has(key)) counts.deleted++;
  return counts;
}

export async function writeNotices(tx: Tx, jurisdictionId: number, records: NoticeRecords): Promise<{ procedures: OverlapCounts; rules: OverlapCounts; deadlines: OverlapCounts }> {
  const [procedures, rules, deadlines] = await Promise.all([
    tx.select().from(noticeProcedures).where(eq(noticeProcedures.jurisdictionId, jurisdictionId)),
    tx.select().from(noticeRules).where(eq(noticeRules.jurisdictionId, jurisdictionId)),
    tx.select().from(noticeDeadlines).where(eq(noticeDeadlines.jurisdictionId, jurisdictionId)),
  ]);
  const counts = {
    procedures: countChanges(
      keyed(procedures, (p) => p.code, (p) => [p.name, p.description, p.source, p.sortOrder]),
      keyed(records.noticeProcedures, (p) => p.code, (p) => [p.name, p.description, p.source, p.sort_order]),
    ),
    rules: countChanges(
      keyed(rules, (r) => `${r.procedureCode} ${r.organizationKind}`, (r) => [r.requirement, r.reach, r.distanceMeters, r.registeredOnly, r.role]),
      keyed(records.noticeRules, (r) => `${r.procedure} ${r.organization_kind}`, (r) => [r.requirement, r.reach, r.distance_meters, r.registered_only, r.role]),
    ),
    deadlines: countChanges(
      keyed(deadlines, (d) => `${d.procedureCode} ${d.step}`, (d) => [d.label, d.responsible, d.days, d.countedFrom]),
      keyed(records.noticeDeadlines, (d) => `${d.procedure} ${d.step}`, (d) => [d.label, d.responsible, d.days, d.counted_from]),
    ),
  };
  const changed = Object.values(counts).some((c) => c.inserted + c.updated + c.deleted > 0);
  if (!changed) return counts;
  // Rules and deadlines go with their procedures (foreign keys, on delete cascade).
  await tx.delete(noticeProcedures).where(eq(noticeProcedures.jurisdictionId, jurisdictionId));
  if (records.noticeProcedures.length) {
    await tx.insert(noticeProcedures).values(
      records.noticeProcedures.map((p) => ({ jurisdictionId, code: p.code, name: p.name, description: p.description, source: p.source, sortOrder: p.sort_order, origin: 'DATASET' as const })),
    );
  }
  if (records.noticeRules.length) {
    await tx.insert(noticeRules).values(
      records.noticeRules.map((r) => ({
        jurisdictionId,
        procedureCode: r.procedure,
        organizationKind: r.organization_kind,
        requirement: r.requirement,
        reach: r.reach,
        distanceMeters: r.distance_meters,
        registeredOnly: r.registered_only,
        role: r.role,
      })),
    );
  }
  if (records.noticeDeadlines.length) {
    await tx.insert(noticeDeadlines).values(
      records.noticeDeadlines.map((d) => ({ jurisdictionId, procedureCode: d.procedure, step: d.step, label: d.label, responsible: d.responsible, days: d.days, countedFrom: d.counted_from })),
    );
  }
  return counts;
}
