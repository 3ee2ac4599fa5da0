import { sql } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { createTestApi, type TestApi } from '../helpers/test-api.ts';

// Real places, checked against the City's boundaries.
const BUCKMAN_SCHOOL = { latitude: 45.5197, longitude: -122.6489 }; // SE 16th Ave: Buckman, District 3
const LENTS_PARK = { latitude: 45.4826, longitude: -122.5642 }; // Lents, District 1
const MAYWOOD_PARK = { latitude: 45.5526, longitude: -122.5618 }; // a separate city enclosed by District 1
const SEATTLE = { latitude: 47.6062, longitude: -122.3321 };

const LOCATE = /* GraphQL */ `
  query Locate($latitude: Float!, $longitude: Float!, $at: Date) {
    locate(latitude: $latitude, longitude: $longitude, at: $at) {
      at
      isInJurisdiction
      councilDistrict { name ocdId }
      neighborhoods { name }
      neighborhoodAssociations { name slug }
      districtCoalitions { name shortName }
      businessDistricts { name }
      divisions { kind name }
    }
  }
`;

let api: TestApi;
beforeAll(async () => {
  api = await createTestApi();
});
afterAll(() => api.dispose());
afterEach(() => {
  vi.useRealTimers();
});

describe('councilDistricts', () => {
  it('lists the four council districts with their boundaries and OCD ids', async () => {
    const { data, errors } = await api.execute(`{ councilDistricts { name kind ocdId validFrom boundary bbox councilPost { label maxHolders } } }`);
    expect(errors).toBeUndefined();
    const districts = data!.councilDistricts;
    expect(districts).toHaveLength(4);
    expect(districts.map((d: any) => d.ocdId)).toEqual([1, 2, 3, 4].map((n) => `ocd-division/country:us/state:or/place:portland/council_district:${n}`));
    for (const d of districts) {
      expect(d.kind).toBe('COUNCIL_DISTRICT');
      expect(d.boundary.type).toBe('MultiPolygon');
      expect(d.bbox).toHaveLength(4);
      expect(d.councilPost.maxHolders).toBe(3);
    }
  });

  it('lists none before the districts were adopted', async () => {
    const { data } = await api.execute(`{ councilDistricts(at: "2020-01-01") { name } }`);
    expect(data!.councilDistricts).toEqual([]);
  });
});

