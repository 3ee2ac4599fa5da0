import { asc, count } from 'drizzle-orm';
import { expect } from 'vitest';
import type { Viewer } from '../../src/auth/viewer.ts';
import { auditEvents, memberships, personPrivateDetails, posts, type NewPostRow } from '../../src/db/schema/index.ts';
import { todayIn } from '../../src/graphql/dates.ts';
import { toGlobalId } from '../../src/graphql/global-id.ts';
import { createOrganization, createPerson, createPost } from '../helpers/factories.ts';
import type { TestApi } from '../helpers/test-api.ts';

/** Shared by the posts-* and appointments-* tests: operations, fixtures and the "nothing changed" check. */

/** A home in Buckman (SE 16th Ave): inside council district 3, outside district 4. */
export const BUCKMAN = { latitude: 45.5197, longitude: -122.6489 };

export const today = () => todayIn('America/Los_Angeles');

export function addDays(isoDate: string, days: number): string {
  const d = new Date(`${isoDate}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

export const gid = toGlobalId;

export const USER_ERRORS = 'userErrors { code field message }';

export const MEMBERSHIP_FIELDS = `
  id startDate endDate scheduledEndDate endReason role residencyOverrideReason
  person { id name }
  post { id label maxHolders }
`;

export const POST_FIELDS = `
  id label role maxHolders termLengthMonths termLimit appointingAuthority selectionMethod
  takesApplications eligibility createdOn abolishedOn
  organization { id slug }
  division { id name }
`;

export const SEAT_APPOINT = `mutation($input: SeatAppointInput!) {
  seatAppoint(input: $input) { membership { ${MEMBERSHIP_FIELDS} } ${USER_ERRORS} }
}`;

export const MEMBERSHIP_END = `mutation($input: MembershipEndInput!) {
  membershipEnd(input: $input) { membership { ${MEMBERSHIP_FIELDS} } ${USER_ERRORS} }
}`;

export const MEMBERSHIP_REAPPOINT = `mutation($input: MembershipReappointInput!) {
  membershipReappoint(input: $input) {
    membership { ${MEMBERSHIP_FIELDS} }
    previousMembership { ${MEMBERSHIP_FIELDS} }
    ${USER_ERRORS}
  }
}`;

export const POST_CREATE = `mutation($input: PostCreateInput!) {
  postCreate(input: $input) { post { ${POST_FIELDS} } ${USER_ERRORS} }
}`;

export const POST_UPDATE = `mutation($input: PostUpdateInput!) {
  postUpdate(input: $input) { post { ${POST_FIELDS} } ${USER_ERRORS} }
}`;

export const POST_ABOLISH = `mutation($input: PostAbolishInput!) {
  postAbolish(input: $input) { post { ${POST_FIELDS} } endedMemberships { ${MEMBERSHIP_FIELDS} } ${USER_ERRORS} }
}`;

export const CHANGE_HISTORY = `query($id: ID!) {
  changeHistory(id: $id) { totalCount nodes { action subjectId subjectType actor actorRole changes { field before after } } }
}`;

/** A person of Portland, with a home location on record when one is given. */
export async function personLivingAt(api: TestApi, home: { latitude: number; longitude: number } | null, name?: string) {
  const person = await createPerson(api.db, api.jurisdictionId, name);
  if (home) await api.db.insert(personPrivateDetails).values({ personId: person.id, homeLatitude: home.latitude, homeLongitude: home.longitude });
  return person;
}

/** Every seat and term row, and the number of audit events: what a refusal must leave untouched. */
export async function snapshot(api: TestApi) {
  const [audit] = await api.db.select({ n: count() }).from(auditEvents);
  return {
    posts: await api.db.select().from(posts).orderBy(asc(posts.id)),
    memberships: await api.db.select().from(memberships).orderBy(asc(memberships.id)),
    auditEvents: audit!.n,
  };
}

/**
 * Runs a mutation expected to be refused and checks the refusal is clean: no top-level error, the
 * payload's object null, exactly the expected codes, and nothing stored.
 */
export async function expectRefusal(
  api: TestApi,
  operation: string,
  input: Record<string, unknown>,
  field: string,
  codes: string | string[],
  viewer = api.staff(),
) {
  const before = await snapshot(api);
  const result = await api.execute(operation, { input }, { viewer });
  expect(result.errors, JSON.stringify(result.errors)).toBeUndefined();
  const payload = result.data![field];
  const expected = Array.isArray(codes) ? codes : [codes];
  expect(payload.userErrors.map((e: { code: string }) => e.code), JSON.stringify(payload.userErrors)).toEqual(expected);
  for (const error of payload.userErrors) expect(error.message).toEqual(expect.any(String));
  for (const [key, value] of Object.entries(payload)) {
    if (key !== 'userErrors') expect(value, key).toEqual(Array.isArray(value) ? [] : null);
  }
  expect(await snapshot(api)).toEqual(before);
  return payload.userErrors as { code: string; field: string[] | null; message: string }[];
}

/** A top-level GraphQL error with this code, and nothing stored. */
export async function expectError(api: TestApi, operation: string, variables: Record<string, unknown>, code: string, viewer?: Viewer) {
  const before = await snapshot(api);
  const result = await api.execute(operation, variables, viewer ? { viewer } : {});
  expect(result.errors?.map((e) => e.extensions?.code), JSON.stringify(result)).toContain(code);
  expect(await snapshot(api)).toEqual(before);
  return result;
}

/** A fresh advisory body with one seat of the given rules. */
export async function advisorySeat(api: TestApi, values: Partial<NewPostRow> = {}) {
  const organization = await createOrganization(api.db, { jurisdictionId: api.jurisdictionId });
  return createPost(api.db, { jurisdictionId: api.jurisdictionId, organizationId: organization.id, createdOn: '2000-01-01', ...values });
}
