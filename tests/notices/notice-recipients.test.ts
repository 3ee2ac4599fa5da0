/**
 * `noticeRecipients` (issue 15): who must be notified about a land-use case at a point, under each
 * city's rules as its dataset states them (src/datasets/<city>/notices.ts), as of the filing date.
 * Expected answers are derived here from the API's own public fields (registrations, boundaries)
 * and turf's distance, not copied from the implementation.
 */
import { pointToPolygonDistance } from '@turf/point-to-polygon-distance';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays } from '../../src/input/calendar.ts';
import { createTestApi, type TestApi } from '../helpers/test-api.ts';

let api: TestApi;
beforeAll(async () => {
  api = await createTestApi({ template: 'cities' });
}, 120_000);
afterAll(() => api?.dispose());

const NOTICE = /* GraphQL */ `
  query ($procedure: String!, $latitude: Float!, $longitude: Float!, $filedOn: Date, $jurisdiction: String) {
    noticeRecipients(procedure: $procedure, latitude: $latitude, longitude: $longitude, filedOn: $filedOn, jurisdiction: $jurisdiction) {
      procedure { code name source }
      filedOn
      isInJurisdiction
      councilDistrict { name }
      recipients {
        organization { slug name kindInfo { code } registration(at: $filedOn) { registeredOn expiresOn status } contactChannels { kind value } }
        requirement
        reach
        distanceMeters
        role
      }
      deadlines { step label responsible days countedFrom dueOn }
    }
  }
`;

async function notice(variables: Record<string, unknown>): Promise<any> {
  const { data, errors } = await api.execute(NOTICE, variables);
  expect(errors).toBeUndefined();
  return data!.noticeRecipients;
}

/** src/datasets/philadelphia/KNOWN_POINTS.md */
const PHILADELPHIA_CITY_HALL = { latitude: 39.9526, longitude: -75.1636, jurisdiction: 'philadelphia' };
const CHESTNUT_HILL = { latitude: 40.0763, longitude: -75.2083, jurisdiction: 'philadelphia' };
const CAMDEN_CITY_HALL = { latitude: 39.9448, longitude: -75.1196, jurisdiction: 'philadelphia' };
/** src/datasets/nyc/KNOWN_POINTS.md */
const BROOKLYN_BOROUGH_HALL = { latitude: 40.6928, longitude: -73.9903, jurisdiction: 'nyc' };
/** In Buckman by the river, about 90 m from Old Town's area across it (found from divisions.geojson). */
const BUCKMAN_RIVERSIDE = { latitude: 45.5197, longitude: -122.6674, jurisdiction: 'portland' };

describe('noticeProcedures', () => {
  it('lists each city\'s procedures with their rules and deadlines, from its dataset', async () => {
    const { data, errors } = await api.execute(/* GraphQL */ `{
      phl: noticeProcedures(jurisdiction: "philadelphia") { code rules { organizationKindCode requirement reach registeredOnly } deadlines { step days countedFrom } }
      nyc: noticeProcedures(jurisdiction: "nyc") { code rules { organizationKindCode reach } deadlines { step days countedFrom } }
      pdx: noticeProcedures(jurisdiction: "portland") { code rules { organizationKindCode reach distanceMeters } }
    }`);
    expect(errors).toBeUndefined();
    expect(data!.phl.map((p: any) => p.code)).toEqual(['ZONING_VARIANCE', 'SPECIAL_EXCEPTION', 'CIVIC_DESIGN_REVIEW']);
    for (const p of data!.phl) {
      expect(p.rules).toEqual([{ organizationKindCode: 'REGISTERED_COMMUNITY_ORGANIZATION', requirement: 'MUST', reach: 'CONTAINS_SITE', registeredOnly: true }]);
      expect(p.deadlines).toEqual([{ step: 1, days: 7, countedFrom: 'FILING' }, { step: 2, days: 10, countedFrom: 'FILING' }]);
    }
    expect(data!.nyc).toEqual([
      {
        code: 'ULURP',
        rules: [{ organizationKindCode: 'COMMUNITY_BOARD', reach: 'CONTAINS_SITE' }],
        deadlines: [60, 30, 60, 50, 5].map((days, i) => ({ step: i + 1, days, countedFrom: i === 0 ? 'FILING' : 'PREVIOUS_STEP' })),
      },
    ]);
    const typeII = data!.pdx.find((p: any) => p.code === 'LAND_USE_REVIEW_TYPE_II');
    // 400 feet in meters.
    expect(typeII.rules).toEqual([{ organizationKindCode: 'NEIGHBORHOOD_ASSOCIATION', reach: 'WITHIN_DISTANCE', distanceMeters: 121.92 }]);
  });
});

