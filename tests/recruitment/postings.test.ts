import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditEvents } from '../../src/db/schema/index.ts';
import { toGlobalId } from '../../src/graphql/global-id.ts';
import type { TestApi } from '../helpers/test-api.ts';
import {
  addDays,
  openBody,
  POSTING_CANCEL,
  POSTING_CLOSE,
  POSTING_CREATE,
  POSTING_PUBLISH,
  POSTING_UPDATE,
  postingInput,
  recruitmentSnapshot,
  today,
  type Body,
} from './recruitment-support.ts';

let api: TestApi;
let body: Body;

beforeAll(async () => {
  ({ api, body } = await openBody());
});
afterAll(() => api.dispose());

async function createDraft(overrides: Record<string, unknown> = {}): Promise<Record<string, any>> {
  const { data, errors } = await api.execute(POSTING_CREATE, { input: postingInput(body, overrides) }, { viewer: api.staff() });
  expect(errors).toBeUndefined();
  expect(data!.vacancyPostingCreate.userErrors).toEqual([]);
  return data!.vacancyPostingCreate.posting;
}

const LIST = `query($org: ID) { vacancyPostings(filter: { organizationId: $org }, first: 50) { totalCount nodes { id status } } }`;
const NODE = `query($id: ID!) { node(id: $id) { id ... on VacancyPosting { status } } }`;
const ORG = `query($id: ID!) { node(id: $id) { ... on Organization { vacancyPostings(first: 20) { totalCount nodes { id status } } } } }`;

describe('vacancyPostingCreate', () => {
  it('creates a DRAFT with its seats, window, languages and questions; the deadline is the last day', async () => {
    const deadline = addDays(today(), 30);
    const posting = await createDraft({ applicationDeadline: deadline });
    expect(posting).toMatchObject({
      status: 'DRAFT',
      applicationDeadline: deadline,
      closesOn: addDays(deadline, 1),
      isAcceptingApplications: false,
      seatsAvailable: 2,
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
      applicationLifetimeDays: 90,
      organization: { id: toGlobalId('Organization', body.organizationId) },
    });
    expect(posting.posts.map((p: any) => p.label)).toEqual(['At-large seat', 'District 3 seat']);
  });

  it('refuses bad input with codes and stores nothing', async () => {
    const cases: [Record<string, unknown>, string, string[]][] = [
      [{ applicationDeadline: addDays(today(), -5) }, 'INVALID_DATE_RANGE', ['input', 'applicationDeadline']],
      [{ timeCommitmentMinHoursPerMonth: 10, timeCommitmentMaxHoursPerMonth: 2 }, 'INVALID_INPUT', ['input', 'timeCommitmentMaxHoursPerMonth']],
      [{ title: 'x'.repeat(201) }, 'INVALID_INPUT', ['input', 'title']],
      [{ interpretationLanguages: ['not a tag'] }, 'INVALID_INPUT', ['input', 'interpretationLanguages', '0']],
      [{ questions: [{ id: 'a', prompt: 'p', required: true, maxLength: 10 }, { id: 'a', prompt: 'q', required: false, maxLength: 10 }] }, 'INVALID_INPUT', ['input', 'questions']],
      [{ questions: [{ id: 'a', prompt: 'p', required: true, maxLength: 5001 }] }, 'INVALID_INPUT', ['input', 'questions', '0', 'maxLength']],
      [{ postIds: [toGlobalId('Post', body.otherBodySeat.id)] }, 'NOT_FOUND', ['input', 'postIds', '0']],
      [{ postIds: [] }, 'INVALID_INPUT', ['input', 'postIds']],
      [{ applicationLifetimeDays: 0 }, 'INVALID_INPUT', ['input', 'applicationLifetimeDays']],
    ];
    for (const [overrides, code, field] of cases) {
      const before = await recruitmentSnapshot(api);
      const { data } = await api.execute(POSTING_CREATE, { input: postingInput(body, overrides) }, { viewer: api.staff() });
      expect(data!.vacancyPostingCreate.posting, JSON.stringify(overrides)).toBeNull();
      expect(data!.vacancyPostingCreate.userErrors[0], JSON.stringify(overrides)).toMatchObject({ code, field });
      expect(await recruitmentSnapshot(api)).toEqual(before);
    }
  });

  it('refuses a body that is not an advisory body', async () => {
    const { data } = await api.execute(
      `query { organization(slug: "buckman") { id } }`,
    );
    const result = await api.execute(POSTING_CREATE, { input: postingInput(body, { organizationId: data!.organization.id }) }, { viewer: api.staff() });
    expect(result.data!.vacancyPostingCreate.userErrors[0]).toMatchObject({ code: 'WRONG_ORGANIZATION_KIND' });
  });

  it('is for staff of the jurisdiction only', async () => {
    const anonymous = await api.execute(POSTING_CREATE, { input: postingInput(body) });
    expect(anonymous.errors![0]!.extensions!.code).toBe('UNAUTHENTICATED');
    const partner = await api.execute(POSTING_CREATE, { input: postingInput(body) }, { viewer: { role: 'PARTNER', subject: 'api-key:1', name: 'p', jurisdictionId: api.jurisdictionId, apiKeyId: 1 } });
    expect(partner.errors![0]!.extensions!.code).toBe('FORBIDDEN');
    const other = await api.execute(POSTING_CREATE, { input: postingInput(body) }, { viewer: api.staff({ jurisdictionId: api.jurisdictionId + 1000 }) });
    expect(other.errors![0]!.extensions!.code).toBe('FORBIDDEN');
  });

  it('is audited', async () => {
    const posting = await createDraft();
    const id = Number(Buffer.from(posting.id, 'base64url').toString().split(':')[2]);
    const events = (await api.db.select().from(auditEvents).where(eq(auditEvents.subjectId, id))).filter((e) => e.subjectType === 'VacancyPosting');
    expect(events.map((e) => [e.action, e.actorSubject])).toEqual([['vacancyPostingCreate', 'staff@example.gov']]);
    expect(events[0]!.changes.status).toEqual({ before: null, after: 'DRAFT' });
  });
});

