/** SQL for compliance: requirements per jurisdiction, evidence per organization, active organizations of the kinds that have requirements. */
import { and, asc, desc, eq, inArray, isNull } from 'drizzle-orm';
import type { Database } from '../../db/client.ts';
import { complianceEvidence, complianceRequirements, organizations, type ComplianceEvidenceRow, type ComplianceRequirementRow, type OrganizationRow } from '../../db/schema/index.ts';

/** Each jurisdiction's requirements, in the dataset's order per kind: one statement for any number of jurisdictions. */
export function requirementsByJurisdictionIds(db: Database, ids: readonly number[]): Promise<ComplianceRequirementRow[]> {
  return db
    .select()
    .from(complianceRequirements)
    .where(inArray(complianceRequirements.jurisdictionId, [...ids]))
    .orderBy(asc(complianceRequirements.organizationKind), asc(complianceRequirements.sortOrder), asc(complianceRequirements.code));
}

/** Every piece of evidence of these organizations, withdrawn included, latest metOn first: one statement. */
export function evidenceByOrganizationIds(db: Database, ids: readonly number[]): Promise<ComplianceEvidenceRow[]> {
  if (ids.length === 0) return Promise.resolve([]);
  return db
    .select()
    .from(complianceEvidence)
    .where(inArray(complianceEvidence.organizationId, [...ids]))
    .orderBy(desc(complianceEvidence.metOn), desc(complianceEvidence.id));
}

export async function evidenceById(db: Database, id: number, forUpdate = false): Promise<ComplianceEvidenceRow | null> {
  const query = db.select().from(complianceEvidence).where(eq(complianceEvidence.id, id));
  const [row] = forUpdate ? await query.for('update') : await query;
  return row ?? null;
}

/** Standing evidence of the same requirement and date, if any (a duplicate). */
export async function standingEvidence(db: Database, organizationId: number, requirementCode: string, metOn: string): Promise<ComplianceEvidenceRow | null> {
  const [row] = await db
    .select()
    .from(complianceEvidence)
    .where(and(eq(complianceEvidence.organizationId, organizationId), eq(complianceEvidence.requirementCode, requirementCode), eq(complianceEvidence.metOn, metOn), isNull(complianceEvidence.withdrawnOn)))
    .limit(1);
  return row ?? null;
}

export async function insertEvidence(db: Database, values: typeof complianceEvidence.$inferInsert): Promise<ComplianceEvidenceRow> {
  const [row] = await db.insert(complianceEvidence).values(values).returning();
  return row!;
}

export async function withdrawEvidence(db: Database, id: number, values: Pick<ComplianceEvidenceRow, 'withdrawnOn' | 'withdrawnBy' | 'withdrawalReason'>): Promise<ComplianceEvidenceRow> {
  const [row] = await db
    .update(complianceEvidence)
    .set({ ...values, withdrawnAt: new Date() })
    .where(eq(complianceEvidence.id, id))
    .returning();
  return row!;
}

/** The jurisdiction's active organizations of these kinds, by name: the ones whose compliance the staff lists check. */
export function activeOrganizationsOfKinds(db: Database, jurisdictionId: number, kinds: readonly string[]): Promise<OrganizationRow[]> {
  if (kinds.length === 0) return Promise.resolve([]);
  return db
    .select()
    .from(organizations)
    .where(and(eq(organizations.jurisdictionId, jurisdictionId), inArray(organizations.kind, [...kinds]), eq(organizations.status, 'ACTIVE')))
    .orderBy(asc(organizations.name), asc(organizations.id));
}
