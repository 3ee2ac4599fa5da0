import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { memberships, posts } from '../../src/db/schema/index.ts';
import { anchoredEnd } from '../../src/modules/seats/seat-filling.service.ts';
import { createMembership, createOrganization, createPerson, createPost } from '../helpers/factories.ts';
import { createTestApi, type TestApi } from '../helpers/test-api.ts';
import { advisorySeat, expectRefusal, gid } from './appointments-support.ts';
import { APPOINT, REAPPOINT, appointInput, createBoard } from './seat-filling-support.ts';

/**
 * Seats that say how they are filled (issue 13), through the real server: nominators, consent,
 * minimum age, term-limit counting, term anchors, holdovers and composition rules. A small
 * synthetic board stands in for a New York community board.
 */

let api: TestApi;
beforeAll(async () => {
  api = await createTestApi();
});
afterAll(() => api.dispose());

const appoint = (input: Record<string, unknown>) => api.execute(APPOINT, { input }, { viewer: api.staff() });

async function appointed(input: Record<string, unknown>) {
  const result = await appoint(input);
  expect(result.errors).toBeUndefined();
  expect(result.data!.seatAppoint.userErrors).toEqual([]);
  return result.data!.seatAppoint.membership;
}

describe('Post.filling', () => {
  it('reads who appoints, nominates and confirms, the voting and alternate flags, and the term rules', async () => {
    const board = await createBoard(api, { rules: [{ rule: 'MIN_SHARE_NOMINATED', numerator: 1, denominator: 2 }] });
    const consenting = await createOrganization(api.db, { jurisdictionId: api.jurisdictionId, kind: 'COUNCIL' });
    const seat = board.seats[0]!;
    await api.db
      .update(posts)
      .set({ confirmedByOrganizationId: consenting.id, termLengthMonths: 24, termAnchor: '04-01', staggerClasses: 2, holdoverLimitMonths: 2, termLimit: 4, termLimitCounting: 'TOTAL_TERMS', minAge: 16 })
      .where(eq(posts.id, seat.id));
    const alternate = await createPost(api.db, { jurisdictionId: api.jurisdictionId, organizationId: board.organizationId, alternateForPostId: seat.id });
    const result = await api.execute(
      `query($seat: ID!, $alternate: ID!, $exOfficio: ID!, $org: ID!) {
        seat: node(id: $seat) { ... on Post { filling {
          appointingAuthority selectionMethod isVoting isExOfficio alternateFor { id }
          confirmingBody { slug }
          nominatingAuthorities { __typename ... on Post { label } ... on Organization { id } }
          term { lengthMonths anchor staggerClasses holdoverLimitMonths limit limitCounting minAge }
        } } }
        alternate: node(id: $alternate) { ... on Post { filling { alternateFor { id } isVoting } } }
        exOfficio: node(id: $exOfficio) { ... on Post { filling { isVoting isExOfficio nominatingAuthorities { __typename } term { limitCounting } } } }
        org: node(id: $org) { ... on Organization { compositionRules { code rule numerator denominator share description source } } }
      }`,
      { seat: gid('Post', seat.id), alternate: gid('Post', alternate.id), exOfficio: gid('Post', board.exOfficio.id), org: gid('Organization', board.organizationId) },
    );
    expect(result.errors).toBeUndefined();
    expect(result.data!.seat.filling).toEqual({
      appointingAuthority: 'Borough President',
      selectionMethod: 'APPOINTED',
      isVoting: true,
      isExOfficio: false,
      alternateFor: null,
      confirmingBody: { slug: consenting.slug },
      nominatingAuthorities: [
        { __typename: 'Post', label: 'District 7' },
        { __typename: 'Post', label: 'District 8' },
        { __typename: 'Organization', id: gid('Organization', board.nominatorOrganizationId) },
      ],
      term: { lengthMonths: 24, anchor: '04-01', staggerClasses: 2, holdoverLimitMonths: 2, limit: 4, limitCounting: 'TOTAL_TERMS', minAge: 16 },
    });
    expect(result.data!.alternate.filling).toEqual({ alternateFor: { id: gid('Post', seat.id) }, isVoting: true });
    expect(result.data!.exOfficio.filling).toEqual({ isVoting: false, isExOfficio: true, nominatingAuthorities: [], term: { limitCounting: 'CONSECUTIVE_TERMS' } });
    expect(result.data!.org.compositionRules).toEqual([{ code: 'rule-1', rule: 'MIN_SHARE_NOMINATED', numerator: 1, denominator: 2, share: 0.5, description: 'Rule 1', source: 'Test' }]);
  });
});

