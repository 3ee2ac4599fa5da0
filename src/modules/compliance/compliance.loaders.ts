import DataLoader from 'dataloader';
import type { Database } from '../../db/client.ts';
import type { ComplianceEvidenceRow, ComplianceRequirementRow } from '../../db/schema/index.ts';
import { evidenceByOrganizationIds, requirementsByJurisdictionIds } from './compliance.repository.ts';

function grouped<Row>(fetch: (ids: readonly number[]) => Promise<Row[]>, keyOf: (row: Row) => number): DataLoader<number, Row[]> {
  return new DataLoader(async (ids) => {
    const byId = new Map<number, Row[]>();
    for (const row of await fetch(ids)) {
      const list = byId.get(keyOf(row)) ?? [];
      list.push(row);
      byId.set(keyOf(row), list);
    }
    return ids.map((id) => byId.get(id) ?? []);
  });
}

/** Requirements per jurisdiction and evidence per organization: one statement per level, whatever the number of organizations. */
export function createComplianceLoaders(db: Database) {
  return {
    complianceRequirementsByJurisdictionId: grouped<ComplianceRequirementRow>((ids) => requirementsByJurisdictionIds(db, ids), (r) => r.jurisdictionId),
    complianceEvidenceByOrganizationId: grouped<ComplianceEvidenceRow>((ids) => evidenceByOrganizationIds(db, ids), (e) => e.organizationId),
  };
}
