import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { organizations, posts } from '../../src/db/schema/index.ts';
import { toGlobalId } from '../../src/graphql/global-id.ts';
import { importDataset } from '../../src/import/index.ts';
import { copyDataset, editFile } from '../helpers/dataset-folder.ts';
import { organizationBySlug } from '../helpers/factories.ts';
import { createTestApi, type TestApi } from '../helpers/test-api.ts';

let api: TestApi;
let copy: Awaited<ReturnType<typeof copyDataset>>;
beforeAll(async () => {
  api = await createTestApi();
  copy = await copyDataset();
});
afterAll(async () => {
  await copy.remove();
  await api.dispose();
});

describe('a dataset re-import after staff edits', () => {
  it('keeps what staff changed through the API and still applies the dataset elsewhere', async () => {
    const brooklyn = await organizationBySlug(api.db, 'brooklyn');
    const renamed = await api.execute(
      `mutation($id: ID!) { organizationUpdate(input: { organizationId: $id, name: "Brooklyn Action Corps" }) { userErrors { code message } } }`,
      { id: toGlobalId('Organization', brooklyn.id) },
      { viewer: api.staff() },
    );
    expect(renamed.data!.organizationUpdate.userErrors).toEqual([]);

    const body = await organizationBySlug(api.db, 'cannabis-policy-oversight-team');
    const [seat] = await api.db.select().from(posts).where(and(eq(posts.organizationId, body.id), eq(posts.sourceKey, 'member')));
    const abolished = await api.execute(
      `mutation($id: ID!) { postAbolish(input: { postId: $id, effectiveOn: "2026-06-01" }) { userErrors { code message } } }`,
      { id: toGlobalId('Post', seat!.id) },
      { viewer: api.staff() },
    );
    expect(abolished.data!.postAbolish.userErrors).toEqual([]);

    // The dataset changes somewhere else: a business district's website.
    await editFile(copy.dir, 'organizations.csv', (text) => text.replace('http://nwindustrial.org/', 'https://nwindustrial.example/'));
    await importDataset(api.db, copy.dir);

    expect((await organizationBySlug(api.db, 'brooklyn')).name).toBe('Brooklyn Action Corps');
    const [seatAfter] = await api.db.select().from(posts).where(eq(posts.id, seat!.id));
    expect(seatAfter!.abolishedOn).toBe('2026-06-01');
    const [industrial] = await api.db.select().from(organizations).where(eq(organizations.website, 'https://nwindustrial.example/'));
    expect(industrial?.origin).toBe('DATASET');
  });
});