describe('noticeRecipients in Philadelphia', () => {
  it('names every RCO registered on the filing day whose area holds the site, with its role and deadlines from the filing', async () => {
    const filedOn = '2026-03-02';
    const answer = await notice({ procedure: 'ZONING_VARIANCE', filedOn, ...PHILADELPHIA_CITY_HALL });
    expect(answer.isInJurisdiction).toBe(true);
    expect(answer.filedOn).toBe(filedOn);
    // Its member designates the coordinating RCO (KNOWN_POINTS.md: City Hall is in District 5).
    expect(answer.councilDistrict).toEqual({ name: 'Council District 5' });
    // KNOWN_POINTS.md: two RCOs at City Hall, both registered through 2027.
    expect(answer.recipients.map((r: any) => r.organization.name).sort()).toEqual([
      'Center City Organized for Responsible Development',
      'Center City Residents Association (CCRA)',
    ]);
    for (const r of answer.recipients) {
      expect(r).toMatchObject({ requirement: 'MUST', reach: 'CONTAINS_SITE', distanceMeters: 0 });
      expect(r.organization.kindInfo.code).toBe('REGISTERED_COMMUNITY_ORGANIZATION');
      expect(r.organization.registration.status).toBe('REGISTERED');
      expect(r.role).toMatch(/coordinating RCO/);
    }
    expect(answer.deadlines).toEqual([
      expect.objectContaining({ step: 1, days: 7, countedFrom: 'FILING', dueOn: addDays(filedOn, 7) }),
      expect.objectContaining({ step: 2, days: 10, countedFrom: 'FILING', dueOn: addDays(filedOn, 10) }),
    ]);
  });

  it('leaves out an RCO whose registration has lapsed by the filing day, and keeps it for a filing before', async () => {
    // Chestnut Hill: five RCO areas, one registration ending in 2026 (KNOWN_POINTS.md).
    const early = await notice({ procedure: 'SPECIAL_EXCEPTION', filedOn: '2025-09-01', ...CHESTNUT_HILL });
    expect(early.recipients.length).toBeGreaterThanOrEqual(5);
    const firstToLapse = [...early.recipients].sort((a: any, b: any) => (a.organization.registration.expiresOn < b.organization.registration.expiresOn ? -1 : 1))[0].organization;
    expect(firstToLapse.registration.expiresOn < '2027-01-01').toBe(true);

    const onExpiry = await notice({ procedure: 'SPECIAL_EXCEPTION', filedOn: firstToLapse.registration.expiresOn, ...CHESTNUT_HILL });
    const names = onExpiry.recipients.map((r: any) => r.organization.name);
    expect(names).not.toContain(firstToLapse.name);
    expect(names.length).toBe(early.recipients.length - 1);
    const dayBefore = await notice({ procedure: 'SPECIAL_EXCEPTION', filedOn: addDays(firstToLapse.registration.expiresOn, -1), ...CHESTNUT_HILL });
    expect(dayBefore.recipients.map((r: any) => r.organization.name)).toContain(firstToLapse.name);
  });

  it('answers nothing outside the city, and refuses an unknown procedure, a bad point and a filing too late for its deadlines', async () => {
    const camden = await notice({ procedure: 'ZONING_VARIANCE', ...CAMDEN_CITY_HALL });
    expect(camden).toMatchObject({ isInJurisdiction: false, recipients: [], councilDistrict: null });

    const unknown = await api.execute(NOTICE, { procedure: 'ULURP', ...PHILADELPHIA_CITY_HALL });
    expect(unknown.data).toBeNull();
    expect(unknown.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'procedure' });
    expect(unknown.errors![0]!.message).toContain('ZONING_VARIANCE, SPECIAL_EXCEPTION, CIVIC_DESIGN_REVIEW');

    const tooLong = await api.execute(NOTICE, { procedure: 'X'.repeat(5_000), ...PHILADELPHIA_CITY_HALL });
    expect(tooLong.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'procedure' });
    expect(tooLong.errors![0]!.message.length).toBeLessThan(400);

    const offEarth = await api.execute(NOTICE, { procedure: 'ZONING_VARIANCE', latitude: 91, longitude: 0, jurisdiction: 'philadelphia' });
    expect(offEarth.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'latitude' });

    const late = await api.execute(NOTICE, { procedure: 'ZONING_VARIANCE', filedOn: '9999-12-30', ...PHILADELPHIA_CITY_HALL });
    expect(late.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'filedOn' });
  });

  it('costs the same number of statements at a site with two RCOs as at one with five', async () => {
    const count = async (point: Record<string, unknown>) => {
      api.statements.reset();
      await notice({ procedure: 'ZONING_VARIANCE', filedOn: '2026-03-02', ...point });
      return api.statements.count();
    };
    await count(PHILADELPHIA_CITY_HALL); // boundaries cached, as on a running server
    const two = await count(PHILADELPHIA_CITY_HALL);
    const five = await count(CHESTNUT_HILL);
    expect(five).toBe(two);
    // Jurisdiction, procedure (rules, deadlines), candidates, registrations, kinds, contact channels: never one per recipient.
    expect(five).toBeLessThanOrEqual(9);
  });
});

