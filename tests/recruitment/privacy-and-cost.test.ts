import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Viewer } from '../../src/auth/viewer.ts';
import { toGlobalId } from '../../src/graphql/global-id.ts';
import type { TestApi } from '../helpers/test-api.ts';
import { applicantInput, type Body, createBody, openPosting, openRecruitment, POSTING_FIELDS, submit, today } from './recruitment-support.ts';

/**
 * Private stays private: an appointed applicant's data, marked with distinctive values, must not
 * come back through any public recruitment path, as the public or as a partner app. And nested
 * posting lists cost a constant number of SQL statements.
 */
const MARKERS = { fullName: 'Zyx Marker Applicant', email: 'zyx.marker@example.org', accessibilityNeeds: 'zyx-needs-marker', answer: 'zyx answer marker' };

let api: TestApi;
let body: Body;
let postingId: string;
let applicationId: string;
let membershipId: string;

const PARTNER: Viewer = { role: 'PARTNER', subject: 'api-key:77', name: 'Partner', jurisdictionId: null, apiKeyId: 77 };

beforeAll(async () => {
  ({ api, body, postingId } = await openRecruitment());
  const { data } = await submit(
    api,
    applicantInput(postingId, body, {
      fullName: MARKERS.fullName,
      email: MARKERS.email,
      accessibilityNeeds: MARKERS.accessibilityNeeds,
      residencePoint: { latitude: 45.5198765, longitude: -122.6487654 },
      answers: [{ questionId: 'why', answer: MARKERS.answer }],
    }),
  );
  applicationId = data!.applicationSubmit.application.id;
  const staff = { viewer: api.staff() };
  await api.execute(`mutation($id: ID!) { applicationReviewStart(input: { applicationId: $id }) { userErrors { code } } }`, { id: applicationId }, staff);
  await api.execute(`mutation($id: ID!) { applicationRecommend(input: { applicationId: $id }) { userErrors { code } } }`, { id: applicationId }, staff);
  const appointed = await api.execute(
    `mutation($input: ApplicationAppointInput!) { applicationAppoint(input: $input) { membership { id } userErrors { code message } } }`,
    { input: { applicationId, postId: toGlobalId('Post', body.atLargeSeat.id), startDate: today() } },
    staff,
  );
  expect(appointed.data!.applicationAppoint.userErrors).toEqual([]);
  membershipId = appointed.data!.applicationAppoint.membership.id;
});
afterAll(() => api.dispose());

const PUBLIC_READS: [string, string][] = [
  ['vacancyPostings', `{ vacancyPostings(first: 20) { totalCount nodes { ${POSTING_FIELDS} } } }`],
  ['node(posting)', `query($posting: ID!) { node(id: $posting) { ... on VacancyPosting { ${POSTING_FIELDS} } } }`],
  ['node(application)', `query($application: ID!) { node(id: $application) { id } }`],
  ['organization postings', `query($body: ID!) { node(id: $body) { ... on Organization { vacancyPostings(first: 5) { totalCount nodes { id } } } } }`],
  ['membership application', `query($membership: ID!) { node(id: $membership) { ... on Membership { person { name } application { id fullName email } } } }`],
  ['applications', `{ applications(first: 5) { nodes { id fullName } } }`],
  ['application by a made-up token', `{ application(token: "cga_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA") { fullName } }`],
];

describe('recruitment privacy', () => {
  it.each(PUBLIC_READS)('%s shows no private applicant data to the public or a partner', async (_name, query) => {
    const variables = { posting: postingId, application: applicationId, body: toGlobalId('Organization', body.organizationId), membership: membershipId };
    const used = Object.fromEntries(Object.entries(variables).filter(([k]) => query.includes(`$${k}`)));
    for (const viewer of [undefined, PARTNER]) {
      const result = await api.execute(query, used, { viewer });
      const text = JSON.stringify(result);
      for (const marker of [MARKERS.email, MARKERS.accessibilityNeeds, MARKERS.answer, '45.5198765', '-122.6487654']) expect(text).not.toContain(marker);
      // The appointee's name is public roster data once appointed, and only there.
      if (!query.includes('Membership')) expect(text).not.toContain(MARKERS.fullName);
    }
  });

  it('shows a membership’s application to nobody but staff', async () => {
    const q = `query($id: ID!) { node(id: $id) { ... on Membership { application { id } } } }`;
    expect((await api.execute(q, { id: membershipId })).data!.node.application).toBeNull();
    expect((await api.execute(q, { id: membershipId }, { viewer: PARTNER })).data!.node.application).toBeNull();
    expect((await api.execute(q, { id: membershipId }, { viewer: api.staff() })).data!.node.application).toEqual({ id: applicationId });
  });
});

describe('cost of nested posting lists', () => {
  it('uses the same number of SQL statements for 1 posting and for 6', async () => {
    const q = `{ vacancyPostings(first: 50) { nodes { id organization { name vacancyPostings(first: 3) { nodes { id posts { label division { name } } } } } posts { id label division { name } } } } }`;
    const other = await createBody(api);
    await openPosting(api, other);
    const count = async () => {
      api.statements.reset();
      const { errors } = await api.execute(q);
      expect(errors).toBeUndefined();
      return api.statements.count();
    };
    const few = await count();
    for (let i = 0; i < 4; i++) await openPosting(api, i % 2 ? body : other);
    expect(await count()).toBe(few);
  });
});
