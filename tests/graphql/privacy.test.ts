import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPerson, createPrivateDetails, fillPost, councilPost, createMembership } from '../helpers/factories.ts';
import { createTestApi, type TestApi } from '../helpers/test-api.ts';

let api: TestApi;
beforeAll(async () => {
  api = await createTestApi();
});
afterAll(() => api.dispose());

const SECRET = {
  email: 'private.person@example.org',
  homeAddress: '1234 SE Secret St, Portland, OR 97214',
  phone: '+1-503-555-0199',
};

describe('private person data', () => {
  it('keeps private data on one staff-only type, reachable only through Person.privateDetails', async () => {
    const { data } = await api.execute(`{ __schema { types { name fields { name type { name ofType { name } } } } } }`);
    const fieldNames = data!.__schema.types.flatMap((t: any) => (t.fields ?? []).map((f: any) => `${t.name}.${f.name}`));
    const privateWords = /email|phone|address|contact|language|accessib|interpret|demograph|birth|private|home/i;
    expect(fieldNames.filter((f: string) => privateWords.test(f) && !f.startsWith('PersonPrivateDetails.')).sort()).toEqual([
      'Person.privateDetails',
      'Viewer.viewerCanReadPrivateData',
    ]);
    const pointingAtPrivate = data!.__schema.types.flatMap((t: any) =>
      (t.fields ?? []).filter((f: any) => (f.type.name ?? f.type.ofType?.name) === 'PersonPrivateDetails').map((f: any) => `${t.name}.${f.name}`),
    );
    expect(pointingAtPrivate).toEqual(['Person.privateDetails']);
    const person = data!.__schema.types.find((t: any) => t.name === 'Person');
    expect(person.fields.map((f: any) => f.name).sort()).toEqual(['id', 'isSample', 'memberships', 'name', 'privateDetails', 'publicBio', 'sortName']);
  });

  it('never returns a private value through rosters, node or memberships', async () => {
    const post = await councilPost(api.db, 4);
    const person = await createPerson(api.db, api.jurisdictionId, 'Roster Person');
    await createPrivateDetails(api.db, person.id, SECRET);
    await createMembership(api.db, { jurisdictionId: api.jurisdictionId, personId: person.id, organizationId: post.organizationId, postId: post.id, startDate: '2025-01-01' });
    await fillPost(api.db, await councilPost(api.db, 1), 1);
    const roster = await api.execute(`{
      councilDistricts { councilPost { holders { id person { id name sortName publicBio isSample memberships { nodes { role organization { name } } } } } } }
    }`);
    const text = JSON.stringify(roster);
    expect(text).toContain('Roster Person');
    for (const value of Object.values(SECRET)) expect(text).not.toContain(value);
    const personId = roster.data!.councilDistricts[3].councilPost.holders.find((h: any) => h.person.name === 'Roster Person').person.id;
    const viaNode = await api.execute(`query($id: ID!) { node(id: $id) { ... on Person { name } } }`, { id: personId });
    expect(viaNode.data!.node).toEqual({ name: 'Roster Person' });
    for (const value of Object.values(SECRET)) expect(JSON.stringify(viaNode)).not.toContain(value);
  });

  it('refuses to select a private field, without suggesting one', async () => {
    const { errors } = await api.execute(`{ councilDistricts { councilPost { holders { person { email homeAddress } } } } }`);
    expect(errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(JSON.stringify(errors)).not.toContain('private.person');
  });
});
