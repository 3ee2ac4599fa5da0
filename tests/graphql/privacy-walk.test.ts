import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Viewer } from '../../src/auth/viewer.ts';
import { councilPost, createMembership } from '../helpers/factories.ts';
import { createSchemaWalk, type SchemaWalk } from '../helpers/schema-walk.ts';
import { createTestApi, type TestApi } from '../helpers/test-api.ts';
import { SECRETS, createSecretPerson, expectNothingLeaked } from './privacy-walk-support.ts';

/**
 * Walks the whole schema by introspection (tests/helpers/schema-walk.ts): for every root query
 * field, a query selecting every field reachable from it (each type at most once per path, so
 * cycles end), run as PUBLIC and as PARTNER. No private value of a person seeded on a public
 * roster may come back by any path: a field, a connection, node(), or an error message.
 */

let api: TestApi;
let walk: SchemaWalk;

beforeAll(async () => {
  // The walk proves privacy, not cost: selections nested through every list multiply far past
  // MAX_QUERY_COST (tested in limits.test.ts) even for one leaf, so the walk's server lifts it.
  api = await createTestApi({ sampleMembers: true, maxQueryCost: Number.MAX_SAFE_INTEGER });
  const personId = await createSecretPerson(api, api.staff());
  const post = await councilPost(api.db, 3);
  const { parseGlobalId } = await import('../../src/graphql/global-id.ts');
  const membership = await createMembership(api.db, {
    jurisdictionId: api.jurisdictionId, personId: parseGlobalId(personId)!.id, organizationId: post.organizationId, postId: post.id, startDate: '2025-01-01',
  });
  const { toGlobalId } = await import('../../src/graphql/global-id.ts');
  // A meeting of the roster person's body, upcoming, so the walk reads every Meeting field with data.
  const meeting = await api.execute(
    `mutation($input: MeetingScheduleInput!) { meetingSchedule(input: $input) { meeting { id } userErrors { message } } }`,
    { input: { organizationId: toGlobalId('Organization', post.organizationId), title: 'Walk meeting', startsAt: new Date(Date.now() + 86_400_000).toISOString(), location: 'City Hall', interpretationLanguages: ['es'] } },
    { viewer: api.staff() },
  );
  expect(meeting.data!.meetingSchedule.userErrors).toEqual([]);
  walk = await createSchemaWalk(api, {
    id: JSON.stringify(personId),
    ids: JSON.stringify([personId, toGlobalId('Membership', membership.id), toGlobalId('Post', post.id)]),
    latitude: '45.5197',
    longitude: '-122.6489',
    within: '3650',
    // noticeRecipients (a Type II review reaches associations within 400 feet of the point).
    procedure: '"LAND_USE_REVIEW_TYPE_II"',
  });
});
afterAll(() => api.dispose());

const viewers: [string, () => Viewer | undefined][] = [
  ['PUBLIC', () => undefined],
  ['PARTNER', () => ({ ...api.staff(), role: 'PARTNER', subject: 'api-key:1', apiKeyId: 1 })],
];

describe.each(viewers)('as %s', (role, viewerOf) => {
  // Hundreds of operations (about 25 s): allowed several minutes on a loaded 2-core CI machine.
  it('no private value comes back from any root field, at any depth', { timeout: 900_000 }, async () => {
    expect(walk.queries().length).toBeGreaterThan(10);
    const queries = walk.queries();
    expect(queries.map((q) => q.field)).toEqual(expect.arrayContaining(['node', 'nodes', 'locate', 'councilDistricts', 'organizations', 'openSeats', 'noticeRecipients', 'peopleSearch']));
    const runs = [];
    for (const { piece } of queries) runs.push(...(await walk.run(piece, viewerOf())));
    const { sawPrivateDetailsField } = expectNothingLeaked(runs, api.logs);
    // Staff's people search is refused outright: no data at all, not even a count.
    const searches = runs.filter(({ query }) => query.startsWith('{ peopleSearch('));
    expect(searches.length).toBeGreaterThan(0);
    for (const { result } of searches) {
      expect(result.data).toBeNull();
      expect(result.errors?.map((e) => e.extensions?.code)).toEqual([role === 'PUBLIC' ? 'UNAUTHENTICATED' : 'FORBIDDEN']);
    }
    // The walk really reached the roster person's privateDetails field, which answered null.
    expect(sawPrivateDetailsField).toBe(true);
    // And a meeting's fields, with data.
    expect(runs.some(({ result }) => JSON.stringify(result).includes('"title":"Walk meeting"'))).toBe(true);
  });
});

describe('as staff of the jurisdiction', () => {
  it('the same walk does return the private values (the test can see a leak)', async () => {
    const runs = [];
    for (const { piece } of walk.queries().filter((q) => q.field === 'node')) runs.push(...(await walk.run(piece, api.staff())));
    expect(runs.map((r) => JSON.stringify(r.result)).join('')).toContain(SECRETS.email);
    // Staff's people search walked as staff finds the person with their private details, so the
    // refusals the public and partners get from it above are what hides them.
    const searches = [];
    for (const { piece } of walk.queries().filter((q) => q.field === 'peopleSearch')) searches.push(...(await walk.run(piece, api.staff())));
    expect(searches.map((r) => JSON.stringify(r.result)).join('')).toContain(SECRETS.email);
    // Answered to staff, and still never written to the log.
    const logged = JSON.stringify(api.logs);
    for (const secret of Object.values(SECRETS)) expect(logged).not.toContain(secret);
  });
});
