import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postingPosts, vacancyPostings, type NewVacancyPostingRow, type PostRow } from '../../src/db/schema/index.ts';
import { toGlobalId } from '../../src/graphql/global-id.ts';
import { createMembership, createOrganization, createPerson, createPost, divisionByOcdId } from '../helpers/factories.ts';
import { recordRoster } from '../helpers/roster.ts';
import { createTestApi, type TestApi } from '../helpers/test-api.ts';

// Every query names its date, so the results do not depend on the day the suite runs.
const AT = '2026-11-22';
const district = (n: number) => `ocd-division/country:us/state:or/place:portland/council_district:${n}`;
// SE 16th Ave in Buckman, District 3; NE Killingsworth in District 2; a field far outside the city.
const BUCKMAN = { latitude: 45.5197, longitude: -122.6489 };
const OUTSIDE = { latitude: 44.0, longitude: -121.0 };

const OPEN_SEATS = /* GraphQL */ `
  query OpenSeats($filter: OpenSeatFilter, $at: Date, $first: Int) {
    openSeats(filter: $filter, at: $at, first: $first) {
      totalCount
      nodes {
        id label maxHolders
        organization { name }
        division { name }
        vacancies(at: $at)
        vacancyReason(at: $at)
        openings(at: $at) { reason since }
        applicationDeadline(at: $at)
        eligibilityRules(at: $at)
      }
    }
  }
`;

interface SeatNode {
  id: string;
  label: string;
  organization: { name: string };
  division: { name: string } | null;
  vacancies: number;
  vacancyReason: string | null;
  openings: { reason: string; since: string | null }[];
  applicationDeadline: string | null;
  eligibilityRules: string[];
}

let api: TestApi;
let board: { id: number; name: string };
const seats: Record<string, PostRow> = {};

async function openSeats(filter: Record<string, unknown> = {}, at = AT) {
  return api.execute<{ openSeats: { totalCount: number; nodes: SeatNode[] } }>(OPEN_SEATS, { filter, at, first: 100 });
}

async function boardSeats(filter: Record<string, unknown> = {}, at = AT): Promise<SeatNode[]> {
  const { data, errors } = await openSeats({ ...filter, organization: toGlobalId('Organization', board.id) }, at);
  expect(errors).toBeUndefined();
  return data!.openSeats.nodes;
}

async function addPosting(posts: PostRow[], values: Partial<NewVacancyPostingRow>): Promise<void> {
  const [posting] = await api.db
    .insert(vacancyPostings)
    .values({
      jurisdictionId: api.jurisdictionId,
      organizationId: board.id,
      title: 'Finder Test Board recruitment',
      status: 'OPEN',
      opensOn: '2026-11-01',
      closesOn: '2026-12-16',
      seatsAvailable: 1,
      ...values,
    })
    .returning();
  await api.db.insert(postingPosts).values(posts.map((p) => ({ postingId: posting!.id, postId: p.id, organizationId: board.id })));
}

