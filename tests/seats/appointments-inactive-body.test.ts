import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { organizations, posts, type NewOrganizationRow } from '../../src/db/schema/index.ts';
import { bodyClosureOn } from '../../src/modules/seats/body-lifecycle.ts';
import { createMembership, createOrganization, createPerson, createPost, organizationBySlug } from '../helpers/factories.ts';
import { createTestApi, type TestApi } from '../helpers/test-api.ts';
import { expectRefusal, gid, MEMBERSHIP_REAPPOINT, POST_CREATE, SEAT_APPOINT } from './appointments-support.ts';

/**
 * Issue 15: a term of service starts only on a body that can take it on its first day: not an
 * INACTIVE body, not a dissolved one from its dissolution on, not one founded later.
 */

let api: TestApi;
beforeAll(async () => {
  api = await createTestApi();
});
afterAll(() => api.dispose());

async function appoint(input: Record<string, unknown>) {
  const result = await api.execute(SEAT_APPOINT, { input }, { viewer: api.staff() });
  expect(result.errors, JSON.stringify(result.errors)).toBeUndefined();
  expect(result.data!.seatAppoint.userErrors).toEqual([]);
  return result.data!.seatAppoint.membership;
}

/** The one seat a Portland body has in the dataset. */
async function onlySeatOf(organizationId: number) {
  const seats = await api.db.select().from(posts).where(eq(posts.organizationId, organizationId));
  expect(seats).toHaveLength(1);
  return seats[0]!;
}

/** A fresh body with the given lifecycle, and a staff-made seat on it that nothing abolished. */
async function bodyWithSeat(values: Partial<NewOrganizationRow>) {
  const body = await createOrganization(api.db, { jurisdictionId: api.jurisdictionId, ...values });
  const seat = await createPost(api.db, { jurisdictionId: api.jurisdictionId, organizationId: body.id, maxHolders: 3, createdOn: '2000-01-01' });
  return { body, seat };
}

async function appointInput(seat: { id: number }, startDate: string) {
  const person = await createPerson(api.db, api.jurisdictionId);
  return { postId: gid('Post', seat.id), personId: gid('Person', person.id), startDate };
}

describe('bodyClosureOn (the rule)', () => {
  const body = (values: Partial<Parameters<typeof bodyClosureOn>[0]>) => ({ name: 'B', status: 'ACTIVE' as const, foundedOn: null, dissolvedOn: null, ...values });

  it('lets an ACTIVE body, and a DISSOLVED one before its date, take a term; a dissolution day is the first refused', () => {
    expect(bodyClosureOn(body({}), '1900-01-01')).toBeNull();
    expect(bodyClosureOn(body({ status: 'DISSOLVED', dissolvedOn: '2030-01-01' }), '2029-12-31')).toBeNull();
    expect(bodyClosureOn(body({ status: 'DISSOLVED', dissolvedOn: '2030-01-01' }), '2030-01-01')).toEqual({ fact: 'B is dissolved on 2030-01-01', dated: true });
  });

  it('refuses INACTIVE and undated DISSOLVED on every date, and a date before the founding unless founding is ignored', () => {
    expect(bodyClosureOn(body({ status: 'INACTIVE' }), '2000-01-01')?.dated).toBe(false);
    expect(bodyClosureOn(body({ status: 'DISSOLVED' }), '2000-01-01')?.dated).toBe(false);
    expect(bodyClosureOn(body({ status: 'INACTIVE', foundedOn: '2010-01-01' }), '2000-01-01', { founding: false })?.dated).toBe(false);
    expect(bodyClosureOn(body({ foundedOn: '2026-01-01' }), '2025-12-31')).toEqual({ fact: 'B exists from its founding on 2026-01-01', dated: true });
    expect(bodyClosureOn(body({ foundedOn: '2026-01-01' }), '2025-12-31', { founding: false })).toBeNull();
  });
});

