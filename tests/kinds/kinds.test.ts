/**
 * Kinds per jurisdiction (issue 13): kinds.csv validated at import, kindInfo in two languages, the
 * deprecated kind enums, kindCode filters, the overlap policies at import (a FREELY kind's areas
 * overlap, a NEVER kind's are refused, Portland's WITH_AGREEMENT neighborhoods need an agreement)
 * and `locate` by each kind's policy. A small synthetic city (synthetic-city.ts) beside Portland.
 */
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { boundaryAgreements, divisions, jurisdictions } from '../../src/db/schema/index.ts';
import { DatasetValidationError, importDataset } from '../../src/import/index.ts';
import { copyDataset, editFile, portlandDatasetDir } from '../helpers/dataset-folder.ts';
import { snapshotImportedRows } from '../helpers/db-snapshot.ts';
import { createTestApi, type TestApi } from '../helpers/test-api.ts';
import { KINDS_HEADER, TESTVILLE_KINDS, testvilleDivisions, writeTestville, type SyntheticCity } from './synthetic-city.ts';

let api: TestApi;
let city: SyntheticCity;

beforeAll(async () => {
  api = await createTestApi();
  city = await writeTestville();
  await importDataset(api.db, city.dir);
});
afterAll(async () => {
  await city.remove();
  await api.dispose();
});

async function refusalOf(dir: string): Promise<DatasetValidationError> {
  const before = await snapshotImportedRows(api.db);
  const error = await importDataset(api.db, dir).then(() => null, (e: unknown) => e);
  expect(error).toBeInstanceOf(DatasetValidationError);
  expect(await snapshotImportedRows(api.db)).toEqual(before); // nothing changed
  return error as DatasetValidationError;
}