describe('visibility', () => {
  it('keeps drafts and cancelled postings from the public, in lists, node and the organization', async () => {
    const draft = await createDraft();
    const open = await createDraft();
    await api.execute(POSTING_PUBLISH, { id: open.id }, { viewer: api.staff() });
    const cancelled = await createDraft();
    await api.execute(POSTING_CANCEL, { id: cancelled.id }, { viewer: api.staff() });
    const org = toGlobalId('Organization', body.organizationId);

    const publicList = (await api.execute(LIST, { org })).data!.vacancyPostings;
    expect(publicList.nodes.map((n: any) => n.id)).toContain(open.id);
    expect(publicList.nodes.map((n: any) => n.id)).not.toContain(draft.id);
    expect(publicList.nodes.map((n: any) => n.id)).not.toContain(cancelled.id);
    expect(publicList.nodes.every((n: any) => n.status === 'OPEN' || n.status === 'CLOSED')).toBe(true);
    expect(publicList.totalCount).toBe(publicList.nodes.length);

    expect((await api.execute(NODE, { id: draft.id })).data!.node).toBeNull();
    expect((await api.execute(NODE, { id: cancelled.id })).data!.node).toBeNull();
    expect((await api.execute(NODE, { id: open.id })).data!.node).toEqual({ id: open.id, status: 'OPEN' });
    const viaOrg = (await api.execute(ORG, { id: org })).data!.node.vacancyPostings;
    expect(viaOrg.nodes.map((n: any) => n.id)).not.toContain(draft.id);
    expect(viaOrg.totalCount).toBe(viaOrg.nodes.length);

    const staffList = (await api.execute(LIST, { org }, { viewer: api.staff() })).data!.vacancyPostings;
    expect(staffList.nodes.map((n: any) => n.id)).toEqual(expect.arrayContaining([draft.id, open.id, cancelled.id]));
    expect((await api.execute(NODE, { id: draft.id }, { viewer: api.staff() })).data!.node).toEqual({ id: draft.id, status: 'DRAFT' });
    // Staff of another city are the public here.
    expect((await api.execute(NODE, { id: draft.id }, { viewer: api.staff({ jurisdictionId: api.jurisdictionId + 1000 }) })).data!.node).toBeNull();
  });

  it('filters to postings accepting applications on a date', async () => {
    const open = await createDraft({ opensOn: addDays(today(), 5), applicationDeadline: addDays(today(), 9) });
    await api.execute(POSTING_PUBLISH, { id: open.id }, { viewer: api.staff() });
    const on = async (date: string) =>
      (await api.execute(`query($d: Date) { vacancyPostings(filter: { acceptingOn: $d }, first: 100) { nodes { id } } }`, { d: date })).data!.vacancyPostings.nodes.map((n: any) => n.id);
    expect(await on(addDays(today(), 4))).not.toContain(open.id);
    expect(await on(addDays(today(), 5))).toContain(open.id);
    expect(await on(addDays(today(), 9))).toContain(open.id);
    expect(await on(addDays(today(), 10))).not.toContain(open.id);
  });
});

