/**
 * The benchmark's cases (issue 6): the same result asked of civic-graph, of PostGraphile 5 (its
 * generated schema over the same tables) and of the raw limit (one postgres.js statement, no
 * GraphQL, no HTTP). Each path's answer is mapped to one neutral shape (`normalize`), and the
 * harness checks all paths agree before timing anything.
 *
 * Temporal rules: civic-graph answers "as of today" (start ≤ today < end). PostGraphile has no
 * such filter without custom SQL functions, so its queries use `endDate: null` conditions; the
 * seed makes the two equal (every open term and link has started; ended ones have an end date).
 */
import type postgres from 'postgres';
import { toGlobalId } from '../../src/graphql/global-id.ts';

export type ServerName = 'civic-graph' | 'postgraphile' | 'raw';
export const SERVERS: readonly ServerName[] = ['civic-graph', 'postgraphile', 'raw'];

export interface GraphQLRequest {
  query: string;
  variables?: Record<string, unknown>;
  /** Sent as a bearer token (civic-graph staff writes). */
  token?: string;
}

/** One of the other cities (issue 13): its id, today's date in its time zone, `locate` points. */
export interface CityFixtures {
  slug: string;
  jurisdictionId: number;
  today: string;
  points: Array<{ latitude: number; longitude: number }>;
}

/** What a case needs to know about the seeded database (ids, today's date). */
export interface Fixtures {
  /** Portland's (the default city): Q1–Q6 are Portland's cases. */
  jurisdictionId: number;
  today: string;
  organizationId: number;
  /** One seat per writer. */
  writeSeatIds: number[];
  writeOrganizationId: number;
  writerIds: number[];
  points: Array<{ latitude: number; longitude: number }>;
  staffToken: string;
  /** The per-city cases' cities (issue 13). */
  philadelphia: CityFixtures;
  nyc: CityFixtures;
  /** The community board of the roster case (Q7nyc), in New York. */
  communityBoard: { slug: string; id: number };
}

/** A write is two requests (appoint, then end that term); `day` makes every pair's dates unique. */
export interface WriteStep {
  appoint(day: number, writer: number): GraphQLRequest;
  end(membershipId: string, day: number): GraphQLRequest;
  membershipIdOf(response: any): string | null;
}

export interface ServerCase {
  /** The request for HTTP servers; `index` varies requests where the case says so (Q5 points). */
  request?: (index: number) => GraphQLRequest;
  write?: WriteStep;
  /** The raw path: one call = one answer. */
  raw?: (sql: postgres.Sql, index: number) => Promise<unknown>;
  /** Why this server has no such case. */
  na?: string;
  normalize?: (response: any) => unknown;
}

export interface BenchCase {
  id: string;
  title: string;
  /** The response must be a GraphQL error with this code, and the database must see no statement. */
  expectRefusal?: string;
  /**
   * civic-graph answers this case from a second instance started with this response cache (the
   * other cases run on one with the cache off), and the harness checks that a write to data in the
   * answer shows in the very next answer (`invalidation`).
   */
  civicResponseCache?: 'memory';
  /**
   * A latency target at a fixed rate (the `locate` cases): after its rounds, civic-graph is also
   * timed in an open loop at `--locate-rate` requests/s (runOpenLoop), and its p99 must stay under this.
   */
  openLoopP99Ms?: number;
  servers: Record<ServerName, ServerCase>;
}

