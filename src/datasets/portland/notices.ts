/**
 * Portland's land-use notice rules (notice_*.csv): Neighborhood Contact (Zoning Code 33.705) and
 * the notice of a Type II land use review (33.730), from the City's pages cited in
 * ../shared/reference/feature-gaps-2026-12.md ([11]: portland.gov/code/33/700s,
 * portland.gov/bps/neighborhood-contact/about). Those pages are not vendored with the data, so
 * the rules below were written from them without a copy at hand: each source says so, and
 * src/modules/notices/README.md tells users to check the current Code before relying on a deadline
 * or a distance.
 */
import { FOOT_IN_METERS, type CityNotices } from '../notice-files.ts';

const CONTACT_SOURCE = 'Portland Zoning Code 33.705 (Neighborhood Contact), https://www.portland.gov/bps/neighborhood-contact/about; not vendored here: check the current Code';
const TYPE_II_SOURCE = 'Portland Zoning Code 33.730.020 (Type II procedure: notice of the request), https://www.portland.gov/code/33/700s; not vendored here: check the current Code';

export const NOTICES: CityNotices = {
  procedures: [
    {
      code: 'NEIGHBORHOOD_CONTACT',
      name: 'Neighborhood Contact',
      description:
        'Before applying for certain land use reviews and larger building permits, the applicant contacts the neighborhood association, the district coalition and the business district association whose areas include the site, and may be asked to meet. No deadline is recorded here: the steps and days depend on the project (33.705).',
      source: CONTACT_SOURCE,
      sort_order: 1,
    },
    {
      code: 'LAND_USE_REVIEW_TYPE_II',
      name: 'Land use review, Type II',
      description: 'An administrative land use review decided by staff. Notice of the request is mailed to recognized organizations within 400 feet of the site, which may comment before the decision.',
      source: TYPE_II_SOURCE,
      sort_order: 2,
    },
  ],
  rules: [
    { procedure: 'LAND_USE_REVIEW_TYPE_II', organization_kind: 'NEIGHBORHOOD_ASSOCIATION', requirement: 'MUST', reach: 'WITHIN_DISTANCE', distance_meters: Math.round(400 * FOOT_IN_METERS * 100) / 100, registered_only: false, role: 'Mailed notice of the request; may comment before the decision' },
    { procedure: 'NEIGHBORHOOD_CONTACT', organization_kind: 'BUSINESS_DISTRICT_ASSOCIATION', requirement: 'MUST', reach: 'CONTAINS_SITE', distance_meters: null, registered_only: false, role: 'Contacted by the applicant before the application' },
    { procedure: 'NEIGHBORHOOD_CONTACT', organization_kind: 'DISTRICT_COALITION', requirement: 'MUST', reach: 'CONTAINS_SITE', distance_meters: null, registered_only: false, role: 'Contacted by the applicant before the application' },
    { procedure: 'NEIGHBORHOOD_CONTACT', organization_kind: 'NEIGHBORHOOD_ASSOCIATION', requirement: 'MUST', reach: 'CONTAINS_SITE', distance_meters: null, registered_only: false, role: 'Contacted by the applicant before the application; may ask for a meeting' },
  ],
  deadlines: [],
};