describe('nominator', () => {
  it('records the office that nominated the appointee, shown as the Post', async () => {
    const board = await createBoard(api);
    const person = await createPerson(api.db, api.jurisdictionId);
    const membership = await appointed(appointInput(board.seats[0]!, person.id, { nominatedBy: gid('Post', board.offices[1]!.id) }));
    expect(membership.nominatedBy).toEqual({ __typename: 'Post', id: gid('Post', board.offices[1]!.id), label: 'District 8' });
  });

  it('records a nominating organization', async () => {
    const board = await createBoard(api);
    const person = await createPerson(api.db, api.jurisdictionId);
    const membership = await appointed(appointInput(board.seats[0]!, person.id, { nominatedBy: gid('Organization', board.nominatorOrganizationId) }));
    expect(membership.nominatedBy.__typename).toBe('Organization');
  });

  it('refuses a nominator that is not one of the seat\'s, and nominatedBy on a seat without nominators', async () => {
    const board = await createBoard(api);
    const stranger = await createPost(api.db, { jurisdictionId: api.jurisdictionId, organizationId: board.organizationId });
    const person = await createPerson(api.db, api.jurisdictionId);
    const errors = await expectRefusal(api, APPOINT, appointInput(board.seats[0]!, person.id, { nominatedBy: gid('Post', stranger.id) }), 'seatAppoint', 'INVALID_INPUT');
    expect(errors[0]!.field).toEqual(['input', 'nominatedBy']);
    await expectRefusal(api, APPOINT, appointInput(stranger, person.id, { nominatedBy: gid('Post', board.offices[0]!.id) }), 'seatAppoint', 'INVALID_INPUT');
    await expectRefusal(api, APPOINT, appointInput(board.seats[0]!, person.id, { nominatedBy: gid('Person', person.id) }), 'seatAppoint', 'INVALID_ID');
  });
});

