import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Viewer } from '../../src/auth/viewer.ts';
import { toGlobalId } from '../../src/graphql/global-id.ts';
import { createSchemaWalk, type SchemaWalk } from '../helpers/schema-walk.ts';
import { createTestApi, type TestApi } from '../helpers/test-api.ts';
import { applicantInput, createBody, freshClient, openPosting, submit } from '../recruitment/recruitment-support.ts';
import { fullResponse, responseRows } from './demographics-support.ts';

/**
 * No API path returns an individual demographic response, to anyone: the whole schema is walked
 * (tests/helpers/schema-walk.ts) as staff and as an admin, who see the most, after an applicant and
 * a member answered the form with distinctive words and ZIP codes, and none of them comes back.
 */

const APPLICANT = { selfDescribed: 'walk-applicant-selfdesc-4471', zip: '99903' };
const MEMBER = { selfDescribed: 'walk-member-selfdesc-8812', zip: '99904' };
const APPLICANT_EMAIL = 'walk.demographics.applicant@example.org';

let api: TestApi;
let walk: SchemaWalk;

beforeAll(async () => {
  // As in privacy-walk.test.ts: the walk proves privacy, not cost.
  api = await createTestApi({ sampleMembers: true, maxQueryCost: Number.MAX_SAFE_INTEGER });
  const body = await createBody(api);
  const postingId = await openPosting(api, body);
  const submitted = await submit(api, applicantInput(postingId, body, { email: APPLICANT_EMAIL, demographics: fullResponse(APPLICANT) }));
  expect(submitted.data!.applicationSubmit.userErrors).toEqual([]);
  const { token, application } = submitted.data!.applicationSubmit;

  const invited = await api.execute(
    `mutation($input: DemographicSurveyInviteInput!) { demographicSurveyInvite(input: $input) { tokens } }`,
    { input: { organizationId: toGlobalId('Organization', body.organizationId), context: 'MEMBER', count: 1, expiresInDays: 7 } },
    { viewer: api.staff() },
  );
  const answered = await api.execute(
    `mutation($input: DemographicSurveySubmitInput!) { demographicSurveySubmit(input: $input) { isRecorded } }`,
    { input: { token: invited.data!.demographicSurveyInvite.tokens[0], demographics: fullResponse(MEMBER) } },
    { clientAddress: freshClient() },
  );
  expect(answered.data!.demographicSurveySubmit.isRecorded).toBe(true);
  // Both responses are in the database, so a path returning them would show.
  expect(JSON.stringify(await responseRows(api))).toContain(MEMBER.selfDescribed);

  walk = await createSchemaWalk(api, {
    // An id with a change history (changeHistory(id:) needs one); nodes() takes the application.
    id: JSON.stringify(toGlobalId('Organization', body.organizationId)),
    ids: JSON.stringify([application.id, toGlobalId('Organization', body.organizationId), toGlobalId('Post', body.districtSeat.id)]),
    // The applicant's own read, application(token:), is walked too.
    token: JSON.stringify(token),
    latitude: '45.5197',
    longitude: '-122.6489',
    // Staff may ask expiringMemberships, which takes at most 730 days.
    within: '365',
  });
});
afterAll(() => api.dispose());

const viewers: [string, () => Viewer | undefined][] = [
  // The roles that see the most; PUBLIC and PARTNER see a subset (privacy-walk.test.ts walks them).
  ['STAFF', () => api.staff()],
  ['ADMIN', () => api.staff({ role: 'ADMIN', jurisdictionId: null, subject: 'admin@example.gov' })],
];

describe.each(viewers)('as %s', (_role, viewerOf) => {
  // Hundreds of operations: allowed several minutes on a loaded 2-core CI machine.
  it('no demographic answer comes back from any root field, at any depth', { timeout: 900_000 }, async () => {
    const queries = walk.queries();
    expect(queries.map((q) => q.field)).toEqual(expect.arrayContaining(['node', 'nodes', 'application', 'applications', 'demographicQuestions']));
    const runs = [];
    for (const { piece } of queries) runs.push(...(await walk.run(piece, viewerOf())));
    const all = runs.map((r) => JSON.stringify(r.result)).join('\n');
    for (const secret of [APPLICANT.selfDescribed, APPLICANT.zip, MEMBER.selfDescribed, MEMBER.zip]) expect(all).not.toContain(secret);
    // Admin-only roots refuse staff; nothing else may fail, or the walk would prove nothing.
    const unexpected = runs.flatMap(({ query, result }) =>
      (result.errors ?? []).filter((e) => !['UNAUTHENTICATED', 'FORBIDDEN'].includes(String(e.extensions?.code))).map((e) => `${e.message} in ${query.slice(0, 100)}`),
    );
    expect(unexpected).toEqual([]);
    // The walk reached the application and its private values, through the token and the staff list.
    expect(all).toContain(APPLICANT_EMAIL);
    expect(runs.some(({ query, result }) => query.startsWith('{ applications') && JSON.stringify(result).includes(APPLICANT_EMAIL))).toBe(true);
  });
});
