import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditEvents } from '../../src/db/schema/index.ts';
import { parseGlobalId, toGlobalId } from '../../src/graphql/global-id.ts';
import { createOrganization } from '../helpers/factories.ts';
import { createTestApi, type TestApi } from '../helpers/test-api.ts';
import { CANCEL, cancelMeeting, inDays, meetingSnapshot, PARTNER, SCHEDULE, scheduleInput, scheduleMeeting, UPDATE } from './meetings-support.ts';

let api: TestApi;
let bodyId: number;

beforeAll(async () => {
  api = await createTestApi();
  bodyId = (await createOrganization(api.db, { jurisdictionId: api.jurisdictionId, name: 'Test Budget Advisory Board' })).id;
});
afterAll(() => api.dispose());

const dbId = (globalId: string) => parseGlobalId(globalId)!.id;

async function auditOf(meetingId: string) {
  return api.db
    .select()
    .from(auditEvents)
    .where(and(eq(auditEvents.subjectType, 'Meeting'), eq(auditEvents.subjectId, dbId(meetingId))))
    .orderBy(auditEvents.id);
}

describe('meetingSchedule', () => {
  it('schedules a meeting with its time, place, notice, agenda and interpretation languages', async () => {
    const input = scheduleInput(bodyId);
    const { data, errors } = await api.execute(SCHEDULE, { input }, { viewer: api.staff() });
    expect(errors).toBeUndefined();
    expect(data!.meetingSchedule.userErrors).toEqual([]);
    expect(data!.meetingSchedule.meeting).toMatchObject({
      title: input.title,
      startsAt: input.startsAt,
      endsAt: input.endsAt,
      location: input.location,
      onlineUrl: input.onlineUrl,
      publicNoticeAt: input.publicNoticeAt,
      agendaUrl: input.agendaUrl,
      agendaSummary: input.agendaSummary,
      minutesUrl: null,
      minutesApprovedOn: null,
      interpretationLanguages: ['es', 'vi'],
      accessibilityNotes: input.accessibilityNotes,
      status: 'SCHEDULED',
      isCancelled: false,
      cancellationReason: null,
      cancelledAt: null,
      organization: { id: toGlobalId('Organization', bodyId), name: 'Test Budget Advisory Board' },
    });
  });

  it('stores interpretation languages in canonical BCP-47 form, each once', async () => {
    const id = await scheduleMeeting(api, bodyId, { interpretationLanguages: ['ES', 'zh-hant', 'es', 'iw', 'sr-latn-rs'] });
    const { data } = await api.execute(`query($id: ID!) { node(id: $id) { ... on Meeting { interpretationLanguages } } }`, { id });
    expect(data!.node.interpretationLanguages).toEqual(['es', 'zh-Hant', 'he', 'sr-Latn-RS']);
  });

  it('takes an online-only meeting, and one with no end time', async () => {
    const { data } = await api.execute(SCHEDULE, { input: scheduleInput(bodyId, { location: null, endsAt: null }) }, { viewer: api.staff() });
    expect(data!.meetingSchedule.userErrors).toEqual([]);
    expect(data!.meetingSchedule.meeting).toMatchObject({ location: null, endsAt: null, onlineUrl: 'https://zoom.example.org/j/123' });
  });

  it('meets any kind of organization: a neighborhood association too', async () => {
    const association = await createOrganization(api.db, { jurisdictionId: api.jurisdictionId, kind: 'NEIGHBORHOOD_ASSOCIATION' });
    const { data } = await api.execute(SCHEDULE, { input: scheduleInput(association.id) }, { viewer: api.staff() });
    expect(data!.meetingSchedule.userErrors).toEqual([]);
  });

  it('refuses bad input with a code and the field at fault, and stores nothing', async () => {
    const startsAt = inDays(10);
    const later = (hours: number) => new Date(new Date(startsAt).getTime() + hours * 3_600_000).toISOString();
    const cases: [Record<string, unknown>, string, string[]][] = [
      [{ endsAt: startsAt }, 'INVALID_TIME_RANGE', ['input', 'endsAt']],
      [{ endsAt: later(-1) }, 'INVALID_TIME_RANGE', ['input', 'endsAt']],
      [{ endsAt: later(24 * 8) }, 'INVALID_TIME_RANGE', ['input', 'endsAt']],
      [{ publicNoticeAt: later(1) }, 'INVALID_TIME_RANGE', ['input', 'publicNoticeAt']],
      [{ minutesApprovedOn: '2001-01-01' }, 'INVALID_TIME_RANGE', ['input', 'minutesApprovedOn']],
      [{ location: null, onlineUrl: null }, 'INVALID_INPUT', ['input', 'location']],
      [{ onlineUrl: 'ftp://files.example.org/meeting' }, 'INVALID_INPUT', ['input', 'onlineUrl']],
      [{ onlineUrl: 'javascript:alert(1)' }, 'INVALID_INPUT', ['input', 'onlineUrl']],
      [{ agendaUrl: 'www.example.gov/agenda' }, 'INVALID_INPUT', ['input', 'agendaUrl']],
      [{ interpretationLanguages: ['es', 'not a tag'] }, 'INVALID_INPUT', ['input', 'interpretationLanguages', '1']],
      [{ interpretationLanguages: ['und'] }, 'INVALID_INPUT', ['input', 'interpretationLanguages', '0']],
      [{ interpretationLanguages: Array.from({ length: 31 }, () => 'es') }, 'INVALID_INPUT', ['input', 'interpretationLanguages']],
      [{ title: '   ' }, 'INVALID_INPUT', ['input', 'title']],
      [{ title: 'x'.repeat(201) }, 'INVALID_INPUT', ['input', 'title']],
      [{ startsAt: '1999-12-31T18:00:00Z', endsAt: null, publicNoticeAt: null }, 'INVALID_INPUT', ['input', 'startsAt']],
      [{ organizationId: toGlobalId('Post', 1) }, 'INVALID_ID', ['input', 'organizationId']],
      [{ organizationId: toGlobalId('Organization', 999_999) }, 'NOT_FOUND', ['input', 'organizationId']],
    ];
    for (const [overrides, code, field] of cases) {
      const before = await meetingSnapshot(api);
      const { data, errors } = await api.execute(SCHEDULE, { input: scheduleInput(bodyId, { startsAt, ...overrides }) }, { viewer: api.staff() });
      expect(errors, JSON.stringify(overrides)).toBeUndefined();
      expect(data!.meetingSchedule.meeting, JSON.stringify(overrides)).toBeNull();
      expect(data!.meetingSchedule.userErrors[0], JSON.stringify(overrides)).toMatchObject({ code, field });
      expect(await meetingSnapshot(api)).toEqual(before);
    }
  });

  it('is audited, with the actor and the new values', async () => {
    const id = await scheduleMeeting(api, bodyId);
    const events = await auditOf(id);
    expect(events.map((e) => [e.action, e.actorSubject])).toEqual([['meetingSchedule', 'staff@example.gov']]);
    expect(events[0]!.changes.status).toEqual({ before: null, after: 'SCHEDULED' });
    expect(events[0]!.changes.interpretationLanguages).toEqual({ before: null, after: ['es', 'vi'] });
  });
});

