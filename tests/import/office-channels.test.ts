/**
 * Association and coalition office websites, and the coalition offices' published channels
 * (organization_contacts.csv): read through the server, refused when invalid, re-imported idempotently.
 */
import { asc } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { organizationContactChannels } from '../../src/db/schema/index.ts';
import { importDataset } from '../../src/import/index.ts';
import { copyDataset, editFile, portlandDatasetDir } from '../helpers/dataset-folder.ts';
import { createTestApi, type TestApi } from '../helpers/test-api.ts';

let api: TestApi;
beforeAll(async () => {
  api = await createTestApi();
});
afterAll(() => api?.dispose());

const OFFICE = `query($slug: String!) { organization(slug: $slug) { website contactChannels { kind value sourceUrl note } } }`;
type Office = { organization: { website: string | null; contactChannels: Array<{ kind: string; value: string; sourceUrl: string | null; note: string | null }> } };

describe('websites and office channels (through the server)', () => {
  it('gives the District 1 office its published address and phone, each with its source and age', async () => {
    const { data, errors } = await api.execute<Office>(OFFICE, { slug: 'district-1-coalition' });
    expect(errors).toBeUndefined();
    expect(data!.organization.website).toBeNull(); // no District 1 Coalition website was found
    expect(data!.organization.contactChannels).toEqual([
      { kind: 'ADDRESS', value: '4415 NE 87th, Portland, Or. 97220', sourceUrl: 'https://www.portland.gov/civic/myneighborhood/about-dcos', note: expect.stringContaining('pre-2024') },
      { kind: 'PHONE', value: '503-823-3156', sourceUrl: 'https://www.portland.gov/civic/myneighborhood/about-dcos', note: expect.stringContaining('not confirmed for the 2024 District 1 office') },
    ]);
  });

  it('gives the District 2 office its website and general email, and no phone (none was found)', async () => {
    const { data } = await api.execute<Office>(OFFICE, { slug: 'district-2-coalition' });
    expect(data!.organization.website).toBe('https://www.necoalition.org/');
    expect(data!.organization.contactChannels.map((c) => [c.kind, c.value])).toEqual([
      ['ADDRESS', '4815 NE 7th Ave, Portland, Or. 97211'],
      ['EMAIL', 'communications@necoalition.org'],
    ]);
  });

  it('gives the 19 associations with a sourced website that website, and the others none', async () => {
    const { data } = await api.execute<{ organizations: { nodes: Array<{ slug: string; website: string | null }> } }>(
      `{ organizations(filter: { kind: NEIGHBORHOOD_ASSOCIATION }, first: 100) { nodes { slug website } } }`,
    );
    const withSite = data!.organizations.nodes.filter((n) => n.website);
    expect(withSite).toHaveLength(19);
    expect(Object.fromEntries(withSite.map((n) => [n.slug, n.website]))).toMatchObject({
      buckman: 'https://buckmanpdx.org',
      'sellwood-moreland': 'https://sellwood.org/',
      'northwest-district': 'http://www.northwestdistrictassociation.org',
    });
    expect(data!.organizations.nodes.find((n) => n.slug === 'kerns')!.website).toBeNull(); // a candidate site, not verified
  });

  it('has no channel on an organization without one', async () => {
    const { data } = await api.execute<Office>(OFFICE, { slug: 'buckman' });
    expect(data!.organization.contactChannels).toEqual([]);
  });
});

describe('importing organization_contacts.csv', () => {
  const channels = () => api.db.select().from(organizationContactChannels).orderBy(asc(organizationContactChannels.id));

  it('is idempotent: nothing changes the second time', async () => {
    const before = await channels();
    expect(before).toHaveLength(6);
    const again = await importDataset(api.db, portlandDatasetDir);
    expect(again.counts.organizationContacts).toEqual({ inserted: 0, updated: 0, unchanged: 6, deleted: 0 });
    expect(await channels()).toEqual(before);
  });

  it('refuses an unknown organization, an invalid email and a repeated channel, changing nothing', async () => {
    const copy = await copyDataset();
    try {
      await editFile(copy.dir, 'organization_contacts.csv', (t) =>
        `${t}no-such-office,PHONE,503-555-0100,https://example.org/,\ndistrict-3-coalition,EMAIL,not an email,https://example.org/,\ndistrict-1-coalition,PHONE,503-823-3156,https://example.org/,\n`,
      );
      const before = await channels();
      const error = await importDataset(api.db, copy.dir).then(() => null, (e: Error) => e);
      expect(error?.message).toMatch(/organization_contacts\.csv line \d+: organization_key "no-such-office" is not an organization/);
      expect(error?.message).toMatch(/organization_contacts\.csv line \d+ \(district-3-coalition EMAIL\): value: must be an email address/);
      expect(error?.message).toMatch(/organization_contacts\.csv line \d+: duplicate channel "district-1-coalition PHONE 503-823-3156"/);
      expect(await channels()).toEqual(before);
    } finally {
      await copy.remove();
    }
  });

  it('deletes a channel the file no longer lists, and only that one', async () => {
    const copy = await copyDataset();
    try {
      await editFile(copy.dir, 'organization_contacts.csv', (t) => t.split('\n').filter((line) => !line.includes('503-823-3156')).join('\n'));
      const summary = await importDataset(api.db, copy.dir);
      expect(summary.counts.organizationContacts).toEqual({ inserted: 0, updated: 0, unchanged: 5, deleted: 1 });
      expect((await channels()).map((c) => c.value)).not.toContain('503-823-3156');
      const back = await importDataset(api.db, portlandDatasetDir);
      expect(back.counts.organizationContacts).toMatchObject({ inserted: 1, deleted: 0 });
    } finally {
      await copy.remove();
    }
  });
});
