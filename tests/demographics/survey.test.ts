import { eq, ne, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { auditEvents, demographicSurveyInvitations, divisions } from '../../src/db/schema/index.ts';
import { toGlobalId } from '../../src/graphql/global-id.ts';
import { hashSurveyToken } from '../../src/modules/demographics/survey-token.ts';
import { SUBMISSIONS_PER_WINDOW } from '../../src/graphql/limits/submission-rate-limit.ts';
import { createOrganization, divisionByOcdId } from '../helpers/factories.ts';
import { createTestApi, type TestApi } from '../helpers/test-api.ts';
import { BUCKMAN, DISTRICT, freshClient, today, USER_ERRORS } from '../recruitment/recruitment-support.ts';
import { fullResponse, responseRows, SECRETS, traces, writeCounts } from './demographics-support.ts';

const INVITE = `mutation($input: DemographicSurveyInviteInput!) { demographicSurveyInvite(input: $input) { tokens expiresAt ${USER_ERRORS} } }`;
const SURVEY = `mutation($input: DemographicSurveySubmitInput!) { demographicSurveySubmit(input: $input) { isRecorded retryAfterSeconds ${USER_ERRORS} } }`;
const QUESTIONS = `{ demographicQuestions { key selection categories valueFormat offersSelfDescription maxValues } }`;

let api: TestApi;
let bodyId: number;

beforeAll(async () => {
  api = await createTestApi();
  bodyId = (await createOrganization(api.db, { jurisdictionId: api.jurisdictionId, name: 'Survey Test Commission' })).id;
});
afterAll(() => api.dispose());

async function invite(overrides: Record<string, unknown> = {}, viewer = api.staff()) {
  return api.execute(INVITE, { input: { organizationId: toGlobalId('Organization', bodyId), context: 'MEMBER', count: 1, expiresInDays: 30, ...overrides } }, { viewer });
}

async function tokens(count = 1, overrides: Record<string, unknown> = {}): Promise<string[]> {
  const { data, errors } = await invite({ count, ...overrides });
  expect(errors).toBeUndefined();
  expect(data!.demographicSurveyInvite.userErrors).toEqual([]);
  return data!.demographicSurveyInvite.tokens;
}

async function answer(input: Record<string, unknown>, clientAddress = freshClient()) {
  return api.execute(SURVEY, { input: { demographics: fullResponse(), ...input } }, { clientAddress });
}

/** The responses a call wrote. */
async function writtenBy<T>(work: () => Promise<T>) {
  const before = new Set((await responseRows(api)).map((r) => r.id));
  const result = await work();
  return { result, written: (await responseRows(api)).filter((r) => !before.has(r.id)) };
}

describe('demographicQuestions', () => {
  it('describes the form to the public: every question, its selection, categories or format', async () => {
    const { data, errors } = await api.execute(QUESTIONS);
    expect(errors).toBeUndefined();
    const questions = data!.demographicQuestions;
    expect(questions.map((q: { key: string }) => q.key)).toEqual([
      'RACE_ETHNICITY', 'LANGUAGES_AT_HOME', 'PREFERRED_LANGUAGE', 'INTERPRETER_NEEDED', 'INTERPRETER_TYPE', 'DISABILITY', 'GENDER_IDENTITY', 'LGBTQ2SIA', 'AGE_BAND', 'ZIP', 'HOUSING_TENURE',
    ]);
    expect(questions[0]).toEqual({
      key: 'RACE_ETHNICITY',
      selection: 'MULTIPLE',
      categories: ['AMERICAN_INDIAN_ALASKA_NATIVE', 'ASIAN', 'BLACK_AFRICAN_AMERICAN', 'HISPANIC_LATINO', 'MIDDLE_EASTERN_NORTH_AFRICAN', 'NATIVE_HAWAIIAN_PACIFIC_ISLANDER', 'WHITE', 'SELF_DESCRIBED'],
      valueFormat: null,
      offersSelfDescription: true,
      maxValues: 8,
    });
    expect(questions.find((q: { key: string }) => q.key === 'LANGUAGES_AT_HOME')).toMatchObject({ categories: null, valueFormat: 'BCP47', maxValues: 10 });
    expect(questions.find((q: { key: string }) => q.key === 'ZIP')).toMatchObject({ selection: 'SINGLE', categories: null, valueFormat: 'ZIP', maxValues: 1, offersSelfDescription: false });
  });
});

describe('demographicSurveyInvite', () => {
  it('returns single-use cgs_ tokens once and stores only their SHA-256, with body, context, year and expiry', async () => {
    const { data } = await invite({ count: 3, context: 'EXIT', expiresInDays: 10 });
    const { tokens: issued, expiresAt } = data!.demographicSurveyInvite;
    expect(issued).toHaveLength(3);
    for (const token of issued) expect(token).toMatch(/^cgs_[A-Za-z0-9_-]{43}$/);
    expect(new Set(issued).size).toBe(3);
    const rows = await api.db.select().from(demographicSurveyInvitations).where(eq(demographicSurveyInvitations.organizationId, bodyId));
    const mine = rows.filter((r) => issued.map(hashSurveyToken).includes(r.tokenHash));
    expect(mine).toHaveLength(3);
    for (const row of mine) {
      expect(row).toMatchObject({ jurisdictionId: api.jurisdictionId, context: 'EXIT' });
      // The year is the answer's (see the test below), so an invitation holds none.
      expect(row).not.toHaveProperty('reportingYear');
      expect(row.expiresAt.toISOString()).toBe(new Date(expiresAt).toISOString());
    }
    expect(new Date(expiresAt).getTime() - Date.now()).toBeGreaterThan(9.9 * 86_400_000);
    const stored = JSON.stringify([rows, await api.db.select().from(auditEvents), api.logs]);
    for (const token of issued) expect(stored).not.toContain(token);
  });

  it('records in the audit log how many invitations were made for which body, not the tokens', async () => {
    await tokens(2);
    const events = await api.db.select().from(auditEvents).where(eq(auditEvents.action, 'demographicSurveyInvite'));
    expect(events.at(-1)).toMatchObject({ subjectType: 'Organization', subjectId: bodyId, actorSubject: 'staff@example.gov' });
    expect(JSON.stringify(events.at(-1)!.changes)).toContain('"count":2');
  });

  it('lets an admin invite too', async () => {
    const { data } = await invite({}, api.staff({ role: 'ADMIN', jurisdictionId: null }));
    expect(data!.demographicSurveyInvite.userErrors).toEqual([]);
    expect(data!.demographicSurveyInvite.tokens).toHaveLength(1);
  });

  it('asks the public to sign in and forbids partners and staff of another jurisdiction, storing nothing', async () => {
    const before = await writeCounts(api);
    const publicCall = await api.execute(INVITE, { input: { organizationId: toGlobalId('Organization', bodyId), context: 'MEMBER', count: 1, expiresInDays: 30 } });
    expect(publicCall.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    expect((await invite({}, { ...api.staff(), role: 'PARTNER', apiKeyId: 1, subject: 'api-key:1' })).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const other = await invite({}, api.staff({ jurisdictionId: 999 }));
    expect(other.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect(other.data?.demographicSurveyInvite ?? null).toBeNull();
    expect(await writeCounts(api)).toEqual(before);
  });

  it.each([
    ['no invitations', { count: 0 }, 'count'],
    ['more than 500 invitations', { count: 501 }, 'count'],
    ['no days of validity', { expiresInDays: 0 }, 'expiresInDays'],
    ['more than a year of validity', { expiresInDays: 366 }, 'expiresInDays'],
  ])('refuses %s (INVALID_INPUT), storing nothing', async (_what, overrides, field) => {
    const before = await writeCounts(api);
    const { data } = await invite(overrides);
    expect(data!.demographicSurveyInvite).toMatchObject({ tokens: null, expiresAt: null, userErrors: [{ code: 'INVALID_INPUT', field: ['input', field] }] });
    expect(await writeCounts(api)).toEqual(before);
  });

  it('the reporting role cannot read the invitations', async () => {
    await tokens(1);
    const refusal = await api.db
      .transaction(async (tx) => {
        await tx.execute(sql`set local role civic_graph_reporting`);
        await tx.execute(sql`select organization_id, expires_at from demographics.survey_invitations`);
      })
      .then(() => 'no refusal', (error: { cause?: { message?: string }; message: string }) => String(error.cause?.message ?? error.message));
    expect(refusal).toMatch(/permission denied for table survey_invitations/);
  });

  it('refuses an unknown organization (NOT_FOUND) and an id of another type (INVALID_ID)', async () => {
    expect((await invite({ organizationId: toGlobalId('Organization', 987654) })).data!.demographicSurveyInvite.userErrors[0].code).toBe('NOT_FOUND');
    expect((await invite({ organizationId: toGlobalId('Post', bodyId) })).data!.demographicSurveyInvite.userErrors[0].code).toBe('INVALID_ID');
  });
});

describe('demographicSurveySubmit', () => {
  it('stores one response for the invitation’s body and context, counted this year, in the district of the home point, and deletes the invitation', async () => {
    const [token] = await tokens(1, { context: 'MEMBER' });
    const { result, written } = await writtenBy(() => answer({ token, residencePoint: BUCKMAN }));
    expect(result.errors).toBeUndefined();
    expect(result.data!.demographicSurveySubmit).toEqual({ isRecorded: true, retryAfterSeconds: null, userErrors: [] });
    const district3 = await divisionByOcdId(api.db, DISTRICT(3));
    expect(written).toHaveLength(1);
    expect(written[0]).toMatchObject({ jurisdictionId: api.jurisdictionId, organizationId: bodyId, context: 'MEMBER', reportingYear: Number(today().slice(0, 4)), councilDistrictId: district3.id });
    expect(written[0]!.answers.ZIP).toEqual({ status: 'ANSWERED', values: [SECRETS.zip] });
    // Nothing left that links the token to the response: the invitation is gone.
    expect(await api.db.select().from(demographicSurveyInvitations).where(eq(demographicSurveyInvitations.tokenHash, hashSurveyToken(token!)))).toEqual([]);
  });

  it('counts a response for the year it is answered in, not the year of its invitation', async () => {
    // Invited at noon on 31 December in Portland, answered on 1 January: a year whose report is
    // open (from 2 January) must take no more responses, or two reads of it would differ by one.
    vi.useFakeTimers({ toFake: ['Date'] });
    try {
      vi.setSystemTime(new Date('2030-12-31T20:00:00Z'));
      const [token] = await tokens(1, { context: 'EXIT' });
      vi.setSystemTime(new Date('2031-01-01T20:00:00Z'));
      const { result, written } = await writtenBy(() => answer({ token }));
      expect(result.data!.demographicSurveySubmit.userErrors).toEqual([]);
      expect(written.map((r) => r.reportingYear)).toEqual([2031]);
    } finally {
      vi.useRealTimers();
    }
  });

  it('counts the named council district for a leaver, and does not store the home point', async () => {
    const [token] = await tokens(1, { context: 'EXIT' });
    const district4 = await divisionByOcdId(api.db, DISTRICT(4));
    const { result, written } = await writtenBy(() => answer({ token, councilDistrictId: toGlobalId('Division', district4.id) }));
    expect(result.data!.demographicSurveySubmit.userErrors).toEqual([]);
    expect(written).toMatchObject([{ context: 'EXIT', councilDistrictId: district4.id }]);

    const [second] = await tokens(1);
    const point = { latitude: 45.5123457, longitude: -122.6543211 };
    const withPoint = await writtenBy(() => answer({ token: second, residencePoint: point }));
    expect(withPoint.result.data!.demographicSurveySubmit.userErrors).toEqual([]);
    expect(JSON.stringify(withPoint.written)).not.toContain('45.5123457');
    expect(withPoint.written[0]!.councilDistrictId).not.toBeNull();
  });

  it('stores a null district when the respondent gives no residence', async () => {
    const [token] = await tokens(1);
    const { written } = await writtenBy(() => answer({ token }));
    expect(written).toMatchObject([{ councilDistrictId: null }]);
  });

  it('takes each invitation once: a second answer is SURVEY_INVITATION_INVALID, as for an unknown or malformed token', async () => {
    const [token] = await tokens(1);
    expect((await answer({ token })).data!.demographicSurveySubmit.isRecorded).toBe(true);
    const before = await writeCounts(api);
    const again = await answer({ token });
    const unknown = await answer({ token: `cgs_${'A'.repeat(43)}` });
    const malformed = await answer({ token: 'not-a-token' });
    for (const result of [again, unknown, malformed]) {
      expect(result.data!.demographicSurveySubmit).toEqual({
        isRecorded: false,
        retryAfterSeconds: null,
        userErrors: [{ code: 'SURVEY_INVITATION_INVALID', field: ['input', 'token'], message: 'This survey invitation is unknown or was already used' }],
      });
    }
    expect(await writeCounts(api)).toEqual(before);
  });

  it('refuses an expired invitation (SURVEY_INVITATION_EXPIRED) and stores nothing', async () => {
    const [token] = await tokens(1);
    await api.db.update(demographicSurveyInvitations).set({ expiresAt: new Date(Date.now() - 1000) }).where(eq(demographicSurveyInvitations.tokenHash, hashSurveyToken(token!)));
    const before = await writeCounts(api);
    const result = await answer({ token });
    expect(result.data!.demographicSurveySubmit).toMatchObject({ isRecorded: false, userErrors: [{ code: 'SURVEY_INVITATION_EXPIRED', field: ['input', 'token'] }] });
    expect(await writeCounts(api)).toEqual(before);
  });

  it('refuses invalid answers without echoing them, stores nothing, and the invitation stays usable', async () => {
    const [token] = await tokens(1);
    const before = await writeCounts(api);
    const result = await answer({ token, demographics: { answers: [{ question: 'ZIP', status: 'ANSWERED', values: ['secret-zip-77'] }] } });
    expect(result.data!.demographicSurveySubmit.userErrors).toEqual([
      { code: 'INVALID_INPUT', field: ['input', 'demographics', 'answers', '0', 'values', '0'], message: 'demographics.answers.0.values.0: must be a five-digit ZIP code' },
    ]);
    expect(await writeCounts(api)).toEqual(before);
    expect((await answer({ token })).data!.demographicSurveySubmit.isRecorded).toBe(true);
  });

  it('refuses an unknown division or one that is no council district (NOT_FOUND), keeping the invitation', async () => {
    const [token] = await tokens(1);
    const before = await writeCounts(api);
    const notADistrict = await api.execute(SURVEY, { input: { token, demographics: { answers: [] }, councilDistrictId: toGlobalId('Division', 987654) } }, { clientAddress: freshClient() });
    expect(notADistrict.data!.demographicSurveySubmit.userErrors).toMatchObject([{ code: 'NOT_FOUND', field: ['input', 'councilDistrictId'] }]);
    const [neighborhood] = await api.db.select({ id: divisions.id }).from(divisions).where(ne(divisions.kind, 'COUNCIL_DISTRICT')).limit(1);
    const notCouncil = await answer({ token, councilDistrictId: toGlobalId('Division', neighborhood!.id) });
    expect(notCouncil.data!.demographicSurveySubmit.userErrors).toMatchObject([{ code: 'NOT_FOUND', field: ['input', 'councilDistrictId'] }]);
    const wrongType = await answer({ token, councilDistrictId: toGlobalId('Organization', bodyId) });
    expect(wrongType.data!.demographicSurveySubmit.userErrors).toMatchObject([{ code: 'INVALID_ID', field: ['input', 'councilDistrictId'] }]);
    expect(await writeCounts(api)).toEqual(before);
  });

  it('leaves no answer in the audit log, the change log, the outbox or a log line', async () => {
    const secrets = { selfDescribed: 'kestrel-survey-trace-3391', zip: '99927' };
    const [token] = await tokens(1);
    const { written } = await writtenBy(() => api.execute(SURVEY, { input: { token, demographics: fullResponse(secrets), residencePoint: BUCKMAN } }, { clientAddress: freshClient() }));
    expect(JSON.stringify(written)).toContain(secrets.selfDescribed);
    const text = await traces(api);
    expect(text).not.toContain(secrets.selfDescribed);
    expect(text).not.toContain(secrets.zip);
    expect(text).not.toContain(token);
  });

  it('limits answers per client like applicationSubmit: the hundredth in a minute is RATE_LIMITED', async () => {
    const client = freshClient();
    for (let i = 0; i < SUBMISSIONS_PER_WINDOW; i++) {
      const result = await answer({ token: 'not-a-token' }, client);
      expect(result.data!.demographicSurveySubmit.userErrors[0].code).toBe('SURVEY_INVITATION_INVALID');
    }
    const limited = await answer({ token: 'not-a-token' }, client);
    expect(limited.data!.demographicSurveySubmit).toMatchObject({ isRecorded: false, userErrors: [{ code: 'RATE_LIMITED', field: null }] });
    expect(limited.data!.demographicSurveySubmit.retryAfterSeconds).toBeGreaterThan(0);
  });
});
