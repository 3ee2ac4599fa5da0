/**
 * Portland's compliance requirements for neighborhood associations (compliance_requirements.csv):
 * City Code 3.96 and the Standards for Neighborhood Associations, District Coalitions and Business
 * District Associations (adopted 2005, Resolution 36329), as ../shared/DOMAIN.md and
 * reference/domain-anchors.md §7 summarise them. The Standards do not state every interval: where a
 * recurrence below is ours (elections and minutes yearly, with the annual meeting), its description says so.
 */
import type { ComplianceRequirementRecord } from '../format.ts';

const STANDARDS = 'Portland City Code 3.96 and the Standards for Neighborhood Associations (2005, Resolution 36329), https://www.portland.gov/civic/standards-and-city-code';
const NA = 'NEIGHBORHOOD_ASSOCIATION';

export const COMPLIANCE_REQUIREMENTS: ComplianceRequirementRecord[] = [
  { organization_kind: NA, code: 'BYLAWS_ON_FILE', name: 'Bylaws on file', description: 'Current bylaws, consistent with the articles of incorporation and stating the boundaries, are on file with Civic Life. Met once (the day adopted); record new evidence when the bylaws are amended.', recurrence_months: null, met_by: 'EVIDENCE', source: `${STANDARDS} (Section III)`, sort_order: 1 },
  { organization_kind: NA, code: 'ANNUAL_MEETING', name: 'Annual meeting held', description: 'A general membership meeting is held every year, with public notice. Evidence: the meeting date and its minutes.', recurrence_months: 12, met_by: 'EVIDENCE', source: `${STANDARDS} (Section III)`, sort_order: 2 },
  { organization_kind: NA, code: 'ELECTIONS_HELD', name: 'Elections held', description: 'The board is elected by the members as the bylaws provide. Yearly here (usually at the annual meeting): our assumption, as the Standards leave the interval to the bylaws.', recurrence_months: 12, met_by: 'EVIDENCE', source: `${STANDARDS} (Section III)`, sort_order: 3 },
  { organization_kind: NA, code: 'GRIEVANCE_PROCEDURE', name: 'Grievance procedure', description: 'The bylaws include a procedure for grievances. Met once (the day adopted).', recurrence_months: null, met_by: 'EVIDENCE', source: `${STANDARDS} (grievance section)`, sort_order: 4 },
  { organization_kind: NA, code: 'NONDISCRIMINATION_CLAUSE', name: 'Nondiscrimination clause', description: 'The bylaws include a nondiscrimination clause that covers gender identity. Met once (the day adopted).', recurrence_months: null, met_by: 'EVIDENCE', source: `${STANDARDS} (Section III)`, sort_order: 5 },
  { organization_kind: NA, code: 'MINUTES_ATTENDANCE_AND_VOTES', name: 'Minutes record attendance and votes', description: 'Minutes of meetings list the members attending, motions in full, vote results and minority opinions, and are public and forwarded to the district coalition. Evidence: the latest such minutes, yearly here (our assumption: at least those of the annual meeting).', recurrence_months: 12, met_by: 'EVIDENCE', source: `${STANDARDS} (Section VIII, Open Meetings and Public Records)`, sort_order: 6 },
];