describe('kinds.csv at import', () => {
  const cases: Array<[string, string, RegExp]> = [
    ['an unknown category', 'DIVISION,WARD,PRECINCT_THING,Ward,Wards,NEVER,,,,ONE,3,test', /kinds\.csv line 6 \(DIVISION WARD\): category: must be a DIVISION category: CITY, COUNCIL_DISTRICT/],
    ['an organization category on a division row', 'DIVISION,WARD,COMMUNITY_BOARD,Ward,Wards,NEVER,,,,ONE,3,test', /category: must be a DIVISION category/],
    ['an unknown overlap policy', 'DIVISION,WARD,OTHER,Ward,Wards,SOMETIMES,,,,ONE,3,test', /overlap_policy: must be one of NEVER, WITH_AGREEMENT, FREELY/],
    ['a division row without an overlap policy', 'DIVISION,WARD,OTHER,Ward,Wards,,,,,ONE,3,test', /overlap_policy: is required on a DIVISION row/],
    ['a recognition model on a division row', 'DIVISION,WARD,OTHER,Ward,Wards,NEVER,NONE,,,ONE,3,test', /recognition_model: must be empty on a DIVISION row/],
    ['an overlap policy on an organization row', 'ORGANIZATION,BOARD,ADVISORY_BODY,Board,Boards,NEVER,NONE,,,NONE,3,test', /overlap_policy: must be empty on an ORGANIZATION row/],
    ['an organization row without a recognition model', 'ORGANIZATION,BOARD,ADVISORY_BODY,Board,Boards,,,,,NONE,3,test', /recognition_model: is required on an ORGANIZATION row/],
    ['REGISTRATION without registration_term_months', 'ORGANIZATION,CLUB,COMMUNITY_ORGANIZATION,Club,Clubs,,REGISTRATION,,,ALL,3,test', /registration_term_months: is required with recognition_model REGISTRATION/],
    ['registration_term_months without REGISTRATION', 'ORGANIZATION,CLUB,COMMUNITY_ORGANIZATION,Club,Clubs,,RECOGNITION,12,,ALL,3,test', /registration_term_months: must be empty unless recognition_model is REGISTRATION/],
    ['registration_intake_month without REGISTRATION', 'ORGANIZATION,CLUB,COMMUNITY_ORGANIZATION,Club,Clubs,,RECOGNITION,,6,ALL,3,test', /registration_intake_month: must be empty unless recognition_model is REGISTRATION/],
    ['a registration_intake_month that is not a month', 'ORGANIZATION,CLUB,COMMUNITY_ORGANIZATION,Club,Clubs,,REGISTRATION,24,13,ALL,3,test', /registration_intake_month: must be a month from 1 \(January\) to 12 \(December\)/],
    ['an unknown locate policy', 'ORGANIZATION,CLUB,COMMUNITY_ORGANIZATION,Club,Clubs,,NONE,,,SOME,3,test', /locate: must be one of ONE, ALL, NONE/],
    ['a code that is not upper case', 'ORGANIZATION,club,COMMUNITY_ORGANIZATION,Club,Clubs,,NONE,,,ALL,3,test', /code: must be a kind code of kinds\.csv/],
    ['a code twice in one scope', 'DIVISION,RCO_AREA,OTHER,Again,Agains,FREELY,,,,NONE,3,test', /kinds\.csv line 6: duplicate kind "DIVISION RCO_AREA" \(first on line 3\)/],
    ['an unknown scope', 'PLACE,WARD,OTHER,Ward,Wards,NEVER,,,,ONE,3,test', /scope: must be DIVISION or ORGANIZATION/],
  ];
  for (const [what, row, message] of cases) {
    it(`is refused with ${what}, naming the line`, async () => {
      const copy = await copyDataset(city.dir);
      try {
        await editFile(copy.dir, 'kinds.csv', (text) => `${text}${row}\n`);
        const error = await refusalOf(copy.dir);
        expect(error.message).toMatch(message);
      } finally {
        await copy.remove();
      }
    });
  }

  it('is required', async () => {
    const copy = await copyDataset(city.dir);
    try {
      const { rm } = await import('node:fs/promises');
      await rm(`${copy.dir}/kinds.csv`);
      expect((await refusalOf(copy.dir)).message).toContain('kinds.csv: file is missing');
    } finally {
      await copy.remove();
    }
  });

  it('refuses a division or organization whose kind code the city does not define, naming the row', async () => {
    const copy = await copyDataset(city.dir);
    try {
      await editFile(copy.dir, 'kinds.csv', () => TESTVILLE_KINDS.split('\n').filter((l) => !l.startsWith('DIVISION,RCO_AREA')).join('\n') + '\n');
      await editFile(copy.dir, 'organizations.csv', (text) => text.replace('city-council,COUNCIL,', 'city-council,TOWN_COUNCIL,'));
      const error = await refusalOf(copy.dir);
      expect(error.message).toMatch(/divisions\.geojson \(key "rco-area-north"\): kind "RCO_AREA" is not a DIVISION kind in kinds\.csv \(DIVISION kinds: COUNCIL_DISTRICT\)/);
      expect(error.message).toMatch(/organizations\.csv line 2 \(key "city-council"\): kind "TOWN_COUNCIL" is not an ORGANIZATION kind in kinds\.csv/);
    } finally {
      await copy.remove();
    }
  });

  it('refuses kind names for an unknown kind or a locale the city does not offer', async () => {
    const copy = await copyDataset(city.dir);
    try {
      await editFile(copy.dir, 'kind_names.csv', (text) => `${text}DIVISION,WARD,es,Barrio,Barrios\nDIVISION,RCO_AREA,fr,Zone,Zones\n`);
      const error = await refusalOf(copy.dir);
      expect(error.message).toContain('kind_names.csv line 3: DIVISION kind "WARD" is not in kinds.csv');
      expect(error.message).toContain('kind_names.csv line 4: locale "fr" is not one of the city\'s locales in jurisdiction.json');
    } finally {
      await copy.remove();
    }
  });
});

