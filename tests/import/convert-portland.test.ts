import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseSeats, parseStatus, parseTerm, splitName } from '../../src/datasets/portland/advisory-bodies.ts';
import { convertPortland, portlandDatasetDir, portlandRawDir } from '../../src/datasets/portland/convert.ts';
import { ocdSegment, slugify } from '../../src/datasets/slug.ts';
import { readDataset } from '../../src/import/read-dataset.ts';

describe('the Portland converter', () => {
  it('produces exactly the committed normalized files (run `npm run dataset:portland` after changing it)', async () => {
    const fresh = await convertPortland(portlandRawDir);
    expect(Object.keys(fresh).sort()).toEqual(
      ['SOURCES.md', 'compliance_requirements.csv', 'divisions.geojson', 'jurisdiction.json', 'kinds.csv', 'memberships.csv', 'notice_deadlines.csv', 'notice_procedures.csv', 'notice_rules.csv', 'organization_contacts.csv', 'organization_links.csv', 'organizations.csv', 'people.csv', 'posts.csv'],
    );
    for (const [name, content] of Object.entries(fresh)) {
      const committed = await readFile(join(portlandDatasetDir, name), 'utf8');
      expect(committed === content, `${name} is stale`).toBe(true);
    }
  });

  it('is deterministic', async () => {
    expect(await convertPortland(portlandRawDir)).toEqual(await convertPortland(portlandRawDir));
  });

  it('writes a dataset the importer accepts, with the expected rows', async () => {
    const dataset = await readDataset(portlandDatasetDir);
    const kinds = (k: string) => dataset.organizations.filter((o) => o.kind === k).length;
    expect(kinds('NEIGHBORHOOD_ASSOCIATION')).toBe(94);
    expect(dataset.divisions.filter((d) => d.properties.kind === 'NEIGHBORHOOD')).toHaveLength(98);
    const buckman = dataset.organizations.find((o) => o.key === 'buckman')!;
    expect(buckman).toMatchObject({ name: 'Buckman', division_key: 'neighborhood-14' });
    expect(buckman.description).toContain('Buckman Community Association');
    expect(dataset.organizations.map((o) => o.key)).toEqual(expect.arrayContaining(['sullivans-gulch', 'mt-scott-arleta', 'st-johns']));
    // The unclaimed areas are divisions without an organization.
    const unclaimed = dataset.divisions.filter((d) => d.properties.key.startsWith('unclaimed-')).map((d) => d.properties.key);
    expect(unclaimed).toHaveLength(4);
    expect(dataset.organizations.filter((o) => o.division_key !== null && unclaimed.includes(o.division_key))).toEqual([]);
    expect(dataset.organizations.find((o) => o.key === 'swcs')!.description).toContain('Southwest Neighborhoods, Inc.');
    const pub = dataset.posts.filter((p) => p.organization_key === 'portland-utility-board');
    expect(pub.map((p) => [p.key, p.max_holders, p.selection_method, p.takes_applications])).toEqual([
      ['ex-officio', 3, 'EX_OFFICIO', false],
      ['member', 11, 'APPOINTED', true],
    ]);
    const psc = dataset.organizations.find((o) => o.short_name === 'PSC')!;
    expect(psc).toMatchObject({ status: 'INACTIVE', dissolved_on: null });
    const idc = dataset.organizations.find((o) => o.key === 'independent-district-commission')!;
    expect(idc).toMatchObject({ status: 'DISSOLVED', dissolved_on: '2023-08-21', min_members: 13, max_members: 13 });
    const cbab = dataset.posts.find((p) => p.organization_key === 'community-budget-advisory-board')!;
    expect(cbab).toMatchObject({ appointing_authority: 'City Council', term_length_months: 36, max_holders: 5 });
    const design = dataset.posts.find((p) => p.organization_key === 'design-commission')!;
    expect(design).toMatchObject({ term_length_months: 48, term_limit: 2 });
  });
});

describe('advisory-body text rules', () => {
  it('reads the seat patterns and refuses anything else', () => {
    expect(parseSeats('9')).toEqual({ min: 9, max: 9, members: 9, exOfficio: 0 });
    expect(parseSeats('12-15')).toEqual({ min: 12, max: 15, members: 15, exOfficio: 0 });
    expect(parseSeats('11 voting + 3 ex officio')).toEqual({ min: 14, max: 14, members: 11, exOfficio: 3 });
    expect(() => parseSeats('about nine')).toThrow(/unrecognized seats value "about nine"/);
    expect(() => parseSeats('7 + 2 alternates')).toThrow(/unrecognized seats value/);
  });

  it('reads terms, limits and statuses, and refuses unknown wording', () => {
    expect(parseTerm('')).toEqual({ months: null, limit: null });
    expect(parseTerm('staggered 3-year terms')).toEqual({ months: 36, limit: null });
    expect(parseTerm('four-year')).toEqual({ months: 48, limit: null });
    expect(parseTerm('max 4 years, max two full terms (per x)')).toEqual({ months: 48, limit: 2 });
    expect(() => parseTerm('until replaced')).toThrow(/unrecognized term/);
    expect(parseStatus('active (as of page snapshot)')).toEqual({ status: 'ACTIVE', dissolvedOn: null });
    expect(parseStatus('completed work August 21, 2023')).toEqual({ status: 'DISSOLVED', dissolvedOn: '2023-08-21' });
    expect(parseStatus('superseded by the Planning Commission')).toEqual({ status: 'INACTIVE', dissolvedOn: null });
    expect(() => parseStatus('paused')).toThrow(/unrecognized status "paused"/);
    expect(splitName('Cannabis Policy Oversight Team (CPOT)')).toEqual({ name: 'Cannabis Policy Oversight Team', shortName: 'CPOT', nameNote: null });
  });

  it('makes slugs and OCD segments from names', () => {
    expect(slugify("Sullivan's Gulch")).toBe('sullivans-gulch');
    expect(slugify('Mt. Scott-Arleta')).toBe('mt-scott-arleta');
    expect(slugify('Montavilla/East Tabor Business Association')).toBe('montavilla-east-tabor-business-association');
    expect(ocdSegment('Buckman')).toBe('buckman');
    expect(ocdSegment("Sullivan's Gulch")).toBe('sullivan~s_gulch');
  });
});