describe('posting lifecycle', () => {
  it('goes DRAFT → OPEN → CLOSED and refuses other moves with INVALID_TRANSITION naming both states', async () => {
    const posting = await createDraft();
    expect((await api.execute(POSTING_CLOSE, { id: posting.id }, { viewer: api.staff() })).data!.vacancyPostingClose.userErrors).toEqual([
      { code: 'INVALID_TRANSITION', field: ['input', 'postingId'], message: 'A posting cannot go from DRAFT to CLOSED' },
    ]);
    expect((await api.execute(POSTING_PUBLISH, { id: posting.id }, { viewer: api.staff() })).data!.vacancyPostingPublish.posting.status).toBe('OPEN');
    expect((await api.execute(POSTING_CLOSE, { id: posting.id }, { viewer: api.staff() })).data!.vacancyPostingClose.posting.status).toBe('CLOSED');
    expect((await api.execute(POSTING_CANCEL, { id: posting.id }, { viewer: api.staff() })).data!.vacancyPostingCancel.userErrors[0].message).toBe(
      'A posting cannot go from CLOSED to CANCELLED',
    );
  });

  it('lets staff edit text of an OPEN posting but not what applications depend on', async () => {
    const posting = await createDraft();
    await api.execute(POSTING_PUBLISH, { id: posting.id }, { viewer: api.staff() });
    const retitled = await api.execute(POSTING_UPDATE, { input: { postingId: posting.id, title: 'New title', applicationDeadline: addDays(today(), 40) } }, { viewer: api.staff() });
    expect(retitled.data!.vacancyPostingUpdate.posting).toMatchObject({ title: 'New title', applicationDeadline: addDays(today(), 40) });
    const requestioned = await api.execute(POSTING_UPDATE, { input: { postingId: posting.id, questions: [] } }, { viewer: api.staff() });
    expect(requestioned.data!.vacancyPostingUpdate.userErrors).toEqual([
      { code: 'POSTING_NOT_EDITABLE', field: ['input', 'questions'], message: 'questions can change only while the posting is a DRAFT: applications depend on it' },
    ]);
  });

  it('refuses edits to a closed posting', async () => {
    const posting = await createDraft();
    await api.execute(POSTING_PUBLISH, { id: posting.id }, { viewer: api.staff() });
    await api.execute(POSTING_CLOSE, { id: posting.id }, { viewer: api.staff() });
    const result = await api.execute(POSTING_UPDATE, { input: { postingId: posting.id, title: 'x' } }, { viewer: api.staff() });
    expect(result.data!.vacancyPostingUpdate.userErrors[0]).toMatchObject({ code: 'POSTING_NOT_EDITABLE' });
  });
});
