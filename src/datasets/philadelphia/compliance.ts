/**
 * Philadelphia's requirements for Registered Community Organizations (compliance_requirements.csv),
 * from ../shared/data/philadelphia/FACTS.md: Zoning Code §14-303(11A) and the City's RCO program
 * page. Special Services and Neighborhood Improvement Districts are exempt from the extra
 * requirements and ward committees owe only the boundary and open-meeting ones; the dataset has
 * one RCO kind, so staff leave those exempt requirements without evidence (the descriptions say so).
 * Elections and the parcel limit are checked at each registration (every 24 months): our reading.
 */
import type { ComplianceRequirementRecord } from '../format.ts';

const CODE = 'Philadelphia Zoning Code §14-303(11A), https://codelibrary.amlegal.com/codes/philadelphia/latest/philadelphia_pa/0-0-0-288947';
const PROGRAM = 'City of Philadelphia, Registered Community Organizations, https://www.phila.gov/programs/registered-community-organizations-rcos/';
const RCO = 'REGISTERED_COMMUNITY_ORGANIZATION';

export const COMPLIANCE_REQUIREMENTS: ComplianceRequirementRecord[] = [
  { organization_kind: RCO, code: 'OPEN_MEETINGS', name: 'Open, announced meetings', description: 'Regularly scheduled meetings, open to the public and publicly announced. Evidence: a meeting and its public announcement, yearly (ward committees: their zoning meetings).', recurrence_months: 12, met_by: 'EVIDENCE', source: CODE, sort_order: 1 },
  { organization_kind: RCO, code: 'ELECTED_LEADERSHIP', name: 'Elected leadership', description: 'Leaders are chosen by the members at regularly scheduled elections. Checked at each registration (every 24 months, our reading). Not required of ward committees, SSDs and NIDs.', recurrence_months: 24, met_by: 'EVIDENCE', source: PROGRAM, sort_order: 2 },
  { organization_kind: RCO, code: 'PARCEL_LIMIT', name: 'At most 20,000 parcels', description: 'The area of concern holds no more than 20,000 parcels (park parcels not counted), within the boundaries of the governing documents. Checked at each registration (every 24 months). Not required of SSDs and NIDs.', recurrence_months: 24, met_by: 'EVIDENCE', source: CODE, sort_order: 3 },
  { organization_kind: RCO, code: 'REGISTRATION_RENEWED', name: 'Registration renewed', description: 'The registration is renewed every two years (intake each June). Derived from the registration dates: met while registered, overdue once expired; no evidence is recorded for it.', recurrence_months: null, met_by: 'REGISTRATION', source: 'City of Philadelphia, RCO application period (2020-06-10), https://www.phila.gov/2020-06-10-city-announces-rco-application-period/', sort_order: 4 },
];