describe('confirmation', () => {
  async function confirmedSeat() {
    const consenting = await createOrganization(api.db, { jurisdictionId: api.jurisdictionId, kind: 'COUNCIL' });
    const seat = await advisorySeat(api, { confirmedByOrganizationId: consenting.id, maxHolders: 3, termLengthMonths: 12 });
    return { seat, consenting };
  }

  it('records the consenting body and the consent date', async () => {
    const { seat, consenting } = await confirmedSeat();
    const person = await createPerson(api.db, api.jurisdictionId);
    const membership = await appointed(appointInput(seat, person.id, { confirmedOn: '2025-03-20' }));
    expect(membership).toMatchObject({ confirmedOn: '2025-03-20', confirmedBy: { slug: consenting.slug } });
  });

  it('refuses an appointment without consent on a seat that needs it (CONFIRMATION_REQUIRED)', async () => {
    const { seat } = await confirmedSeat();
    const person = await createPerson(api.db, api.jurisdictionId);
    const errors = await expectRefusal(api, APPOINT, appointInput(seat, person.id), 'seatAppoint', 'CONFIRMATION_REQUIRED');
    expect(errors[0]!.field).toEqual(['input', 'confirmedOn']);
  });

  it('refuses a consent dated after the start, and a consent on a seat that needs none', async () => {
    const { seat } = await confirmedSeat();
    const person = await createPerson(api.db, api.jurisdictionId);
    await expectRefusal(api, APPOINT, appointInput(seat, person.id, { confirmedOn: '2025-04-02' }), 'seatAppoint', 'INVALID_DATE_RANGE');
    const plain = await advisorySeat(api);
    await expectRefusal(api, APPOINT, appointInput(plain, person.id, { confirmedOn: '2025-03-01' }), 'seatAppoint', 'INVALID_INPUT');
  });

  it('needs consent again for a reappointment, and keeps the nominator', async () => {
    const { seat } = await confirmedSeat();
    const board = await createBoard(api);
    await api.db.update(posts).set({ confirmedByOrganizationId: seat.confirmedByOrganizationId, termLengthMonths: 12 }).where(eq(posts.id, board.seats[0]!.id));
    const person = await createPerson(api.db, api.jurisdictionId);
    const first = await appointed(appointInput(board.seats[0]!, person.id, { confirmedOn: '2025-03-01', nominatedBy: gid('Post', board.offices[0]!.id) }));
    await expectRefusal(api, REAPPOINT, { membershipId: first.id }, 'membershipReappoint', 'CONFIRMATION_REQUIRED');
    const again = await api.execute(REAPPOINT, { input: { membershipId: first.id, confirmedOn: '2026-03-15' } }, { viewer: api.staff() });
    expect(again.data!.membershipReappoint).toMatchObject({ userErrors: [], membership: { startDate: '2026-04-01', confirmedOn: '2026-03-15', nominatedBy: { __typename: 'Post' } } });
  });
});

describe('minimum age', () => {
  it('refuses an attested age below the seat\'s minimum (BELOW_MIN_AGE) and accepts the minimum itself', async () => {
    const seat = await advisorySeat(api, { minAge: 16, maxHolders: 2 });
    const young = await createPerson(api.db, api.jurisdictionId);
    const errors = await expectRefusal(api, APPOINT, appointInput(seat, young.id, { appointeeAge: 15 }), 'seatAppoint', 'BELOW_MIN_AGE');
    expect(errors[0]!.field).toEqual(['input', 'appointeeAge']);
    await appointed(appointInput(seat, young.id, { appointeeAge: 16 }));
  });

  it('refuses an impossible age', async () => {
    const seat = await advisorySeat(api, { minAge: 16 });
    const person = await createPerson(api.db, api.jurisdictionId);
    await expectRefusal(api, APPOINT, appointInput(seat, person.id, { appointeeAge: -1 }), 'seatAppoint', 'INVALID_INPUT');
  });
});

describe('term limits as the city counts them', () => {
  it('TOTAL_TERMS counts terms separated by a gap', async () => {
    const seat = await advisorySeat(api, { maxHolders: 2, termLimit: 2, termLimitCounting: 'TOTAL_TERMS' });
    const person = await createPerson(api.db, api.jurisdictionId);
    const base = { jurisdictionId: api.jurisdictionId, personId: person.id, organizationId: seat.organizationId, postId: seat.id };
    await createMembership(api.db, { ...base, startDate: '2015-01-01', endDate: '2017-01-01' });
    await createMembership(api.db, { ...base, startDate: '2019-01-01', endDate: '2021-01-01' });
    const errors = await expectRefusal(api, APPOINT, appointInput(seat, person.id, { startDate: '2024-01-01' }), 'seatAppoint', 'TERM_LIMIT_REACHED');
    expect(errors[0]!.message).toMatch(/2 terms in all/);
  });

  it('CONSECUTIVE_TERMS lets the same person back after a gap', async () => {
    const seat = await advisorySeat(api, { maxHolders: 2, termLimit: 2 });
    const person = await createPerson(api.db, api.jurisdictionId);
    const base = { jurisdictionId: api.jurisdictionId, personId: person.id, organizationId: seat.organizationId, postId: seat.id };
    await createMembership(api.db, { ...base, startDate: '2015-01-01', endDate: '2017-01-01' });
    await createMembership(api.db, { ...base, startDate: '2019-01-01', endDate: '2021-01-01' });
    await appointed(appointInput(seat, person.id, { startDate: '2024-01-01' }));
  });
});

