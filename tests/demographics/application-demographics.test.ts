import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getTableColumns } from 'drizzle-orm';
import { demographicResponses } from '../../src/db/schema/index.ts';
import { toGlobalId } from '../../src/graphql/global-id.ts';
import { divisionByOcdId } from '../helpers/factories.ts';
import type { TestApi } from '../helpers/test-api.ts';
import { AMEND, applicantInput, DISTRICT, openRecruitment, READ, submit, today, type Body } from '../recruitment/recruitment-support.ts';
import { fullResponse, responseRows, SECRETS, traces, writeCounts } from './demographics-support.ts';

let api: TestApi;
let body: Body;
let postingId: string;

beforeAll(async () => {
  ({ api, body, postingId } = await openRecruitment());
});
afterAll(() => api.dispose());

/** Submits an application with `demographics`; returns the payload and the responses written by it. */
async function submitWith(demographics: unknown, overrides: Record<string, unknown> = {}) {
  const before = new Set((await responseRows(api)).map((r) => r.id));
  const result = await submit(api, applicantInput(postingId, body, { demographics, ...overrides }));
  const written = (await responseRows(api)).filter((r) => !before.has(r.id));
  return { result, written };
}

describe('applicationSubmit with the demographic form', () => {
  it('stores the response apart: the posting’s body, APPLICANT, this year, the district of the home point', async () => {
    const { result, written } = await submitWith(fullResponse());
    expect(result.errors).toBeUndefined();
    expect(result.data!.applicationSubmit.userErrors).toEqual([]);
    expect(result.data!.applicationSubmit.application.status).toBe('SUBMITTED');
    const district3 = await divisionByOcdId(api.db, DISTRICT(3));
    expect(written).toHaveLength(1);
    expect(written[0]).toMatchObject({
      jurisdictionId: api.jurisdictionId,
      organizationId: body.organizationId,
      context: 'APPLICANT',
      reportingYear: Number(today().slice(0, 4)),
      councilDistrictId: district3.id,
    });
    expect(written[0]!.answers).toEqual({
      // Values sorted: the order they were given in leaves no trace.
      RACE_ETHNICITY: { status: 'ANSWERED', values: ['ASIAN', 'SELF_DESCRIBED', 'WHITE'], selfDescribed: SECRETS.selfDescribed },
      LANGUAGES_AT_HOME: { status: 'ANSWERED', values: ['vi', 'zh-Hans'] },
      PREFERRED_LANGUAGE: { status: 'ANSWERED', values: ['vi'] },
      INTERPRETER_NEEDED: { status: 'ANSWERED', values: ['YES'] },
      INTERPRETER_TYPE: { status: 'ANSWERED', values: ['SPOKEN_LANGUAGE'] },
      DISABILITY: { status: 'DECLINED' },
      GENDER_IDENTITY: { status: 'ANSWERED', values: ['WOMAN'] },
      LGBTQ2SIA: { status: 'DONT_KNOW' },
      AGE_BAND: { status: 'ANSWERED', values: ['FROM_35_TO_44'] },
      ZIP: { status: 'ANSWERED', values: [SECRETS.zip] },
    });
  });

  it('the response table has no column that could point at the application or the time', () => {
    expect(Object.keys(getTableColumns(demographicResponses)).sort()).toEqual(['answers', 'context', 'councilDistrictId', 'id', 'jurisdictionId', 'organizationId', 'reportingYear', 'unlinked']);
  });

  it('counts the named council district when the applicant gives no home point', async () => {
    const district4 = await divisionByOcdId(api.db, DISTRICT(4));
    const { result, written } = await submitWith(
      { answers: [{ question: 'AGE_BAND', status: 'ANSWERED', values: ['FROM_18_TO_24'] }] },
      { residencePoint: null, residenceDivisionId: toGlobalId('Division', district4.id) },
    );
    expect(result.data!.applicationSubmit.userErrors).toEqual([]);
    expect(written).toMatchObject([{ councilDistrictId: district4.id, answers: { AGE_BAND: { status: 'ANSWERED', values: ['FROM_18_TO_24'] } } }]);
  });

  it('stores a null district when the home point is in no council district', async () => {
    // Salem, Oregon: outside Portland; the at-large seat keeps the application eligible enough to store.
    const { result, written } = await submitWith({ answers: [{ question: 'ZIP', status: 'DECLINED' }] }, { residencePoint: { latitude: 44.9429, longitude: -123.0351 } });
    expect(result.data!.applicationSubmit.userErrors).toEqual([]);
    expect(written).toMatchObject([{ councilDistrictId: null, answers: { ZIP: { status: 'DECLINED' } } }]);
  });

  it('writes no response when the applicant leaves the form out', async () => {
    const { result, written } = await submitWith(undefined);
    expect(result.data!.applicationSubmit.userErrors).toEqual([]);
    expect(written).toEqual([]);
  });

  it('the payload and the applicant’s own read return nothing of the response', async () => {
    const { result } = await submitWith(fullResponse());
    const text = JSON.stringify(result);
    expect(text).not.toContain(SECRETS.selfDescribed);
    expect(text).not.toContain(SECRETS.zip);
    const read = await api.execute(READ, { token: result.data!.applicationSubmit.token });
    expect(read.data!.application).not.toBeNull();
    expect(JSON.stringify(read)).not.toContain(SECRETS.selfDescribed);
    expect(JSON.stringify(read)).not.toContain(SECRETS.zip);
  });

  it('puts none of it in the application row, the audit log, the change log, the outbox or a log line', async () => {
    const secrets = { selfDescribed: 'osprey-lantern-trace-5512', zip: '99928' };
    const { result, written } = await submitWith(fullResponse(secrets));
    expect(result.data!.applicationSubmit.userErrors).toEqual([]);
    // The values did reach the database, so the test can see them where they are.
    expect(JSON.stringify(written)).toContain(secrets.selfDescribed);
    const text = await traces(api);
    // The traces do hold this submission (its audit event), just not the answers.
    expect(text).toContain('applicationSubmit');
    expect(text).not.toContain(secrets.selfDescribed);
    expect(text).not.toContain(secrets.zip);
  });

  it('cannot be changed with applicationAmend: the input has no demographics field', async () => {
    const { result, written } = await submitWith(fullResponse());
    const token: string = result.data!.applicationSubmit.token;
    const amended = await api.execute(AMEND, { input: { token, demographics: { answers: [] } } });
    expect(amended.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(amended.errors?.[0]?.message).toContain('"demographics" is not defined by type "ApplicationAmendInput"');
    // An amend of the application itself leaves the response as it was.
    const ok = await api.execute(AMEND, { input: { token, fullName: 'Rosa Renamed' } });
    expect(ok.data!.applicationAmend.userErrors).toEqual([]);
    const after = (await responseRows(api)).find((r) => r.id === written[0]!.id);
    expect(after).toEqual(written[0]);
  });
});

describe('applicationSubmit refuses invalid demographic answers and stores nothing', () => {
  const RACE = (extra: Record<string, unknown>) => ({ question: 'RACE_ETHNICITY', status: 'ANSWERED', values: ['ASIAN'], ...extra });
  // [what, answers, field path, a value that must not be echoed in the message]
  const cases: [string, unknown[], string, string | null][] = [
    ['a question answered twice', [RACE({}), RACE({ values: ['WHITE'] })], 'demographics.answers.1.question', null],
    ['values with DECLINED', [{ question: 'ZIP', status: 'DECLINED', values: ['97214'] }], 'demographics.answers.0.values', '97214'],
    ['values with DONT_KNOW', [{ question: 'AGE_BAND', status: 'DONT_KNOW', values: ['UNDER_18'] }], 'demographics.answers.0.values', 'UNDER_18'],
    ['ANSWERED without values', [{ question: 'AGE_BAND', status: 'ANSWERED' }], 'demographics.answers.0.values', null],
    ['ANSWERED with an empty list', [{ question: 'GENDER_IDENTITY', status: 'ANSWERED', values: [] }], 'demographics.answers.0.values', null],
    ['a value outside the closed list', [RACE({ values: ['ASIAN', 'MAUVE_SECRET_CATEGORY'] })], 'demographics.answers.0.values.1', 'MAUVE_SECRET_CATEGORY'],
    ['a language tag not in canonical form', [{ question: 'LANGUAGES_AT_HOME', status: 'ANSWERED', values: ['es', 'zh-hans'] }], 'demographics.answers.0.values.1', 'zh-hans'],
    ['something that is no language tag', [{ question: 'PREFERRED_LANGUAGE', status: 'ANSWERED', values: ['not a language'] }], 'demographics.answers.0.values.0', 'not a language'],
    ['a ZIP that is not five digits', [{ question: 'ZIP', status: 'ANSWERED', values: ['9721X'] }], 'demographics.answers.0.values.0', '9721X'],
    ['two values for a SINGLE question', [{ question: 'AGE_BAND', status: 'ANSWERED', values: ['UNDER_18', 'FROM_75'] }], 'demographics.answers.0.values', 'FROM_75'],
    ['a value given twice', [RACE({ values: ['ASIAN', 'ASIAN'] })], 'demographics.answers.0.values', null],
    ['more values than allowed', [{ question: 'LANGUAGES_AT_HOME', status: 'ANSWERED', values: ['es', 'vi', 'ru', 'uk', 'ro', 'ne', 'ja', 'ko', 'fil', 'lo', 'ar'] }], 'demographics.answers.0.values', 'fil'],
    ['NONE with another disability', [{ question: 'DISABILITY', status: 'ANSWERED', values: ['NONE', 'VISION'] }], 'demographics.answers.0.values', null],
    ['self-description without SELF_DESCRIBED', [RACE({ selfDescribed: 'secret-unchosen-words' })], 'demographics.answers.0.selfDescribed', 'secret-unchosen-words'],
    ['self-description with DECLINED', [{ question: 'GENDER_IDENTITY', status: 'DECLINED', selfDescribed: 'secret-declined-words' }], 'demographics.answers.0.selfDescribed', 'secret-declined-words'],
    ['a blank self-description', [RACE({ values: ['SELF_DESCRIBED'], selfDescribed: '   ' })], 'demographics.answers.0.selfDescribed', null],
    ['a self-description over 200 characters', [RACE({ values: ['SELF_DESCRIBED'], selfDescribed: 'secretlong'.repeat(21) })], 'demographics.answers.0.selfDescribed', 'secretlong'],
    ['a value over 35 characters', [{ question: 'ZIP', status: 'ANSWERED', values: ['9'.repeat(36)] }], 'demographics.answers.0.values.0', '9'.repeat(36)],
  ];

  it.each(cases)('%s', async (_what, answers, field, value) => {
    const before = await writeCounts(api);
    const result = await submit(api, applicantInput(postingId, body, { demographics: { answers } }));
    expect(result.errors).toBeUndefined();
    const payload = result.data!.applicationSubmit;
    expect(payload.application).toBeNull();
    expect(payload.token).toBeNull();
    expect(payload.userErrors.map((e: { code: string }) => e.code)).toContain('INVALID_INPUT');
    expect(payload.userErrors.map((e: { field: string[] }) => e.field.join('.'))).toContain(`input.${field}`);
    if (value) expect(JSON.stringify(payload.userErrors)).not.toContain(value);
    expect(await writeCounts(api)).toEqual(before);
  });

  it('refuses an unknown question or status before anything runs (GraphQL enums)', async () => {
    const before = await writeCounts(api);
    const result = await submit(api, applicantInput(postingId, body, { demographics: { answers: [{ question: 'SHOE_SIZE', status: 'ANSWERED', values: ['42'] }] } }));
    expect(result.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(await writeCounts(api)).toEqual(before);
  });

  it('refuses the whole application when only the demographics are wrong, even with everything else valid', async () => {
    const before = await writeCounts(api);
    const result = await submit(api, applicantInput(postingId, body, { demographics: { answers: [...fullResponse().answers, { question: 'ZIP', status: 'DECLINED' }] } }));
    expect(result.data!.applicationSubmit.userErrors).toEqual([
      { code: 'INVALID_INPUT', field: ['input', 'demographics', 'answers', '10', 'question'], message: 'demographics.answers.10.question: answer each question at most once' },
    ]);
    expect(await writeCounts(api)).toEqual(before);
  });

  it('an application refused for another reason writes no response either', async () => {
    const before = await writeCounts(api);
    const result = await submit(api, applicantInput(postingId, body, { demographics: fullResponse(), email: null, phone: null }));
    expect(result.data!.applicationSubmit.userErrors[0].field).toEqual(['input', 'email']);
    expect(await writeCounts(api)).toEqual(before);
  });
});
