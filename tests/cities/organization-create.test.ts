/**
 * Staff of each city create organizations of their city's own kinds (`kindCode`): a Philadelphia
 * RCO, a New York community board. A kind the city does not have, a council, both or neither of
 * `kind` and `kindCode` are refused with a code, and nothing changes.
 */
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jurisdictions } from '../../src/db/schema/jurisdictions.ts';
import { expectNothingChanged, USER_ERRORS } from '../organizations/associations-support.ts';
import { createTestApi, type TestApi } from '../helpers/test-api.ts';

let api: TestApi;
beforeAll(async () => {
  api = await createTestApi({ template: 'cities' });
}, 120_000);
afterAll(() => api?.dispose());

const CREATE = /* GraphQL */ `
  mutation ($input: OrganizationCreateInput!) {
    organizationCreate(input: $input) { organization { slug name kind kindInfo { code category } registration { status } } ${USER_ERRORS} }
  }
`;

async function staffOf(slug: string) {
  const [row] = await api.db.select({ id: jurisdictions.id }).from(jurisdictions).where(eq(jurisdictions.slug, slug));
  return api.staff({ jurisdictionId: row!.id });
}

async function create(city: string, input: Record<string, unknown>) {
  const { data, errors } = await api.execute(CREATE, { input }, { viewer: await staffOf(city) });
  expect(errors).toBeUndefined();
  return data!.organizationCreate;
}

describe("organizationCreate with a city's kind codes", () => {
  it('creates a Philadelphia RCO and a New York community board, each found by its kind code', async () => {
    expect(await create('philadelphia', { kindCode: 'REGISTERED_COMMUNITY_ORGANIZATION', name: 'Kensington Test Neighbors' })).toEqual({
      userErrors: [],
      // The deprecated enum reads OTHER for a kind outside Portland's old list; kindInfo says what it is.
      organization: { slug: 'kensington-test-neighbors', name: 'Kensington Test Neighbors', kind: 'OTHER', kindInfo: { code: 'REGISTERED_COMMUNITY_ORGANIZATION', category: 'COMMUNITY_ORGANIZATION' }, registration: null },
    });
    expect(await create('nyc', { kindCode: 'COMMUNITY_BOARD', name: 'Test Community Board 99' })).toMatchObject({
      userErrors: [],
      organization: { kindInfo: { code: 'COMMUNITY_BOARD', category: 'COMMUNITY_BOARD' } },
    });
    const { data } = await api.execute(`{
      rcos: organizations(jurisdiction: "philadelphia", filter: { kindCode: ["REGISTERED_COMMUNITY_ORGANIZATION"], nameContains: "kensington test" }) { nodes { slug } }
      boards: search(query: "Test Community Board 99", jurisdiction: "nyc", kinds: [COMMUNITY_BOARD], first: 1) { nodes { ... on Organization { slug } } }
    }`);
    expect(data).toEqual({ rcos: { nodes: [{ slug: 'kensington-test-neighbors' }] }, boards: { nodes: [{ slug: 'test-community-board-99' }] } });
  });

  it('creates an advisory body with the old kind enum where the city has that kind', async () => {
    expect(await create('nyc', { kind: 'ADVISORY_BODY', name: 'Test Waterfront Panel', bodyKind: 'OTHER' })).toMatchObject({
      userErrors: [],
      organization: { kind: 'ADVISORY_BODY', kindInfo: { code: 'ADVISORY_BODY' } },
    });
  });

  it.each([
    ['a Portland kind Philadelphia does not have', 'philadelphia', { kind: 'NEIGHBORHOOD_ASSOCIATION', name: 'Refused NA' }, 'WRONG_ORGANIZATION_KIND', ['input', 'kind'], /City of Philadelphia has no organization kind NEIGHBORHOOD_ASSOCIATION; its kinds: .*REGISTERED_COMMUNITY_ORGANIZATION/],
    ['an unknown kind code', 'nyc', { kindCode: 'RCO', name: 'Refused RCO' }, 'WRONG_ORGANIZATION_KIND', ['input', 'kindCode'], /has no organization kind RCO; its kinds: .*COMMUNITY_BOARD/],
    ['a council by its code', 'nyc', { kindCode: 'COUNCIL', name: 'Second Council' }, 'WRONG_ORGANIZATION_KIND', ['input', 'kindCode'], /council cannot be created/],
    ['both kind and kindCode', 'philadelphia', { kind: 'ADVISORY_BODY', kindCode: 'ADVISORY_BODY', name: 'Refused Both' }, 'INVALID_INPUT', ['input', 'kindCode'], /exactly one of kind and kindCode/],
    ['neither kind nor kindCode', 'philadelphia', { name: 'Refused Neither' }, 'INVALID_INPUT', ['input', 'kindCode'], /exactly one of kind and kindCode/],
    ['a lower-case kind code', 'philadelphia', { kindCode: 'registered_community_organization', name: 'Refused Case' }, 'INVALID_INPUT', ['input', 'kindCode'], /kind code/],
  ])('refuses %s, changing nothing', async (_name, city, input, code, field, message) => {
    await expectNothingChanged(api, async () => {
      const payload = await create(city, input);
      expect(payload.organization).toBeNull();
      expect(payload.userErrors).toHaveLength(1);
      expect(payload.userErrors[0]).toMatchObject({ code, field });
      expect(payload.userErrors[0].message).toMatch(message);
    });
  });
});
