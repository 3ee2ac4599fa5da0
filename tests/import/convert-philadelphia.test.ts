import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseAuthority, parseSeats, parseStatus, parseTerm } from '../../src/datasets/philadelphia/advisory-bodies.ts';
import { EXPECTED, checkPhiladelphia } from '../../src/datasets/philadelphia/check.ts';
import { buildPhiladelphia, convertPhiladelphia, philadelphiaDatasetDir, philadelphiaRawDir } from '../../src/datasets/philadelphia/convert.ts';
import { rcoTypeDescription, rcoWebsite, registrationExpiresOn } from '../../src/datasets/philadelphia/organizations.ts';

describe('the Philadelphia converter', () => {
  it('produces exactly the committed normalized files (run `npm run dataset:philadelphia` after changing it)', async () => {
    const fresh = await convertPhiladelphia(philadelphiaRawDir);
    expect(Object.keys(fresh).sort()).toEqual(
      ['SOURCES.md', 'compliance_requirements.csv', 'divisions.geojson', 'jurisdiction.json', 'kinds.csv', 'notice_deadlines.csv', 'notice_procedures.csv', 'notice_rules.csv', 'organization_links.csv', 'organizations.csv', 'posts.csv'],
    );
    for (const [name, content] of Object.entries(fresh)) {
      const committed = await readFile(join(philadelphiaDatasetDir, name), 'utf8');
      expect(committed === content, `${name} is stale`).toBe(true);
    }
  });

  it('is deterministic', async () => {
    expect(await convertPhiladelphia(philadelphiaRawDir)).toEqual(await convertPhiladelphia(philadelphiaRawDir));
  });

  it('passes its own checks: the counts the sources state, unique keys, valid boundaries, no overlap where NEVER', async () => {
    const records = await buildPhiladelphia(philadelphiaRawDir);
    const report = await checkPhiladelphia(records);
    expect(report).toEqual(
      expect.arrayContaining([
        `council districts: ${EXPECTED.councilDistricts}`,
        `RCO areas: ${EXPECTED.rcos}`,
        `neighborhoods: ${EXPECTED.neighborhoods}`,
        `registered community organizations: ${EXPECTED.rcos}`,
        `advisory bodies: ${EXPECTED.advisoryBodies}`,
        `council seats (sum of max_holders): ${EXPECTED.councilSeats}`,
        'valid boundaries (GEOS, as the importer reads them): 408',
      ]),
    );
  }, 60_000);

  it('refuses records that break a check, naming each problem', async () => {
    const records = await buildPhiladelphia(philadelphiaRawDir);
    // A few divisions keep the boundary checks quick; the counts then fail too, as they should.
    const [first, second] = records.divisions.filter((d) => d.properties.kind === 'NEIGHBORHOOD');
    const broken = {
      ...records,
      divisions: [second!, { ...first!, properties: { ...first!.properties, key: second!.properties.key } }],
      organizations: records.organizations.filter((o) => o.key !== 'art-commission'),
    };
    await expect(checkPhiladelphia(broken)).rejects.toThrow(/neighborhoods: 2, expected 159[\s\S]*advisory bodies: 4, expected 5[\s\S]*duplicate division key neighborhood-/);
  });

  it('writes the RCOs with type, registration dates and website', async () => {
    const { organizations, divisions } = await buildPhiladelphia(philadelphiaRawDir);
    const fishtownBid = organizations.find((o) => o.key === 'fishtown-kensington-area-business-improvement-district')!;
    expect(fishtownBid).toMatchObject({
      kind: 'REGISTERED_COMMUNITY_ORGANIZATION',
      division_key: 'rco-area-405',
      registration_expires_on: '2026-07-01',
      description: 'RCO type: Special Services District.',
    });
    const ward = organizations.find((o) => o.key === '10th-democratic-ward')!;
    expect(ward).toMatchObject({ registered_on: '2014-03-22', registration_expires_on: '2027-07-01', description: 'RCO type: ward committee of a political party.' });
    const rcos = organizations.filter((o) => o.kind === 'REGISTERED_COMMUNITY_ORGANIZATION');
    expect(rcos.filter((o) => o.registration_expires_on === '2026-07-01')).toHaveLength(31);
    expect(rcos.filter((o) => o.website !== null)).toHaveLength(160);
    expect(rcos.filter((o) => o.registered_on === null)).toEqual([]);
    const undated = rcos.filter((o) => o.source_note!.includes('No effective_date'));
    expect(undated).toHaveLength(60);
    expect(organizations.find((o) => o.key === '12th-ward-democratic-committee')).toMatchObject({ registered_on: '2025-07-01', registration_expires_on: '2027-07-01' });
    const area = divisions.find((d) => d.properties.key === 'rco-area-405')!;
    expect(area.properties).toMatchObject({ kind: 'RCO_AREA', ocdId: 'ocd-division/country:us/state:pa/place:philadelphia/rco_area:405' });
    const district = divisions.find((d) => d.properties.key === 'council-district-5')!;
    expect(district.properties.ocdId).toBe('ocd-division/country:us/state:pa/place:philadelphia/council_district:5');
    const airy = divisions.find((d) => d.properties.key === 'neighborhood-mount-airy-east')!;
    expect(airy.properties).toMatchObject({ name: 'East Mount Airy', kind: 'NEIGHBORHOOD', ocdId: 'ocd-division/country:us/state:pa/place:philadelphia/neighborhood:mount_airy_east' });
  });

  it('writes the council (10 district seats of one holder, 7 at large) and the boards with roster not recorded', async () => {
    const { organizations, posts } = await buildPhiladelphia(philadelphiaRawDir);
    const council = posts.filter((p) => p.organization_key === 'city-council');
    expect(council).toHaveLength(11);
    expect(council.find((p) => p.key === 'at-large')).toMatchObject({ max_holders: 7, division_key: null, selection_method: 'ELECTED' });
    expect(council.filter((p) => p.max_holders === 1).map((p) => p.division_key).sort()).toEqual(
      Array.from({ length: 10 }, (_, i) => `council-district-${i + 1}`).sort(),
    );
    const bodies = organizations.filter((o) => o.kind === 'ADVISORY_BODY' || o.kind === 'COUNCIL');
    expect(bodies.map((o) => [o.key, o.roster_status])).toEqual([
      ['art-commission', 'NOT_RECORDED'],
      ['board-of-ethics', 'NOT_RECORDED'],
      ['citizens-police-oversight-commission', 'NOT_RECORDED'],
      ['city-council', 'NOT_RECORDED'],
      ['city-planning-commission', 'NOT_RECORDED'],
      ['zoning-board-of-adjustment', 'NOT_RECORDED'],
    ]);
    const zba = posts.filter((p) => p.organization_key === 'zoning-board-of-adjustment');
    expect(zba.map((p) => [p.key, p.max_holders, p.selection_method, p.confirmed_by, p.alternate_for])).toEqual([
      ['director-of-planning-and-development', 1, 'EX_OFFICIO', null, 'member'],
      ['member', 7, 'APPOINTED', 'city-council', null],
    ]);
    const cpoc = posts.find((p) => p.organization_key === 'citizens-police-oversight-commission')!;
    expect(cpoc).toMatchObject({ term_length_months: 48, term_limit: 2, term_limit_counting: 'CONSECUTIVE_TERMS', eligibility: 'Resident of the City of Philadelphia' });
    expect(posts.filter((p) => p.organization_key === 'city-planning-commission' && p.selection_method === 'EX_OFFICIO')).toHaveLength(4);
  });
});