describe('overlap policies at import', () => {
  it('imports the overlapping areas of a FREELY kind (the synthetic RCO areas overlap)', async () => {
    const [testville] = await api.db.select().from(jurisdictions).where(eq(jurisdictions.slug, 'testville'));
    const rows = await api.db.select().from(divisions).where(eq(divisions.jurisdictionId, testville!.id));
    expect(rows.filter((d) => d.kind === 'RCO_AREA').map((d) => d.sourceKey).sort()).toEqual(['rco-area-north', 'rco-area-wide']);
  });

  it('refuses overlapping divisions of a NEVER kind, naming both', async () => {
    const copy = await copyDataset(city.dir);
    try {
      await editFile(copy.dir, 'divisions.geojson', () => testvilleDivisions({ districtsOverlap: true }));
      const error = await refusalOf(copy.dir);
      expect(error.issues).toEqual([
        'divisions.geojson (key "district-1"): overlaps "district-2", and divisions of kind COUNCIL_DISTRICT never overlap (overlap_policy NEVER in kinds.csv)',
      ]);
    } finally {
      await copy.remove();
    }
  });

  it("refuses Portland's overlapping neighborhoods without a boundary agreement, and imports them once one is on record", async () => {
    const copy = await copyDataset();
    try {
      // Sellwood-Moreland's boundary replaced by Brooklyn's grown a little: they now overlap.
      await editFile(copy.dir, 'divisions.geojson', (text) => {
        const lines = text.split('\n');
        const index = (key: string) => lines.findIndex((l) => l.includes(`"key":"${key}"`));
        const brooklyn = JSON.parse(lines[index('neighborhood-13')]!.replace(/,$/, ''));
        const target = index('neighborhood-78');
        const feature = JSON.parse(lines[target]!.replace(/,$/, ''));
        feature.geometry = brooklyn.geometry;
        lines[target] = JSON.stringify(feature) + (lines[target]!.endsWith(',') ? ',' : '');
        return lines.join('\n');
      });
      const error = await refusalOf(copy.dir);
      expect(error.issues).toEqual([
        expect.stringMatching(/^divisions\.geojson \(key "neighborhood-(13|78)"\): overlaps "neighborhood-(13|78)" with no boundary agreement on record, and divisions of kind NEIGHBORHOOD overlap only by agreement/),
      ]);

      const ids = Object.fromEntries(
        (await api.db.select().from(divisions).where(eq(divisions.jurisdictionId, api.jurisdictionId))).filter((d) => ['neighborhood-13', 'neighborhood-78'].includes(d.sourceKey)).map((d) => [d.sourceKey, d.id]),
      );
      const [low, high] = [ids['neighborhood-13']!, ids['neighborhood-78']!].sort((a, b) => a - b);
      const [agreement] = await api.db.insert(boundaryAgreements).values({ jurisdictionId: api.jurisdictionId, divisionId: low!, otherDivisionId: high!, signedOn: '2020-01-01' }).returning();
      try {
        await importDataset(api.db, copy.dir);
      } finally {
        await api.db.delete(boundaryAgreements).where(eq(boundaryAgreements.id, agreement!.id));
      }
    } finally {
      await copy.remove();
      await importDataset(api.db, portlandDatasetDir); // Portland's own boundaries again
    }
  });
});

