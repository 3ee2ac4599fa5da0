import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOrganization, createPerson, createPost, createMembership, organizationBySlug } from '../helpers/factories.ts';
import { createTestApi, type TestApi } from '../helpers/test-api.ts';
import { organizationLinks } from '../../src/db/schema/index.ts';
import { DIRECTORY, DIRECTORY_MEMBERS } from '../bench/cases.ts';

// The directory partner apps load: districts → coalitions → associations → seats → current holders;
// the benchmark's Q3 is the same document.

let api: TestApi;
beforeAll(async () => {
  api = await createTestApi({ sampleMembers: true });
});
afterAll(() => api.dispose());

async function countStatements(query: string): Promise<{ statements: number; objects: number }> {
  api.statements.reset();
  const { data, errors } = await api.execute(query);
  expect(errors).toBeUndefined();
  const objects = JSON.stringify(data).split('"name"').length - 1;
  return { statements: api.statements.count(), objects };
}

/** Gives each of `count` associations a board seat with two holders. */
async function addBoards(count: number, offset: number): Promise<void> {
  const { db, jurisdictionId } = api;
  const coalition = await organizationBySlug(db, 'district-3-coalition');
  for (let i = 0; i < count; i++) {
    const association = await createOrganization(db, { jurisdictionId, kind: 'NEIGHBORHOOD_ASSOCIATION', name: `Growth Test Association ${offset + i}` });
    await db.insert(organizationLinks).values({ jurisdictionId, kind: 'DISTRICT_COALITION', memberId: association.id, parentId: coalition.id, startDate: '2024-07-01' });
    const post = await createPost(db, { jurisdictionId, organizationId: association.id, label: 'Board member', maxHolders: 3 });
    for (let h = 0; h < 2; h++) {
      const person = await createPerson(db, jurisdictionId);
      await createMembership(db, { jurisdictionId, personId: person.id, organizationId: association.id, postId: post.id, startDate: '2025-01-01' });
    }
  }
}

describe('SQL statements per operation', () => {
  it('loads the nested directory in a constant number of statements, however many rows', async () => {
    // Q3 pages 15 members a coalition; pages of 100 let the 35 new associations show in the answer.
    const directory = DIRECTORY.replace(`memberOrganizations(first: ${DIRECTORY_MEMBERS})`, 'memberOrganizations(first: 100)');
    expect(directory).not.toBe(DIRECTORY);
    await addBoards(5, 0);
    const small = await countStatements(directory);
    await addBoards(30, 5);
    const large = await countStatements(directory);
    expect(large.objects).toBeGreaterThan(small.objects + 60);
    expect(large.statements).toBe(small.statements);
    // One statement for the whole root field: the compiled directory (src/graphql/compiled) builds
    // the response in SQL. (The resolvers' path took 12: one batch per level.)
    expect(large.statements).toBe(1);
    expect((await countStatements(DIRECTORY)).statements).toBe(1); // Q3 itself
  });

  it('lists a page of associations with their coalitions in a constant number of statements', async () => {
    const query = `{ neighborhoodAssociations(first: 100) { totalCount nodes { name coalition { name } councilDistricts { share division { name } } } } }`;
    const { statements } = await countStatements(query);
    // jurisdiction, page, count, divisions, coalitions, overlaps.
    expect(statements).toBeLessThanOrEqual(6);
  });
});