describe('term anchors', () => {
  // New York community boards: staggered two-year terms from April 1 (FACTS.md, Charter §2800).
  const nyc = { termLengthMonths: 24, termAnchor: '04-01', staggerClasses: 2, maxHolders: 10 };

  it('computes the scheduled end from the anchor (unit cases)', () => {
    expect(anchoredEnd(nyc, '2025-04-01')).toBe('2027-04-01');
    expect(anchoredEnd(nyc, '2025-09-15')).toBe('2027-04-01');
    expect(anchoredEnd(nyc, '2026-03-31')).toBe('2027-04-01');
    expect(anchoredEnd(nyc, '2025-09-15', 1)).toBe('2027-04-01');
    expect(anchoredEnd(nyc, '2025-09-15', 2)).toBe('2026-04-01');
    expect(anchoredEnd(nyc, '2026-04-01', 2)).toBe('2028-04-01');
    expect(anchoredEnd({ ...nyc, staggerClasses: null }, '2025-04-01')).toBe('2027-04-01');
    expect(anchoredEnd({ ...nyc, termAnchor: null }, '2025-04-01')).toBeNull();
  });

  it('a term starting any day ends on the anchor day of its class\'s year', async () => {
    const seat = await advisorySeat(api, nyc);
    const [a, b, c] = [await createPerson(api.db, api.jurisdictionId), await createPerson(api.db, api.jurisdictionId), await createPerson(api.db, api.jurisdictionId)];
    expect((await appointed(appointInput(seat, a.id, { startDate: '2025-04-01' }))).scheduledEndDate).toBe('2027-04-01');
    expect((await appointed(appointInput(seat, b.id, { startDate: '2025-09-15' }))).scheduledEndDate).toBe('2027-04-01');
    expect((await appointed(appointInput(seat, c.id, { startDate: '2025-09-15', termClass: 2 }))).scheduledEndDate).toBe('2026-04-01');
  });

  it('refuses termClass on a seat without classes, out of range, or beside scheduledEndDate', async () => {
    const staggered = await advisorySeat(api, nyc);
    const plain = await advisorySeat(api, { termLengthMonths: 24 });
    const person = await createPerson(api.db, api.jurisdictionId);
    await expectRefusal(api, APPOINT, appointInput(plain, person.id, { termClass: 1 }), 'seatAppoint', 'INVALID_INPUT');
    await expectRefusal(api, APPOINT, appointInput(staggered, person.id, { termClass: 3 }), 'seatAppoint', 'INVALID_INPUT');
    await expectRefusal(api, APPOINT, appointInput(staggered, person.id, { termClass: 1, scheduledEndDate: '2027-04-01' }), 'seatAppoint', 'INVALID_INPUT');
  });
});

