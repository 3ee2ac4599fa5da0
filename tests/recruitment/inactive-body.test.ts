import { count, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { memberships, organizations, people, posts, type NewOrganizationRow } from '../../src/db/schema/index.ts';
import { toGlobalId } from '../../src/graphql/global-id.ts';
import { createOrganization, createPost, organizationBySlug } from '../helpers/factories.ts';
import { createTestApi, type TestApi } from '../helpers/test-api.ts';
import {
  addDays,
  applicantInput,
  APPLICATION_FIELDS,
  type Body,
  openPosting,
  POSTING_CANCEL,
  POSTING_CREATE,
  POSTING_PUBLISH,
  POSTING_UPDATE,
  postingInput,
  READ,
  recruitmentSnapshot,
  submit,
  today,
} from './recruitment-support.ts';

/**
 * Issue 15 in recruitment: a body that cannot take terms neither recruits (vacancy postings) nor
 * takes an appointment from an application.
 */

let api: TestApi;
beforeAll(async () => {
  api = await createTestApi();
});
afterAll(() => api.dispose());

const P = `application { ${APPLICATION_FIELDS} } userErrors { code field message }`;
const REVIEW = `mutation($id: ID!) { applicationReviewStart(input: { applicationId: $id }) { ${P} } }`;
const RECOMMEND = `mutation($id: ID!) { applicationRecommend(input: { applicationId: $id, reason: "Strong budget experience" }) { ${P} } }`;
const APPOINT = `mutation($input: ApplicationAppointInput!) {
  applicationAppoint(input: $input) { ${P} membership { id startDate } }
}`;

/** An advisory body of the given lifecycle with two at-large seats, in createBody's shape (postingInput recruits for both). */
async function bodyOf(values: Partial<NewOrganizationRow>): Promise<Body> {
  const body = await createOrganization(api.db, { jurisdictionId: api.jurisdictionId, ...values });
  const seat = (label: string) => createPost(api.db, { jurisdictionId: api.jurisdictionId, organizationId: body.id, label, takesApplications: true, maxHolders: 3 });
  const atLargeSeat = await seat('At-large seat');
  return { organizationId: body.id, districtSeat: await seat('Second at-large seat'), atLargeSeat, otherBodySeat: atLargeSeat };
}

async function staff(query: string, variables: Record<string, unknown>) {
  const { data, errors } = await api.execute(query, variables, { viewer: api.staff() });
  expect(errors, JSON.stringify(errors)).toBeUndefined();
  return Object.values(data!)[0] as Record<string, any>;
}

/** An application to a published posting of `body`, reviewed and recommended by staff. */
async function recommendedApplicant(body: Body) {
  const postingId = await openPosting(api, body);
  const { data } = await submit(api, applicantInput(postingId, body, { seatPreferences: [toGlobalId('Post', body.atLargeSeat.id)] }));
  expect(data!.applicationSubmit.userErrors).toEqual([]);
  const { token, application } = data!.applicationSubmit as { token: string; application: { id: string } };
  expect((await staff(REVIEW, { id: application.id })).userErrors).toEqual([]);
  expect((await staff(RECOMMEND, { id: application.id })).userErrors).toEqual([]);
  return { token, applicationId: application.id };
}

/** What a refused applicationAppoint must leave as it was: recruitment rows, people and terms. */
async function everything() {
  const [p] = await api.db.select({ n: count() }).from(people);
  return { ...(await recruitmentSnapshot(api)), people: p!.n, memberships: await api.db.select().from(memberships).orderBy(memberships.id) };
}

async function refused(query: string, variables: Record<string, unknown>, code: string) {
  const before = await everything();
  const payload = await staff(query, variables);
  expect(payload.userErrors.map((e: { code: string }) => e.code), JSON.stringify(payload.userErrors)).toEqual([code]);
  for (const [key, value] of Object.entries(payload)) if (key !== 'userErrors') expect(value, key).toBeNull();
  expect(await everything()).toEqual(before);
  return payload.userErrors[0] as { code: string; field: string[] | null; message: string };
}

describe('applicationAppoint to a body that cannot take terms', () => {
  it('refuses a recommended applicant once the body is INACTIVE: no person, no term, still RECOMMENDED (BODY_NOT_ACTIVE)', async () => {
    const body = await bodyOf({ name: 'Wound-down Test Committee' });
    const { token, applicationId } = await recommendedApplicant(body);
    // The body stops operating after it recruited, as a dataset import records it.
    await api.db.update(organizations).set({ status: 'INACTIVE' }).where(eq(organizations.id, body.organizationId));
    const error = await refused(APPOINT, { input: { applicationId, postId: toGlobalId('Post', body.atLargeSeat.id), startDate: today() } }, 'BODY_NOT_ACTIVE');
    expect(error).toMatchObject({ field: ['input', 'postId'], message: expect.stringMatching(/Wound-down Test Committee is INACTIVE/) });
    expect((await api.execute(READ, { token })).data!.application).toMatchObject({ status: 'RECOMMENDED', membership: null });
  });

  it('refuses a start on or after the body’s dissolution, and appoints from a day before it', async () => {
    const dissolvedOn = addDays(today(), 120);
    const body = await bodyOf({ status: 'DISSOLVED', dissolvedOn });
    const { applicationId } = await recommendedApplicant(body);
    const input = { applicationId, postId: toGlobalId('Post', body.atLargeSeat.id) };
    const error = await refused(APPOINT, { input: { ...input, startDate: dissolvedOn } }, 'BODY_NOT_ACTIVE');
    expect(error.field).toEqual(['input', 'startDate']);
    const appointed = await staff(APPOINT, { input: { ...input, startDate: addDays(dissolvedOn, -1) } });
    expect(appointed.userErrors).toEqual([]);
    expect(appointed).toMatchObject({ application: { status: 'APPOINTED' }, membership: { startDate: addDays(dissolvedOn, -1) } });
  });

  it('still appoints from an ACTIVE body', async () => {
    const body = await bodyOf({});
    const { applicationId } = await recommendedApplicant(body);
    const appointed = await staff(APPOINT, { input: { applicationId, postId: toGlobalId('Post', body.atLargeSeat.id), startDate: today() } });
    expect(appointed.userErrors).toEqual([]);
    expect(appointed.application.status).toBe('APPOINTED');
  });
});

describe('vacancy postings for a body that cannot take terms', () => {
  it('refuses a posting for the Government Transition Advisory Committee, INACTIVE in the Portland dataset, and stores nothing', async () => {
    const gtac = await organizationBySlug(api.db, 'government-transition-advisory-committee');
    expect(gtac.status).toBe('INACTIVE');
    const [seat] = await api.db.select().from(posts).where(eq(posts.organizationId, gtac.id));
    const body: Body = { organizationId: gtac.id, districtSeat: seat!, atLargeSeat: seat!, otherBodySeat: seat! };
    const error = await refused(POSTING_CREATE, { input: postingInput(body, { postIds: [toGlobalId('Post', seat!.id)] }) }, 'BODY_NOT_ACTIVE');
    expect(error).toMatchObject({ field: ['input', 'organizationId'], message: expect.stringMatching(/Government Transition Advisory Committee is INACTIVE/) });
  });

  it('refuses a posting whose applications would still be open on the body’s dissolution day, and accepts one closing before it', async () => {
    const dissolvedOn = addDays(today(), 30);
    const body = await bodyOf({ status: 'DISSOLVED', dissolvedOn });
    const error = await refused(POSTING_CREATE, { input: postingInput(body, { applicationDeadline: dissolvedOn }) }, 'BODY_NOT_ACTIVE');
    expect(error).toMatchObject({ field: ['input', 'applicationDeadline'], message: expect.stringContaining(`dissolved on ${dissolvedOn}`) });
    const created = await staff(POSTING_CREATE, { input: postingInput(body, { applicationDeadline: addDays(dissolvedOn, -1) }) });
    expect(created.userErrors).toEqual([]);
  });

  it('lets a body recruit before its founding day: its first members are chosen before it sits', async () => {
    const body = await bodyOf({ foundedOn: addDays(today(), 90) });
    const created = await staff(POSTING_CREATE, { input: postingInput(body) });
    expect(created.userErrors).toEqual([]);
    expect((await staff(POSTING_PUBLISH, { id: created.posting.id })).userErrors).toEqual([]);
  });

  it('refuses to publish a draft whose body has since become INACTIVE; it stays a draft, and can still be cancelled', async () => {
    const body = await bodyOf({});
    const draft = await staff(POSTING_CREATE, { input: postingInput(body) });
    expect(draft.userErrors).toEqual([]);
    await api.db.update(organizations).set({ status: 'INACTIVE' }).where(eq(organizations.id, body.organizationId));
    const error = await refused(POSTING_PUBLISH, { id: draft.posting.id }, 'BODY_NOT_ACTIVE');
    expect(error.field).toEqual(['input', 'postingId']);
    expect((await staff(POSTING_CANCEL, { id: draft.posting.id })).posting.status).toBe('CANCELLED');
  });

  it('refuses moving a deadline onto or past the body’s dissolution, but takes other edits', async () => {
    const dissolvedOn = addDays(today(), 60);
    const body = await bodyOf({ status: 'DISSOLVED', dissolvedOn });
    const postingId = await openPosting(api, body);
    const error = await refused(POSTING_UPDATE, { input: { postingId, applicationDeadline: addDays(dissolvedOn, 10) } }, 'BODY_NOT_ACTIVE');
    expect(error.field).toEqual(['input', 'applicationDeadline']);
    const edited = await staff(POSTING_UPDATE, { input: { postingId, title: 'Last recruitment before the sunset', applicationDeadline: addDays(dissolvedOn, -1) } });
    expect(edited.userErrors).toEqual([]);
  });
});