describe('meetingUpdate', () => {
  it('changes the fields given, clears those given as null, and keeps the rest', async () => {
    const id = await scheduleMeeting(api, bodyId);
    const { data } = await api.execute(
      UPDATE,
      { input: { meetingId: id, title: 'Budget board: special meeting', agendaSummary: null, minutesUrl: 'https://www.example.gov/minutes/123.pdf', interpretationLanguages: ['zh-hant'] } },
      { viewer: api.staff() },
    );
    expect(data!.meetingUpdate.userErrors).toEqual([]);
    expect(data!.meetingUpdate.meeting).toMatchObject({
      title: 'Budget board: special meeting',
      agendaSummary: null,
      minutesUrl: 'https://www.example.gov/minutes/123.pdf',
      interpretationLanguages: ['zh-Hant'],
      location: '1221 SW 4th Ave, Room 130',
      status: 'SCHEDULED',
    });
    const events = await auditOf(id);
    expect(events.at(-1)!.action).toBe('meetingUpdate');
    expect(Object.keys(events.at(-1)!.changes).sort()).toEqual(['agendaSummary', 'interpretationLanguages', 'minutesUrl', 'title']);
  });

  it('records approved minutes on or after the meeting day', async () => {
    const id = await scheduleMeeting(api, bodyId, { startsAt: '2026-03-04T02:00:00Z', endsAt: '2026-03-04T04:00:00Z', publicNoticeAt: null });
    // 02:00 UTC on March 4 is the evening of March 3 in Portland: the meeting's day is March 3.
    const { data } = await api.execute(UPDATE, { input: { meetingId: id, minutesUrl: 'https://www.example.gov/m.pdf', minutesApprovedOn: '2026-03-03' } }, { viewer: api.staff() });
    expect(data!.meetingUpdate.userErrors).toEqual([]);
    expect(data!.meetingUpdate.meeting.minutesApprovedOn).toBe('2026-03-03');
    const early = await api.execute(UPDATE, { input: { meetingId: id, minutesApprovedOn: '2026-03-02' } }, { viewer: api.staff() });
    expect(early.data!.meetingUpdate.userErrors[0]).toMatchObject({ code: 'INVALID_TIME_RANGE', field: ['input', 'minutesApprovedOn'] });
  });

  it('checks the rules against the stored values: a start moved past the end is refused and nothing changes', async () => {
    const id = await scheduleMeeting(api, bodyId);
    const before = await meetingSnapshot(api);
    const refusals: [Record<string, unknown>, string, string[]][] = [
      [{ startsAt: inDays(30) }, 'INVALID_TIME_RANGE', ['input', 'startsAt']],
      [{ location: null, onlineUrl: null }, 'INVALID_INPUT', ['input', 'location']],
      [{ title: null }, 'INVALID_INPUT', ['input', 'title']],
      [{ startsAt: null }, 'INVALID_INPUT', ['input', 'startsAt']],
      [{ onlineUrl: 'http:// not a link' }, 'INVALID_INPUT', ['input', 'onlineUrl']],
    ];
    for (const [changes, code, field] of refusals) {
      const { data } = await api.execute(UPDATE, { input: { meetingId: id, ...changes } }, { viewer: api.staff() });
      expect(data!.meetingUpdate.meeting, JSON.stringify(changes)).toBeNull();
      expect(data!.meetingUpdate.userErrors[0], JSON.stringify(changes)).toMatchObject({ code, field });
    }
    expect(await meetingSnapshot(api)).toEqual(before);
  });

  it('refuses an unknown meeting (NOT_FOUND) and an id of another type (INVALID_ID)', async () => {
    const missing = await api.execute(UPDATE, { input: { meetingId: toGlobalId('Meeting', 999_999), title: 'x' } }, { viewer: api.staff() });
    expect(missing.data!.meetingUpdate.userErrors[0]).toMatchObject({ code: 'NOT_FOUND', field: ['input', 'meetingId'] });
    const wrongType = await api.execute(UPDATE, { input: { meetingId: toGlobalId('Organization', bodyId), title: 'x' } }, { viewer: api.staff() });
    expect(wrongType.data!.meetingUpdate.userErrors[0]).toMatchObject({ code: 'INVALID_ID', field: ['input', 'meetingId'] });
  });

  it('refuses to change a cancelled meeting (ALREADY_CANCELLED) and changes nothing', async () => {
    const id = await scheduleMeeting(api, bodyId);
    await cancelMeeting(api, id);
    const before = await meetingSnapshot(api);
    const { data } = await api.execute(UPDATE, { input: { meetingId: id, title: 'Back on' } }, { viewer: api.staff() });
    expect(data!.meetingUpdate.meeting).toBeNull();
    expect(data!.meetingUpdate.userErrors[0]).toMatchObject({ code: 'ALREADY_CANCELLED', field: ['input', 'meetingId'] });
    expect(await meetingSnapshot(api)).toEqual(before);
  });
});