describe('seatAppoint to a body that cannot take terms', () => {
  it('refuses the Government Transition Advisory Committee, INACTIVE in the Portland dataset, and stores nothing (BODY_NOT_ACTIVE)', async () => {
    const gtac = await organizationBySlug(api.db, 'government-transition-advisory-committee');
    expect(gtac).toMatchObject({ name: 'Government Transition Advisory Committee', status: 'INACTIVE', dissolvedOn: null });
    const seat = await onlySeatOf(gtac.id);
    expect(seat.abolishedOn).toBeNull();
    const [error] = await expectRefusal(api, SEAT_APPOINT, await appointInput(seat, '2025-09-01'), 'seatAppoint', 'BODY_NOT_ACTIVE');
    expect(error!.field).toEqual(['input', 'postId']);
    expect(error!.message).toMatch(/Government Transition Advisory Committee is INACTIVE/);
  });

  it('refuses an INACTIVE body on every date, past ones too: no date says when it stopped', async () => {
    const gtac = await organizationBySlug(api.db, 'government-transition-advisory-committee');
    const seat = await onlySeatOf(gtac.id);
    // GTAC recruited in early 2023; the record cannot tell whether it still sat on any given day.
    await expectRefusal(api, SEAT_APPOINT, await appointInput(seat, '2023-03-01'), 'seatAppoint', 'BODY_NOT_ACTIVE');
    await expectRefusal(api, SEAT_APPOINT, await appointInput(seat, '2030-01-01'), 'seatAppoint', 'BODY_NOT_ACTIVE');
  });

  it('refuses a body dissolved on or before the start date, and accepts a term that starts before the dissolution', async () => {
    const { seat } = await bodyWithSeat({ name: 'Dissolved Test Task Force', status: 'DISSOLVED', foundedOn: '2020-01-01', dissolvedOn: '2025-07-01' });
    const [onTheDay] = await expectRefusal(api, SEAT_APPOINT, await appointInput(seat, '2025-07-01'), 'seatAppoint', 'BODY_NOT_ACTIVE');
    expect(onTheDay!.field).toEqual(['input', 'startDate']);
    expect(onTheDay!.message).toMatch(/Dissolved Test Task Force is dissolved on 2025-07-01; a term on its seats cannot start on 2025-07-01/);
    await expectRefusal(api, SEAT_APPOINT, await appointInput(seat, '2026-01-01'), 'seatAppoint', 'BODY_NOT_ACTIVE');
    // Terms of its past stay recordable: the body existed the day before its dissolution.
    expect(await appoint(await appointInput(seat, '2025-06-30'))).toMatchObject({ startDate: '2025-06-30' });
  });

  it('refuses the Independent District Commission after its dissolution, and records a term from before it', async () => {
    const idc = await organizationBySlug(api.db, 'independent-district-commission');
    expect(idc).toMatchObject({ status: 'DISSOLVED', dissolvedOn: '2023-08-21' });
    const seat = await onlySeatOf(idc.id);
    // The seat was abolished with the body too; the body is the reason reported.
    await expectRefusal(api, SEAT_APPOINT, await appointInput(seat, '2023-09-01'), 'seatAppoint', 'BODY_NOT_ACTIVE');
    expect(await appoint(await appointInput(seat, '2023-01-15'))).toMatchObject({ startDate: '2023-01-15' });
  });

  it('refuses a DISSOLVED body with no dissolution date on record on every date (the Charter Commission)', async () => {
    const commission = await organizationBySlug(api.db, 'charter-commission');
    expect(commission).toMatchObject({ status: 'DISSOLVED', dissolvedOn: null });
    const seat = await onlySeatOf(commission.id);
    for (const startDate of ['2021-01-01', '2026-01-01']) {
      const [error] = await expectRefusal(api, SEAT_APPOINT, await appointInput(seat, startDate), 'seatAppoint', 'BODY_NOT_ACTIVE');
      expect(error!.field).toEqual(['input', 'postId']);
      expect(error!.message).toMatch(/DISSOLVED with no dissolution date on record/);
    }
  });

  it('refuses a term that starts before the body was founded, and accepts one from its founding day', async () => {
    const { seat } = await bodyWithSeat({ name: 'New Test Commission', foundedOn: '2026-01-01' });
    const [error] = await expectRefusal(api, SEAT_APPOINT, await appointInput(seat, '2025-12-31'), 'seatAppoint', 'BODY_NOT_ACTIVE');
    expect(error!.field).toEqual(['input', 'startDate']);
    expect(error!.message).toMatch(/New Test Commission exists from its founding on 2026-01-01; a term on its seats cannot start on 2025-12-31/);
    expect(await appoint(await appointInput(seat, '2026-01-01'))).toMatchObject({ startDate: '2026-01-01' });
  });

  it('reports the body alone, before the seat and person rules it would also break', async () => {
    const { seat } = await bodyWithSeat({ status: 'INACTIVE' });
    const person = await createPerson(api.db, api.jurisdictionId);
    // Start and scheduled end reversed, and a residency override on a seat with no district: all moot.
    await expectRefusal(
      api,
      SEAT_APPOINT,
      { postId: gid('Post', seat.id), personId: gid('Person', person.id), startDate: '2025-06-01', scheduledEndDate: '2025-01-01', residencyOverrideReason: 'n/a' },
      'seatAppoint',
      'BODY_NOT_ACTIVE',
    );
  });

  it('still appoints to an ACTIVE body with no founding or dissolution date', async () => {
    const { body, seat } = await bodyWithSeat({});
    expect(body).toMatchObject({ status: 'ACTIVE', foundedOn: null, dissolvedOn: null });
    expect(await appoint(await appointInput(seat, '2025-01-01'))).toMatchObject({ startDate: '2025-01-01' });
  });
});