describe('holdovers', () => {
  const HOLDERS = `query($id: ID!, $at: Date!) { node(id: $id) { ... on Post {
    holders(at: $at) { id isHoldover(at: $at) holdoverEndsOn } vacancies(at: $at)
  } } }`;

  it('shows a holder past the scheduled end as a holdover until the limit, then the place as vacant', async () => {
    const seat = await advisorySeat(api, { termLengthMonths: 24, termAnchor: '04-01', holdoverLimitMonths: 2, maxHolders: 1 });
    const holder = await createPerson(api.db, api.jurisdictionId);
    const term = await appointed(appointInput(seat, holder.id, { startDate: '2023-04-01' }));
    expect(term.scheduledEndDate).toBe('2025-04-01');
    const read = (at: string) => api.execute(HOLDERS, { id: gid('Post', seat.id), at });

    const before = (await read('2025-03-31')).data!.node;
    expect(before).toEqual({ holders: [{ id: term.id, isHoldover: false, holdoverEndsOn: '2025-06-01' }], vacancies: 0 });
    const during = (await read('2025-05-31')).data!.node;
    expect(during).toEqual({ holders: [{ id: term.id, isHoldover: true, holdoverEndsOn: '2025-06-01' }], vacancies: 0 });
    const after = (await read('2025-06-01')).data!.node;
    expect(after).toEqual({ holders: [], vacancies: 1 });
  });

  it('a lapsed holdover opens the seat in openSeats and openings, the day the holdover ends', async () => {
    const seat = await advisorySeat(api, { termLengthMonths: 24, termAnchor: '04-01', holdoverLimitMonths: 2, maxHolders: 1, takesApplications: true });
    const holder = await createPerson(api.db, api.jurisdictionId);
    await appointed(appointInput(seat, holder.id, { startDate: '2023-04-01' }));
    const OPEN = `query($org: ID!, $at: Date!, $id: ID!) {
      openSeats(at: $at, filter: { organization: $org }) { nodes { id } }
      node(id: $id) { ... on Post { openings(at: $at) { reason since } vacancyReason(at: $at) } }
    }`;
    const read = (at: string) => api.execute(OPEN, { org: gid('Organization', seat.organizationId), at, id: gid('Post', seat.id) });
    const during = await read('2025-05-31');
    expect(during.errors).toBeUndefined();
    expect(during.data).toEqual({ openSeats: { nodes: [] }, node: { openings: [], vacancyReason: null } });
    const after = await read('2025-06-01');
    expect(after.data).toEqual({ openSeats: { nodes: [{ id: gid('Post', seat.id) }] }, node: { openings: [{ reason: 'TERM_ENDED', since: '2025-06-01' }], vacancyReason: 'TERM_ENDED' } });
  });

  it('a holder without a holdover limit stays until replaced', async () => {
    const seat = await advisorySeat(api, { termLengthMonths: 12, maxHolders: 1 });
    const holder = await createPerson(api.db, api.jurisdictionId);
    const term = await appointed(appointInput(seat, holder.id, { startDate: '2023-01-01' }));
    const read = await api.execute(HOLDERS, { id: gid('Post', seat.id), at: '2030-01-01' });
    expect(read.data!.node).toEqual({ holders: [{ id: term.id, isHoldover: true, holdoverEndsOn: null }], vacancies: 0 });
  });

  it('appointing after the holdover ran out ends the lapsed term on the day it ran out', async () => {
    const seat = await advisorySeat(api, { termLengthMonths: 24, termAnchor: '04-01', holdoverLimitMonths: 2, maxHolders: 1 });
    const [holder, successor] = [await createPerson(api.db, api.jurisdictionId), await createPerson(api.db, api.jurisdictionId)];
    await appointed(appointInput(seat, holder.id, { startDate: '2023-04-01' }));
    // During the holdover the seat is still full.
    await expectRefusal(api, APPOINT, appointInput(seat, successor.id, { startDate: '2025-05-01' }), 'seatAppoint', 'SEAT_FULL');
    await appointed(appointInput(seat, successor.id, { startDate: '2025-07-01' }));
    const rows = await api.db.select().from(memberships).where(eq(memberships.postId, seat.id));
    expect(rows.find((r) => r.personId === holder.id)).toMatchObject({ endDate: '2025-06-01', endReason: 'TERM_COMPLETED' });
  });
});