describe('division', () => {
  it('finds a division by OCD id and again by its global id', async () => {
    const ocdId = 'ocd-division/country:us/state:or/place:portland/council_district:2';
    const byOcd = await api.execute(`query($o: String) { division(ocdId: $o) { id name parent { kind } } }`, { o: ocdId });
    expect(byOcd.data!.division.parent.kind).toBe('CITY');
    const byId = await api.execute(`query($id: ID) { division(id: $id) { ocdId } }`, { id: byOcd.data!.division.id });
    expect(byId.data!.division.ocdId).toBe(ocdId);
  });

  it('returns null for an OCD id that does not exist', async () => {
    const { data, errors } = await api.execute(`{ division(ocdId: "ocd-division/country:us/state:or/place:portland/council_district:9") { id } }`);
    expect(errors).toBeUndefined();
    expect(data!.division).toBeNull();
  });

  it('refuses an id of another type with BAD_USER_INPUT', async () => {
    const { data } = await api.execute(`{ organization(slug: "buckman") { id } }`);
    const { errors } = await api.execute(`query($id: ID) { division(id: $id) { id } }`, { id: data!.organization.id });
    expect(errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(errors?.[0]?.message).toMatch(/must be the id of a Division/);
  });

  it('reports neighborhood overlaps with council districts', async () => {
    const { data } = await api.execute(
      `{ divisions(filter: { kind: NEIGHBORHOOD, nameContains: "buckman" }) { nodes { name overlaps(kind: COUNCIL_DISTRICT) { share division { name } } } } }`,
    );
    const [buckman] = data!.divisions.nodes;
    expect(buckman.overlaps[0].division.name).toMatch(/3/);
    expect(buckman.overlaps[0].share).toBeGreaterThan(0.95);
  });
});

describe('divisions', () => {
  it('counts 98 neighborhoods: 94 associations and 4 unclaimed areas', async () => {
    const { data } = await api.execute(`{ divisions(filter: { kind: NEIGHBORHOOD }) { totalCount } unclaimed: divisions(filter: { kind: NEIGHBORHOOD, nameContains: "unclaimed" }) { totalCount nodes { organizations { id } } } }`);
    expect(data!.divisions.totalCount).toBe(98);
    expect(data!.unclaimed.totalCount).toBe(4);
    for (const area of data!.unclaimed.nodes) expect(area.organizations).toEqual([]);
  });
});

describe('locate', () => {
  it('places Buckman in District 3, the Buckman association and Southeast Uplift before July 2024', async () => {
    const { data, errors } = await api.execute(LOCATE, { ...BUCKMAN_SCHOOL, at: '2024-06-30' });
    expect(errors).toBeUndefined();
    const loc = data!.locate;
    expect(loc.isInJurisdiction).toBe(true);
    expect(loc.councilDistrict.ocdId).toMatch(/council_district:3$/);
    expect(loc.neighborhoods.map((n: any) => n.name)).toEqual(['Buckman']);
    expect(loc.neighborhoodAssociations.map((o: any) => o.slug)).toEqual(['buckman']);
    expect(loc.districtCoalitions.map((c: any) => c.shortName)).toEqual(['SEUL']);
  });

  it('places Buckman with the District 3 coalition office from July 2024', async () => {
    const { data } = await api.execute(LOCATE, { ...BUCKMAN_SCHOOL, at: '2024-07-01' });
    expect(data!.locate.districtCoalitions.map((c: any) => c.name)).toEqual(['District 3 Coalition (SEUL)']);
  });

  it('answers for today when no date is given', async () => {
    const { data } = await api.execute(LOCATE, LENTS_PARK);
    const loc = data!.locate;
    expect(loc.at).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(loc.councilDistrict.ocdId).toMatch(/council_district:1$/);
    expect(loc.neighborhoodAssociations.map((o: any) => o.name)).toEqual(['Lents']);
    expect(loc.districtCoalitions.map((c: any) => c.name)).toEqual(['District 1 Coalition (CNN)']);
  });

  it("takes today in the city's time zone, not the server's", async () => {
    // 03:00 UTC on 1 July 2024 is still 30 June in Portland: the old coalitions are in effect.
    vi.setSystemTime(new Date('2024-07-01T03:00:00Z'));
    const { data } = await api.execute(LOCATE, BUCKMAN_SCHOOL);
    expect(data!.locate.at).toBe('2024-06-30');
    expect(data!.locate.districtCoalitions.map((c: any) => c.shortName)).toEqual(['SEUL']);
  });

  it("gives the association's own coalition where it differs from the district's office", async () => {
    // A corner of Brooklyn inside District 3; Brooklyn's office since 2024 is District 4's.
    const { data } = await api.execute(LOCATE, { latitude: 45.5009, longitude: -122.6603, at: '2024-07-01' });
    expect(data!.locate.councilDistrict.ocdId).toMatch(/council_district:3$/);
    expect(data!.locate.neighborhoodAssociations.map((o: any) => o.slug)).toEqual(['brooklyn']);
    expect(data!.locate.districtCoalitions.map((c: any) => c.name)).toEqual(['District 4 Coalition (NWNW)']);
  });

  it('returns an empty result for a point outside the city', async () => {
    const { data, errors } = await api.execute(LOCATE, SEATTLE);
    expect(errors).toBeUndefined();
    expect(data!.locate).toMatchObject({ isInJurisdiction: false, councilDistrict: null, neighborhoods: [], neighborhoodAssociations: [], districtCoalitions: [], divisions: [] });
  });

  it('returns an empty result inside a hole of a district (Maywood Park is its own city)', async () => {
    const { data } = await api.execute(LOCATE, MAYWOOD_PARK);
    expect(data!.locate.isInJurisdiction).toBe(false);
    expect(data!.locate.councilDistrict).toBeNull();
  });

  it.each([
    [{ latitude: 91, longitude: -122.6 }, /latitude must be between -90 and 90/],
    [{ latitude: 45.5, longitude: -181 }, /longitude must be between -180 and 180/],
  ])('refuses the invalid coordinate %o with BAD_USER_INPUT', async (point, message) => {
    const { data, errors } = await api.execute(LOCATE, point);
    expect(data).toBeNull();
    expect(errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(errors?.[0]?.message).toMatch(message);
  });

  it('refuses a date that is not a calendar date', async () => {
    const { errors } = await api.execute(LOCATE, { ...BUCKMAN_SCHOOL, at: '2024-02-30' });
    expect(errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(errors?.[0]?.message).toMatch(/YYYY-MM-DD/);
  });

  it('answers from cached boundaries once warm: one statement, not reading a boundary', async () => {
    await api.execute(LOCATE, LENTS_PARK);
    api.statements.reset();
    const { data } = await api.execute(LOCATE, LENTS_PARK);
    expect(data!.locate.neighborhoodAssociations.map((o: any) => o.name)).toEqual(['Lents']);
    expect(data!.locate.districtCoalitions.map((c: any) => c.name)).toEqual(['District 1 Coalition (CNN)']);
    // Candidates by bounding box (no boundary column) with their organizations and coalitions,
    // besides the jurisdiction's lookup by slug (cached elsewhere, when it is).
    const statements = api.statements.log.filter((statement) => !statement.includes(' from "jurisdictions" '));
    expect(api.statements.log.length - statements.length).toBeLessThanOrEqual(1);
    expect(statements).toHaveLength(1);
    for (const statement of statements) expect(statement.split(' from ')[0]).not.toMatch(/"boundary"/);
  });

  it('loads the city\'s boundaries with the first locate: a point elsewhere then needs no boundary statement', async () => {
    const fresh = await createTestApi(); // its own database, so an empty boundary cache
    try {
      const others = (log: string[]) => log.filter((statement) => !statement.includes(' from "jurisdictions" '));
      fresh.statements.reset();
      await fresh.execute(LOCATE, LENTS_PARK);
      const reading = others(fresh.statements.log).filter((statement) => statement.split(' from ')[0]!.includes('"boundary"'));
      expect(reading).toHaveLength(1); // one statement for all of them
      fresh.statements.reset();
      const { data } = await fresh.execute(LOCATE, BUCKMAN_SCHOOL);
      expect(data!.locate.neighborhoods.map((n: any) => n.name)).toEqual(['Buckman']);
      expect(others(fresh.statements.log)).toHaveLength(1); // candidates only, in another district
    } finally {
      await fresh.dispose();
    }
  });

  it('reads the boundaries once when many first locates arrive together (single flight)', async () => {
    const fresh = await createTestApi(); // its own database, so an empty boundary cache
    try {
      fresh.statements.reset();
      const answers = await Promise.all(Array.from({ length: 20 }, (_, i) => fresh.execute(LOCATE, i % 2 ? LENTS_PARK : BUCKMAN_SCHOOL)));
      for (const [i, { data, errors }] of answers.entries()) {
        expect(errors).toBeUndefined();
        expect(data!.locate.neighborhoods.map((n: any) => n.name)).toEqual([i % 2 ? 'Lents' : 'Buckman']);
      }
      // Twenty requests missed the cache at once; one of them read the city's boundaries for all.
      const reading = fresh.statements.log.filter((statement) => statement.split(' from ')[0]!.includes('"boundary"'));
      expect(reading).toHaveLength(1);
    } finally {
      await fresh.dispose();
    }
  });

  it('keeps its boundaries across requests when reads are spread over several replicas', async () => {
    // With two or more replicas every request reads through its own pinned view of one of them; a
    // cache kept per view would fetch every boundary of the city again on every request.
    const replicated = await createTestApi({ readReplicas: 2 });
    try {
      const readingBoundaries = (log: string[]) => log.filter((statement) => statement.split(' from ')[0]!.includes('"boundary"'));
      replicated.statements.reset();
      await replicated.execute(LOCATE, LENTS_PARK);
      expect(readingBoundaries(replicated.statements.log)).toHaveLength(1);
      replicated.statements.reset();
      const { data } = await replicated.execute(LOCATE, BUCKMAN_SCHOOL);
      expect(data!.locate.neighborhoods.map((n: any) => n.name)).toEqual(['Buckman']);
      expect(readingBoundaries(replicated.statements.log)).toEqual([]);
    } finally {
      await replicated.dispose();
    }
  });

  it('uses a redrawn boundary in the very next answer (cached boundaries are per row version)', async () => {
    await api.execute(LOCATE, BUCKMAN_SCHOOL);
    const result: any = await api.db.execute(sql`select id, boundary from divisions where kind = 'NEIGHBORHOOD' and name = 'Buckman'`);
    // execute() answers with rows on PostgreSQL and with { rows } on PGlite.
    const [buckman] = (Array.isArray(result) ? result : result.rows) as { id: number; boundary: unknown }[];
    // A small square in the same bounding box that leaves the school out: only the exact test changes.
    const elsewhere = { type: 'MultiPolygon', coordinates: [[[[-122.6600, 45.5100], [-122.6590, 45.5100], [-122.6590, 45.5110], [-122.6600, 45.5110], [-122.6600, 45.5100]]]] };
    try {
      await api.db.execute(sql`update divisions set boundary = ${JSON.stringify(elsewhere)}::jsonb where id = ${buckman!.id}`);
      const { data } = await api.execute(LOCATE, BUCKMAN_SCHOOL);
      expect(data!.locate.neighborhoods).toEqual([]);
    } finally {
      await api.db.execute(sql`update divisions set boundary = ${JSON.stringify(buckman!.boundary)}::jsonb where id = ${buckman!.id}`);
    }
    const { data } = await api.execute(LOCATE, BUCKMAN_SCHOOL);
    expect(data!.locate.neighborhoods.map((n: any) => n.name)).toEqual(['Buckman']);
  });

  it('refuses an unknown jurisdiction', async () => {
    const { errors } = await api.execute(`{ locate(latitude: 45.5, longitude: -122.6, jurisdiction: "atlantis") { isInJurisdiction } }`);
    expect(errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(errors?.[0]?.message).toMatch(/atlantis/);
  });
});
