import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applications, auditEvents, memberships, personPrivateDetails } from '../../src/db/schema/index.ts';
import { toGlobalId } from '../../src/graphql/global-id.ts';
import { expireDueApplications } from '../../src/modules/recruitment/workflow.service.ts';
import type { TestApi } from '../helpers/test-api.ts';
import { applicantInput, APPLICATION_FIELDS, type Body, openRecruitment, outboxOf, READ, recruitmentSnapshot, submit, today } from './recruitment-support.ts';

let api: TestApi;
let body: Body;
let postingId: string;

beforeAll(async () => {
  ({ api, body, postingId } = await openRecruitment());
});
afterAll(() => api.dispose());

const P = `application { ${APPLICATION_FIELDS} } userErrors { code field message }`;
const REVIEW = `mutation($id: ID!) { applicationReviewStart(input: { applicationId: $id }) { ${P} } }`;
const INTERVIEW = `mutation($id: ID!, $at: DateTime!) { applicationInterviewSchedule(input: { applicationId: $id, interviewAt: $at }) { ${P} } }`;
const RECOMMEND = `mutation($id: ID!) { applicationRecommend(input: { applicationId: $id, reason: "Strong budget experience" }) { ${P} } }`;
const DECLINE = `mutation($id: ID!, $reason: String!) { applicationDecline(input: { applicationId: $id, reason: $reason }) { ${P} } }`;
const APPOINT = `mutation($input: ApplicationAppointInput!) {
  applicationAppoint(input: $input) { ${P} membership { id startDate person { name } post { id } application { id } } }
}`;
const LIST = `query($filter: ApplicationFilter) { applications(filter: $filter, first: 100) { nodes { id status fullName } pageInfo { hasNextPage } } }`;

const dbId = (globalId: string) => Number(Buffer.from(globalId, 'base64url').toString().split(':')[2]);

async function applied(overrides: Record<string, unknown> = {}) {
  const { data } = await submit(api, applicantInput(postingId, body, overrides));
  expect(data!.applicationSubmit.userErrors).toEqual([]);
  return data!.applicationSubmit as { token: string; application: Record<string, any> };
}

async function staff(query: string, variables: Record<string, unknown>) {
  const { data, errors } = await api.execute(query, variables, { viewer: api.staff() });
  expect(errors).toBeUndefined();
  return Object.values(data!)[0] as Record<string, any>;
}

async function recommended(overrides: Record<string, unknown> = {}) {
  const a = await applied(overrides);
  await staff(REVIEW, { id: a.application.id });
  await staff(RECOMMEND, { id: a.application.id });
  return a;
}