describe('composition rules', () => {
  it('MIN_SHARE_NOMINATED: appointees not from nominees stop at (1 - share) of the voting places', async () => {
    // 2 voting seats × 2 = 4 voting places; at least 1/2 from nominees, so at most 2 not from nominees.
    const board = await createBoard(api, { seats: 2, perSeat: 2, rules: [{ rule: 'MIN_SHARE_NOMINATED', numerator: 1, denominator: 2 }] });
    const people = await Promise.all(Array.from({ length: 5 }, () => createPerson(api.db, api.jurisdictionId)));
    await appointed(appointInput(board.seats[0]!, people[0]!.id));
    await appointed(appointInput(board.seats[1]!, people[1]!.id));
    const errors = await expectRefusal(api, APPOINT, appointInput(board.seats[1]!, people[2]!.id), 'seatAppoint', 'COMPOSITION_RULE');
    const refused = await appoint(appointInput(board.seats[1]!, people[2]!.id));
    expect(refused.data!.seatAppoint.userErrors[0].compositionRule).toBe('MIN_SHARE_NOMINATED/rule-1');
    expect(errors[0]!.message).toMatch(/1\/2 of the body's 4 voting places/);
    // A nominee may still be appointed; so may a non-voting ex officio member.
    await appointed(appointInput(board.seats[1]!, people[2]!.id, { nominatedBy: gid('Post', board.offices[0]!.id) }));
    await appointed(appointInput(board.exOfficio, people[3]!.id));
  });

  it('MIN_SHARE_NOMINATED: a term ended before the new one starts no longer counts', async () => {
    const board = await createBoard(api, { seats: 1, perSeat: 2, rules: [{ rule: 'MIN_SHARE_NOMINATED', numerator: 1, denominator: 2 }] });
    const [a, b] = [await createPerson(api.db, api.jurisdictionId), await createPerson(api.db, api.jurisdictionId)];
    const first = await appointed(appointInput(board.seats[0]!, a.id, { startDate: '2024-04-01' }));
    await expectRefusal(api, APPOINT, appointInput(board.seats[0]!, b.id, { startDate: '2025-04-01' }), 'seatAppoint', 'COMPOSITION_RULE');
    const end = await api.execute(
      `mutation($input: MembershipEndInput!) { membershipEnd(input: $input) { userErrors { code } } }`,
      { input: { membershipId: first.id, endDate: '2025-04-01', reason: 'RESIGNED' } },
      { viewer: api.staff() },
    );
    expect(end.data!.membershipEnd.userErrors).toEqual([]);
    await appointed(appointInput(board.seats[0]!, b.id, { startDate: '2025-04-01' }));
  });

  it('MAX_SHARE_CITY_EMPLOYEES: at most share of the voting places are city employees', async () => {
    // 4 voting places, at most 1/4 city employees: 1.
    const board = await createBoard(api, { seats: 1, perSeat: 4, rules: [{ rule: 'MAX_SHARE_CITY_EMPLOYEES', numerator: 1, denominator: 4 }] });
    const people = await Promise.all(Array.from({ length: 3 }, () => createPerson(api.db, api.jurisdictionId)));
    const employee = await appointed(appointInput(board.seats[0]!, people[0]!.id, { isCityEmployee: true }));
    expect(employee.isCityEmployee).toBe(true);
    await expectRefusal(api, APPOINT, appointInput(board.seats[0]!, people[1]!.id, { isCityEmployee: true }), 'seatAppoint', 'COMPOSITION_RULE');
    const refused = await appoint(appointInput(board.seats[0]!, people[1]!.id, { isCityEmployee: true }));
    expect(refused.data!.seatAppoint.userErrors[0].compositionRule).toBe('MAX_SHARE_CITY_EMPLOYEES/rule-1');
    await appointed(appointInput(board.seats[0]!, people[1]!.id, { isCityEmployee: false }));
    await appointed(appointInput(board.seats[0]!, people[2]!.id));
  });

  it('shows isCityEmployee to staff only', async () => {
    const board = await createBoard(api);
    const person = await createPerson(api.db, api.jurisdictionId);
    const term = await appointed(appointInput(board.seats[0]!, person.id, { isCityEmployee: true }));
    const read = await api.execute(`query($id: ID!) { node(id: $id) { ... on Membership { isCityEmployee } } }`, { id: term.id });
    expect(read.data!.node.isCityEmployee).toBeNull();
  });
});