beforeAll(async () => {
  api = await createTestApi();
  const { jurisdictionId } = api;
  // The dataset's bodies asked about below, with their rosters recorded by staff (unknown is not vacant).
  for (const slug of ['planning-commission', 'historic-landmarks-commission', 'portland-utility-board']) await recordRoster(api, slug);
  board = await createOrganization(api.db, { jurisdictionId, name: 'Finder Test Board' });
  const d2 = await divisionByOcdId(api.db, district(2));
  const d3 = await divisionByOcdId(api.db, district(3));
  const seat = (label: string, values: Partial<PostRow> = {}) =>
    createPost(api.db, { jurisdictionId, organizationId: board.id, label, takesApplications: true, ...values });
  seats.citywide = await seat('Citywide seat', { maxHolders: 3, eligibility: 'May not hold elective office.' });
  seats.d2 = await seat('District 2 seat', { divisionId: d2.id });
  seats.d3 = await seat('District 3 seat', { divisionId: d3.id });
  seats.reappointed = await seat('Reappointed seat', { maxHolders: 2 });
  seats.closedToApplications = await seat('Appointed by the mayor only', { takesApplications: false });

  // Citywide seat, 3 places: one term completed, one holder serving, one resignation (recorded below
  // through the staff mutation, as staff would).
  const [p1, p2, p3, p5, p6] = await Promise.all([1, 2, 3, 5, 6].map((n) => createPerson(api.db, jurisdictionId, `Finder Holder ${n}`)));
  const common = { jurisdictionId, organizationId: board.id };
  await createMembership(api.db, { ...common, postId: seats.citywide.id, personId: p1!.id, startDate: '2024-01-01', endDate: '2025-06-01', endReason: 'TERM_COMPLETED' });
  await createMembership(api.db, { ...common, postId: seats.citywide.id, personId: p2!.id, startDate: '2024-01-01' });
  const resigning = await createMembership(api.db, { ...common, postId: seats.citywide.id, personId: p3!.id, startDate: '2025-01-01' });
  const ended = await api.execute(
    `mutation($input: MembershipEndInput!) { membershipEnd(input: $input) { membership { endReason } userErrors { code } } }`,
    { input: { membershipId: toGlobalId('Membership', resigning.id), endDate: '2026-03-01', reason: 'RESIGNED' } },
    { viewer: api.staff() },
  );
  expect(ended.data!.membershipEnd).toEqual({ membership: { endReason: 'RESIGNED' }, userErrors: [] });

  // Reappointed seat, 2 places: a holder reappointed without a gap, another who left early with no
  // reason on record (before the scheduled end).
  await createMembership(api.db, { ...common, postId: seats.reappointed.id, personId: p5!.id, startDate: '2024-01-01', endDate: '2025-01-01', endReason: 'TERM_COMPLETED' });
  await createMembership(api.db, { ...common, postId: seats.reappointed.id, personId: p5!.id, startDate: '2025-01-01' });
  await createMembership(api.db, { ...common, postId: seats.reappointed.id, personId: p6!.id, startDate: '2024-01-01', endDate: '2024-06-01', scheduledEndDate: '2025-01-01' });

  // Postings: the District 2 seat's is open with interpretation and a time commitment; the District
  // 3 seat's is a draft; the citywide seat's closed before AT.
  await addPosting([seats.d2], { interpretationLanguages: ['es', 'zh-Hant'], timeCommitmentMinHours: 4, timeCommitmentMaxHours: 8, eligibilitySummary: 'Portland residents of District 2.', minimumAge: 16 });
  await addPosting([seats.d3], { status: 'DRAFT', interpretationLanguages: ['es'], timeCommitmentMinHours: 2 });
  await addPosting([seats.citywide], { opensOn: '2026-09-01', closesOn: '2026-10-01', interpretationLanguages: ['es'], timeCommitmentMinHours: 4 });
});
afterAll(() => api.dispose());

const labels = (nodes: SeatNode[]) => nodes.map((n) => n.label);

describe('openSeats: where the resident lives', () => {
  it('a point in Buckman gets District 3 and citywide seats, not District 2 ones', async () => {
    expect(labels(await boardSeats({ livesAt: BUCKMAN }))).toEqual(['Citywide seat', 'District 3 seat', 'Reappointed seat']);
  });

  it('the point and its council district give the same seats', async () => {
    const d3 = await divisionByOcdId(api.db, district(3));
    const byDistrict = await openSeats({ councilDistrict: toGlobalId('Division', d3.id) });
    const byPoint = await openSeats({ livesAt: BUCKMAN });
    expect(byPoint.data!.openSeats.nodes.map((n) => n.id)).toEqual(byDistrict.data!.openSeats.nodes.map((n) => n.id));
    expect(byPoint.data!.openSeats.totalCount).toBe(byDistrict.data!.openSeats.totalCount);
    // Portland's own advisory bodies have citywide member seats, so they are there too.
    expect(byPoint.data!.openSeats.nodes.some((n) => n.organization.name === 'Planning Commission')).toBe(true);
    // A body whose roster is not recorded is never offered, however many seats it has.
    expect(byPoint.data!.openSeats.nodes.some((n) => n.organization.name === 'Design Commission')).toBe(false);
  });

  it('a point outside every district gets the citywide seats only', async () => {
    expect(labels(await boardSeats({ livesAt: OUTSIDE }))).toEqual(['Citywide seat', 'Reappointed seat']);
  });

  it('refuses a point together with a district, and impossible coordinates, with BAD_USER_INPUT', async () => {
    const d3 = await divisionByOcdId(api.db, district(3));
    const both = await openSeats({ livesAt: BUCKMAN, councilDistrict: toGlobalId('Division', d3.id) });
    expect(both.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'filter.livesAt' });
    const bad = await openSeats({ livesAt: { latitude: 95, longitude: -122.6 } });
    expect(bad.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'filter.livesAt.latitude' });
  });
});

