import { and, count, eq, getTableColumns, gte, lt, ne, sql, type SQL } from 'drizzle-orm';
import type { Database } from '../../db/client.ts';
import { intArray, lateralParentId, selectLateral } from '../../db/lateral.ts';
import { rowsByIds } from '../../db/rows-by-ids.ts';
import { divisionOverlaps, meetings, organizations, type MeetingRow, type NewMeetingRow } from '../../db/schema/index.ts';
import { pageClauses, plainKey, type Keyset, type PageRequest } from '../../graphql/pagination.ts';
import { DISTRICT_SHARE_THRESHOLD } from '../organizations/organizations.repository.ts';

/** SQL for meetings. */

export const meetingKeyset: Keyset<MeetingRow> = {
  keys: [plainKey(meetings.startsAt, 'timestamptz'), plainKey(meetings.id, 'int')],
  direction: 'asc',
  valuesOf: (row) => [row.startsAt.toISOString(), row.id],
};

/** Conditions of a meeting list, already validated; JSON-serialisable (loader params). */
export interface MeetingFilter {
  organizationId: number | null;
  councilDistrictId: number | null;
  /** Starts at or after this instant (ISO). */
  from: string | null;
  /** Starts at or after the beginning of this calendar day in this time zone (the default window). */
  fromDay: { date: string; timezone: string } | null;
  /** Starts before this instant (ISO). */
  to: string | null;
  /** A canonical BCP-47 tag: offered, or a more specific tag of it (`zh` matches `zh-Hant`). */
  interpretationLanguage: string | null;
  includeCancelled: boolean;
  updatedSince: string | null;
}

function meetingWhere(owner: SQL, filter: MeetingFilter): SQL | undefined {
  const { interpretationLanguage: language, councilDistrictId: district } = filter;
  return and(
    owner,
    filter.organizationId != null ? eq(meetings.organizationId, filter.organizationId) : undefined,
    filter.from != null ? gte(meetings.startsAt, new Date(filter.from)) : undefined,
    filter.fromDay != null ? sql`${meetings.startsAt} >= (${filter.fromDay.date}::date::timestamp at time zone ${filter.fromDay.timezone})` : undefined,
    filter.to != null ? lt(meetings.startsAt, new Date(filter.to)) : undefined,
    filter.includeCancelled ? undefined : ne(meetings.status, 'CANCELLED'),
    filter.updatedSince != null ? gte(meetings.updatedAt, new Date(filter.updatedSince)) : undefined,
    language != null
      ? sql`exists (select 1 from unnest(${meetings.interpretationLanguages}) as offered(tag)
          where lower(offered.tag) = lower(${language}) or lower(offered.tag) like lower(${language}) || '-%')`
      : undefined,
    // The organization's area is the district or lies in it, by the rule of the organization lists
    // (OrganizationFilter.councilDistrict): a partner gets the meetings of the organizations it lists.
    district != null
      ? sql`exists (select 1 from ${organizations} where ${organizations.id} = ${meetings.organizationId}
          and (${organizations.divisionId} = ${district} or exists (select 1 from ${divisionOverlaps}
            where ${divisionOverlaps.divisionId} = ${organizations.divisionId} and ${divisionOverlaps.otherDivisionId} = ${district}
              and ${divisionOverlaps.share} >= ${DISTRICT_SHARE_THRESHOLD})))`
      : undefined,
  );
}

export function meetingsByIds(db: Database, ids: readonly number[]): Promise<MeetingRow[]> {
  return rowsByIds(db, meetings, ids);
}

export function meetingsPage(db: Database, jurisdictionId: number, filter: MeetingFilter, page: PageRequest): Promise<MeetingRow[]> {
  const clauses = pageClauses(meetingKeyset, page);
  return db
    .select()
    .from(meetings)
    .where(and(meetingWhere(eq(meetings.jurisdictionId, jurisdictionId), filter), clauses.where))
    .orderBy(...clauses.orderBy)
    .limit(clauses.limit);
}

export async function meetingsCount(db: Database, jurisdictionId: number, filter: MeetingFilter): Promise<number> {
  const [row] = await db.select({ n: count() }).from(meetings).where(meetingWhere(eq(meetings.jurisdictionId, jurisdictionId), filter));
  return row?.n ?? 0;
}

export interface MeetingPageParams {
  filter: MeetingFilter;
  page: PageRequest;
}

/** A page of meetings for each organization, in one statement (per-parent LIMIT in a lateral join). */
export function meetingPagesByOrganizationIds(db: Database, organizationIds: readonly number[], params: MeetingPageParams): Promise<Map<number, MeetingRow[]>> {
  const clauses = pageClauses(meetingKeyset, params.page);
  return selectLateral(db, meetings, organizationIds, (qb) =>
    qb
      .select(getTableColumns(meetings))
      .from(meetings)
      .where(and(meetingWhere(sql`${meetings.organizationId} = ${lateralParentId}`, params.filter), clauses.where))
      .orderBy(...clauses.orderBy)
      .limit(clauses.limit),
  );
}

/** How many meetings match for each organization, in one statement. */
export async function meetingCountsByOrganizationIds(db: Database, organizationIds: readonly number[], filter: MeetingFilter): Promise<Map<number, number>> {
  const rows = await db
    .select({ organizationId: meetings.organizationId, n: count() })
    .from(meetings)
    .where(meetingWhere(sql`${meetings.organizationId} = any(${intArray(organizationIds)}::int[])`, filter))
    .groupBy(meetings.organizationId);
  return new Map(rows.map((r) => [r.organizationId, r.n]));
}

export async function insertMeeting(db: Database, values: NewMeetingRow): Promise<MeetingRow> {
  const [row] = await db.insert(meetings).values(values).returning();
  return row!;
}

export async function updateMeeting(db: Database, id: number, fields: Partial<NewMeetingRow>): Promise<MeetingRow> {
  const [row] = await db.update(meetings).set(fields).where(eq(meetings.id, id)).returning();
  return row!;
}

/** Locks the meeting (FOR NO KEY UPDATE) so its status cannot change under an update or a cancellation. */
export async function lockMeeting(db: Database, id: number): Promise<MeetingRow | null> {
  const [row] = await db.select().from(meetings).where(eq(meetings.id, id)).for('no key update');
  return row ?? null;
}
