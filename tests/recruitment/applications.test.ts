import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applications, auditEvents, vacancyPostings } from '../../src/db/schema/index.ts';
import { toGlobalId } from '../../src/graphql/global-id.ts';
import { hashApplicationToken } from '../../src/modules/recruitment/application-token.ts';
import { divisionByOcdId } from '../helpers/factories.ts';
import type { TestApi } from '../helpers/test-api.ts';
import {
  addDays,
  AMEND,
  applicantInput,
  DISTRICT,
  openPosting,
  openRecruitment,
  outboxOf,
  READ,
  recruitmentSnapshot,
  submit,
  today,
  WITHDRAW,
  type Body,
} from './recruitment-support.ts';

let api: TestApi;
let body: Body;
let postingId: string;

beforeAll(async () => {
  ({ api, body, postingId } = await openRecruitment());
});
afterAll(() => api.dispose());

async function submitted(overrides: Record<string, unknown> = {}) {
  const { data, errors } = await submit(api, applicantInput(postingId, body, overrides));
  expect(errors).toBeUndefined();
  expect(data!.applicationSubmit.userErrors).toEqual([]);
  return data!.applicationSubmit as { token: string; application: Record<string, any> };
}

describe('applicationSubmit', () => {
  it('accepts an application without an account and returns a one-time cga_ token', async () => {
    const { token, application } = await submitted();
    expect(token).toMatch(/^cga_[A-Za-z0-9_-]{43}$/);
    expect(application).toMatchObject({
      status: 'SUBMITTED',
      fullName: 'Rosa Applicant',
      email: 'rosa.applicant@example.org',
      residencePoint: { latitude: 45.5197, longitude: -122.6489 },
      answers: [{ questionId: 'why', answer: 'I ride the bus every day and want better budgets.' }],
      seatPreferences: [
        { rank: 1, post: { id: toGlobalId('Post', body.districtSeat.id) } },
        { rank: 2, post: { id: toGlobalId('Post', body.atLargeSeat.id) } },
      ],
      preferredLanguage: 'es',
      interpretationNeeded: true,
      accessibilityNeeds: 'step-free access',
      isEligible: true,
      history: [{ fromStatus: null, toStatus: 'SUBMITTED', reason: null, actor: null }],
    });
    // Expires after the posting's lifetime (90 days by default).
    expect(new Date(application.expiresAt).getTime() - new Date(application.submittedAt).getTime()).toBe(90 * 86_400_000);
  });

  it('stores only the SHA-256 of the token, and never logs it', async () => {
    const { token, application } = await submitted();
    const id = Number(Buffer.from(application.id, 'base64url').toString().split(':')[2]);
    const [row] = await api.db.select().from(applications).where(eq(applications.id, id));
    expect(row!.tokenHash).toBe(hashApplicationToken(token));
    expect(JSON.stringify(row)).not.toContain(token);
    expect(JSON.stringify(api.logs)).not.toContain(token);
  });

  it('records each eligibility rule with its method: geocoded residence, self-attested age and requirement', async () => {
    const { application } = await submitted();
    expect(application.eligibility).toEqual([
      { rule: 'RESIDES_IN_DIVISION', post: { id: toGlobalId('Post', body.districtSeat.id) }, result: 'ELIGIBLE', method: 'GEOCODED', detail: expect.stringContaining('District 3') },
      { rule: 'MINIMUM_AGE', post: null, result: 'ELIGIBLE', method: 'SELF_ATTESTED', detail: 'You attest you are at least 16' },
      { rule: 'REQUIREMENT', post: null, result: 'ELIGIBLE', method: 'SELF_ATTESTED', detail: 'You attest: I am not an employee of the City' },
    ]);
  });

  it('records a resident of another district as not eligible for the district seat, and says which rule failed', async () => {
    // A point in downtown Portland (District 4), outside District 3.
    const { application } = await submitted({ residencePoint: { latitude: 45.5152, longitude: -122.6784 }, seatPreferences: [toGlobalId('Post', body.districtSeat.id)] });
    const residence = application.eligibility.find((c: any) => c.rule === 'RESIDES_IN_DIVISION');
    expect(residence).toMatchObject({ result: 'NOT_ELIGIBLE', method: 'GEOCODED' });
    expect(residence.detail).toMatch(/outside .*District 3,/);
    expect(residence.detail).not.toContain('45.5152');
    expect(application.isEligible).toBe(false);
  });

  it('uses the self-attested council district when no point is given', async () => {
    const district4 = await divisionByOcdId(api.db, DISTRICT(4));
    const { application } = await submitted({ residencePoint: null, residenceDivisionId: toGlobalId('Division', district4.id), seatPreferences: [toGlobalId('Post', body.districtSeat.id)] });
    expect(application.residenceDivision.name).toMatch(/District 4/);
    expect(application.eligibility[0]).toMatchObject({ rule: 'RESIDES_IN_DIVISION', result: 'NOT_ELIGIBLE', method: 'SELF_ATTESTED' });
    expect(application.isEligible).toBe(false);
  });

  it('is still eligible through the at-large seat when the district rule fails for the first choice', async () => {
    const { application } = await submitted({ residencePoint: { latitude: 45.5152, longitude: -122.6784 } });
    expect(application.isEligible).toBe(true);
  });

  it('records a missing age attestation as not eligible', async () => {
    const { application } = await submitted({ attestsMinimumAge: false });
    expect(application.eligibility.find((c: any) => c.rule === 'MINIMUM_AGE')).toMatchObject({ result: 'NOT_ELIGIBLE', method: 'SELF_ATTESTED' });
    expect(application.isEligible).toBe(false);
  });

  it('writes the RECEIVED notification to the outbox in the same transaction', async () => {
    const { application } = await submitted();
    const outbox = await outboxOf(api, application.id);
    expect(outbox).toHaveLength(1);
    expect(outbox[0]).toMatchObject({ kind: 'APPLICATION_RECEIVED', recipient: 'rosa.applicant@example.org', sentAt: null, attempts: 0 });
  });

  it('audits the submission without any private value', async () => {
    const { application } = await submitted({ fullName: 'Audit Secret Name', email: 'audit.secret@example.org' });
    const id = Number(Buffer.from(application.id, 'base64url').toString().split(':')[2]);
    const events = await api.db.select().from(auditEvents).where(eq(auditEvents.subjectId, id));
    const mine = events.filter((e) => e.subjectType === 'Application');
    expect(mine.map((e) => e.action)).toEqual(['applicationSubmit']);
    expect(mine[0]!.actorSubject).toBe('applicant');
    const text = JSON.stringify(mine);
    for (const secret of ['Audit Secret Name', 'audit.secret@example.org', '45.5197', 'step-free', 'ride the bus']) expect(text).not.toContain(secret);
  });
});

