import type { Database } from '../../db/client.ts';
import type { MeetingRow } from '../../db/schema/index.ts';
import { loaderById, loaderWithParams } from '../../graphql/loader.ts';
import { meetingCountsByOrganizationIds, meetingPagesByOrganizationIds, meetingsByIds, type MeetingFilter, type MeetingPageParams } from './meetings.repository.ts';

/** Meetings by id, and each organization's page and count: one statement per nested level. */
export function createMeetingLoaders(db: Database) {
  return {
    meetingById: loaderById<MeetingRow>((ids) => meetingsByIds(db, ids)),
    meetingPageByOrganizationId: loaderWithParams<MeetingPageParams, MeetingRow[]>((ids, params) => meetingPagesByOrganizationIds(db, ids, params), () => []),
    meetingCountByOrganizationId: loaderWithParams<MeetingFilter, number>((ids, filter) => meetingCountsByOrganizationIds(db, ids, filter), () => 0),
  };
}