describe('kindInfo', () => {
  it("lists a jurisdiction's kinds with their policies, in display order", async () => {
    const { data, errors } = await api.execute(`{ jurisdiction(slug: "testville") {
      divisionKinds { code category name pluralName overlapPolicy locate sortOrder }
      organizationKinds { code category name recognitionModel registrationTermMonths locate } } }`);
    expect(errors).toBeUndefined();
    expect(data!.jurisdiction.divisionKinds).toEqual([
      { code: 'COUNCIL_DISTRICT', category: 'COUNCIL_DISTRICT', name: 'Council district', pluralName: 'Council districts', overlapPolicy: 'NEVER', locate: 'ONE', sortOrder: 1 },
      { code: 'RCO_AREA', category: 'ORGANIZATION_AREA', name: 'RCO area', pluralName: 'RCO areas', overlapPolicy: 'FREELY', locate: 'NONE', sortOrder: 2 },
    ]);
    expect(data!.jurisdiction.organizationKinds[0]).toEqual({
      code: 'REGISTERED_COMMUNITY_ORGANIZATION', category: 'COMMUNITY_ORGANIZATION', name: 'Registered community organization', recognitionModel: 'REGISTRATION', registrationTermMonths: 24, locate: 'ALL',
    });
  });

  it("names a kind in the request's language, and in the city's default where it has no name in that language", async () => {
    const query = `{ organization(slug: "north-neighbors", jurisdiction: "testville") { kindInfo { name pluralName } } division(ocdId: "ocd-division/country:us/state:zz/place:testville/rco_area:north", jurisdiction: "testville") { kindInfo { name } } }`;
    const en = await api.execute(query);
    expect(en.data!.organization.kindInfo).toEqual({ name: 'Registered community organization', pluralName: 'Registered community organizations' });
    const es = await api.execute(query.replace(/kindInfo \{ name pluralName \}/, 'kindInfo { name(locale: "es") pluralName(locale: "es") }').replace('kindInfo { name } }', 'kindInfo { name(locale: "es") } }'));
    expect(es.errors).toBeUndefined();
    expect(es.data!.organization.kindInfo).toEqual({ name: 'Organización comunitaria registrada', pluralName: 'Organizaciones comunitarias registradas' });
    expect(es.data!.division.kindInfo).toEqual({ name: 'RCO area' }); // no Spanish name: the default's
  });

  it('names a kind by Accept-Language too', async () => {
    const { data } = await api.execute(`{ organization(slug: "buckman") { kindInfo { code category name } } }`, {}, { acceptLanguage: 'es' });
    expect(data!.organization.kindInfo).toEqual({ code: 'NEIGHBORHOOD_ASSOCIATION', category: 'NEIGHBORHOOD_ASSOCIATION', name: 'Neighborhood association' });
  });

  it('reads OTHER in the deprecated kind enums for a code outside them, and the code in kindInfo', async () => {
    const { data, errors } = await api.execute(`{ organization(slug: "wide-civic", jurisdiction: "testville") { kind kindInfo { code } division { kind kindInfo { code } } } }`);
    expect(errors).toBeUndefined();
    expect(data!.organization).toEqual({ kind: 'OTHER', kindInfo: { code: 'REGISTERED_COMMUNITY_ORGANIZATION' }, division: { kind: 'OTHER', kindInfo: { code: 'RCO_AREA' } } });
    const portland = await api.execute(`{ organization(slug: "buckman") { kind division { kind } } }`);
    expect(portland.data!.organization).toEqual({ kind: 'NEIGHBORHOOD_ASSOCIATION', division: { kind: 'NEIGHBORHOOD' } });
  });
});