describe('openSeats: why each seat is open', () => {
  it('gives the reasons of the free places, most recent first, as many as vacancies', async () => {
    const citywide = (await boardSeats()).find((n) => n.label === 'Citywide seat')!;
    expect(citywide.vacancies).toBe(2);
    expect(citywide.openings).toEqual([
      { reason: 'RESIGNED', since: '2026-03-01' },
      { reason: 'TERM_ENDED', since: '2025-06-01' },
    ]);
    expect(citywide.vacancyReason).toBe('RESIGNED');
  });

  it('a new holder takes the place freed most recently', async () => {
    const person = await createPerson(api.db, api.jurisdictionId, 'Finder Newcomer');
    const membership = await createMembership(api.db, {
      jurisdictionId: api.jurisdictionId, organizationId: board.id, postId: seats.citywide!.id, personId: person.id, startDate: '2026-12-01',
    });
    try {
      const later = (await boardSeats({}, '2026-12-05')).find((n) => n.label === 'Citywide seat')!;
      expect(later).toMatchObject({ vacancies: 1, vacancyReason: 'TERM_ENDED', openings: [{ reason: 'TERM_ENDED', since: '2025-06-01' }] });
    } finally {
      const { memberships } = await import('../../src/db/schema/index.ts');
      const { eq } = await import('drizzle-orm');
      await api.db.delete(memberships).where(eq(memberships.id, membership.id));
    }
  });

  it('a reappointment without a gap frees nothing; an end with no reason before its schedule is ENDED_EARLY', async () => {
    const seat = (await boardSeats()).find((n) => n.label === 'Reappointed seat')!;
    expect(seat.openings).toEqual([{ reason: 'ENDED_EARLY', since: '2024-06-01' }]);
  });

  it('a seat no one ever held is NEVER_FILLED, once per free place', async () => {
    const seat = (await boardSeats()).find((n) => n.label === 'District 3 seat')!;
    expect(seat).toMatchObject({ vacancies: 1, vacancyReason: 'NEVER_FILLED', openings: [{ reason: 'NEVER_FILLED', since: null }] });
  });

  it('earlier dates replay less history: before the resignation one place was free', async () => {
    const seat = (await boardSeats({}, '2026-01-01')).find((n) => n.label === 'Citywide seat')!;
    expect(seat.openings).toEqual([{ reason: 'TERM_ENDED', since: '2025-06-01' }]);
  });

  it('a full seat has no reason and no openings', async () => {
    const { data } = await api.execute(`query($id: ID!) { node(id: $id) { ... on Post { vacancies(at: "2025-02-01") vacancyReason(at: "2025-02-01") openings(at: "2025-02-01") { reason } } } }`, {
      id: toGlobalId('Post', seats.citywide!.id),
    });
    expect(data!.node).toEqual({ vacancies: 0, vacancyReason: null, openings: [] });
  });

  it('seats that take no applications are never listed', async () => {
    expect(labels(await boardSeats())).not.toContain('Appointed by the mayor only');
  });
});

describe('openSeats: deadline and eligibility', () => {
  it('gives the open posting’s last day to apply (the day before it closes)', async () => {
    const seats = await boardSeats();
    expect(seats.find((n) => n.label === 'District 2 seat')!.applicationDeadline).toBe('2026-12-15');
  });

  it('links the open posting to apply to', async () => {
    const { data, errors } = await api.execute(`query($id: ID!) { node(id: $id) { ... on Post { openPosting(at: "${AT}") { title status applicationDeadline } } } }`, {
      id: toGlobalId('Post', seats.d2!.id),
    });
    expect(errors).toBeUndefined();
    expect(data!.node.openPosting).toEqual({ title: 'Finder Test Board recruitment', status: 'OPEN', applicationDeadline: '2026-12-15' });
    const draft = await api.execute(`query($id: ID!) { node(id: $id) { ... on Post { openPosting(at: "${AT}") { title } } } }`, { id: toGlobalId('Post', seats.d3!.id) });
    expect(draft.data!.node.openPosting).toBeNull();
  });

  it('has no deadline from a draft posting or one that has closed', async () => {
    const seats = await boardSeats();
    expect(seats.find((n) => n.label === 'District 3 seat')!.applicationDeadline).toBeNull();
    expect(seats.find((n) => n.label === 'Citywide seat')!.applicationDeadline).toBeNull();
    // The closed posting did give a deadline while it was open.
    const earlier = await boardSeats({}, '2026-09-15');
    expect(earlier.find((n) => n.label === 'Citywide seat')!.applicationDeadline).toBe('2026-09-30');
  });

  it('states the eligibility rules in plain words: district, seat and posting rules', async () => {
    const seats = await boardSeats();
    expect(seats.find((n) => n.label === 'District 2 seat')!.eligibilityRules).toEqual([
      'Lives in Portland City Council District 2.',
      'Portland residents of District 2.',
      'At least 16 years old.',
    ]);
    expect(seats.find((n) => n.label === 'Citywide seat')!.eligibilityRules).toEqual(['May not hold elective office.']);
    expect(seats.find((n) => n.label === 'Reappointed seat')!.eligibilityRules).toEqual([]);
  });
});

