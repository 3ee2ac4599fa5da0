/**
 * Registration as Philadelphia runs it (issue 15): staff record a registration and its renewals in
 * the kind's intake month, for its term; a lapse is a gap between terms. Every term is kept, so
 * `registration(at:)` and `noticeRecipients` answer by the terms in effect on their day.
 */
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jurisdictions, organizationKinds, organizationRegistrations, organizations } from '../../src/db/schema/index.ts';
import { toGlobalId } from '../../src/graphql/global-id.ts';
import { addDays, addMonths } from '../../src/input/calendar.ts';
import { expectNothingChanged } from '../organizations/associations-support.ts';
import { createTestApi, type TestApi } from '../helpers/test-api.ts';

let api: TestApi;
let philadelphiaId: number;
/** Today in Philadelphia, and its month (the intake month is set to it where a test needs it open). */
let today: string;
beforeAll(async () => {
  api = await createTestApi({ template: 'cities' });
  const [city] = await api.db.select().from(jurisdictions).where(eq(jurisdictions.slug, 'philadelphia'));
  philadelphiaId = city!.id;
  today = new Intl.DateTimeFormat('en-CA', { timeZone: city!.timezone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date());
}, 120_000);
afterAll(() => api?.dispose());

const staff = () => api.staff({ jurisdictionId: philadelphiaId });
const month = (date: string) => Number(date.slice(5, 7));
const CITY_HALL = { latitude: 39.9526, longitude: -75.1636 };

async function setIntakeMonth(value: number | null) {
  await api.db
    .update(organizationKinds)
    .set({ registrationIntakeMonth: value })
    .where(eq(organizationKinds.code, 'REGISTERED_COMMUNITY_ORGANIZATION'));
}

const REGISTRATION = /* GraphQL */ `
  query($id: ID!, $at: Date) { node(id: $id) { ... on Organization {
    registration(at: $at) { registeredOn expiresOn status }
    registrations(at: $at) { registeredOn expiresOn status }
  } } }
`;
async function registration(id: string, at?: string) {
  const { data, errors } = await api.execute(REGISTRATION, { id, at });
  expect(errors).toBeUndefined();
  return data!.node;
}

async function mutate(name: 'organizationRegister' | 'organizationRegistrationRenew', input: Record<string, unknown>) {
  const { data, errors } = await api.execute(
    `mutation($input: ${name === 'organizationRegister' ? 'OrganizationRegisterInput' : 'OrganizationRegistrationRenewInput'}!) {
      ${name}(input: $input) { organization { registration { registeredOn expiresOn status } } userErrors { code field message } } }`,
    { input },
    { viewer: staff() },
  );
  expect(errors).toBeUndefined();
  return data![name];
}

/** Refused with `code`, nothing changed (registration terms and organizations compared whole). */
async function refused(name: 'organizationRegister' | 'organizationRegistrationRenew', input: Record<string, unknown>, code: string) {
  const snapshot = async () => ({
    terms: await api.db.select().from(organizationRegistrations).orderBy(organizationRegistrations.id),
    organizations: await api.db.select().from(organizations).where(eq(organizations.jurisdictionId, philadelphiaId)).orderBy(organizations.id),
  });
  const before = await snapshot();
  const payload = await mutate(name, input);
  expect(payload.organization).toBeNull();
  expect(payload.userErrors.map((e: { code: string }) => e.code)).toEqual([code]);
  expect(await snapshot()).toEqual(before);
  return payload.userErrors[0];
}

async function rcoAtCityHall(name: string): Promise<{ id: string; expiresOn: string }> {
  const { data } = await api.execute(
    `{ noticeRecipients(procedure: "ZONING_VARIANCE", latitude: ${CITY_HALL.latitude}, longitude: ${CITY_HALL.longitude}, jurisdiction: "philadelphia") {
      recipients { organization { id name registration { expiresOn } } } } }`,
  );
  const found = data!.noticeRecipients.recipients.find((r: any) => r.organization.name === name).organization;
  return { id: found.id, expiresOn: found.registration.expiresOn };
}

async function noticedAtCityHall(filedOn: string): Promise<string[]> {
  const { data, errors } = await api.execute(
    `query($filedOn: Date) { noticeRecipients(procedure: "ZONING_VARIANCE", latitude: ${CITY_HALL.latitude}, longitude: ${CITY_HALL.longitude}, filedOn: $filedOn, jurisdiction: "philadelphia") {
      recipients { organization { name } } } }`,
    { filedOn },
  );
  expect(errors).toBeUndefined();
  return data!.noticeRecipients.recipients.map((r: any) => r.organization.name);
}

describe('registration terms', () => {
  it("states each city's intake month as data: Philadelphia's RCOs in June", async () => {
    const { data } = await api.execute(`{ jurisdiction(slug: "philadelphia") { organizationKinds { code registrationTermMonths registrationIntakeMonth } } }`);
    expect(data!.jurisdiction.organizationKinds.find((k: any) => k.code === 'REGISTERED_COMMUNITY_ORGANIZATION')).toEqual({ code: 'REGISTERED_COMMUNITY_ORGANIZATION', registrationTermMonths: 24, registrationIntakeMonth: 6 });
  });

  it('renews a current registration in the intake month, so a notice filed the day it would have expired still reaches the RCO', async () => {
    const ccra = await rcoAtCityHall('Center City Residents Association (CCRA)');
    const oldExpiry = ccra.expiresOn;
    expect(await noticedAtCityHall(oldExpiry)).not.toContain('Center City Residents Association (CCRA)');

    // Outside the intake month the renewal is refused; today is in it only when the month is today's.
    await setIntakeMonth(month(today) === 1 ? 2 : month(today) - 1);
    const closed = await refused('organizationRegistrationRenew', { organizationId: ccra.id }, 'REGISTRATION_WINDOW_CLOSED');
    expect(closed.message).toContain(today);

    await setIntakeMonth(month(today));
    const renewed = await mutate('organizationRegistrationRenew', { organizationId: ccra.id });
    expect(renewed.userErrors).toEqual([]);
    const newExpiry = addMonths(oldExpiry, 24);
    expect(renewed.organization.registration).toMatchObject({ expiresOn: newExpiry, status: 'REGISTERED' });
    const read = await registration(ccra.id, oldExpiry);
    expect(read.registration).toMatchObject({ expiresOn: newExpiry, status: 'REGISTERED' });
    expect(read.registrations).toEqual([
      expect.objectContaining({ expiresOn: oldExpiry, status: 'EXPIRED' }),
      { registeredOn: oldExpiry, expiresOn: newExpiry, status: 'REGISTERED' },
    ]);
    expect(await noticedAtCityHall(oldExpiry)).toContain('Center City Residents Association (CCRA)');
    expect(await noticedAtCityHall(newExpiry)).not.toContain('Center City Residents Association (CCRA)');

    // Renewed already: a second renewal is refused, and nothing changes.
    await refused('organizationRegistrationRenew', { organizationId: ccra.id }, 'ALREADY_REGISTERED');
  });

  it('registers a new RCO, lets it lapse, and registers it anew: the gap is a lapse on its days, and earlier days keep their answer', async () => {
    await setIntakeMonth(month(today));
    const [row] = await api.db
      .insert(organizations)
      .values({ jurisdictionId: philadelphiaId, slug: 'lapsing-neighbors', name: 'Lapsing Neighbors', kind: 'REGISTERED_COMMUNITY_ORGANIZATION' })
      .returning();
    const id = toGlobalId('Organization', row!.id);
    // Never registered: nothing to renew.
    await refused('organizationRegistrationRenew', { organizationId: id }, 'NOT_REGISTERED');

    // A first term three years ago, in that year's intake month: it ended a year ago.
    const first = `${Number(today.slice(0, 4)) - 3}${today.slice(4, 8)}01`;
    const registered = await mutate('organizationRegister', { organizationId: id, registeredOn: first });
    expect(registered.userErrors).toEqual([]);
    const firstEnds = addMonths(first, 24);
    expect(registered.organization.registration).toEqual({ registeredOn: first, expiresOn: firstEnds, status: 'EXPIRED' });

    await refused('organizationRegistrationRenew', { organizationId: id }, 'REGISTRATION_LAPSED');
    // In an intake month, but while the first term still ran.
    await refused('organizationRegister', { organizationId: id, registeredOn: `${Number(today.slice(0, 4)) - 2}${today.slice(4, 8)}01` }, 'ALREADY_REGISTERED');
    await refused('organizationRegister', { organizationId: id, registeredOn: addDays(today, 1) }, 'INVALID_INPUT');
    await refused('organizationRegister', { organizationId: id, registeredOn: addMonths(`${today.slice(0, 8)}01`, -1) }, 'REGISTRATION_WINDOW_CLOSED');

    const again = `${today.slice(0, 8)}01`;
    const anew = await mutate('organizationRegister', { organizationId: id, registeredOn: again });
    expect(anew.userErrors).toEqual([]);
    expect(anew.organization.registration).toEqual({ registeredOn: again, expiresOn: addMonths(again, 24), status: 'REGISTERED' });

    expect((await registration(id, first)).registration).toEqual({ registeredOn: first, expiresOn: firstEnds, status: 'REGISTERED' });
    expect((await registration(id, firstEnds)).registration).toEqual({ registeredOn: first, expiresOn: firstEnds, status: 'EXPIRED' });
    expect((await registration(id, addDays(first, -1))).registration.status).toBe('NOT_YET_REGISTERED');
    expect((await registration(id)).registrations.map((r: any) => r.registeredOn)).toEqual([first, again]);
  });

  it('refuses an organization of a kind the city does not register, and a caller who is not staff', async () => {
    const { data } = await api.execute(`{ organization(slug: "buckman", jurisdiction: "portland") { id } }`);
    await expectNothingChanged(api, async () => {
      const { data: out } = await api.execute(
        `mutation($input: OrganizationRegisterInput!) { organizationRegister(input: $input) { organization { id } userErrors { code } } }`,
        { input: { organizationId: data!.organization.id, registeredOn: today } },
        { viewer: api.staff() },
      );
      expect(out!.organizationRegister.userErrors).toEqual([{ code: 'WRONG_ORGANIZATION_KIND' }]);
      const anonymous = await api.execute(`mutation($input: OrganizationRegistrationRenewInput!) { organizationRegistrationRenew(input: $input) { userErrors { code } } }`, {
        input: { organizationId: data!.organization.id },
      });
      expect(anonymous.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    });
  });
});
