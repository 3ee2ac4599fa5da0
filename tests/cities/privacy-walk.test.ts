import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jurisdictions } from '../../src/db/schema/jurisdictions.ts';
import { organizations } from '../../src/db/schema/organizations.ts';
import { posts } from '../../src/db/schema/posts.ts';
import { parseGlobalId, toGlobalId } from '../../src/graphql/global-id.ts';
import { createMembership } from '../helpers/factories.ts';
import { createSchemaWalk } from '../helpers/schema-walk.ts';
import { createTestApi, type TestApi } from '../helpers/test-api.ts';
import { SECRETS, createSecretPerson, expectNothingLeaked } from '../graphql/privacy-walk-support.ts';

/**
 * The privacy walk of tests/graphql/privacy-walk.test.ts in Philadelphia and New York: a person
 * with private details is seated on one of the city's public rosters, and the whole schema is
 * walked as the public with every root and nested field asked of that city (`jurisdiction:`), at a
 * point inside it. Nothing private comes back; the same walk as the city's staff does return it.
 */

const CITIES = [
  {
    slug: 'philadelphia',
    body: 'art-commission',
    post: 'Appointed member',
    // City Hall (src/datasets/philadelphia/KNOWN_POINTS.md): District 5, several RCOs.
    point: { latitude: '39.9526', longitude: '-75.1636' },
    division: 'ocd-division/country:us/state:pa/place:philadelphia/council_district:5',
  },
  {
    slug: 'nyc',
    body: 'brooklyn-community-board-2',
    post: 'Member',
    // Brooklyn Borough Hall (src/datasets/nyc/KNOWN_POINTS.md): Brooklyn Community District 2.
    point: { latitude: '40.6928', longitude: '-73.9903' },
    division: 'ocd-division/country:us/state:ny/place:new_york/community_district:brooklyn_2',
  },
];

let api: TestApi;
beforeAll(async () => {
  // As in privacy-walk.test.ts: the walk proves privacy, not cost.
  api = await createTestApi({ template: 'cities', sampleMembers: true, maxQueryCost: Number.MAX_SAFE_INTEGER });
}, 120_000);
afterAll(() => api?.dispose());

describe.each(CITIES)('in $slug', (city) => {
  it('no private value of a person on its roster comes back to the public, from any root field at any depth', { timeout: 900_000 }, async () => {
    const [jurisdiction] = await api.db.select({ id: jurisdictions.id }).from(jurisdictions).where(eq(jurisdictions.slug, city.slug));
    const staff = api.staff({ jurisdictionId: jurisdiction!.id });
    const personId = await createSecretPerson(api, staff, `Walk Person of ${city.slug}`);
    const [post] = await api.db
      .select({ id: posts.id, organizationId: posts.organizationId })
      .from(posts)
      .innerJoin(organizations, eq(organizations.id, posts.organizationId))
      .where(and(eq(organizations.jurisdictionId, jurisdiction!.id), eq(organizations.slug, city.body), eq(posts.label, city.post)));
    const membership = await createMembership(api.db, {
      jurisdictionId: jurisdiction!.id, personId: parseGlobalId(personId)!.id, organizationId: post!.organizationId, postId: post!.id, startDate: '2025-04-01',
    });
    const jurisdictionArgument = JSON.stringify(city.slug);
    const walk = await createSchemaWalk(
      api,
      {
        id: JSON.stringify(personId),
        ids: JSON.stringify([personId, toGlobalId('Membership', membership.id), toGlobalId('Post', post!.id)]),
        ...city.point,
        within: '3650',
      },
      {
        optionalArguments: { jurisdiction: jurisdictionArgument },
        rootArguments: {
          division: `(ocdId: ${JSON.stringify(city.division)})`,
          organization: `(slug: ${JSON.stringify(city.body)}, jurisdiction: ${jurisdictionArgument})`,
          peopleSearch: `(query: ${JSON.stringify(`Walk Person of ${city.slug}`)}, jurisdiction: ${jurisdictionArgument}, first: 2)`,
        },
      },
    );
    const queries = walk.queries();
    expect(queries.map((q) => q.field)).toEqual(expect.arrayContaining(['node', 'nodes', 'locate', 'councilDistricts', 'organizations', 'division', 'peopleSearch']));
    const runs = [];
    for (const { piece } of queries) runs.push(...(await walk.run(piece, undefined)));
    const { sawPrivateDetailsField } = expectNothingLeaked(runs, api.logs);
    // The walk reached the roster person's privateDetails, answering null, and it walked this city.
    expect(sawPrivateDetailsField).toBe(true);
    expect(runs.some(({ result }) => JSON.stringify(result).includes(`"slug":${jurisdictionArgument}`))).toBe(true);
    expect(runs.some(({ result }) => JSON.stringify(result).includes(`Walk Person of ${city.slug}`))).toBe(true);

    // The city's staff get the private values through the same walk: the test can see a leak.
    const staffRuns = [];
    for (const { piece } of queries.filter((q) => q.field === 'node')) staffRuns.push(...(await walk.run(piece, staff)));
    expect(staffRuns.map((r) => JSON.stringify(r.result)).join('')).toContain(SECRETS.email);
    // Staff's people search finds the person, private details and all: its refusal above was no accident.
    const searchRuns = [];
    for (const { piece } of queries.filter((q) => q.field === 'peopleSearch')) searchRuns.push(...(await walk.run(piece, staff)));
    expect(searchRuns.map((r) => JSON.stringify(r.result)).join('')).toContain(SECRETS.email);
  });
});
