/**
 * Issue 13, "unknown is not vacant": the seats of a body whose roster is not recorded are never
 * counted or offered as vacancies; staff record a roster's status with organizationRosterStatusSet.
 * The Portland dataset lists no holders of its advisory bodies, so they are NOT_RECORDED
 * (src/datasets/portland/convert.ts); each test that needs a body's seats open records it first.
 */
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Viewer } from '../../src/auth/viewer.ts';
import { organizations } from '../../src/db/schema/index.ts';
import { toGlobalId } from '../../src/graphql/global-id.ts';
import { createTestApi, type TestApi } from '../helpers/test-api.ts';
import { changed, changeHistory, expectNothingChanged, idOfSlug, USER_ERRORS, viewers } from './associations-support.ts';

// Every query names its date, so the results do not depend on the day the suite runs.
const AT = '2026-11-22';

const SEATS = /* GraphQL */ `
  query Seats($organization: ID!, $at: Date) {
    openSeats(filter: { organization: $organization }, at: $at, first: 100) { totalCount nodes { label } }
    node(id: $organization) {
      ... on Organization {
        name
        roster { status asOf }
        posts(first: 10) { nodes { label maxHolders vacancies(at: $at) knownVacancies(at: $at) vacancyStatus(at: $at) vacancyReason(at: $at) openings(at: $at) { reason } } }
      }
    }
  }
`;

const SET = /* GraphQL */ `
  mutation Set($input: OrganizationRosterStatusSetInput!) {
    organizationRosterStatusSet(input: $input) { organization { slug roster { status asOf } } ${USER_ERRORS} }
  }
`;

interface SeatsResult {
  openSeats: { totalCount: number; nodes: { label: string }[] };
  node: {
    name: string;
    roster: { status: string; asOf: string | null };
    posts: { nodes: { label: string; maxHolders: number; vacancies: number; knownVacancies: number | null; vacancyStatus: string; vacancyReason: string | null; openings: { reason: string }[] }[] };
  };
}

let api: TestApi;

async function seats(slug: string): Promise<SeatsResult> {
  const { data, errors } = await api.execute<SeatsResult>(SEATS, { organization: await idOfSlug(api, slug), at: AT });
  expect(errors).toBeUndefined();
  return data!;
}

async function setRoster(input: Record<string, unknown>, viewer: Viewer | undefined = api.staff()) {
  return api.execute<{ organizationRosterStatusSet: { organization: { slug: string; roster: { status: string; asOf: string } } | null; userErrors: { code: string; field: string[] | null; message: string }[] } }>(SET, { input }, { viewer });
}

beforeAll(async () => {
  api = await createTestApi();
});
afterAll(() => api.dispose());

describe('a body whose roster is not recorded', () => {
  it('offers no open seat: the Planning Commission is not reported with 9 vacancies, nor the Design Commission with 7', async () => {
    for (const slug of ['planning-commission', 'design-commission']) {
      const result = await seats(slug);
      expect(result.node.roster).toEqual({ status: 'NOT_RECORDED', asOf: null });
      expect(result.openSeats).toEqual({ totalCount: 0, nodes: [] });
      const member = result.node.posts.nodes.find((p) => p.label === 'Member')!;
      expect(member).toMatchObject({ vacancies: 0, knownVacancies: null, vacancyStatus: 'UNKNOWN', vacancyReason: null, openings: [] });
    }
  });

  it('leaves every NOT_RECORDED body out of the whole openSeats list', async () => {
    const { data, errors } = await api.execute<{ openSeats: { nodes: { organization: { slug: string; roster: { status: string } } }[] } }>(
      `query($at: Date) { openSeats(at: $at, first: 100) { nodes { organization { slug roster { status } } } } }`,
      { at: AT },
    );
    expect(errors).toBeUndefined();
    expect(data!.openSeats.nodes.filter((n) => n.organization.roster.status === 'NOT_RECORDED')).toEqual([]);
    const notRecorded = await api.db.select({ slug: organizations.slug }).from(organizations).where(eq(organizations.rosterStatus, 'NOT_RECORDED'));
    // The dataset's 11 advisory bodies and the council.
    expect(notRecorded.length).toBeGreaterThanOrEqual(12);
  });
});