const addDays = (iso: string, days: number) => new Date(Date.parse(`${iso}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
/**
 * Writes use future dates, one day per pair and each pair after every earlier one: an appointment
 * is open-ended until its end, so it must start after every term the writer already had. A run
 * stopped between appointing and ending leaves an open term; the harness closes those between runs.
 */
export const WRITE_BASE = '2030-01-01';
export const writeStart = (day: number) => addDays(WRITE_BASE, day);
export const writeEnd = (day: number) => addDays(WRITE_BASE, day + 1);
/** Pairs that fit before 2199 (civic-graph accepts dates from 1800 to 2199); the harness starts over after. */
export const MAX_WRITE_DAYS = 60_000;

/** Sorts every array by its canonical JSON, so list order cannot fail an equality check by itself. */
export function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical).sort((a, b) => (JSON.stringify(a) < JSON.stringify(b) ? -1 : 1));
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.keys(value).sort().map((k) => [k, canonical((value as Record<string, unknown>)[k])]));
  }
  return value;
}

const data = (response: any) => {
  if (response?.errors?.length) throw new Error(`GraphQL errors: ${JSON.stringify(response.errors).slice(0, 500)}`);
  return response.data;
};

// ---- Q3: the nested directory -------------------------------------------------------------------

/**
 * Members per coalition in Q3. The issue's Q3 is "about 500 objects" at every scale: the coalitions
 * have 14, 28, 18 and 34 associations at scale 1 (~2,500 each at scale 100), so 15 gives 59
 * associations and 518 objects at scale 1 against 60 and 527 at scale 100 (25 gave 82 and 714
 * against 100 and 876, +23%; 100 gave 94 and 817 against 400 and 3,433).
 */
export const DIRECTORY_MEMBERS = 15;

/**
 * The directory's document; with a city's slug, the same selection on that city's districts (the
 * per-city cases Q3phl and Q3nyc). Philadelphia and New York have no district coalitions and their
 * datasets record no holders, so there it answers the districts and their council seats only.
 */
const directoryQuery = (jurisdiction?: string) => /* GraphQL */ `
  query Directory {
    councilDistricts${jurisdiction ? `(jurisdiction: ${JSON.stringify(jurisdiction)})` : ''} {
      name
      councilPost { label holders { person { name } } }
      organizations(kind: DISTRICT_COALITION) {
        name
        memberOrganizations(first: ${DIRECTORY_MEMBERS}) {
          totalCount
          nodes {
            name
            coalition { shortName }
            posts(first: 20) { nodes { label maxHolders vacancies holders { startDate person { name } } } }
          }
        }
      }
    }
  }
`;
export const DIRECTORY = directoryQuery();

/** Kind codes are text since kinds became per city (migration 0030): string literals, not enum values. */
const directoryPostGraphile = (jurisdictionId: number) => /* GraphQL */ `
  query Directory {
    allDivisions(condition: { kind: "COUNCIL_DISTRICT", jurisdictionId: ${jurisdictionId} }, orderBy: [NAME_ASC, PRIMARY_KEY_ASC]) {
      nodes {
        name
        postsByDivisionId(orderBy: PRIMARY_KEY_ASC) {
          nodes {
            label
            organizationByOrganizationId { kind }
            membershipsByPostIdAndOrganizationId(condition: { endDate: null }, orderBy: [START_DATE_ASC, PRIMARY_KEY_ASC]) {
              nodes { personByPersonId { name } }
            }
          }
        }
        organizationsByDivisionId(condition: { kind: "DISTRICT_COALITION", dissolvedOn: null }, orderBy: [NAME_ASC, PRIMARY_KEY_ASC]) {
          nodes {
            name
            organizationLinksByParentId(first: ${DIRECTORY_MEMBERS}, condition: { kind: DISTRICT_COALITION, endDate: null }, orderBy: [MEMBER_SORT_NAME_ASC, MEMBER_ID_ASC]) {
              totalCount
              nodes {
                organizationByMemberId {
                  name
                  organizationLinksByMemberId(condition: { kind: DISTRICT_COALITION, endDate: null }) {
                    nodes { organizationByParentId { shortName } }
                  }
                  postsByOrganizationId(first: 20, condition: { abolishedOn: null }, orderBy: [LABEL_ASC, PRIMARY_KEY_ASC]) {
                    nodes {
                      label
                      maxHolders
                      membershipsByPostIdAndOrganizationId(condition: { endDate: null }, orderBy: [START_DATE_ASC, PRIMARY_KEY_ASC]) {
                        totalCount
                        nodes { startDate personByPersonId { name } }
                      }
                    }
                  }
                }
              }
            }
          }
        }
      }
    }
  }
`;

/**
 * The directory as one statement: the shape of the response, built by PostgreSQL (civic-graph's
 * order: lower(name) collate "C", id; for members the link's copy of it, member_sort_name).
 */
const DIRECTORY_SQL = `
select coalesce(json_agg(json_build_object(
  'name', d.name,
  'councilPost', (
    select json_build_object('label', p.label, 'holders', coalesce((
      select json_agg(json_build_object('name', pe.name) order by m.start_date, m.id)
      from memberships m join people pe on pe.id = m.person_id
      where m.post_id = p.id and m.start_date <= $1::date and (m.end_date is null or m.end_date > $1::date)), '[]'))
    from posts p join organizations council on council.id = p.organization_id and council.kind = 'COUNCIL'
    where p.division_id = d.id order by p.id limit 1),
  'coalitions', coalesce((
    select json_agg(json_build_object(
      'name', c.name,
      'totalCount', (select count(*) from organization_links l
                     where l.parent_id = c.id and l.kind = 'DISTRICT_COALITION'
                       and (l.start_date is null or l.start_date <= $1::date) and (l.end_date is null or l.end_date > $1::date)),
      'members', coalesce((
        select json_agg(json_build_object(
          'name', a.name,
          'coalition', c.short_name,
          'posts', coalesce((
            select json_agg(json_build_object(
              'label', s.label, 'maxHolders', s.max_holders,
              'vacancies', greatest(s.max_holders - coalesce(jsonb_array_length(h.holders), 0), 0),
              'holders', coalesce(h.holders, '[]')) order by lower(s.label) collate "C", s.id)
            from (select * from posts s where s.organization_id = a.id and (s.abolished_on is null or s.abolished_on > $1::date)
                  order by lower(s.label) collate "C", s.id limit 20) s
            left join lateral (
              select jsonb_agg(jsonb_build_object('startDate', m.start_date, 'name', pe.name) order by m.start_date, m.id) as holders
              from memberships m join people pe on pe.id = m.person_id
              where m.post_id = s.id and m.start_date <= $1::date and (m.end_date is null or m.end_date > $1::date)) h on true), '[]')
        ) order by a.member_sort_name, a.id)
        from (select o.*, l.member_sort_name from organization_links l join organizations o on o.id = l.member_id
              where l.parent_id = c.id and l.kind = 'DISTRICT_COALITION'
                and (l.start_date is null or l.start_date <= $1::date) and (l.end_date is null or l.end_date > $1::date)
              order by l.member_sort_name, l.member_id limit ${DIRECTORY_MEMBERS}) a), '[]')
    ) order by lower(c.name) collate "C", c.id)
    from organizations c
    where c.division_id = d.id and c.kind = 'DISTRICT_COALITION'
      and (c.founded_on is null or c.founded_on <= $1::date) and (c.dissolved_on is null or c.dissolved_on > $1::date)), '[]')
) order by lower(d.name) collate "C", d.id), '[]') as directory
from divisions d
where d.jurisdiction_id = $2 and d.kind = 'COUNCIL_DISTRICT'
  and (d.valid_from is null or d.valid_from <= $1::date) and (d.valid_until is null or d.valid_until > $1::date)`;

function normalizeDirectoryCivic(response: any): unknown {
  return data(response).councilDistricts.map((d: any) => ({
    name: d.name,
    councilPost: d.councilPost && { label: d.councilPost.label, holders: d.councilPost.holders.map((h: any) => ({ name: h.person.name })) },
    coalitions: d.organizations.map((c: any) => ({
      name: c.name,
      totalCount: c.memberOrganizations.totalCount,
      members: c.memberOrganizations.nodes.map((a: any) => ({
        name: a.name,
        coalition: a.coalition?.shortName ?? null,
        posts: a.posts.nodes.map((p: any) => ({
          label: p.label,
          maxHolders: p.maxHolders,
          vacancies: p.vacancies,
          holders: p.holders.map((h: any) => ({ startDate: h.startDate, name: h.person.name })),
        })),
      })),
    })),
  }));
}

function normalizeDirectoryPostGraphile(response: any): unknown {
  return data(response).allDivisions.nodes.map((d: any) => {
    const council = d.postsByDivisionId.nodes.find((p: any) => p.organizationByOrganizationId.kind === 'COUNCIL');
    return {
      name: d.name,
      councilPost: council && { label: council.label, holders: council.membershipsByPostIdAndOrganizationId.nodes.map((m: any) => ({ name: m.personByPersonId.name })) },
      coalitions: d.organizationsByDivisionId.nodes.map((c: any) => ({
        name: c.name,
        totalCount: c.organizationLinksByParentId.totalCount,
        members: c.organizationLinksByParentId.nodes.map(({ organizationByMemberId: a }: any) => ({
          name: a.name,
          coalition: a.organizationLinksByMemberId.nodes[0]?.organizationByParentId.shortName ?? null,
          posts: a.postsByOrganizationId.nodes.map((p: any) => ({
            label: p.label,
            maxHolders: p.maxHolders,
            vacancies: Math.max(p.maxHolders - p.membershipsByPostIdAndOrganizationId.totalCount, 0),
            holders: p.membershipsByPostIdAndOrganizationId.nodes.map((m: any) => ({ startDate: m.startDate, name: m.personByPersonId.name })),
          })),
        })),
      })),
    };
  });
}

function normalizeDirectoryRaw(rows: any): unknown {
  return rows.map((d: any) => ({
    name: d.name,
    councilPost: d.councilPost,
    coalitions: d.coalitions.map((c: any) => ({ name: c.name, totalCount: Number(c.totalCount), members: c.members })),
  }));
}

// ---- the cases ------------------------------------------------------------------------------------

const ORG_FIELDS = ['name', 'slug', 'kind', 'shortName', 'website', 'status', 'foundedOn'] as const;
const pick = (o: any) => Object.fromEntries(ORG_FIELDS.map((k) => [k, o?.[k] ?? null]));

const LOCATE = /* GraphQL */ `
  query Locate($latitude: Float!, $longitude: Float!) {
    locate(latitude: $latitude, longitude: $longitude) {
      isInJurisdiction
      councilDistrict { name }
      neighborhoods { name }
      neighborhoodAssociations { name }
      districtCoalitions { name }
      businessDistricts { name }
    }
  }
`;

// ---- the other cities (issue 13) ------------------------------------------------------------------

/**
 * `locate` in Philadelphia: points where two to five Registered Community Organizations' areas
 * overlap (src/datasets/philadelphia/KNOWN_POINTS.md), City Hall first (District 5, two RCOs).
 */
export const PHILADELPHIA_POINTS = [
  { latitude: 39.9526, longitude: -75.1636 }, // City Hall: 2 RCOs
  { latitude: 39.9697, longitude: -75.1347 }, // Frankford & Girard (Fishtown): 3 RCOs
  { latitude: 40.0763, longitude: -75.2083 }, // Germantown & Highland (Chestnut Hill): 5 RCOs
];
/**
 * `locate` in New York: the known points inside a community district (src/datasets/nyc/KNOWN_POINTS.md),
 * Brooklyn Borough Hall first (Brooklyn CD 2, council district 33).
 */
export const NYC_POINTS = [
  { latitude: 40.6928, longitude: -73.9903 }, // Brooklyn Borough Hall
  { latitude: 40.758, longitude: -73.9855 }, // Times Square
  { latitude: 40.8296, longitude: -73.9262 }, // Yankee Stadium
  { latitude: 40.7596, longitude: -73.8303 }, // Flushing, Main Street
  { latitude: 40.642, longitude: -74.0768 }, // Staten Island Borough Hall
];
/** The roster case's board (src/datasets/nyc/organizations.csv). */
export const COMMUNITY_BOARD_SLUG = 'brooklyn-community-board-2';

/** `locate` as a client of any city asks it: every containing division and the organizations serving it. */
const LOCATE_IN_CITY = /* GraphQL */ `
  query LocateInCity($latitude: Float!, $longitude: Float!, $jurisdiction: String!) {
    locate(latitude: $latitude, longitude: $longitude, jurisdiction: $jurisdiction) {
      isInJurisdiction
      councilDistrict { name }
      neighborhoods { name }
      divisions {
        ocdId
        kindInfo { code }
        organizations { name kindInfo { code } registration { status } }
      }
    }
  }
`;

/** Q8phl: who must be notified about a zoning variance at a Philadelphia point, filed today. */
const NOTICE_RECIPIENTS = /* GraphQL */ `
  query Notice($latitude: Float!, $longitude: Float!, $jurisdiction: String!) {
    noticeRecipients(procedure: "ZONING_VARIANCE", latitude: $latitude, longitude: $longitude, jurisdiction: $jurisdiction) {
      isInJurisdiction
      recipients { organization { name registration { expiresOn } contactChannels { kind value } } requirement role distanceMeters }
      deadlines { step dueOn }
    }
  }
`;

/** The per-city cases check what they time: a silently empty answer (a city not imported) fails the case. */
function expectThat(ok: unknown, message: string): void {
  if (!ok) throw new Error(message);
}

function checkPhiladelphiaNotice(response: any): unknown {
  const notice = data(response).noticeRecipients;
  expectThat(notice.isInJurisdiction && notice.deadlines.length === 2, 'Philadelphia notice: the point is not in the city, or the deadlines are missing');
  expectThat(notice.recipients.length >= 1, 'Philadelphia notice: no RCO to notify at a point inside RCO areas');
  return notice;
}

function checkPhiladelphiaLocate(response: any): unknown {
  const located = data(response).locate;
  const rcos = located.divisions.filter((d: any) => d.kindInfo.code === 'RCO_AREA' && d.organizations.length > 0);
  expectThat(located.isInJurisdiction && located.councilDistrict, 'Philadelphia locate: the point is not in a council district');
  expectThat(rcos.length >= 2, `Philadelphia locate: ${rcos.length} RCO areas at the point, expected overlapping ones (2 or more)`);
  return located;
}

function checkNycLocate(response: any): unknown {
  const located = data(response).locate;
  const boards = located.divisions.flatMap((d: any) => d.organizations).filter((o: any) => o.kindInfo.code === 'COMMUNITY_BOARD');
  expectThat(located.isInJurisdiction && located.councilDistrict, 'New York locate: the point is not in a council district');
  expectThat(boards.length === 1, `New York locate: ${boards.length} community boards at the point, expected 1`);
  return located;
}

/** A community board's roster: whether it is recorded, its seats, their current holders. */
const ROSTER = /* GraphQL */ `
  query Roster($slug: String!, $jurisdiction: String!) {
    organization(slug: $slug, jurisdiction: $jurisdiction) {
      name
      roster { status asOf }
      posts(first: 20) {
        totalCount
        nodes { label role selectionMethod maxHolders holders { startDate person { name } } }
      }
    }
  }
`;

const ROSTER_POSTGRAPHILE = /* GraphQL */ `
  query Roster($jurisdictionId: Int!, $slug: String!) {
    organizationByJurisdictionIdAndSlug(jurisdictionId: $jurisdictionId, slug: $slug) {
      name
      rosterStatus
      rosterAsOf
      postsByOrganizationId(first: 20, condition: { abolishedOn: null }, orderBy: [LABEL_ASC, PRIMARY_KEY_ASC]) {
        totalCount
        nodes {
          label
          role
          selectionMethod
          maxHolders
          membershipsByPostIdAndOrganizationId(condition: { endDate: null }, orderBy: [START_DATE_ASC, PRIMARY_KEY_ASC]) {
            nodes { startDate personByPersonId { name } }
          }
        }
      }
    }
  }
`;

/** The roster as one statement ($1 today, $2 the city's id, $3 the board's slug). */
const ROSTER_SQL = `
select json_build_object(
  'name', o.name,
  'roster', json_build_object('status', o.roster_status, 'asOf', o.roster_as_of),
  'totalCount', (select count(*) from posts s where s.organization_id = o.id and (s.abolished_on is null or s.abolished_on > $1::date)),
  'posts', coalesce((
    select json_agg(json_build_object(
      'label', s.label, 'role', s.role, 'selectionMethod', s.selection_method, 'maxHolders', s.max_holders,
      'holders', coalesce((
        select json_agg(json_build_object('startDate', m.start_date, 'name', pe.name) order by m.start_date, m.id)
        from memberships m join people pe on pe.id = m.person_id
        where m.post_id = s.id and m.start_date <= $1::date and (m.end_date is null or m.end_date > $1::date)), '[]')
    ) order by lower(s.label) collate "C", s.id)
    from (select * from posts s where s.organization_id = o.id and (s.abolished_on is null or s.abolished_on > $1::date)
          order by lower(s.label) collate "C", s.id limit 20) s), '[]')
) as roster
from organizations o
where o.jurisdiction_id = $2 and o.slug = $3`;

function normalizeRosterCivic(response: any): unknown {
  const o = data(response).organization;
  expectThat(o?.posts.nodes.length, 'roster: the community board or its seats are missing (is New York imported?)');
  return {
    name: o.name,
    roster: o.roster,
    totalCount: o.posts.totalCount,
    posts: o.posts.nodes.map((p: any) => ({
      label: p.label,
      role: p.role,
      selectionMethod: p.selectionMethod,
      maxHolders: p.maxHolders,
      holders: p.holders.map((h: any) => ({ startDate: h.startDate, name: h.person.name })),
    })),
  };
}

function normalizeRosterPostGraphile(response: any): unknown {
  const o = data(response).organizationByJurisdictionIdAndSlug;
  return {
    name: o.name,
    roster: { status: o.rosterStatus, asOf: o.rosterAsOf },
    totalCount: o.postsByOrganizationId.totalCount,
    posts: o.postsByOrganizationId.nodes.map((p: any) => ({
      label: p.label,
      role: p.role,
      selectionMethod: p.selectionMethod,
      maxHolders: p.maxHolders,
      holders: p.membershipsByPostIdAndOrganizationId.nodes.map((m: any) => ({ startDate: m.startDate, name: m.personByPersonId.name })),
    })),
  };
}

const normalizeRosterRaw = (r: any) => ({ ...r, totalCount: Number(r.totalCount) });

/** The directory in another city: Q3's three paths with that city's slug, id and date. */
function cityDirectoryCase(id: string, title: string, city: CityFixtures): BenchCase {
  return {
    id,
    title,
    servers: {
      'civic-graph': {
        request: () => ({ query: directoryQuery(city.slug) }),
        normalize: (r) => {
          const directory = normalizeDirectoryCivic(r) as unknown[];
          expectThat(directory.length, `${city.slug} directory: no council districts (is the city imported?)`);
          return directory;
        },
      },
      postgraphile: { request: () => ({ query: directoryPostGraphile(city.jurisdictionId) }), normalize: normalizeDirectoryPostGraphile },
      raw: { raw: async (sql) => (await sql.unsafe(DIRECTORY_SQL, [city.today, city.jurisdictionId], { prepare: true }))[0]!.directory, normalize: normalizeDirectoryRaw },
    },
  };
}

/** `locate` in another city, timed like Q5 (rounds, then the open loop at --locate-rate). */
function cityLocateCase(id: string, title: string, city: CityFixtures, check: (response: any) => unknown): BenchCase {
  return {
    id,
    title,
    openLoopP99Ms: LOCATE_P99_TARGET_MS,
    servers: {
      'civic-graph': {
        request: (i) => ({ query: LOCATE_IN_CITY, variables: { ...city.points[i % city.points.length]!, jurisdiction: city.slug } }),
        normalize: check,
      },
      postgraphile: { na: LOCATE_NA_POSTGRAPHILE },
      raw: { na: LOCATE_NA_RAW },
    },
  };
}

/** Issue 6's `locate` target, kept for every city by issue 13: p99 under 5 ms at 200 req/s. */
export const LOCATE_P99_TARGET_MS = 5;
const LOCATE_NA_POSTGRAPHILE = 'no point-in-polygon without PostGIS or custom SQL functions; civic-graph tests containment in the application on the GeoJSON';
const LOCATE_NA_RAW = 'no single-statement equivalent without PostGIS (the containment test runs on GeoJSON in the application)';

/** A fan-out of 100 × 100 × 100 × 100 objects: the cost limit must refuse it before any SQL runs. */
export const FAN_OUT = /* GraphQL */ `
  {
    organizations(first: 100) { nodes { memberships(first: 100) { nodes { person {
      memberships(first: 100) { nodes { organization { memberships(first: 100) { nodes { person { name } } } } } }
    } } } } }
  }
`;

const MEMBERSHIP_FIELDS = 'role startDate endDate endReason';
/** Each write pair has its own dates: compare what the pair did (a one-day term, ended for a reason). */
const normalizeMembership = (m: any) => ({
  role: m.role,
  days: m.endDate ? (Date.parse(m.endDate) - Date.parse(m.startDate)) / 86_400_000 : null,
  endReason: m.endReason ?? null,
});

export function benchCases(f: Fixtures): BenchCase[] {
  const orgGid = toGlobalId('Organization', f.organizationId);
  const noSql = 'the cost limit refuses this before any SQL; nothing to run';
  return [
    {
      id: 'Q0',
      title: '`{ __typename }` (HTTP + framework ceiling)',
      servers: {
        'civic-graph': { request: () => ({ query: '{ __typename }' }), normalize: (r) => data(r) },
        postgraphile: { request: () => ({ query: '{ __typename }' }), normalize: (r) => data(r) },
        raw: { raw: async (sql) => (await sql`select 'Query' as "__typename"`)[0], normalize: (r) => r },
      },
    },
    {
      id: 'Q1',
      title: 'one organization by id',
      servers: {
        'civic-graph': {
          request: () => ({ query: `query($id: ID!) { organization(id: $id) { ${ORG_FIELDS.join(' ')} } }`, variables: { id: orgGid } }),
          normalize: (r) => pick(data(r).organization),
        },
        postgraphile: {
          request: () => ({ query: `query($id: Int!) { organizationByRowId(rowId: $id) { ${ORG_FIELDS.join(' ')} } }`, variables: { id: f.organizationId } }),
          normalize: (r) => pick(data(r).organizationByRowId),
        },
        raw: {
          raw: async (sql) =>
            (await sql`select json_build_object('name', name, 'slug', slug, 'kind', kind, 'shortName', short_name, 'website', website, 'status', status, 'foundedOn', founded_on) as o
                       from organizations where id = ${f.organizationId}`)[0]!.o,
          normalize: (r) => pick(r),
        },
      },
    },
    {
      id: 'Q2',
      title: 'a page of 50 neighborhood associations, scalars',
      servers: {
        'civic-graph': {
          request: () => ({ query: `{ neighborhoodAssociations(first: 50) { nodes { ${ORG_FIELDS.join(' ')} } } }` }),
          normalize: (r) => data(r).neighborhoodAssociations.nodes.map(pick),
        },
        postgraphile: {
          request: () => ({
            query: `{ allOrganizations(first: 50, condition: { kind: "NEIGHBORHOOD_ASSOCIATION", jurisdictionId: ${f.jurisdictionId} }, orderBy: [NAME_ASC, PRIMARY_KEY_ASC]) { nodes { ${ORG_FIELDS.join(' ')} } } }`,
          }),
          normalize: (r) => data(r).allOrganizations.nodes.map(pick),
        },
        raw: {
          raw: async (sql) =>
            (
              await sql`select coalesce(json_agg(json_build_object('name', name, 'slug', slug, 'kind', kind, 'shortName', short_name, 'website', website, 'status', status, 'foundedOn', founded_on) order by lower(name) collate "C", id), '[]') as page
                        from (select * from organizations where jurisdiction_id = ${f.jurisdictionId} and kind = 'NEIGHBORHOOD_ASSOCIATION' order by lower(name) collate "C", id limit 50) o`
            )[0]!.page,
          normalize: (r) => r.map(pick),
        },
      },
    },
    {
      id: 'Q3',
      title: 'nested directory: districts → coalitions → associations → seats → current holders',
      servers: {
        'civic-graph': { request: () => ({ query: DIRECTORY }), normalize: normalizeDirectoryCivic },
        postgraphile: { request: () => ({ query: directoryPostGraphile(f.jurisdictionId) }), normalize: normalizeDirectoryPostGraphile },
        raw: { raw: async (sql) => (await sql.unsafe(DIRECTORY_SQL, [f.today, f.jurisdictionId], { prepare: true }))[0]!.directory, normalize: normalizeDirectoryRaw },
      },
    },
    {
      id: 'Q3c',
      title: 'Q3 repeated with civic-graph\'s response cache on (memory); PostGraphile and raw as in Q3, uncached; a write must show in the next answer',
      civicResponseCache: 'memory',
      servers: {
        'civic-graph': { request: () => ({ query: DIRECTORY }), normalize: normalizeDirectoryCivic },
        postgraphile: { request: () => ({ query: directoryPostGraphile(f.jurisdictionId) }), normalize: normalizeDirectoryPostGraphile },
        raw: { raw: async (sql) => (await sql.unsafe(DIRECTORY_SQL, [f.today, f.jurisdictionId], { prepare: true }))[0]!.directory, normalize: normalizeDirectoryRaw },
      },
    },
    cityDirectoryCase('Q3phl', 'Q3 in Philadelphia (`councilDistricts(jurisdiction: "philadelphia")`): 10 districts and their council seats; no coalitions there, no holders recorded', f.philadelphia),
    cityDirectoryCase('Q3nyc', 'Q3 in New York (`councilDistricts(jurisdiction: "nyc")`): 51 districts and their council seats; no coalitions there, no holders recorded', f.nyc),
    {
      id: 'Q4',
      title: 'pathological fan-out (100⁴ objects), refused by the cost limit',
      expectRefusal: 'QUERY_TOO_COSTLY',
      servers: {
        'civic-graph': { request: () => ({ query: FAN_OUT }) },
        postgraphile: { na: 'depth and cost limits are PostGraphile Pro features; unlimited, this query would return up to 10⁸ rows' },
        raw: { na: noSql },
      },
    },
    {
      id: 'Q5',
      title: '`locate` at points inside the city',
      openLoopP99Ms: LOCATE_P99_TARGET_MS,
      servers: {
        'civic-graph': {
          request: (i) => ({ query: LOCATE, variables: f.points[i % f.points.length]! }),
          normalize: (r) => data(r).locate,
        },
        postgraphile: { na: LOCATE_NA_POSTGRAPHILE },
        raw: { na: LOCATE_NA_RAW },
      },
    },
    cityLocateCase('Q5phl', '`locate` in Philadelphia at points where 2–5 RCO areas overlap (City Hall, Fishtown, Chestnut Hill): districts, neighborhoods, RCOs and their registration', f.philadelphia, checkPhiladelphiaLocate),
    cityLocateCase('Q5nyc', '`locate` in New York at 5 known points (Brooklyn Borough Hall first): borough, community district and its board, council district', f.nyc, checkNycLocate),
    {
      id: 'Q6',
      title: 'write: `seatAppoint` then `membershipEnd` (each request one write)',
      servers: {
        'civic-graph': {
          write: {
            appoint: (day, writer) => ({
              query: `mutation($input: SeatAppointInput!) { seatAppoint(input: $input) { membership { id ${MEMBERSHIP_FIELDS} } userErrors { code message } } }`,
              variables: { input: { postId: toGlobalId('Post', f.writeSeatIds[writer % f.writeSeatIds.length]!), personId: toGlobalId('Person', f.writerIds[writer % f.writerIds.length]!), startDate: writeStart(day) } },
              token: f.staffToken,
            }),
            end: (membershipId, day) => ({
              query: `mutation($input: MembershipEndInput!) { membershipEnd(input: $input) { membership { id ${MEMBERSHIP_FIELDS} } userErrors { code message } } }`,
              variables: { input: { membershipId, endDate: writeEnd(day), reason: 'RESIGNED' } },
              token: f.staffToken,
            }),
            membershipIdOf: (r) => r?.data?.seatAppoint?.membership?.id ?? null,
          },
          normalize: (r) => {
            const payload = data(r).membershipEnd ?? data(r).seatAppoint;
            if (payload.userErrors.length) throw new Error(`userErrors: ${JSON.stringify(payload.userErrors)}`);
            return normalizeMembership(payload.membership);
          },
        },
        postgraphile: {
          write: {
            appoint: (day, writer) => ({
              query: `mutation($m: MembershipInput!) { createMembership(input: { membership: $m }) { membership { rowId ${MEMBERSHIP_FIELDS} } } }`,
              variables: {
                m: { jurisdictionId: f.jurisdictionId, personId: f.writerIds[writer % f.writerIds.length], organizationId: f.writeOrganizationId, postId: f.writeSeatIds[writer % f.writeSeatIds.length], role: 'member', startDate: writeStart(day) },
              },
            }),
            end: (membershipId, day) => ({
              query: `mutation($id: Int!, $p: MembershipPatch!) { updateMembershipByRowId(input: { rowId: $id, membershipPatch: $p }) { membership { rowId ${MEMBERSHIP_FIELDS} } } }`,
              variables: { id: Number(membershipId), p: { endDate: writeEnd(day), endReason: 'RESIGNED' } },
            }),
            membershipIdOf: (r) => (r?.data?.createMembership?.membership?.rowId ?? null)?.toString() ?? null,
          },
          normalize: (r) => normalizeMembership((data(r).updateMembershipByRowId ?? data(r).createMembership).membership),
        },
        raw: { na: 'a write through GraphQL is the point of this case; the raw path times reads only' },
      },
    },
    {
      id: 'Q7nyc',
      title: `a New York community board's roster (${COMMUNITY_BOARD_SLUG}: roster status, its 6 seats, current holders; the dataset records none)`,
      servers: {
        'civic-graph': { request: () => ({ query: ROSTER, variables: { slug: f.communityBoard.slug, jurisdiction: f.nyc.slug } }), normalize: normalizeRosterCivic },
        postgraphile: {
          request: () => ({ query: ROSTER_POSTGRAPHILE, variables: { jurisdictionId: f.nyc.jurisdictionId, slug: f.communityBoard.slug } }),
          normalize: normalizeRosterPostGraphile,
        },
        raw: {
          raw: async (sql) => (await sql.unsafe(ROSTER_SQL, [f.nyc.today, f.nyc.jurisdictionId, f.communityBoard.slug], { prepare: true }))[0]!.roster,
          normalize: normalizeRosterRaw,
        },
      },
    },
    {
      id: 'Q8phl',
      title: '`noticeRecipients` for a zoning variance in Philadelphia at the `locate` points (City Hall, Fishtown, Chestnut Hill): the RCOs registered that day, their role, registration and office channels, and the deadlines',
      openLoopP99Ms: LOCATE_P99_TARGET_MS,
      servers: {
        'civic-graph': {
          request: (i) => ({ query: NOTICE_RECIPIENTS, variables: { ...f.philadelphia.points[i % f.philadelphia.points.length]!, jurisdiction: f.philadelphia.slug } }),
          normalize: checkPhiladelphiaNotice,
        },
        postgraphile: { na: 'no point-in-polygon without PostGIS, and the notice rules are applied in the application' },
        raw: { na: LOCATE_NA_RAW },
      },
    },
  ];
}