describe('staff transitions', () => {
  it('moves submitted → under review → interview scheduled → recommended, with history and notifications', async () => {
    const a = await applied();
    expect((await staff(REVIEW, { id: a.application.id })).application.status).toBe('UNDER_REVIEW');
    const interview = await staff(INTERVIEW, { id: a.application.id, at: '2030-01-15T18:00:00Z' });
    expect(interview.application).toMatchObject({ status: 'INTERVIEW_SCHEDULED', interviewAt: '2030-01-15T18:00:00.000Z' });
    const rec = await staff(RECOMMEND, { id: a.application.id });
    expect(rec.application.history.map((h: any) => [h.fromStatus, h.toStatus, h.actor])).toEqual([
      [null, 'SUBMITTED', 'applicant'],
      ['SUBMITTED', 'UNDER_REVIEW', 'staff@example.gov'],
      ['UNDER_REVIEW', 'INTERVIEW_SCHEDULED', 'staff@example.gov'],
      ['INTERVIEW_SCHEDULED', 'RECOMMENDED', 'staff@example.gov'],
    ]);
    expect(rec.application.history[3].reason).toBe('Strong budget experience');
    expect((await outboxOf(api, a.application.id)).map((o) => o.kind)).toEqual(['APPLICATION_RECEIVED', 'INTERVIEW_SCHEDULED']);
  });

  it('refuses invalid transitions with INVALID_TRANSITION naming from and to, changing nothing', async () => {
    const a = await applied();
    const before = await recruitmentSnapshot(api);
    const rec = await staff(RECOMMEND, { id: a.application.id });
    expect(rec).toEqual({ application: null, userErrors: [{ code: 'INVALID_TRANSITION', field: null, message: 'An application cannot go from SUBMITTED to RECOMMENDED' }] });
    const appoint = await staff(APPOINT, { input: { applicationId: a.application.id, postId: toGlobalId('Post', body.atLargeSeat.id), startDate: today() } });
    expect(appoint.userErrors[0].message).toBe('An application cannot go from SUBMITTED to APPOINTED');
    expect(await recruitmentSnapshot(api)).toEqual(before);
  });

  it('declines with a required reason, tells the applicant, and then allows nothing more', async () => {
    const a = await applied();
    const empty = await staff(DECLINE, { id: a.application.id, reason: '  ' });
    expect(empty.userErrors[0]).toMatchObject({ code: 'INVALID_INPUT', field: ['input', 'reason'] });
    const declined = await staff(DECLINE, { id: a.application.id, reason: 'Seats filled by applicants with budget experience' });
    expect(declined.application).toMatchObject({ status: 'NOT_SELECTED', decisionReason: 'Seats filled by applicants with budget experience' });
    expect((await outboxOf(api, a.application.id)).map((o) => o.kind)).toEqual(['APPLICATION_RECEIVED', 'DECISION']);
    expect((await staff(REVIEW, { id: a.application.id })).userErrors[0].message).toBe('An application cannot go from NOT_SELECTED to UNDER_REVIEW');
  });

  it('audits every transition with the status only, never private values', async () => {
    const a = await applied({ fullName: 'Private Name Marker', email: 'marker@example.org' });
    await staff(REVIEW, { id: a.application.id });
    await staff(DECLINE, { id: a.application.id, reason: 'not this time' });
    const events = (await api.db.select().from(auditEvents).where(eq(auditEvents.subjectId, dbId(a.application.id)))).filter((e) => e.subjectType === 'Application');
    expect(events.map((e) => [e.action, e.changes])).toEqual([
      ['applicationSubmit', { postingId: { before: null, after: dbId(postingId) }, status: { before: null, after: 'SUBMITTED' } }],
      ['applicationReviewStart', { status: { before: 'SUBMITTED', after: 'UNDER_REVIEW' } }],
      ['applicationDecline', { status: { before: 'UNDER_REVIEW', after: 'NOT_SELECTED' } }],
    ]);
    expect(JSON.stringify(events)).not.toMatch(/Private Name Marker|marker@example.org/);
  });

  it('is for staff of the jurisdiction only', async () => {
    const a = await applied();
    const other = await api.execute(REVIEW, { id: a.application.id }, { viewer: api.staff({ jurisdictionId: api.jurisdictionId + 1000 }) });
    expect(other.errors![0]!.extensions!.code).toBe('FORBIDDEN');
    const partner = await api.execute(REVIEW, { id: a.application.id }, { viewer: { role: 'PARTNER', subject: 'api-key:9', name: 'p', jurisdictionId: api.jurisdictionId, apiKeyId: 9 } });
    expect(partner.errors![0]!.extensions!.code).toBe('FORBIDDEN');
  });
});