describe('membershipReappoint on a body that cannot take terms', () => {
  async function currentTerm(body: { id: number }, seat: { id: number }, startDate: string, scheduledEndDate: string) {
    const person = await createPerson(api.db, api.jurisdictionId);
    return createMembership(api.db, { jurisdictionId: api.jurisdictionId, personId: person.id, organizationId: body.id, postId: seat.id, startDate, scheduledEndDate });
  }

  it('refuses to continue a term on a body that has since become INACTIVE, leaving the current term open', async () => {
    const { body, seat } = await bodyWithSeat({ name: 'Superseded Test Board' });
    const term = await currentTerm(body, seat, '2023-01-01', '2025-01-01');
    // As a dataset import records a body that stopped operating.
    await api.db.update(organizations).set({ status: 'INACTIVE' }).where(eq(organizations.id, body.id));
    const [error] = await expectRefusal(api, MEMBERSHIP_REAPPOINT, { membershipId: gid('Membership', term.id) }, 'membershipReappoint', 'BODY_NOT_ACTIVE');
    expect(error!.field).toEqual(['input', 'membershipId']);
    expect(error!.message).toMatch(/Superseded Test Board is INACTIVE/);
  });

  it('refuses a next term starting on or after the dissolution, and accepts one starting before it', async () => {
    const { body, seat } = await bodyWithSeat({ status: 'DISSOLVED', dissolvedOn: '2025-07-01' });
    const term = await currentTerm(body, seat, '2023-07-01', '2025-07-01');
    const input = { membershipId: gid('Membership', term.id) };
    const [error] = await expectRefusal(api, MEMBERSHIP_REAPPOINT, input, 'membershipReappoint', 'BODY_NOT_ACTIVE');
    expect(error!.field).toEqual(['input', 'startDate']);
    const result = await api.execute(MEMBERSHIP_REAPPOINT, { input: { ...input, startDate: '2025-06-01' } }, { viewer: api.staff() });
    expect(result.data!.membershipReappoint.userErrors).toEqual([]);
    expect(result.data!.membershipReappoint.membership).toMatchObject({ startDate: '2025-06-01' });
  });
});

describe('postCreate on a body that can take no term', () => {
  const seat = (organizationId: number, createdOn?: string) => ({
    organizationId: gid('Organization', organizationId),
    label: 'New seat',
    role: 'member',
    maxHolders: 1,
    selectionMethod: 'APPOINTED',
    takesApplications: false,
    ...(createdOn ? { createdOn } : {}),
  });

  it('refuses a seat on an INACTIVE body (the Government Transition Advisory Committee) and on an undated DISSOLVED one, on any date', async () => {
    const inactive = await organizationBySlug(api.db, 'government-transition-advisory-committee');
    expect(inactive.status).toBe('INACTIVE');
    const [error] = await expectRefusal(api, POST_CREATE, seat(inactive.id), 'postCreate', 'BODY_NOT_ACTIVE');
    expect(error!.field).toEqual(['input', 'organizationId']);
    const { body } = await bodyWithSeat({ status: 'DISSOLVED' });
    await expectRefusal(api, POST_CREATE, seat(body.id, '1990-01-01'), 'postCreate', 'BODY_NOT_ACTIVE');
  });

  it('refuses a seat created on or after a dissolution date, and accepts one created before it or on a body not yet founded', async () => {
    const { body } = await bodyWithSeat({ status: 'DISSOLVED', dissolvedOn: '2020-06-01' });
    const [error] = await expectRefusal(api, POST_CREATE, seat(body.id, '2020-06-01'), 'postCreate', 'BODY_NOT_ACTIVE');
    expect(error!.field).toEqual(['input', 'createdOn']);
    // No createdOn: checked as of today, long after the dissolution.
    await expectRefusal(api, POST_CREATE, seat(body.id), 'postCreate', 'BODY_NOT_ACTIVE');

    const before = await api.execute(POST_CREATE, { input: seat(body.id, '2020-05-31') }, { viewer: api.staff() });
    expect(before.data!.postCreate.userErrors).toEqual([]);
    const future = await bodyWithSeat({ foundedOn: '2099-01-01' });
    const planned = await api.execute(POST_CREATE, { input: seat(future.body.id) }, { viewer: api.staff() });
    expect(planned.data!.postCreate.userErrors).toEqual([]);
  });
});
