/**
 * Issue 13, registration with an expiry (Philadelphia's RCOs, Zoning Code §14-303): a registration
 * reads EXPIRED from its expiry day in the city's time zone, and the expiry job records that day in
 * the change feed, once. The job's clock is its `now` option, as the other jobs' tests control it.
 * Runs on PGlite and, with TEST_DATABASE_URL, on PostgreSQL.
 */
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/logger.ts';
import { changes, organizationKinds, organizations, type OrganizationRow } from '../../src/db/schema/index.ts';
import { toGlobalId } from '../../src/graphql/global-id.ts';
import { createJobLeadership } from '../../src/job-leadership.ts';
import { encodeChangeCursor } from '../../src/modules/changes/changes.service.ts';
import { recordRegistrationExpiries, startRegistrationExpiryJob } from '../../src/modules/organizations/registration-expiry.ts';
import { desc } from 'drizzle-orm';
import { waitForChangeFeed } from '../helpers/change-feed.ts';
import { createOrganization, createJurisdiction } from '../helpers/factories.ts';
import { createTestApi, type TestApi } from '../helpers/test-api.ts';

const CITY = 'registration-city';
// 2026-06-01 begins at 04:00 UTC in Philadelphia (EDT, UTC-4).
const EXPIRES_ON = '2026-06-01';
const BEFORE_MIDNIGHT = new Date('2026-06-01T03:59:00Z');
const AFTER_MIDNIGHT = new Date('2026-06-01T04:00:00Z');

const REGISTRATION = /* GraphQL */ `
  query($slug: String!, $at: Date) {
    organization(slug: $slug, jurisdiction: "${CITY}") { registration(at: $at) { registeredOn expiresOn status } today: registration { status } }
  }
`;
const FEED = /* GraphQL */ `
  query($since: String) { changes(since: $since, jurisdiction: "${CITY}", first: 100) { entries { id entityType operation } endCursor } }
`;

let api: TestApi;
let cityId: number;
let rco: OrganizationRow;
let unregistered: OrganizationRow;

async function logEnd(): Promise<string> {
  const [last] = await api.db.select({ xid: changes.xid, id: changes.id }).from(changes).orderBy(desc(changes.xid), desc(changes.id)).limit(1);
  return encodeChangeCursor(last ?? { xid: '0', id: 0 });
}

async function feedSince(since: string) {
  await waitForChangeFeed(api.db);
  const { data, errors } = await api.execute<{ changes: { entries: { id: string; entityType: string; operation: string }[] } }>(FEED, { since });
  expect(errors).toBeUndefined();
  return data!.changes.entries;
}

async function registration(slug: string, at: string | null) {
  const { data, errors } = await api.execute<{ organization: { registration: { registeredOn: string; expiresOn: string; status: string } | null; today: { status: string } | null } }>(REGISTRATION, { slug, at });
  expect(errors).toBeUndefined();
  return data!.organization;
}

beforeAll(async () => {
  api = await createTestApi();
  const city = await createJurisdiction(api.db, { slug: CITY, name: 'Registration City', ocdId: 'ocd-division/country:us/state:pa/place:registration_city', timezone: 'America/New_York' });
  cityId = city!.id;
  // createJurisdiction gave it Portland's kinds (NETWORK among them); registration needs a kind of its own.
  await api.db.insert(organizationKinds).values([
    { jurisdictionId: cityId, code: 'RCO', category: 'COMMUNITY_ORGANIZATION', name: 'Registered community organization', pluralName: 'Registered community organizations', recognitionModel: 'REGISTRATION', registrationTermMonths: 24, locate: 'ALL' },
  ]);
  rco = await createOrganization(api.db, { jurisdictionId: cityId, slug: 'fishtown-neighbors', name: 'Fishtown Neighbors', kind: 'RCO', registeredOn: '2024-06-01', registrationExpiresOn: EXPIRES_ON });
  unregistered = await createOrganization(api.db, { jurisdictionId: cityId, slug: 'not-registered', name: 'Not Registered', kind: 'NETWORK' });
});
afterAll(() => api.dispose());