describe('noticeRecipients in New York', () => {
  it('names the community board of the district holding the site, with ULURP\'s steps each counted from the one before', async () => {
    const filedOn = '2026-04-01';
    const answer = await notice({ procedure: 'ULURP', filedOn, ...BROOKLYN_BOROUGH_HALL });
    expect(answer.isInJurisdiction).toBe(true);
    expect(answer.recipients.map((r: any) => r.organization.slug)).toEqual(['brooklyn-community-board-2']);
    // KNOWN_POINTS.md: Brooklyn Borough Hall is in council district 33.
    expect(answer.councilDistrict.name).toMatch(/\b33\b/);
    expect(answer.recipients[0]).toMatchObject({ requirement: 'MUST', reach: 'CONTAINS_SITE', distanceMeters: 0 });
    let due = filedOn;
    expect(answer.deadlines.map((d: any) => d.dueOn)).toEqual([60, 30, 60, 50, 5].map((days) => (due = addDays(due, days))));
  });
});

describe('noticeRecipients in Portland', () => {
  it('reaches every neighborhood association within 400 feet for a Type II review, and only the ones holding the site for Neighborhood Contact', async () => {
    const typeII = await notice({ procedure: 'LAND_USE_REVIEW_TYPE_II', ...BUCKMAN_RIVERSIDE });
    const contact = await notice({ procedure: 'NEIGHBORHOOD_CONTACT', ...BUCKMAN_RIVERSIDE });
    expect(typeII.isInJurisdiction).toBe(true);

    // Independently: every association's area and its distance from the site (turf, geodesic meters).
    const { data, errors } = await api.execute(/* GraphQL */ `{
      neighborhoodAssociations(first: 100, jurisdiction: "portland") { nodes { slug division { boundary } } }
    }`);
    expect(errors).toBeUndefined();
    const site = [BUCKMAN_RIVERSIDE.longitude, BUCKMAN_RIVERSIDE.latitude];
    const distances = new Map<string, number>();
    for (const na of data!.neighborhoodAssociations.nodes) {
      if (na.division?.boundary) distances.set(na.slug, Math.max(0, pointToPolygonDistance(site, na.division.boundary, { units: 'meters' })));
    }
    const within = [...distances].filter(([, d]) => d <= 121.92).map(([slug]) => slug).sort();
    const holding = [...distances].filter(([, d]) => d === 0).map(([slug]) => slug).sort();
    expect(holding.length).toBeGreaterThanOrEqual(1);
    expect(within.length).toBeGreaterThan(holding.length);

    const reached = typeII.recipients.map((r: any) => r.organization.slug);
    expect([...reached].sort()).toEqual(within);
    for (const r of typeII.recipients) {
      expect(r.reach).toBe('WITHIN_DISTANCE');
      expect(r.distanceMeters).toBeCloseTo(distances.get(r.organization.slug)!, 3);
    }
    // Ordered by distance: the associations holding the site first.
    expect(typeII.recipients.map((r: any) => r.distanceMeters)).toEqual([...typeII.recipients.map((r: any) => r.distanceMeters)].sort((a, b) => a - b));

    const contacted = contact.recipients.filter((r: any) => r.organization.kindInfo.code === 'NEIGHBORHOOD_ASSOCIATION').map((r: any) => r.organization.slug).sort();
    expect(contacted).toEqual(holding);
    // The district coalition whose area (a council district) holds the site is contacted too.
    expect(contact.recipients.some((r: any) => r.organization.kindInfo.code === 'DISTRICT_COALITION')).toBe(true);
    expect(contact.recipients.every((r: any) => r.distanceMeters === 0 && r.reach === 'CONTAINS_SITE')).toBe(true);
  });
});