describe('openSeats: interpretation and time commitment', () => {
  it('finds seats whose open posting offers interpretation in a language, ignoring case, tag prefixes matching', async () => {
    expect(labels(await boardSeats({ interpretationLanguage: 'ES' }))).toEqual(['District 2 seat']);
    expect(labels(await boardSeats({ interpretationLanguage: 'zh' }))).toEqual(['District 2 seat']);
    expect(labels(await boardSeats({ interpretationLanguage: 'zh-hant' }))).toEqual(['District 2 seat']);
    // The draft and the closed posting offer Spanish too, but neither is open on AT.
    expect(labels(await boardSeats({ interpretationLanguage: 'vi' }))).toEqual([]);
  });

  it('keeps seats whose stated commitment lies within the hours asked', async () => {
    expect(labels(await boardSeats({ minHoursPerMonth: 4 }))).toEqual(['District 2 seat']);
    expect(labels(await boardSeats({ minHoursPerMonth: 5 }))).toEqual([]);
    expect(labels(await boardSeats({ maxHoursPerMonth: 8 }))).toEqual(['District 2 seat']);
    expect(labels(await boardSeats({ maxHoursPerMonth: 7 }))).toEqual([]);
    expect(labels(await boardSeats({ minHoursPerMonth: 0, maxHoursPerMonth: 10, interpretationLanguage: 'es', livesAt: BUCKMAN }))).toEqual([]);
  });

  it('refuses a malformed language tag and impossible hours with BAD_USER_INPUT', async () => {
    for (const [filter, argument] of [
      [{ interpretationLanguage: 'e%' }, 'filter.interpretationLanguage'],
      [{ interpretationLanguage: '' }, 'filter.interpretationLanguage'],
      [{ minHoursPerMonth: -1 }, 'filter.minHoursPerMonth'],
      [{ maxHoursPerMonth: 745 }, 'filter.maxHoursPerMonth'],
      [{ minHoursPerMonth: 9, maxHoursPerMonth: 8 }, 'filter.minHoursPerMonth'],
    ] as const) {
      const { errors } = await openSeats(filter);
      expect(errors?.[0]?.extensions, JSON.stringify(filter)).toMatchObject({ code: 'BAD_USER_INPUT', argument });
    }
  });
});

describe('openSeats: topic', () => {
  it('bodies carry the topics their dataset gives (derived from name and bureau for Portland)', async () => {
    const { data } = await api.execute(`{ a: organization(slug: "historic-landmarks-commission") { topics } b: organization(slug: "cannabis-policy-oversight-team") { topics } c: organization(slug: "buckman") { topics } }`);
    expect(data).toEqual({ a: { topics: ['LAND_USE_PLANNING', 'HISTORIC_PRESERVATION'] }, b: { topics: [] }, c: { topics: [] } });
  });

  it('finds the seats of bodies working on a topic', async () => {
    const { data, errors } = await openSeats({ topic: 'HISTORIC_PRESERVATION' });
    expect(errors).toBeUndefined();
    expect(data!.openSeats.nodes.map((n) => `${n.organization.name}: ${n.label}`)).toEqual(['Historic Landmarks Commission: Member']);
    const utilities = await openSeats({ topic: 'UTILITIES' });
    expect(utilities.data!.openSeats.nodes.map((n) => n.organization.name)).toEqual(['Portland Utility Board']);
    // The test board has no topic, so a topic filter leaves it out.
    expect(await boardSeats({ topic: 'LAND_USE_PLANNING' })).toEqual([]);
  });
});

describe('openSeats: SQL statements', () => {
  async function countStatements(): Promise<{ statements: number; seats: number }> {
    api.statements.reset();
    const { data, errors } = await openSeats({});
    expect(errors).toBeUndefined();
    return { statements: api.statements.count(), seats: data!.openSeats.nodes.length };
  }

  it('lists a page of open seats with reasons, deadlines and rules in a constant number of statements', async () => {
    const small = await countStatements();
    const d2 = await divisionByOcdId(api.db, district(2));
    const more = await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        createPost(api.db, { jurisdictionId: api.jurisdictionId, organizationId: board.id, label: `Extra seat ${i}`, takesApplications: true, divisionId: i % 2 ? d2.id : null }),
      ),
    );
    await addPosting(more, { interpretationLanguages: ['vi'] });
    const large = await countStatements();
    expect(large.seats).toBe(small.seats + 12);
    expect(large.statements).toBe(small.statements);
    // jurisdiction, page, count, organizations, divisions, holders (for vacancies), terms (for
    // openings and reasons), open postings (for deadlines and rules): one per kind of row.
    expect(large.statements).toBeLessThanOrEqual(8);
  });
});
