/**
 * Compliance requirements (compliance_requirements.csv), written after kinds.csv (a requirement
 * names an organization kind). They are the city's rules as its dataset states them, so the
 * jurisdiction's rows are made to match the file exactly; evidence staff recorded is kept (it
 * refers to a requirement by code, without a foreign key).
 */
import { eq } from 'drizzle-orm';
import type { ComplianceRequirementRecord } from '../datasets/format.ts';
import { complianceRequirements } from '../db/schema/index.ts';
import type { OverlapCounts } from './summary.ts';
import type { Tx } from './upsert.ts';

export async function writeComplianceRequirements(tx: Tx, jurisdictionId: number, records: readonly ComplianceRequirementRecord[]): Promise<OverlapCounts> {
  const stored = await tx.select().from(complianceRequirements).where(eq(complianceRequirements.jurisdictionId, jurisdictionId));
  const value = (r: { name: string; description: string; recurrence: number | null; metBy: string; source: string; sortOrder: number }) =>
    JSON.stringify([r.name, r.description, r.recurrence, r.metBy, r.source, r.sortOrder]);
  const before = new Map(stored.map((r) => [`${r.organizationKind} ${r.code}`, value({ ...r, recurrence: r.recurrenceMonths })]));
  const after = new Map(
    records.map((r) => [`${r.organization_kind} ${r.code}`, value({ name: r.name, description: r.description, recurrence: r.recurrence_months, metBy: r.met_by, source: r.source, sortOrder: r.sort_order })]),
  );
  const counts: OverlapCounts = { inserted: 0, updated: 0, unchanged: 0, deleted: 0 };
  for (const [key, v] of after) {
    const old = before.get(key);
    if (old === undefined) counts.inserted++;
    else if (old === v) counts.unchanged++;
    else counts.updated++;
  }
  for (const key of before.keys()) if (!after.has(key)) counts.deleted++;
  if (counts.inserted + counts.updated + counts.deleted === 0) return counts;
  await tx.delete(complianceRequirements).where(eq(complianceRequirements.jurisdictionId, jurisdictionId));
  if (records.length) {
    await tx.insert(complianceRequirements).values(
      records.map((r) => ({
        jurisdictionId,
        organizationKind: r.organization_kind,
        code: r.code,
        name: r.name,
        description: r.description,
        recurrenceMonths: r.recurrence_months,
        metBy: r.met_by,
        source: r.source,
        sortOrder: r.sort_order,
        origin: 'DATASET' as const,
      })),
    );
  }
  return counts;
}
