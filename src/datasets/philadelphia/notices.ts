/**
 * Philadelphia's land-use notice rules (notice_*.csv), from FACTS.md "What RCOs are notified of"
 * (Zoning Code §14-303(12)) and the City's RCO pages it cites.
 */
import type { CityNotices } from '../notice-files.ts';

const SOURCE =
  'Philadelphia Zoning Code §14-303(12) "Neighborhood Notice and Meetings"; https://www.phila.gov/programs/registered-community-organizations-rcos/ and https://www.phila.gov/CITYPLANNING/PROJECTREVIEWS/Pages/RegisteredCommunityOrganizations.aspx (2018)';
const MEETING =
  'The applicant must then attend a public community meeting before the hearing or review. One RCO notified: it convenes the meeting. Several: the district Councilmember may designate a coordinating RCO to convene it. None: the Councilmember hosts the meeting or names a host. A summary of the meeting goes to the Planning Commission, the Zoning Board of Adjustment and the district Council office.';
const ROLE = 'Notified by the Planning Commission; convenes the community meeting (or the coordinating RCO does, when the district Councilmember designates one)';

const procedure = (code: string, name: string, what: string, sort_order: number) => ({ code, name, description: `${what} The Planning Commission notifies every Registered Community Organization whose boundary includes the property and that is registered on the filing date. ${MEETING}`, source: SOURCE, sort_order });

export const NOTICES: CityNotices = {
  procedures: [
    procedure('ZONING_VARIANCE', 'Zoning variance', 'An applicant asks the Zoning Board of Adjustment for a variance from the Zoning Code.', 1),
    procedure('SPECIAL_EXCEPTION', 'Special exception', 'An applicant asks the Zoning Board of Adjustment for a special exception.', 2),
    procedure('CIVIC_DESIGN_REVIEW', 'Civic Design Review', 'A project needs Civic Design Review by the Planning Commission.', 3),
  ],
  rules: ['CIVIC_DESIGN_REVIEW', 'SPECIAL_EXCEPTION', 'ZONING_VARIANCE'].map((code) => ({
    procedure: code,
    organization_kind: 'REGISTERED_COMMUNITY_ORGANIZATION',
    requirement: 'MUST' as const,
    reach: 'CONTAINS_SITE' as const,
    distance_meters: null,
    // A lapsed registration is not notified (§14-303(11A): registered for two years at a time).
    registered_only: true,
    role: ROLE,
  })),
  // The 2014 rules as summarized in ../shared/reference/feature-gaps-2026-12.md ([12]): the
  // Commission sends the contacts within 7 days and the applicant notifies within 10. Both are
  // counted from the filing here: the summary does not say the 10 days start at receipt, and the
  // earlier date is the one an applicant must not miss.
  deadlines: ['CIVIC_DESIGN_REVIEW', 'SPECIAL_EXCEPTION', 'ZONING_VARIANCE'].flatMap((code) => [
    { procedure: code, step: 1, label: 'The Planning Commission sends the applicant the contacts of the RCOs to notify', responsible: 'Philadelphia City Planning Commission', days: 7, counted_from: 'FILING' as const },
    { procedure: code, step: 2, label: 'The applicant notifies each RCO', responsible: 'The applicant', days: 10, counted_from: 'FILING' as const },
  ]),
};
