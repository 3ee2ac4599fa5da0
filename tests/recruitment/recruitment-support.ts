import { eq } from 'drizzle-orm';
import { expect } from 'vitest';
import { applications, auditEvents, notificationOutbox, vacancyPostings, type PostRow } from '../../src/db/schema/index.ts';
import { todayIn } from '../../src/graphql/dates.ts';
import { toGlobalId } from '../../src/graphql/global-id.ts';
import { createOrganization, createPost, divisionByOcdId } from '../helpers/factories.ts';
import { createTestApi, type TestApi, type TestApiOptions } from '../helpers/test-api.ts';

/** Shared by the recruitment tests: operations, a body with seats, a posting, an applicant's input. */

/** A home in Buckman (SE 16th Ave): inside council district 3, outside district 4. */
export const BUCKMAN = { latitude: 45.5197, longitude: -122.6489 };
export const DISTRICT = (n: number) => `ocd-division/country:us/state:or/place:portland/council_district:${n}`;

export const today = () => todayIn('America/Los_Angeles');
export function addDays(isoDate: string, days: number): string {
  const d = new Date(`${isoDate}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

export const USER_ERRORS = 'userErrors { code field message }';

export const POSTING_FIELDS = `
  id title status opensOn closesOn applicationDeadline isAcceptingApplications seatsAvailable eligibilitySummary
  timeCommitmentMinHoursPerMonth timeCommitmentMaxHoursPerMonth stipend interpretationLanguages
  questions { id prompt required maxLength } requirements { id statement } minimumAge applicationLifetimeDays
  organization { id } posts { id label }
`;

export const APPLICATION_FIELDS = `
  id status submittedAt expiresAt fullName email phone residencePoint { latitude longitude } residenceDivision { id name }
  attestsMinimumAge attestedRequirementIds answers { questionId answer } seatPreferences { rank post { id } }
  preferredLanguage interpretationNeeded accessibilityNeeds isEligible interviewAt decisionReason
  eligibility { rule post { id } result method detail }
  history { fromStatus toStatus reason actor }
  posting { id }
  membership { id }
`;

export const POSTING_CREATE = `mutation($input: VacancyPostingCreateInput!) { vacancyPostingCreate(input: $input) { posting { ${POSTING_FIELDS} } ${USER_ERRORS} } }`;
export const POSTING_UPDATE = `mutation($input: VacancyPostingUpdateInput!) { vacancyPostingUpdate(input: $input) { posting { ${POSTING_FIELDS} } ${USER_ERRORS} } }`;
export const POSTING_PUBLISH = `mutation($id: ID!) { vacancyPostingPublish(input: { postingId: $id }) { posting { id status } ${USER_ERRORS} } }`;
export const POSTING_CLOSE = `mutation($id: ID!) { vacancyPostingClose(input: { postingId: $id }) { posting { id status } ${USER_ERRORS} } }`;
export const POSTING_CANCEL = `mutation($id: ID!) { vacancyPostingCancel(input: { postingId: $id }) { posting { id status } ${USER_ERRORS} } }`;

export const SUBMIT = `mutation($input: ApplicationSubmitInput!) {
  applicationSubmit(input: $input) { token retryAfterSeconds application { ${APPLICATION_FIELDS} } ${USER_ERRORS} }
}`;
export const AMEND = `mutation($input: ApplicationAmendInput!) { applicationAmend(input: $input) { application { ${APPLICATION_FIELDS} } ${USER_ERRORS} } }`;
export const WITHDRAW = `mutation($input: ApplicationWithdrawInput!) { applicationWithdraw(input: $input) { application { id status history { toStatus reason } } ${USER_ERRORS} } }`;
export const READ = `query($token: String!) { application(token: $token) { ${APPLICATION_FIELDS} } }`;

export interface Body {
  organizationId: number;
  districtSeat: PostRow;
  atLargeSeat: PostRow;
  otherBodySeat: PostRow;
}

/** An advisory body with a District 3 seat and an at-large seat, plus a seat of another body. */
export async function createBody(api: TestApi): Promise<Body> {
  const district3 = await divisionByOcdId(api.db, DISTRICT(3));
  const body = await createOrganization(api.db, { jurisdictionId: api.jurisdictionId, name: 'Test Budget Advisory Board' });
  const districtSeat = await createPost(api.db, { jurisdictionId: api.jurisdictionId, organizationId: body.id, label: 'District 3 seat', divisionId: district3.id, takesApplications: true, maxHolders: 3 });
  const atLargeSeat = await createPost(api.db, { jurisdictionId: api.jurisdictionId, organizationId: body.id, label: 'At-large seat', takesApplications: true });
  const other = await createOrganization(api.db, { jurisdictionId: api.jurisdictionId });
  const otherBodySeat = await createPost(api.db, { jurisdictionId: api.jurisdictionId, organizationId: other.id });
  return { organizationId: body.id, districtSeat, atLargeSeat, otherBodySeat };
}

export function postingInput(body: Body, overrides: Record<string, unknown> = {}) {
  return {
    organizationId: toGlobalId('Organization', body.organizationId),
    postIds: [toGlobalId('Post', body.districtSeat.id), toGlobalId('Post', body.atLargeSeat.id)],
    title: 'Budget board: two seats',
    opensOn: addDays(today(), -1),
    applicationDeadline: addDays(today(), 30),
    seatsAvailable: 2,
    eligibilitySummary: 'Portland residents 16 and older',
    timeCommitmentMinHoursPerMonth: 4,
    timeCommitmentMaxHoursPerMonth: 8,
    stipend: '$50 per meeting',
    interpretationLanguages: ['es', 'vi'],
    questions: [
      { id: 'why', prompt: 'Why do you want to serve?', required: true, maxLength: 500 },
      { id: 'experience', prompt: 'Relevant experience', required: false, maxLength: 100 },
    ],
    requirements: [{ id: 'not-employee', statement: 'I am not an employee of the City' }],
    minimumAge: 16,
    ...overrides,
  };
}

/** A posting created and published through the API; returns its global id. */
export async function openPosting(api: TestApi, body: Body, overrides: Record<string, unknown> = {}): Promise<string> {
  const created = await api.execute(POSTING_CREATE, { input: postingInput(body, overrides) }, { viewer: api.staff() });
  expect(created.errors).toBeUndefined();
  expect(created.data!.vacancyPostingCreate.userErrors).toEqual([]);
  const id: string = created.data!.vacancyPostingCreate.posting.id;
  const published = await api.execute(POSTING_PUBLISH, { id }, { viewer: api.staff() });
  expect(published.data!.vacancyPostingPublish.userErrors).toEqual([]);
  return id;
}

/** A complete, valid application by a Buckman resident for the District 3 seat, then at-large. */
export function applicantInput(postingId: string, body: Body, overrides: Record<string, unknown> = {}) {
  return {
    postingId,
    fullName: 'Rosa Applicant',
    email: 'rosa.applicant@example.org',
    residencePoint: BUCKMAN,
    attestsMinimumAge: true,
    attestedRequirementIds: ['not-employee'],
    answers: [{ questionId: 'why', answer: 'I ride the bus every day and want better budgets.' }],
    seatPreferences: [toGlobalId('Post', body.districtSeat.id), toGlobalId('Post', body.atLargeSeat.id)],
    preferredLanguage: 'es',
    interpretationNeeded: true,
    accessibilityNeeds: 'step-free access',
    ...overrides,
  };
}

let clientCounter = 0;
/** A fresh client address per call, so tests never share a rate-limit bucket unless they mean to. */
export const freshClient = () => `198.51.100.${++clientCounter % 250}-${clientCounter}`;

export async function submit(api: TestApi, input: Record<string, unknown>, clientAddress = freshClient()) {
  return api.execute(SUBMIT, { input }, { clientAddress });
}

/** Rows a refused mutation must leave untouched. */
export async function recruitmentSnapshot(api: TestApi) {
  return {
    postings: await api.db.select().from(vacancyPostings).orderBy(vacancyPostings.id),
    applications: await api.db.select().from(applications).orderBy(applications.id),
    outbox: (await api.db.select().from(notificationOutbox)).length,
    audit: (await api.db.select().from(auditEvents)).length,
  };
}

export async function outboxOf(api: TestApi, applicationGlobalId: string) {
  const id = Number(Buffer.from(applicationGlobalId, 'base64url').toString().split(':')[2]);
  return api.db.select().from(notificationOutbox).where(eq(notificationOutbox.applicationId, id)).orderBy(notificationOutbox.id);
}

/**
 * What every recruitment test file starts from: a server over a fresh Portland database and the
 * test advisory body. Call in beforeAll; dispose `api` in afterAll.
 */
export async function openBody(options: TestApiOptions = {}): Promise<{ api: TestApi; body: Body }> {
  const api = await createTestApi(options);
  return { api, body: await createBody(api) };
}

/** openBody plus a posting of its two seats, published by staff and open for applications. */
export async function openRecruitment(options: TestApiOptions = {}): Promise<{ api: TestApi; body: Body; postingId: string }> {
  const { api, body } = await openBody(options);
  return { api, body, postingId: await openPosting(api, body) };
}
