/**
 * New York's land-use notice rules (notice_*.csv), from FACTS.md "Role in ULURP" (City Charter
 * §197-c): the community board of the district holding the site reviews first.
 */
import type { CityNotices } from '../notice-files.ts';

const SOURCE = 'New York City Charter §197-c (ULURP), http://law.justia.com/newyork/codes/new-york-city-charter/nyc0197-c_197-c.html; CUNY Macaulay ULURP guide';

export const NOTICES: CityNotices = {
  procedures: [
    {
      code: 'ULURP',
      name: 'Uniform Land Use Review Procedure',
      description:
        'Rezonings, special permits, city map changes, site selection for capital projects and dispositions of city property. The filing date is the day the Department of City Planning certifies the application as complete; each step then has its days in turn. A community board that does not act in its window does not stop the clock. Joint interest areas have no community board.',
      source: SOURCE,
      sort_order: 1,
    },
  ],
  rules: [
    {
      procedure: 'ULURP',
      organization_kind: 'COMMUNITY_BOARD',
      requirement: 'MUST',
      reach: 'CONTAINS_SITE',
      distance_meters: null,
      registered_only: false,
      role: 'Holds a public hearing and sends its recommendation within 60 days of certification',
    },
  ],
  deadlines: [
    { procedure: 'ULURP', step: 1, label: 'The community board holds a public hearing and sends its recommendation', responsible: 'The community board', days: 60, counted_from: 'FILING' },
    { procedure: 'ULURP', step: 2, label: 'The borough president sends a recommendation (a borough board may comment)', responsible: 'The borough president', days: 30, counted_from: 'PREVIOUS_STEP' },
    { procedure: 'ULURP', step: 3, label: 'The City Planning Commission holds a hearing and decides', responsible: 'City Planning Commission', days: 60, counted_from: 'PREVIOUS_STEP' },
    { procedure: 'ULURP', step: 4, label: 'The City Council reviews, where it must or chooses to', responsible: 'City Council', days: 50, counted_from: 'PREVIOUS_STEP' },
    { procedure: 'ULURP', step: 5, label: 'The Mayor may veto (the Council may override by two thirds)', responsible: 'The Mayor', days: 5, counted_from: 'PREVIOUS_STEP' },
  ],
};