describe('meetingCancel', () => {
  it('cancels with a public reason; the meeting stays readable, marked cancelled', async () => {
    const id = await scheduleMeeting(api, bodyId);
    const { data } = await api.execute(CANCEL, { input: { meetingId: id, reason: 'Lack of quorum' } }, { viewer: api.staff() });
    expect(data!.meetingCancel.userErrors).toEqual([]);
    expect(data!.meetingCancel.meeting).toMatchObject({ status: 'CANCELLED', isCancelled: true, cancellationReason: 'Lack of quorum' });
    expect(Date.parse(data!.meetingCancel.meeting.cancelledAt)).toBeGreaterThan(Date.now() - 60_000);
    const read = await api.execute(`query($id: ID!) { node(id: $id) { ... on Meeting { status cancellationReason } } }`, { id });
    expect(read.data!.node).toEqual({ status: 'CANCELLED', cancellationReason: 'Lack of quorum' });
    const events = await auditOf(id);
    expect(events.at(-1)!.action).toBe('meetingCancel');
    expect(events.at(-1)!.changes.status).toEqual({ before: 'SCHEDULED', after: 'CANCELLED' });
  });

  it('refuses to cancel twice (ALREADY_CANCELLED), an empty reason, and an unknown meeting; nothing changes', async () => {
    const id = await scheduleMeeting(api, bodyId);
    await cancelMeeting(api, id, 'Storm');
    const before = await meetingSnapshot(api);
    const cases: [Record<string, unknown>, string, string[]][] = [
      [{ meetingId: id, reason: 'Again' }, 'ALREADY_CANCELLED', ['input', 'meetingId']],
      [{ meetingId: id, reason: '  ' }, 'INVALID_INPUT', ['input', 'reason']],
      [{ meetingId: toGlobalId('Meeting', 999_999), reason: 'x' }, 'NOT_FOUND', ['input', 'meetingId']],
    ];
    for (const [input, code, field] of cases) {
      const { data } = await api.execute(CANCEL, { input }, { viewer: api.staff() });
      expect(data!.meetingCancel.meeting).toBeNull();
      expect(data!.meetingCancel.userErrors[0]).toMatchObject({ code, field });
    }
    expect(await meetingSnapshot(api)).toEqual(before);
    const read = await api.execute(`query($id: ID!) { node(id: $id) { ... on Meeting { cancellationReason } } }`, { id });
    expect(read.data!.node.cancellationReason).toBe('Storm');
  });
});

