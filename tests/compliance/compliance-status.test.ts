/** The status rule alone (src/modules/compliance/compliance.service.ts `requirementStatus`), as plain unit tests. */
import { describe, expect, it } from 'vitest';
import type { ComplianceEvidenceRow, ComplianceRequirementRow, OrganizationRow } from '../../src/db/schema/index.ts';
import { requirementStatus } from '../../src/modules/compliance/compliance.service.ts';

const org = { id: 1, jurisdictionId: 1, kind: 'NEIGHBORHOOD_ASSOCIATION', registeredOn: null, registrationExpiresOn: null } as unknown as OrganizationRow;
const yearly = { jurisdictionId: 1, organizationKind: 'NEIGHBORHOOD_ASSOCIATION', code: 'ANNUAL_MEETING', recurrenceMonths: 12, metBy: 'EVIDENCE' } as ComplianceRequirementRow;
let nextId = 1;
const evidence = (metOn: string, withdrawnOn: string | null = null, code = 'ANNUAL_MEETING') =>
  ({ id: nextId++, organizationId: 1, jurisdictionId: 1, requirementCode: code, metOn, withdrawnOn }) as ComplianceEvidenceRow;

describe('requirementStatus', () => {
  it('a leap day met counts through the last day of February a year later', () => {
    const rows = [evidence('2024-02-29')];
    expect(requirementStatus(org, yearly, rows, '2025-02-28', 0)).toMatchObject({ status: 'DUE_SOON', nextDueOn: '2025-02-28' });
    expect(requirementStatus(org, yearly, rows, '2025-03-01', 0)).toMatchObject({ status: 'OVERDUE', nextDueOn: '2025-02-28' });
  });

  it('the latest evidence counting on the date wins; later and withdrawn evidence does not count', () => {
    const rows = [evidence('2023-05-01'), evidence('2024-05-01', '2024-06-01'), evidence('2025-05-01'), evidence('2024-04-01', null, 'ELECTIONS_HELD')];
    expect(requirementStatus(org, yearly, rows, '2024-05-15')).toMatchObject({ status: 'MET', lastMetOn: '2024-05-01' });
    expect(requirementStatus(org, yearly, rows, '2024-06-01')).toMatchObject({ status: 'OVERDUE', lastMetOn: '2023-05-01', nextDueOn: '2024-05-01' });
    expect(requirementStatus(org, yearly, rows, '2025-05-01')).toMatchObject({ status: 'MET', lastMetOn: '2025-05-01' });
  });

  it('DUE_SOON from dueSoonDays days before the due date (2025-01-10 less 60 days), MET before that', () => {
    const rows = [evidence('2024-01-10')];
    expect(requirementStatus(org, yearly, rows, '2024-11-10', 60).status).toBe('MET');
    expect(requirementStatus(org, yearly, rows, '2024-11-11', 60).status).toBe('DUE_SOON');
  });

  it('a requirement met once never comes due', () => {
    const once = { ...yearly, code: 'BYLAWS_ON_FILE', recurrenceMonths: null };
    expect(requirementStatus(org, once, [evidence('1990-01-01', null, 'BYLAWS_ON_FILE')], '2099-01-01')).toMatchObject({ status: 'MET', nextDueOn: null });
  });
});