describe('applicationAppoint', () => {
  it('appoints through the seatAppoint rules and links the membership to the application', async () => {
    const a = await recommended({ fullName: 'Appointed Applicant' });
    const result = await staff(APPOINT, { input: { applicationId: a.application.id, postId: toGlobalId('Post', body.districtSeat.id), startDate: today() } });
    expect(result.userErrors).toEqual([]);
    expect(result.application.status).toBe('APPOINTED');
    expect(result.membership).toMatchObject({ person: { name: 'Appointed Applicant' }, post: { id: toGlobalId('Post', body.districtSeat.id) }, application: { id: a.application.id } });
    const [row] = await api.db.select().from(memberships).where(eq(memberships.id, dbId(result.membership.id)));
    expect(row!.applicationId).toBe(dbId(a.application.id));
    // The applicant's home point became the person's home on record (private details).
    const [details] = await api.db.select().from(personPrivateDetails).where(eq(personPrivateDetails.personId, row!.personId));
    expect(details).toMatchObject({ homeLatitude: 45.5197, homeLongitude: -122.6489, email: 'rosa.applicant@example.org' });
    expect((await outboxOf(api, a.application.id)).map((o) => o.kind)).toEqual(['APPLICATION_RECEIVED', 'DECISION']);
    // The applicant sees it too.
    expect((await api.execute(READ, { token: a.token })).data!.application).toMatchObject({ status: 'APPOINTED', membership: { id: result.membership.id } });
  });

  it('refuses a non-resident for a district seat exactly as seatAppoint does, changing nothing', async () => {
    const a = await recommended({ residencePoint: { latitude: 45.5152, longitude: -122.6784 } });
    const before = await recruitmentSnapshot(api);
    const result = await staff(APPOINT, { input: { applicationId: a.application.id, postId: toGlobalId('Post', body.districtSeat.id), startDate: today() } });
    expect(result.userErrors).toEqual([{ code: 'NOT_RESIDENT_OF_DISTRICT', field: ['input', 'applicationId'], message: expect.stringContaining('give residencyOverrideReason') }]);
    expect(await recruitmentSnapshot(api)).toEqual(before);
  });

  it('refuses a seat the posting does not recruit for, and a full seat', async () => {
    const a = await recommended();
    const other = await staff(APPOINT, { input: { applicationId: a.application.id, postId: toGlobalId('Post', body.otherBodySeat.id), startDate: today() } });
    expect(other.userErrors[0]).toMatchObject({ code: 'SEAT_NOT_IN_POSTING', field: ['input', 'postId'] });
    const first = await recommended();
    await staff(APPOINT, { input: { applicationId: first.application.id, postId: toGlobalId('Post', body.atLargeSeat.id), startDate: today() } });
    const full = await staff(APPOINT, { input: { applicationId: a.application.id, postId: toGlobalId('Post', body.atLargeSeat.id), startDate: today() } });
    expect(full.userErrors[0]).toMatchObject({ code: 'SEAT_FULL' });
    expect((await api.execute(READ, { token: a.token })).data!.application.status).toBe('RECOMMENDED');
  });

  it('shows the membership’s application to staff only', async () => {
    const q = `query($id: ID!) { node(id: $id) { ... on Membership { application { id } } } }`;
    const rows = await api.db.select().from(memberships).where(eq(memberships.postId, body.districtSeat.id));
    const id = toGlobalId('Membership', rows[0]!.id);
    expect((await api.execute(q, { id })).data!.node.application).toBeNull();
    expect((await api.execute(q, { id }, { viewer: api.staff() })).data!.node.application).not.toBeNull();
  });
});

describe('applications (staff list)', () => {
  it('lists applications of a posting by status for staff', async () => {
    const a = await applied({ fullName: 'Listed Applicant' });
    await staff(REVIEW, { id: a.application.id });
    const list = await staff(LIST, { filter: { postingId, status: ['UNDER_REVIEW'] } });
    expect(list.nodes.map((n: any) => n.id)).toContain(a.application.id);
    expect(list.nodes.every((n: any) => n.status === 'UNDER_REVIEW')).toBe(true);
  });

  it('is refused to the public, partners and staff of another city, and has no count to ask for', async () => {
    expect((await api.execute(LIST, {})).errors![0]!.extensions!.code).toBe('UNAUTHENTICATED');
    const partner = await api.execute(LIST, {}, { viewer: { role: 'PARTNER', subject: 'api-key:9', name: 'p', jurisdictionId: api.jurisdictionId, apiKeyId: 9 } });
    expect(partner.errors![0]!.extensions!.code).toBe('FORBIDDEN');
    const other = await api.execute(`{ applications(jurisdiction: "portland", first: 1) { nodes { id } } }`, {}, { viewer: api.staff({ jurisdictionId: api.jurisdictionId + 1000 }) });
    expect(other.errors![0]!.extensions!.code).toBe('FORBIDDEN');
    const counted = await api.execute(`{ applications(first: 1) { totalCount } }`, {}, { viewer: api.staff() });
    expect(counted.errors![0]!.extensions!.code).toBe('GRAPHQL_VALIDATION_FAILED');
  });
});