describe('applicationSubmit refusals change nothing', () => {
  async function refused(input: Record<string, unknown>) {
    const before = await recruitmentSnapshot(api);
    const { data, errors } = await submit(api, input);
    expect(errors).toBeUndefined();
    expect(data!.applicationSubmit.application).toBeNull();
    expect(data!.applicationSubmit.token).toBeNull();
    expect(await recruitmentSnapshot(api)).toEqual(before);
    return data!.applicationSubmit.userErrors as { code: string; field: string[] | null; message: string }[];
  }

  async function postingIn(state: 'DRAFT' | 'CLOSED' | 'CANCELLED' | 'FUTURE' | 'PAST') {
    const id = await openPosting(api, body);
    const dbId = Number(Buffer.from(id, 'base64url').toString().split(':')[2]);
    if (state === 'FUTURE') await api.db.update(vacancyPostings).set({ opensOn: addDays(today(), 1), closesOn: addDays(today(), 10) }).where(eq(vacancyPostings.id, dbId));
    else if (state === 'PAST') await api.db.update(vacancyPostings).set({ opensOn: addDays(today(), -20), closesOn: today() }).where(eq(vacancyPostings.id, dbId));
    else await api.db.update(vacancyPostings).set({ status: state }).where(eq(vacancyPostings.id, dbId));
    return id;
  }

  it('refuses a posting whose window has not opened', async () => {
    const id = await postingIn('FUTURE');
    expect(await refused(applicantInput(id, body))).toEqual([{ code: 'POSTING_NOT_OPEN', field: ['input', 'postingId'], message: expect.stringMatching(/opens on/) }]);
  });

  it('refuses a posting after its deadline (the window is half-open: closesOn itself is too late)', async () => {
    const id = await postingIn('PAST');
    expect(await refused(applicantInput(id, body))).toEqual([{ code: 'POSTING_NOT_OPEN', field: ['input', 'postingId'], message: expect.stringMatching(/deadline was/) }]);
  });

  it('refuses a closed posting', async () => {
    const id = await postingIn('CLOSED');
    expect((await refused(applicantInput(id, body)))[0]).toMatchObject({ code: 'POSTING_NOT_OPEN', message: 'This posting is not taking applications: it is CLOSED' });
  });

  it('treats a cancelled posting as absent, as the public reads it', async () => {
    const id = await postingIn('CANCELLED');
    expect((await refused(applicantInput(id, body)))[0]).toMatchObject({ code: 'NOT_FOUND', field: ['input', 'postingId'] });
  });

  it('treats a draft as absent', async () => {
    const id = await postingIn('DRAFT');
    expect((await refused(applicantInput(id, body)))[0]).toMatchObject({ code: 'NOT_FOUND', field: ['input', 'postingId'] });
  });

  it('refuses a seat preference the posting does not recruit for', async () => {
    const errors = await refused(applicantInput(postingId, body, { seatPreferences: [toGlobalId('Post', body.atLargeSeat.id), toGlobalId('Post', body.otherBodySeat.id)] }));
    expect(errors).toEqual([{ code: 'SEAT_NOT_IN_POSTING', field: ['input', 'seatPreferences', '1'], message: expect.any(String) }]);
  });

  it('refuses a missing required answer', async () => {
    const errors = await refused(applicantInput(postingId, body, { answers: [{ questionId: 'experience', answer: 'some' }] }));
    expect(errors).toEqual([{ code: 'MISSING_ANSWER', field: ['input', 'answers'], message: expect.stringContaining('"why"') }]);
  });

  it('refuses an answer longer than its question allows, and an unknown question', async () => {
    const errors = await refused(
      applicantInput(postingId, body, { answers: [{ questionId: 'why', answer: 'x'.repeat(501) }, { questionId: 'nope', answer: 'x' }] }),
    );
    expect(errors.map((e) => [e.code, e.field])).toEqual([
      ['INVALID_INPUT', ['input', 'answers', '0', 'answer']],
      ['INVALID_INPUT', ['input', 'answers', '1', 'questionId']],
    ]);
  });

  it('refuses oversized fields and lists with a code and the field', async () => {
    const cases: [Record<string, unknown>, string[]][] = [
      [{ fullName: 'x'.repeat(201) }, ['input', 'fullName']],
      [{ fullName: '   ' }, ['input', 'fullName']],
      [{ accessibilityNeeds: 'x'.repeat(2001) }, ['input', 'accessibilityNeeds']],
      [{ answers: Array.from({ length: 31 }, (_, i) => ({ questionId: `q${i}`, answer: 'a' })) }, ['input', 'answers']],
      [{ answers: [{ questionId: 'why', answer: 'x'.repeat(5001) }] }, ['input', 'answers', '0', 'answer']],
      [{ seatPreferences: Array.from({ length: 51 }, (_, i) => toGlobalId('Post', i + 1)) }, ['input', 'seatPreferences']],
      [{ seatPreferences: [] }, ['input', 'seatPreferences']],
      [{ attestedRequirementIds: Array.from({ length: 21 }, (_, i) => `r${i}`) }, ['input', 'attestedRequirementIds']],
      [{ preferredLanguage: 'not a language tag' }, ['input', 'preferredLanguage']],
      [{ phone: '12' }, ['input', 'phone']],
    ];
    for (const [overrides, field] of cases) {
      const errors = await refused(applicantInput(postingId, body, overrides));
      expect(errors[0], JSON.stringify(field)).toMatchObject({ code: 'INVALID_INPUT', field });
    }
  });

  it('refuses a malformed email address', async () => {
    for (const email of ['not-an-email', 'a@b', `${'x'.repeat(250)}@example.org`]) {
      expect(await refused(applicantInput(postingId, body, { email }))).toEqual([{ code: 'INVALID_INPUT', field: ['input', 'email'], message: expect.any(String) }]);
    }
  });

  it('refuses an application with no way to contact the applicant, or no residence', async () => {
    expect((await refused(applicantInput(postingId, body, { email: null })))[0]).toMatchObject({ code: 'INVALID_INPUT', field: ['input', 'email'] });
    expect((await refused(applicantInput(postingId, body, { residencePoint: null })))[0]).toMatchObject({ code: 'INVALID_INPUT', field: ['input', 'residencePoint'] });
  });

  it('refuses a residence district that is not a council district', async () => {
    const neighborhood = toGlobalId('Division', (await divisionByOcdId(api.db, DISTRICT(3))).parentId ?? 1);
    expect((await refused(applicantInput(postingId, body, { residencePoint: null, residenceDivisionId: neighborhood })))[0]).toMatchObject({
      code: 'NOT_FOUND',
      field: ['input', 'residenceDivisionId'],
    });
  });
});

