/**
 * Portland's kinds (kinds.csv): the codes are the names of the old DivisionKind / OrganizationKind
 * enums, so existing clients see no change; the policies are today's Portland behaviour.
 */
import type { KindRecord } from '../format.ts';

const SOURCE = 'civic-graph: the Portland kinds of the DivisionKind and OrganizationKind enums before issue 13';

type Row = Omit<KindRecord, 'source' | 'overlap_policy' | 'recognition_model' | 'registration_term_months' | 'registration_intake_month'> &
  Partial<Pick<KindRecord, 'overlap_policy' | 'recognition_model' | 'registration_term_months' | 'source'>>;

const ROWS: Row[] = [
  { scope: 'DIVISION', code: 'CITY', category: 'CITY', name: 'City', plural_name: 'Cities', overlap_policy: 'NEVER', locate: 'NONE', sort_order: 1 },
  { scope: 'DIVISION', code: 'COUNCIL_DISTRICT', category: 'COUNCIL_DISTRICT', name: 'Council district', plural_name: 'Council districts', overlap_policy: 'NEVER', locate: 'ONE', sort_order: 2 },
  // Coalition service areas of the two coalition models (before and after 2024-07-01) cover the same ground.
  { scope: 'DIVISION', code: 'COALITION_AREA', category: 'COALITION_AREA', name: 'Coalition area', plural_name: 'Coalition areas', overlap_policy: 'FREELY', locate: 'NONE', sort_order: 3 },
  // Neighborhood association boundaries overlap only by written agreement (DOMAIN.md; ONI Standards).
  { scope: 'DIVISION', code: 'NEIGHBORHOOD', category: 'NEIGHBORHOOD', name: 'Neighborhood', plural_name: 'Neighborhoods', overlap_policy: 'WITH_AGREEMENT', locate: 'ALL', sort_order: 4 },
  { scope: 'DIVISION', code: 'BUSINESS_DISTRICT', category: 'BUSINESS_DISTRICT', name: 'Business district', plural_name: 'Business districts', overlap_policy: 'FREELY', locate: 'ALL', sort_order: 5 },
  { scope: 'ORGANIZATION', code: 'NEIGHBORHOOD_ASSOCIATION', category: 'NEIGHBORHOOD_ASSOCIATION', name: 'Neighborhood association', plural_name: 'Neighborhood associations', recognition_model: 'RECOGNITION', locate: 'ALL', sort_order: 1 },
  { scope: 'ORGANIZATION', code: 'BUSINESS_DISTRICT_ASSOCIATION', category: 'BUSINESS_DISTRICT_ASSOCIATION', name: 'Business district association', plural_name: 'Business district associations', recognition_model: 'NONE', locate: 'ALL', sort_order: 2 },
  { scope: 'ORGANIZATION', code: 'DISTRICT_COALITION', category: 'DISTRICT_COALITION', name: 'District coalition', plural_name: 'District coalitions', recognition_model: 'NONE', locate: 'ALL', sort_order: 3 },
  { scope: 'ORGANIZATION', code: 'ADVISORY_BODY', category: 'ADVISORY_BODY', name: 'Advisory body', plural_name: 'Advisory bodies', recognition_model: 'NONE', locate: 'NONE', sort_order: 4 },
  { scope: 'ORGANIZATION', code: 'COUNCIL', category: 'COUNCIL', name: 'City council', plural_name: 'City councils', recognition_model: 'NONE', locate: 'NONE', sort_order: 5 },
  { scope: 'ORGANIZATION', code: 'NETWORK', category: 'NETWORK', name: 'Network', plural_name: 'Networks', recognition_model: 'NONE', locate: 'NONE', sort_order: 6 },
  // The Mayor's and the Auditor's posts: offices elected citywide, not a council (SOURCES.md).
  {
    scope: 'ORGANIZATION',
    code: 'ELECTED_OFFICE',
    category: 'OTHER',
    name: 'Elected office',
    plural_name: 'Elected offices',
    recognition_model: 'NONE',
    locate: 'NONE',
    sort_order: 7,
    source: 'City Charter Chapter 3 (https://www.portland.gov/charter/3/all-articles): the Mayor and the Auditor, elected citywide',
  },
];

export function buildKinds(): KindRecord[] {
  return ROWS.map((r) => ({
    overlap_policy: null,
    recognition_model: null,
    registration_term_months: null,
    registration_intake_month: null,
    source: SOURCE,
    ...r,
  }));
}