describe('kindCode and category filters', () => {
  it('filters organizations and divisions by kind code and by category', async () => {
    const { data, errors } = await api.execute(`{
      byCode: organizations(jurisdiction: "testville", filter: { kindCode: ["REGISTERED_COMMUNITY_ORGANIZATION"] }) { totalCount nodes { slug } }
      byCategory: organizations(jurisdiction: "testville", filter: { category: [COUNCIL] }) { nodes { slug } }
      unknown: organizations(jurisdiction: "testville", filter: { kindCode: ["NO_SUCH_KIND"] }) { totalCount }
      oldEnum: organizations(filter: { kind: NEIGHBORHOOD_ASSOCIATION }) { totalCount }
      newCode: organizations(filter: { kindCode: ["NEIGHBORHOOD_ASSOCIATION"] }) { totalCount }
      areas: divisions(jurisdiction: "testville", filter: { category: [ORGANIZATION_AREA] }) { nodes { name } }
      districts: divisions(jurisdiction: "testville", filter: { kindCode: ["COUNCIL_DISTRICT"] }) { totalCount }
      councilDistricts(jurisdiction: "testville") { name }
    }`);
    expect(errors).toBeUndefined();
    expect(data!.byCode).toEqual({ totalCount: 2, nodes: [{ slug: 'north-neighbors' }, { slug: 'wide-civic' }] });
    expect(data!.byCategory.nodes).toEqual([{ slug: 'city-council' }]);
    expect(data!.unknown.totalCount).toBe(0);
    expect(data!.newCode.totalCount).toBe(data!.oldEnum.totalCount);
    expect(data!.oldEnum.totalCount).toBeGreaterThan(90);
    expect(data!.areas.nodes).toEqual([{ name: 'North Neighbors area' }, { name: 'Wide Civic area' }]);
    expect(data!.districts.totalCount).toBe(2);
    expect(data!.councilDistricts).toEqual([{ name: 'District 1' }, { name: 'District 2' }]);
  });
});

describe('locate by kind', () => {
  it('reports every RCO containing the point (ALL), one council district (ONE), and no RCO area (NONE)', async () => {
    const { data, errors } = await api.execute(`{ locate(latitude: 0.5, longitude: 0.5, jurisdiction: "testville") {
      isInJurisdiction
      organizations { slug kindInfo { code } }
      rcos: organizations(kindCode: ["REGISTERED_COMMUNITY_ORGANIZATION"]) { slug }
      councils: organizations(category: [COUNCIL]) { slug }
      locatedDivisions { name }
      divisions { name }
    } }`);
    expect(errors).toBeUndefined();
    expect(data!.locate.organizations).toEqual([
      { slug: 'north-neighbors', kindInfo: { code: 'REGISTERED_COMMUNITY_ORGANIZATION' } },
      { slug: 'wide-civic', kindInfo: { code: 'REGISTERED_COMMUNITY_ORGANIZATION' } },
    ]);
    expect(data!.locate.rcos).toEqual([{ slug: 'north-neighbors' }, { slug: 'wide-civic' }]);
    expect(data!.locate.councils).toEqual([]);
    expect(data!.locate.locatedDivisions).toEqual([{ name: 'District 1' }]);
    expect(data!.locate.divisions.map((d: { name: string }) => d.name).sort()).toEqual(['District 1', 'North Neighbors area', 'Wide Civic area']);
  });

  it('reports Buckman in Portland as before, and its association through Location.organizations', async () => {
    const { data, errors } = await api.execute(`{ locate(latitude: 45.5168, longitude: -122.6535) {
      councilDistrict { name } neighborhoods { name } neighborhoodAssociations { slug }
      organizations(kindCode: ["NEIGHBORHOOD_ASSOCIATION"]) { slug }
    } }`);
    expect(errors).toBeUndefined();
    expect(data!.locate.neighborhoodAssociations).toEqual([{ slug: 'buckman' }]);
    expect(data!.locate.organizations).toEqual([{ slug: 'buckman' }]);
  });

  it('answers empty outside every division of the city, without an error', async () => {
    const { data, errors } = await api.execute(`{ locate(latitude: 10, longitude: 10, jurisdiction: "testville") { isInJurisdiction organizations { slug } locatedDivisions { name } } }`);
    expect(errors).toBeUndefined();
    expect(data!.locate).toEqual({ isInJurisdiction: false, organizations: [], locatedDivisions: [] });
  });
});

it('keeps KINDS_HEADER the format\'s columns', async () => {
  const { KIND_COLUMNS } = await import('../../src/datasets/format.ts');
  expect(KINDS_HEADER).toBe(KIND_COLUMNS.join(','));
});
