import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { posts, type PostRow } from '../../src/db/schema/index.ts';
import { toGlobalId } from '../../src/graphql/global-id.ts';
import { createPost, divisionByOcdId, organizationBySlug } from '../helpers/factories.ts';
import type { TestApi } from '../helpers/test-api.ts';
import { AMEND, applicantInput, BUCKMAN, DISTRICT, openBody, openPosting, submit, type Body } from './recruitment-support.ts';

// The Community Budget Advisory Board's member seat, as imported from the Portland dataset: its
// eligibility reads "Resident of the City of Portland" (advisory_bodies.csv's seat text).
// Homes: Vancouver, WA (45.6387, -122.6615), across the Columbia, in no Portland division; a
// Milwaukie home (45.45, -122.63) inside the Ardenwald-Johnson Creek polygon but outside the city's
// council districts (see tests/geography/city-extent.test.ts); Buckman, District 3.
const VANCOUVER_WA = { latitude: 45.6387, longitude: -122.6615 };
const MILWAUKIE = { latitude: 45.45, longitude: -122.63 };

let api: TestApi;
let body: Body;
let citySeat: PostRow;
let postingId: string;
let seatId: string;

beforeAll(async () => {
  ({ api, body } = await openBody());
  const board = await organizationBySlug(api.db, 'community-budget-advisory-board');
  const [seat] = await api.db.select().from(posts).where(and(eq(posts.organizationId, board.id), eq(posts.sourceKey, 'member')));
  citySeat = seat!;
  expect(citySeat.eligibility).toBe('Resident of the City of Portland');
  seatId = toGlobalId('Post', citySeat.id);
  postingId = await openPosting(api, body, { organizationId: toGlobalId('Organization', board.id), postIds: [seatId], title: 'Community Budget Advisory Board', seatsAvailable: 1 });
});
afterAll(() => api.dispose());

async function applied(overrides: Record<string, unknown>) {
  const { data, errors } = await submit(api, applicantInput(postingId, body, { seatPreferences: [seatId], ...overrides }));
  expect(errors).toBeUndefined();
  expect(data!.applicationSubmit.userErrors).toEqual([]);
  return data!.applicationSubmit as { token: string; application: Record<string, any> };
}
const cityCheck = (application: Record<string, any>) => application.eligibility.filter((c: any) => c.rule === 'RESIDES_IN_JURISDICTION');

describe('residence in the city, for a seat "Resident of the City of Portland"', () => {
  it('records a Vancouver, WA applicant as not eligible, saying why', async () => {
    const { application } = await applied({ residencePoint: VANCOUVER_WA });
    expect(cityCheck(application)).toEqual([
      { rule: 'RESIDES_IN_JURISDICTION', post: { id: seatId }, result: 'NOT_ELIGIBLE', method: 'GEOCODED', detail: 'Your home is outside City of Portland; the seat “Member” is for its residents' },
    ]);
    expect(application.isEligible).toBe(false);
  });

  it('records a Milwaukie applicant as not eligible, though an association polygon covers the home', async () => {
    const { application } = await applied({ residencePoint: MILWAUKIE });
    expect(cityCheck(application)).toMatchObject([{ result: 'NOT_ELIGIBLE', method: 'GEOCODED' }]);
    expect(application.isEligible).toBe(false);
  });

  it('records a Buckman applicant as eligible', async () => {
    const { application } = await applied({ residencePoint: BUCKMAN });
    expect(cityCheck(application)).toEqual([
      { rule: 'RESIDES_IN_JURISDICTION', post: { id: seatId }, result: 'ELIGIBLE', method: 'GEOCODED', detail: 'Your home is in City of Portland, whose residents the seat “Member” is for' },
    ]);
    expect(application.isEligible).toBe(true);
  });

  it('takes a named council district of the city as self-attested residence', async () => {
    const district2 = await divisionByOcdId(api.db, DISTRICT(2));
    const { application } = await applied({ residencePoint: null, residenceDivisionId: toGlobalId('Division', district2.id) });
    expect(cityCheck(application)).toMatchObject([{ result: 'ELIGIBLE', method: 'SELF_ATTESTED' }]);
    expect(application.isEligible).toBe(true);
  });

  it('checks again when the applicant amends the home: moving from Vancouver to Buckman makes them eligible', async () => {
    const { token } = await applied({ residencePoint: VANCOUVER_WA });
    const { data } = await api.execute(AMEND, { input: { token, residencePoint: BUCKMAN } });
    expect(data!.applicationAmend.userErrors).toEqual([]);
    expect(cityCheck(data!.applicationAmend.application)).toMatchObject([{ result: 'ELIGIBLE', method: 'GEOCODED' }]);
  });

  it('lets staff decide the rule for the seat (method STAFF), and refuses it for a seat not preferred', async () => {
    const { application } = await applied({ residencePoint: VANCOUVER_WA });
    const DECIDE = `mutation($input: ApplicationEligibilityDecideInput!) {
      applicationEligibilityDecide(input: $input) { application { isEligible eligibility { rule post { id } result method detail } } userErrors { code field message } }
    }`;
    const decide = (postId: string) =>
      api.execute(DECIDE, { input: { applicationId: application.id, rule: 'RESIDES_IN_JURISDICTION', postId, result: 'ELIGIBLE', detail: 'Moved to a Portland address' } }, { viewer: api.staff() });
    const wrong = await decide(toGlobalId('Post', body.districtSeat.id));
    expect(wrong.data!.applicationEligibilityDecide).toMatchObject({ application: null, userErrors: [{ code: 'NOT_FOUND', field: ['input', 'postId'] }] });
    const { data } = await decide(seatId);
    expect(data!.applicationEligibilityDecide.userErrors).toEqual([]);
    expect(cityCheck(data!.applicationEligibilityDecide.application)).toEqual([
      { rule: 'RESIDES_IN_JURISDICTION', post: { id: seatId }, result: 'ELIGIBLE', method: 'STAFF', detail: 'Moved to a Portland address' },
    ]);
    expect(data!.applicationEligibilityDecide.application.isEligible).toBe(true);
  });

  it('checks both the district and the city for a district seat whose text also asks for city residence', async () => {
    const district3 = await divisionByOcdId(api.db, DISTRICT(3));
    const seat = await createPost(api.db, { jurisdictionId: api.jurisdictionId, organizationId: body.organizationId, label: 'District 3 resident seat', divisionId: district3.id, takesApplications: true, eligibility: 'Resident of the City of Portland' });
    const id = toGlobalId('Post', seat.id);
    const posting = await openPosting(api, body, { postIds: [id], seatsAvailable: 1 });
    const { data } = await submit(api, applicantInput(posting, body, { residencePoint: BUCKMAN, seatPreferences: [id] }));
    expect(data!.applicationSubmit.userErrors).toEqual([]);
    const rules = data!.applicationSubmit.application.eligibility.filter((c: any) => c.post?.id === id).map((c: any) => [c.rule, c.result]);
    expect(rules.sort()).toEqual([['RESIDES_IN_DIVISION', 'ELIGIBLE'], ['RESIDES_IN_JURISDICTION', 'ELIGIBLE']]);
  });

  it('adds no city check to seats without that rule (a district seat, an at-large seat)', async () => {
    const districtPosting = await openPosting(api, body);
    const { data } = await submit(api, applicantInput(districtPosting, body, { residencePoint: VANCOUVER_WA }));
    expect(data!.applicationSubmit.userErrors).toEqual([]);
    expect(cityCheck(data!.applicationSubmit.application)).toEqual([]);
  });
});
