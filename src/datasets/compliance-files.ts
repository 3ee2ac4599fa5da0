/** The compliance file of a city's dataset, written by its converter from the city's compliance.ts. */
import { COMPLIANCE_REQUIREMENT_COLUMNS, DATASET_FILES, type ComplianceRequirementRecord } from './format.ts';
import { toCsv } from './write.ts';

export function complianceFiles(requirements: readonly ComplianceRequirementRecord[]): Record<string, string> {
  return { [DATASET_FILES.complianceRequirements]: toCsv(COMPLIANCE_REQUIREMENT_COLUMNS, [...requirements]) };
}
