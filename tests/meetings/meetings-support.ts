import { expect } from 'vitest';
import type { Viewer } from '../../src/auth/viewer.ts';
import { auditEvents, changes, meetings } from '../../src/db/schema/index.ts';
import { toGlobalId } from '../../src/graphql/global-id.ts';
import type { TestApi } from '../helpers/test-api.ts';

/** Shared by the meeting tests: operations, inputs, and what a refusal must leave untouched. */

export const USER_ERRORS = 'userErrors { code field message }';

export const MEETING_FIELDS = `
  id title startsAt endsAt location onlineUrl publicNoticeAt agendaUrl agendaSummary minutesUrl minutesApprovedOn
  interpretationLanguages accessibilityNotes status isCancelled cancellationReason cancelledAt createdAt updatedAt
  organization { id name }
`;

export const SCHEDULE = `mutation($input: MeetingScheduleInput!) { meetingSchedule(input: $input) { meeting { ${MEETING_FIELDS} } ${USER_ERRORS} } }`;
export const UPDATE = `mutation($input: MeetingUpdateInput!) { meetingUpdate(input: $input) { meeting { ${MEETING_FIELDS} } ${USER_ERRORS} } }`;
export const CANCEL = `mutation($input: MeetingCancelInput!) { meetingCancel(input: $input) { meeting { ${MEETING_FIELDS} } ${USER_ERRORS} } }`;

export const PARTNER: Viewer = { role: 'PARTNER', subject: 'api-key:1', name: 'Partner', jurisdictionId: null, apiKeyId: 1 };

const HOUR = 60 * 60 * 1000;
const DAY = 24 * HOUR;

/** An instant `days` days (and `hours` hours) from now, as an ISO string. */
export function inDays(days: number, hours = 0): string {
  return new Date(Date.now() + days * DAY + hours * HOUR).toISOString();
}

export function scheduleInput(organizationId: number, overrides: Record<string, unknown> = {}) {
  const startsAt = (overrides.startsAt as string | undefined) ?? inDays(10);
  return {
    organizationId: toGlobalId('Organization', organizationId),
    title: 'Budget Advisory Board: regular meeting',
    startsAt,
    endsAt: new Date(new Date(startsAt).getTime() + 2 * HOUR).toISOString(),
    location: '1221 SW 4th Ave, Room 130',
    onlineUrl: 'https://zoom.example.org/j/123',
    publicNoticeAt: new Date(new Date(startsAt).getTime() - 7 * DAY).toISOString(),
    agendaUrl: 'https://www.example.gov/agendas/123.pdf',
    agendaSummary: 'Budget priorities for next year; public comment.',
    interpretationLanguages: ['es', 'vi'],
    accessibilityNotes: 'Step-free entrance on 4th Ave; hearing loop in Room 130.',
    ...overrides,
  };
}

/** Schedules a meeting through the API as staff; returns its global id. */
export async function scheduleMeeting(api: TestApi, organizationId: number, overrides: Record<string, unknown> = {}): Promise<string> {
  const { data, errors } = await api.execute(SCHEDULE, { input: scheduleInput(organizationId, overrides) }, { viewer: api.staff() });
  expect(errors).toBeUndefined();
  expect(data!.meetingSchedule.userErrors).toEqual([]);
  return data!.meetingSchedule.meeting.id;
}

export async function cancelMeeting(api: TestApi, meetingId: string, reason = 'No quorum'): Promise<void> {
  const { data, errors } = await api.execute(CANCEL, { input: { meetingId, reason } }, { viewer: api.staff() });
  expect(errors).toBeUndefined();
  expect(data!.meetingCancel.userErrors).toEqual([]);
}

/** Rows a refused mutation must leave untouched: meetings, audit events, change log. */
export async function meetingSnapshot(api: TestApi) {
  return {
    meetings: await api.db.select().from(meetings).orderBy(meetings.id),
    audit: (await api.db.select().from(auditEvents)).length,
    changes: (await api.db.select().from(changes)).length,
  };
}