describe('Organization.registration', () => {
  it('reads REGISTERED up to the day before the expiry and EXPIRED from the expiry day (half-open end)', async () => {
    expect((await registration('fishtown-neighbors', '2026-05-31')).registration).toEqual({ registeredOn: '2024-06-01', expiresOn: EXPIRES_ON, status: 'REGISTERED' });
    expect((await registration('fishtown-neighbors', EXPIRES_ON)).registration!.status).toBe('EXPIRED');
    expect((await registration('fishtown-neighbors', '2024-05-31')).registration!.status).toBe('NOT_YET_REGISTERED');
    expect((await registration('fishtown-neighbors', '2024-06-01')).registration!.status).toBe('REGISTERED');
  });

  it('defaults to today in the city: a registration that expired in 2026-06 reads EXPIRED now', async () => {
    expect((await registration('fishtown-neighbors', null)).today).toEqual({ status: 'EXPIRED' });
  });

  it('is null for an organization with no registration on record', async () => {
    expect(await registration('not-registered', null)).toEqual({ registration: null, today: null });
  });

  it('cannot be stored half or backwards (CHECK organizations_registration_dates_check)', async () => {
    await expect(api.db.update(organizations).set({ registrationExpiresOn: null }).where(eq(organizations.id, rco.id))).rejects.toThrow();
    await expect(api.db.update(organizations).set({ registrationExpiresOn: '2024-06-01' }).where(eq(organizations.id, rco.id))).rejects.toThrow();
    const [row] = await api.db.select().from(organizations).where(eq(organizations.id, rco.id));
    expect(row!.registrationExpiresOn).toBe(EXPIRES_ON);
  });

  it('is refused on an organization whose kind is not a REGISTRATION kind (trigger organizations_registration_kind_check)', async () => {
    await expect(api.db.update(organizations).set({ registeredOn: '2024-01-01', registrationExpiresOn: '2026-01-01' }).where(eq(organizations.id, unregistered.id))).rejects.toThrow();
    const [row] = await api.db.select().from(organizations).where(eq(organizations.id, unregistered.id));
    expect(row!.registeredOn).toBeNull();
  });
});

describe('the registration expiry job', () => {
  it('records nothing before midnight in the city, the expiry on the expiry day, and nothing on a second run', async () => {
    const since = await logEnd();
    expect(await recordRegistrationExpiries(api.db, { now: BEFORE_MIDNIGHT, jurisdictionId: cityId })).toBe(0);
    expect(await feedSince(since)).toEqual([]);

    expect(await recordRegistrationExpiries(api.db, { now: AFTER_MIDNIGHT, jurisdictionId: cityId })).toBe(1);
    const entries = await feedSince(since);
    expect(entries).toEqual([{ id: toGlobalId('Organization', rco.id), entityType: 'ORGANIZATION', operation: 'UPDATE' }]);

    const afterFirst = await logEnd();
    expect(await recordRegistrationExpiries(api.db, { now: new Date('2026-06-02T12:00:00Z'), jurisdictionId: cityId })).toBe(0);
    expect(await feedSince(afterFirst)).toEqual([]);
    const [row] = await api.db.select().from(organizations).where(eq(organizations.id, rco.id));
    expect(row!.registrationExpiryRecordedOn).toBe(EXPIRES_ON);
    expect(row!.origin).toBe(rco.origin);
  });

  it('records a renewal’s expiry when it comes, and leaves unregistered organizations alone', async () => {
    await api.db.update(organizations).set({ registrationExpiresOn: '2028-06-01' }).where(eq(organizations.id, rco.id));
    const since = await logEnd();
    expect(await recordRegistrationExpiries(api.db, { now: new Date('2027-01-01T12:00:00Z'), jurisdictionId: cityId })).toBe(0);
    expect(await recordRegistrationExpiries(api.db, { now: new Date('2028-06-01T04:00:00Z'), jurisdictionId: cityId })).toBe(1);
    expect((await feedSince(since)).map((e) => e.id)).toEqual([toGlobalId('Organization', rco.id)]);
    const [other] = await api.db.select().from(organizations).where(eq(organizations.id, unregistered.id));
    expect(other!.registrationExpiryRecordedOn).toBeNull();
  });

  it('runs as a periodic job on the instance leading it: past expiries are recorded at start', async () => {
    const late = await createOrganization(api.db, { jurisdictionId: cityId, slug: 'late-rco', name: 'Late RCO', kind: 'RCO', registeredOn: '2020-01-01', registrationExpiresOn: '2022-01-01' });
    const lines: Record<string, unknown>[] = [];
    const logger = createLogger('info', { write: (line: string) => void lines.push(JSON.parse(line)) } as never);
    const leadership = createJobLeadership(api.handle);
    const job = startRegistrationExpiryJob({ db: api.db, logger, leadership, everyMs: 3600_000 });
    await job.stop();
    await leadership.close();
    const [row] = await api.db.select().from(organizations).where(eq(organizations.id, late.id));
    expect(row!.registrationExpiryRecordedOn).toBe('2022-01-01');
    expect(lines).toMatchObject([{ msg: 'registration expiries recorded' }]);
  });
});