describe('the application token', () => {
  it('reads its own application, and only that one', async () => {
    const a = await submitted({ fullName: 'Applicant A' });
    const b = await submitted({ fullName: 'Applicant B' });
    const readA = await api.execute(READ, { token: a.token });
    expect(readA.data!.application).toMatchObject({ id: a.application.id, fullName: 'Applicant A' });
    const readB = await api.execute(READ, { token: b.token });
    expect(readB.data!.application).toMatchObject({ id: b.application.id, fullName: 'Applicant B' });
  });

  it('reads as null when unknown or malformed, without saying more', async () => {
    for (const token of ['cga_' + 'A'.repeat(43), 'nonsense', '']) {
      const { data, errors } = await api.execute(READ, { token });
      expect(errors).toBeUndefined();
      expect(data!.application).toBeNull();
    }
  });

  it('does not show the applicant which staff member acted', async () => {
    const a = await submitted();
    await api.execute(`mutation($id: ID!) { applicationReviewStart(input: { applicationId: $id }) { userErrors { code } } }`, { id: a.application.id }, { viewer: api.staff() });
    const { data } = await api.execute(READ, { token: a.token });
    expect(data!.application.history.map((h: any) => [h.toStatus, h.actor])).toEqual([
      ['SUBMITTED', null],
      ['UNDER_REVIEW', null],
    ]);
  });

  it('cannot amend or withdraw another application: a token acts on its own application only', async () => {
    const a = await submitted({ fullName: 'Owner A' });
    const b = await submitted({ fullName: 'Owner B' });
    const amended = await api.execute(AMEND, { input: { token: a.token, fullName: 'Changed by A' } });
    expect(amended.data!.applicationAmend.application).toMatchObject({ id: a.application.id, fullName: 'Changed by A' });
    const readB = await api.execute(READ, { token: b.token });
    expect(readB.data!.application.fullName).toBe('Owner B');
    // There is no way to name another application with a token: amend and withdraw take only the token.
    const withdrawn = await api.execute(WITHDRAW, { input: { token: a.token } });
    expect(withdrawn.data!.applicationWithdraw.application).toMatchObject({ id: a.application.id, status: 'WITHDRAWN' });
    expect((await api.execute(READ, { token: b.token })).data!.application.status).toBe('SUBMITTED');
  });

  it('grants nothing on staff paths', async () => {
    const a = await submitted();
    const list = await api.execute(`{ applications(first: 5) { nodes { id } } }`);
    expect(list.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    const step = await api.execute(`mutation($id: ID!) { applicationReviewStart(input: { applicationId: $id }) { userErrors { code } } }`, { id: a.application.id });
    expect(step.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    const node = await api.execute(`query($id: ID!) { node(id: $id) { id } }`, { id: a.application.id });
    expect(node.data!.node).toBeNull();
  });

  it('refuses an unknown token in amend and withdraw, changing nothing', async () => {
    const before = await recruitmentSnapshot(api);
    const amended = await api.execute(AMEND, { input: { token: 'cga_' + 'B'.repeat(43), fullName: 'X' } });
    expect(amended.data!.applicationAmend.userErrors).toEqual([{ code: 'NOT_FOUND', field: ['input', 'token'], message: 'No application has that token' }]);
    const withdrawn = await api.execute(WITHDRAW, { input: { token: 'garbage' } });
    expect(withdrawn.data!.applicationWithdraw.userErrors[0].code).toBe('NOT_FOUND');
    expect(await recruitmentSnapshot(api)).toEqual(before);
  });
});

describe('applicationAmend', () => {
  it('changes the application and evaluates eligibility again', async () => {
    const a = await submitted({ seatPreferences: [toGlobalId('Post', body.districtSeat.id)] });
    const moved = await api.execute(AMEND, { input: { token: a.token, residencePoint: { latitude: 45.5152, longitude: -122.6784 } } });
    const application = moved.data!.applicationAmend.application;
    expect(application.residencePoint).toEqual({ latitude: 45.5152, longitude: -122.6784 });
    expect(application.eligibility[0]).toMatchObject({ rule: 'RESIDES_IN_DIVISION', result: 'NOT_ELIGIBLE' });
    expect(application.isEligible).toBe(false);
    expect(application.answers).toEqual(a.application.answers);
  });

  it('is refused once review has started', async () => {
    const a = await submitted();
    await api.execute(`mutation($id: ID!) { applicationReviewStart(input: { applicationId: $id }) { userErrors { code } } }`, { id: a.application.id }, { viewer: api.staff() });
    const before = await recruitmentSnapshot(api);
    const amended = await api.execute(AMEND, { input: { token: a.token, fullName: 'Too late' } });
    expect(amended.data!.applicationAmend.userErrors).toEqual([
      { code: 'INVALID_TRANSITION', field: ['input', 'token'], message: 'An application can be amended only while SUBMITTED; this one is UNDER_REVIEW' },
    ]);
    expect(await recruitmentSnapshot(api)).toEqual(before);
  });

  it('validates amendments like a submission', async () => {
    const a = await submitted();
    const amended = await api.execute(AMEND, { input: { token: a.token, answers: [] } });
    expect(amended.data!.applicationAmend.userErrors[0]).toMatchObject({ code: 'MISSING_ANSWER' });
  });
});

describe('applicationWithdraw', () => {
  it('withdraws with a reason, records it in the history and tells the applicant', async () => {
    const a = await submitted();
    const { data } = await api.execute(WITHDRAW, { input: { token: a.token, reason: 'Moving away' } });
    expect(data!.applicationWithdraw.application.history.at(-1)).toEqual({ toStatus: 'WITHDRAWN', reason: 'Moving away' });
    expect((await outboxOf(api, a.application.id)).map((o) => o.kind)).toEqual(['APPLICATION_RECEIVED', 'APPLICATION_WITHDRAWN']);
  });

  it('cannot withdraw twice', async () => {
    const a = await submitted();
    await api.execute(WITHDRAW, { input: { token: a.token } });
    const again = await api.execute(WITHDRAW, { input: { token: a.token } });
    expect(again.data!.applicationWithdraw.userErrors).toEqual([{ code: 'INVALID_TRANSITION', field: null, message: 'An application cannot go from WITHDRAWN to WITHDRAWN' }]);
  });
});