describe('registrationsExpiring', () => {
  it('lists the RCOs whose registration ends in the window, soonest first, and only those', async () => {
    const QUERY = `query ($before: Date!, $from: Date) {
      registrationsExpiring(before: $before, from: $from, first: 500, jurisdiction: "philadelphia") { name registration(at: $from) { expiresOn status } }
    }`;
    const { data, errors } = await api.execute(QUERY, { from: '2026-01-01', before: '2027-06-30' });
    expect(errors).toBeUndefined();
    const listed = data!.registrationsExpiring;
    // Independently, from every organization's own registration (read page by page).
    const all: any[] = [];
    for (let after: string | null = null; ; ) {
      const page: any = await api.execute(`query ($after: String) { organizations(jurisdiction: "philadelphia", first: 100, after: $after) { nodes { name registration { expiresOn } } pageInfo { hasNextPage endCursor } } }`, { after });
      all.push(...page.data!.organizations.nodes);
      if (!page.data!.organizations.pageInfo.hasNextPage) break;
      after = page.data!.organizations.pageInfo.endCursor;
    }
    expect(all.length).toBeGreaterThan(200);
    const expected = all.filter((o: any) => o.registration && o.registration.expiresOn >= '2026-01-01' && o.registration.expiresOn < '2027-06-30');
    expect(listed.length).toBe(expected.length);
    expect(listed.length).toBeGreaterThan(0);
    expect(listed.map((o: any) => o.name).sort()).toEqual(expected.map((o: any) => o.name).sort());
    const ends = listed.map((o: any) => o.registration.expiresOn);
    expect(ends).toEqual([...ends].sort());
    for (const o of listed) expect(o.registration.status).toBe('REGISTERED');

    // A narrower window lists fewer, and the end is exclusive.
    const firstEnd = ends[0];
    const narrow = await api.execute(QUERY, { from: '2026-01-01', before: firstEnd });
    expect(narrow.data!.registrationsExpiring).toEqual([]);
  });

  it('refuses a window that ends before it starts and a page size out of range', async () => {
    const empty = await api.execute(`{ registrationsExpiring(before: "2026-01-01", from: "2026-01-01", jurisdiction: "philadelphia") { name } }`);
    expect(empty.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'before' });
    const big = await api.execute(`{ registrationsExpiring(before: "2027-01-01", first: 501, jurisdiction: "philadelphia") { name } }`);
    expect(big.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'first' });
  });
});