describe('Philadelphia text rules', () => {
  it('reads the seat patterns and refuses anything else', () => {
    expect(parseSeats('5', '"five members"')).toEqual({ total: 5, appointed: 5, exOfficio: [], alternate: null });
    expect(parseSeats('11 (7 appointed + 4 ex officio)', '"seven appointed members and the A, the B, the C and the D of E and F"')).toEqual({
      total: 11,
      appointed: 7,
      exOfficio: ['A', 'B', 'C', 'D of E and F'],
      alternate: null,
    });
    expect(() => parseSeats('11 (7 appointed + 3 ex officio)', '"seven appointed members and the A, the B, the C and the D"')).toThrow(/do not add up/);
    expect(parseSeats('7 (+ Director of X as alternate)', '')).toMatchObject({ total: 7, alternate: 'Director of X' });
    expect(() => parseSeats('about nine', '')).toThrow(/unrecognized seats value "about nine"/);
  });

  it('reads terms, authorities and statuses, and refuses unknown wording', () => {
    expect(parseTerm('')).toEqual({ term_length_months: null, term_limit: null, term_limit_counting: null });
    expect(parseTerm('5-year staggered terms')).toEqual({ term_length_months: 60, term_limit: null, term_limit_counting: null });
    expect(parseTerm('4-year terms; at most two consecutive terms')).toEqual({ term_length_months: 48, term_limit: 2, term_limit_counting: 'CONSECUTIVE_TERMS' });
    expect(() => parseTerm('4-year terms; at most two terms in all')).toThrow(/unrecognized term/);
    expect(parseAuthority('Mayor, with City Council consent')).toEqual({ appointer: 'Mayor', confirmedBy: 'city-council' });
    expect(() => parseAuthority('Governor')).toThrow(/unrecognized appointing_authority/);
    expect(parseStatus('current Code text')).toBe('ACTIVE');
    expect(() => parseStatus('abolished 2019')).toThrow(/unrecognized status/);
  });

  it('reads RCO types, websites and expiry years', () => {
    expect(rcoTypeDescription('NID', 'Development')).toBe('RCO type: Neighborhood Improvement District.');
    expect(rcoTypeDescription('', 'Park')).toContain('not given by the City');
    expect(() => rcoTypeDescription('BID', '')).toThrow(/unrecognized org_type "BID"/);
    expect(rcoWebsite({ website: 'www.fishtown.org', website_curated: 'https://x.org/', organization_name: 'F' })).toBe('https://www.fishtown.org');
    expect(rcoWebsite({ website: '', website_curated: 'https://x.org/', organization_name: 'F' })).toBe('https://x.org/');
    expect(rcoWebsite({ website: '', website_curated: '', organization_name: 'F' })).toBeNull();
    expect(() => rcoWebsite({ website: 'see facebook page', website_curated: '', organization_name: 'F' })).toThrow(/is not a URL/);
    expect(registrationExpiresOn('2027')).toBe('2027-07-01');
    expect(() => registrationExpiresOn('27')).toThrow(/bad expiration_year/);
  });
});