describe('authorization', () => {
  it('lets only staff of the jurisdiction schedule, change or cancel, and stores nothing for anyone else', async () => {
    const id = await scheduleMeeting(api, bodyId);
    const operations: [string, Record<string, unknown>][] = [
      [SCHEDULE, { input: scheduleInput(bodyId) }],
      [UPDATE, { input: { meetingId: id, title: 'Hijacked' } }],
      [CANCEL, { input: { meetingId: id, reason: 'Hijacked' } }],
    ];
    const before = await meetingSnapshot(api);
    for (const [operation, variables] of operations) {
      const anonymous = await api.execute(operation, variables);
      expect(anonymous.errors![0]!.extensions!.code).toBe('UNAUTHENTICATED');
      const partner = await api.execute(operation, variables, { viewer: PARTNER });
      expect(partner.errors![0]!.extensions!.code).toBe('FORBIDDEN');
      const otherCity = await api.execute(operation, variables, { viewer: api.staff({ jurisdictionId: api.jurisdictionId + 1000 }) });
      expect(otherCity.errors![0]!.extensions!.code).toBe('FORBIDDEN');
    }
    expect(await meetingSnapshot(api)).toEqual(before);
  });

  it('lets an administrator of the jurisdiction schedule', async () => {
    const { data } = await api.execute(SCHEDULE, { input: scheduleInput(bodyId) }, { viewer: api.staff({ role: 'ADMIN' }) });
    expect(data!.meetingSchedule.userErrors).toEqual([]);
  });
});