describe('expiry', () => {
  async function backdate(globalId: string) {
    await api.db.update(applications).set({ submittedAt: new Date(Date.now() - 100 * 86_400_000), expiresAt: new Date(Date.now() - 86_400_000) }).where(eq(applications.id, dbId(globalId)));
  }

  it('reads an application past its expiry as EXPIRED before any sweep, and refuses moving it', async () => {
    const a = await applied();
    await backdate(a.application.id);
    expect((await api.execute(READ, { token: a.token })).data!.application.status).toBe('EXPIRED');
    expect((await staff(REVIEW, { id: a.application.id })).userErrors[0].message).toBe('An application cannot go from EXPIRED to UNDER_REVIEW');
    const list = await staff(LIST, { filter: { postingId, status: ['EXPIRED'] } });
    expect(list.nodes.map((n: any) => n.id)).toContain(a.application.id);
  });

  it('the sweep stores EXPIRED with history and a notification, once', async () => {
    const a = await applied();
    const fresh = await applied();
    await backdate(a.application.id);
    expect(await expireDueApplications(api.db)).toBeGreaterThanOrEqual(1);
    expect(await expireDueApplications(api.db)).toBe(0);
    const [row] = await api.db.select().from(applications).where(eq(applications.id, dbId(a.application.id)));
    expect(row!.status).toBe('EXPIRED');
    expect((await outboxOf(api, a.application.id)).map((o) => o.kind)).toEqual(['APPLICATION_RECEIVED', 'APPLICATION_EXPIRED']);
    const [untouched] = await api.db.select().from(applications).where(eq(applications.id, dbId(fresh.application.id)));
    expect(untouched!.status).toBe('SUBMITTED');
  });

  it('runs on demand for staff (applicationsExpire)', async () => {
    const a = await applied();
    await backdate(a.application.id);
    const result = await staff(`mutation { applicationsExpire(input: {}) { expiredCount userErrors { code } } }`, {});
    expect(result.expiredCount).toBe(1);
    expect((await api.execute(`mutation { applicationsExpire(input: {}) { expiredCount } }`)).errors![0]!.extensions!.code).toBe('UNAUTHENTICATED');
  });
});

describe('applicationEligibilityDecide', () => {
  const DECIDE = `mutation($input: ApplicationEligibilityDecideInput!) {
    applicationEligibilityDecide(input: $input) { application { isEligible eligibility { rule post { id } result method detail } } userErrors { code field message } }
  }`;

  it('records a staff decision on a rule with method STAFF, replacing the self-attested one', async () => {
    const district4 = toGlobalId('Division', (await (await import('../helpers/factories.ts')).divisionByOcdId(api.db, 'ocd-division/country:us/state:or/place:portland/council_district:4')).id);
    const a = await applied({ residencePoint: null, residenceDivisionId: district4, seatPreferences: [toGlobalId('Post', body.districtSeat.id)] });
    expect(a.application.isEligible).toBe(false);
    const seat = toGlobalId('Post', body.districtSeat.id);
    const result = await staff(DECIDE, { input: { applicationId: a.application.id, rule: 'RESIDES_IN_DIVISION', postId: seat, result: 'ELIGIBLE', detail: 'Lease shows a District 3 address' } });
    expect(result.userErrors).toEqual([]);
    expect(result.application.eligibility.filter((c: any) => c.rule === 'RESIDES_IN_DIVISION')).toEqual([
      { rule: 'RESIDES_IN_DIVISION', post: { id: seat }, result: 'ELIGIBLE', method: 'STAFF', detail: 'Lease shows a District 3 address' },
    ]);
    expect(result.application.isEligible).toBe(true);
    const events = (await api.db.select().from(auditEvents).where(eq(auditEvents.subjectId, dbId(a.application.id)))).filter((e) => e.action === 'applicationEligibilityDecide');
    expect(events.map((e) => e.changes)).toEqual([{ eligibilityDecided: { before: null, after: `post:${body.districtSeat.id}` } }]);
  });

  it('refuses a seat the application does not prefer, and a decided application', async () => {
    const a = await applied({ seatPreferences: [toGlobalId('Post', body.atLargeSeat.id)] });
    const wrongSeat = await staff(DECIDE, { input: { applicationId: a.application.id, rule: 'RESIDES_IN_DIVISION', postId: toGlobalId('Post', body.districtSeat.id), result: 'ELIGIBLE', detail: 'x' } });
    expect(wrongSeat.userErrors[0]).toMatchObject({ code: 'NOT_FOUND', field: ['input', 'postId'] });
    await staff(DECLINE, { id: a.application.id, reason: 'no' });
    const late = await staff(DECIDE, { input: { applicationId: a.application.id, rule: 'MINIMUM_AGE', result: 'ELIGIBLE', detail: 'ID checked' } });
    expect(late.userErrors[0]).toMatchObject({ code: 'INVALID_TRANSITION', message: 'Eligibility can be decided only before the application is decided; this one is NOT_SELECTED' });
  });
});