describe('organizationRosterStatusSet', () => {
  it('RECORDED: the seats of the Planning Commission are offered, 9 places never filled; audited; the body becomes staff-owned', async () => {
    const id = await idOfSlug(api, 'planning-commission');
    const { data, errors } = await setRoster({ organizationId: id, status: 'RECORDED', asOf: '2026-11-01' });
    expect(errors).toBeUndefined();
    expect(data!.organizationRosterStatusSet).toEqual({ organization: { slug: 'planning-commission', roster: { status: 'RECORDED', asOf: '2026-11-01' } }, userErrors: [] });
    const result = await seats('planning-commission');
    expect(result.openSeats.totalCount).toBe(1);
    const member = result.node.posts.nodes.find((p) => p.label === 'Member')!;
    expect(member).toMatchObject({ vacancies: 9, knownVacancies: 9, vacancyStatus: 'VACANT', vacancyReason: 'NEVER_FILLED' });
    expect(member.openings).toHaveLength(9);
    const [event] = await changeHistory(api, id);
    expect(event!.action).toBe('organizationRosterStatusSet');
    expect(changed(event!, 'rosterStatus')).toEqual({ before: 'NOT_RECORDED', after: 'RECORDED' });
    expect(changed(event!, 'rosterAsOf')).toEqual({ before: null, after: '2026-11-01' });
    const [row] = await api.db.select({ origin: organizations.origin }).from(organizations).where(eq(organizations.slug, 'planning-commission'));
    expect(row!.origin).toBe('STAFF');
  });

  it('PARTLY_RECORDED: the seats are offered, marked as possibly filled', async () => {
    const id = await idOfSlug(api, 'design-commission');
    const { data } = await setRoster({ organizationId: id, status: 'PARTLY_RECORDED', asOf: '2026-10-15' });
    expect(data!.organizationRosterStatusSet.userErrors).toEqual([]);
    const result = await seats('design-commission');
    expect(result.openSeats.totalCount).toBe(1);
    expect(result.node.posts.nodes.find((p) => p.label === 'Member')).toMatchObject({ knownVacancies: 7, vacancyStatus: 'POSSIBLY_VACANT' });
  });

  it('NOT_RECORDED again: the seats are withdrawn from openSeats', async () => {
    const id = await idOfSlug(api, 'design-commission');
    const { data } = await setRoster({ organizationId: id, status: 'NOT_RECORDED', asOf: '2026-11-20' });
    expect(data!.organizationRosterStatusSet.userErrors).toEqual([]);
    expect((await seats('design-commission')).openSeats.totalCount).toBe(0);
  });

  it('refuses an unchanged status (ROSTER_UNCHANGED), a future date, a bad id and an unknown organization, changing nothing', async () => {
    const id = await idOfSlug(api, 'planning-commission');
    const cases: [Record<string, unknown>, string, string[]][] = [
      [{ organizationId: id, status: 'RECORDED', asOf: '2026-11-01' }, 'ROSTER_UNCHANGED', ['input', 'status']],
      [{ organizationId: id, status: 'PARTLY_RECORDED', asOf: '2999-01-01' }, 'INVALID_INPUT', ['input', 'asOf']],
      [{ organizationId: id, status: 'PARTLY_RECORDED', asOf: '1899-12-31' }, 'INVALID_INPUT', ['input', 'asOf']],
      [{ organizationId: 'not-an-id', status: 'RECORDED', asOf: '2026-11-01' }, 'INVALID_ID', ['input', 'organizationId']],
      [{ organizationId: toGlobalId('Organization', 99_999_999), status: 'RECORDED', asOf: '2026-11-01' }, 'NOT_FOUND', ['input', 'organizationId']],
    ];
    for (const [input, code, field] of cases) {
      await expectNothingChanged(api, async () => {
        const { data, errors } = await setRoster(input);
        expect(errors).toBeUndefined();
        const [error] = data!.organizationRosterStatusSet.userErrors;
        expect(data!.organizationRosterStatusSet.organization).toBeNull();
        expect(error!.code).toBe(code);
        expect(error!.field).toEqual(field);
      });
    }
  });

  it.each([
    ['the public', 'UNAUTHENTICATED', 'public'],
    ['a partner app', 'FORBIDDEN', 'partner'],
    ['staff of another jurisdiction', 'FORBIDDEN', 'otherStaff'],
  ] as const)('refuses %s with %s and stores nothing', async (_title, code, who) => {
    const id = await idOfSlug(api, 'design-commission');
    await expectNothingChanged(api, async () => {
      const { data, errors } = await api.execute(SET, { input: { organizationId: id, status: 'RECORDED', asOf: '2026-11-01' } }, { viewer: viewers(api)[who] });
      expect(data).toBeNull();
      expect(errors?.[0]?.extensions?.code).toBe(code);
    });
  });
});

describe('organizationCreate', () => {
  it('creates a body with its roster RECORDED from that day: the platform holds its roster from the start', async () => {
    const { data, errors } = await api.execute<{ organizationCreate: { organization: { roster: { status: string; asOf: string } } } }>(
      `mutation($input: OrganizationCreateInput!) { organizationCreate(input: $input) { organization { roster { status asOf } } userErrors { code } } }`,
      { input: { kind: 'ADVISORY_BODY', name: 'Roster Test Board' } },
      { viewer: api.staff() },
    );
    expect(errors).toBeUndefined();
    expect(data!.organizationCreate.organization.roster.status).toBe('RECORDED');
    expect(data!.organizationCreate.organization.roster.asOf).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  });
});
