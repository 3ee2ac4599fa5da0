import { and, eq, or } from 'drizzle-orm';
import type { Polygon, Position } from 'geojson';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Viewer } from '../../src/auth/viewer.ts';
import { boundaryAgreements } from '../../src/db/schema/index.ts';
import { parseGlobalId } from '../../src/graphql/global-id.ts';
import { createTestApi, type TestApi } from '../helpers/test-api.ts';
import { changed, changeHistory, createAssociation, expectNothingChanged, idOfSlug, missingId, square, USER_ERRORS, viewers } from './associations-support.ts';

let api: TestApi;
beforeAll(async () => {
  api = await createTestApi();
});
afterAll(() => api.dispose());

const SET = /* GraphQL */ `
  mutation Set($input: AssociationBoundarySetInput!) {
    associationBoundarySet(input: $input) {
      organization { id slug boundary councilDistricts { share division { name } } }
      division { id ocdId kind name validFrom validUntil bbox boundary parent { ocdId } overlaps { share division { kind name } } }
      ${USER_ERRORS}
    }
  }
`;

async function setBoundary(input: Record<string, unknown>, options: { viewer?: Viewer } = { viewer: api.staff() }) {
  const result = await api.execute(SET, { input }, options);
  return { ...result, payload: result.data?.associationBoundarySet };
}


// Found from the Portland layer: a point deep inside Buckman (SE 16th Ave), and one inside the
// unclaimed area "MC Unclaimed #11"; the large square covers Buckman and parts of five neighbors.
const IN_BUCKMAN = { lon: -122.6489, lat: 45.5197 };
const IN_UNCLAIMED = { lon: -122.66978, lat: 45.46127 };
const AROUND_BUCKMAN = square(IN_BUCKMAN.lon, IN_BUCKMAN.lat, 0.012);
const NEIGHBORS_OF_THE_LARGE_SQUARE = ['Hosford-Abernethy', 'Kerns', 'Lloyd', "Sullivan's Gulch", 'Sunnyside'];
const NEIGHBOR_SLUGS = ['hosford-abernethy', 'kerns', 'lloyd', 'sullivans-gulch', 'sunnyside'];

async function divisionOf(slug: string): Promise<{ id: string; name: string }> {
  const { data } = await api.execute(`query($slug: String!) { organization(slug: $slug) { division { id name } } }`, { slug });
  return data!.organization.division;
}

const AGREEMENTS = /* GraphQL */ `
  query($id: ID!) { node(id: $id) { ... on Division { overlapAgreements { signedOn documentUrl division { name } } } } }
`;

describe('associationBoundarySet', () => {
  it("creates a new association's neighborhood division, with its OCD id and council-district overlap", async () => {
    const organizationId = await createAssociation(api, 'Ladd Circle Commons');
    // A third coordinate (elevation) is allowed and dropped; a Polygon is stored as a MultiPolygon.
    const { payload, errors } = await setBoundary({ organizationId, boundary: square(IN_UNCLAIMED.lon, IN_UNCLAIMED.lat, 0.002, [30]) });
    expect(errors).toBeUndefined();
    expect(payload.userErrors).toEqual([]);
    const { division, organization } = payload;
    expect(division).toMatchObject({
      ocdId: 'ocd-division/country:us/state:or/place:portland/neighborhood:ladd-circle-commons',
      kind: 'NEIGHBORHOOD',
      name: 'Ladd Circle Commons',
      validFrom: null,
      validUntil: null,
      parent: { ocdId: 'ocd-division/country:us/state:or/place:portland' },
    });
    expect(division.boundary.type).toBe('MultiPolygon');
    expect(division.boundary.coordinates[0][0][0]).toHaveLength(2);
    expect(division.bbox).toEqual([IN_UNCLAIMED.lon - 0.002, IN_UNCLAIMED.lat - 0.002, IN_UNCLAIMED.lon + 0.002, IN_UNCLAIMED.lat + 0.002]);
    expect(organization.boundary).toEqual(division.boundary);
    // Overlaps with other kinds of division are computed by the import's rule.
    expect(organization.councilDistricts).toHaveLength(1);
    expect(organization.councilDistricts[0].share).toBe(1);
    expect(division.overlaps).toEqual([{ share: 1, division: { kind: 'COUNCIL_DISTRICT', name: organization.councilDistricts[0].division.name } }]);

    // An unclaimed area is no association: overlapping it needs no agreement.
    const { data } = await api.execute(`{ locate(latitude: ${IN_UNCLAIMED.lat}, longitude: ${IN_UNCLAIMED.lon}) { neighborhoods { name } neighborhoodAssociations { name } } }`);
    expect(data!.locate.neighborhoods.map((n: { name: string }) => n.name).sort()).toEqual(['Ladd Circle Commons', 'MC Unclaimed #11']);
    expect(data!.locate.neighborhoodAssociations).toEqual([{ name: 'Ladd Circle Commons' }]);

    const [divisionEvent] = await changeHistory(api, division.id);
    expect(divisionEvent).toMatchObject({ action: 'associationBoundarySet', subjectType: 'Division', actor: 'staff@example.gov' });
    expect(changed(divisionEvent!, 'boundary')).toEqual({ before: null, after: division.boundary });
    expect(changed(divisionEvent!, 'overlaps')).toEqual({ before: null, after: [expect.objectContaining({ divisionId: parseGlobalId(division.id)!.id, share: 1 })] });
    const [organizationEvent] = await changeHistory(api, organizationId);
    expect(changed(organizationEvent!, 'divisionId')).toEqual({ before: null, after: parseGlobalId(division.id)!.id });
  });

  it("refuses a boundary overlapping another association's without an agreement, naming it", async () => {
    const organizationId = await createAssociation(api, 'Central Buckman Co-op');
    await expectNothingChanged(api, async () => {
      const { payload } = await setBoundary({ organizationId, boundary: square(IN_BUCKMAN.lon, IN_BUCKMAN.lat, 0.001) });
      expect(payload.organization).toBeNull();
      expect(payload.division).toBeNull();
      expect(payload.userErrors).toEqual([
        {
          code: 'BOUNDARY_OVERLAP',
          field: ['input', 'boundary'],
          message: "The boundary overlaps Buckman's and no written agreement between Central Buckman Co-op and Buckman is on record; add one to overlapAgreements if they agreed",
        },
      ]);
    });
  });

  it('accepts the overlap with a written agreement, stores the pair lower id first, and shows it from both sides', async () => {
    const organizationId = await idOfSlug(api, 'central-buckman-co-op');
    const buckman = await idOfSlug(api, 'buckman');
    const { payload } = await setBoundary({
      organizationId,
      boundary: square(IN_BUCKMAN.lon, IN_BUCKMAN.lat, 0.001),
      overlapAgreements: [{ organizationId: buckman, signedOn: '2024-05-01', documentUrl: 'https://example.org/agreements/buckman-coop.pdf' }],
    });
    expect(payload.userErrors).toEqual([]);
    const buckmanDivision = await divisionOf('buckman');

    const fromNew = await api.execute(AGREEMENTS, { id: payload.division.id });
    expect(fromNew.data!.node.overlapAgreements).toEqual([{ signedOn: '2024-05-01', documentUrl: 'https://example.org/agreements/buckman-coop.pdf', division: { name: 'Buckman' } }]);
    const fromBuckman = await api.execute(AGREEMENTS, { id: buckmanDivision.id }); // public
    expect(fromBuckman.data!.node.overlapAgreements).toEqual([{ signedOn: '2024-05-01', documentUrl: 'https://example.org/agreements/buckman-coop.pdf', division: { name: 'Central Buckman Co-op' } }]);

    const newId = parseGlobalId(payload.division.id)!.id;
    const buckmanId = parseGlobalId(buckmanDivision.id)!.id;
    const rows = await api.db
      .select()
      .from(boundaryAgreements)
      .where(or(and(eq(boundaryAgreements.divisionId, buckmanId), eq(boundaryAgreements.otherDivisionId, newId)), eq(boundaryAgreements.divisionId, newId)));
    expect(rows).toEqual([expect.objectContaining({ divisionId: Math.min(buckmanId, newId), otherDivisionId: Math.max(buckmanId, newId), signedOn: '2024-05-01' })]);

    // The agreement is in the change history of both neighborhoods.
    for (const id of [payload.division.id, buckmanDivision.id]) {
      const events = await changeHistory(api, id);
      const agreementEvent = events.find((e) => e.changes.some((c) => c.field.startsWith('boundaryAgreement[')));
      expect(agreementEvent!.action).toBe('associationBoundarySet');
      expect(changed(agreementEvent!, /^boundaryAgreement\[\d+\]\.signedOn$/)).toEqual({ before: null, after: '2024-05-01' });
    }

    const located = await api.execute(`{ locate(latitude: ${IN_BUCKMAN.lat}, longitude: ${IN_BUCKMAN.lon}) { neighborhoodAssociations { name } } }`);
    expect(located.data!.locate.neighborhoodAssociations.map((o: { name: string }) => o.name).sort()).toEqual(['Buckman', 'Central Buckman Co-op']);
  });

  it('refuses to grow an existing boundary over neighbors without agreements, naming every one of them', async () => {
    const buckman = await idOfSlug(api, 'buckman');
    await expectNothingChanged(api, async () => {
      const { payload } = await setBoundary({ organizationId: buckman, boundary: AROUND_BUCKMAN });
      expect(payload.division).toBeNull();
      // The co-op inside Buckman has its agreement on record, so it is not named.
      expect(payload.userErrors.map((e: { code: string }) => e.code)).toEqual(NEIGHBORS_OF_THE_LARGE_SQUARE.map(() => 'BOUNDARY_OVERLAP'));
      expect(payload.userErrors.map((e: { message: string }) => /overlaps (.+)'s and/.exec(e.message)![1])).toEqual(NEIGHBORS_OF_THE_LARGE_SQUARE);
    });
  });

  it('replaces a boundary under agreements, recomputes its overlaps, and then needs no new agreement', async () => {
    const buckman = await idOfSlug(api, 'buckman');
    const before = await api.execute(`{ organization(slug: "buckman") { division { id boundary overlaps { share division { name } } } } }`);
    const neighborIds = await Promise.all(NEIGHBOR_SLUGS.map((s) => idOfSlug(api, s)));
    const { payload } = await setBoundary({
      organizationId: buckman,
      boundary: AROUND_BUCKMAN,
      overlapAgreements: neighborIds.map((organizationId) => ({ organizationId, signedOn: '2023-11-15' })),
    });
    expect(payload.userErrors).toEqual([]);
    expect(payload.division.id).toBe(before.data!.organization.division.id); // updated in place
    expect(payload.division.ocdId).toBe('ocd-division/country:us/state:or/place:portland/neighborhood:buckman');
    expect(payload.division.bbox).toEqual([IN_BUCKMAN.lon - 0.012, IN_BUCKMAN.lat - 0.012, IN_BUCKMAN.lon + 0.012, IN_BUCKMAN.lat + 0.012]);
    expect(payload.division.overlaps).not.toEqual(before.data!.organization.division.overlaps);
    const shares = payload.organization.councilDistricts.map((c: { share: number }) => c.share);
    expect(shares.reduce((a: number, b: number) => a + b, 0)).toBeCloseTo(1, 2);

    const agreements = await api.execute(AGREEMENTS, { id: payload.division.id });
    expect(agreements.data!.node.overlapAgreements.map((a: { division: { name: string } }) => a.division.name).sort()).toEqual(
      ['Central Buckman Co-op', ...NEIGHBORS_OF_THE_LARGE_SQUARE].sort(),
    );

    const events = await changeHistory(api, payload.division.id);
    // Five agreements recorded now, and the co-op's from its own boundary change.
    expect(events.filter((e) => e.changes.some((c) => c.field.startsWith('boundaryAgreement['))).length).toBe(NEIGHBOR_SLUGS.length + 1);
    const event = events.find((e) => changed(e, 'boundary'));
    expect(changed(event!, 'boundary')).toEqual({ before: before.data!.organization.division.boundary, after: payload.division.boundary });
    expect(changed(event!, 'source')!.after).toMatch(/associationBoundarySet/);

    const again = await setBoundary({ organizationId: buckman, boundary: square(IN_BUCKMAN.lon, IN_BUCKMAN.lat, 0.0119) });
    expect(again.payload.userErrors).toEqual([]);
  });

  it('ignores slivers below 0.1% of the smaller area, and keeps the import’s overlap shares for an unchanged boundary', async () => {
    // In the city's own layer, Hayden Island and Kenton share a sliver of 0.009% of Kenton.
    const hayden = await idOfSlug(api, 'hayden-island');
    const query = `{ organization(slug: "hayden-island") { division { boundary overlaps { share division { name } } } } }`;
    const before = await api.execute(query);
    const { payload } = await setBoundary({ organizationId: hayden, boundary: before.data!.organization.division.boundary });
    expect(payload.userErrors).toEqual([]);
    const after = await api.execute(query);
    expect(after.data!.organization.division).toEqual(before.data!.organization.division);
  });

  const valid = square(IN_UNCLAIMED.lon, IN_UNCLAIMED.lat, 0.001);
  const ring = valid.coordinates[0]!;
  /** A closed ring of `n` positions (the last repeats the first) on a circle of ~6 km, off the coast. */
  const circle = (n: number): Polygon => {
    const points: Position[] = Array.from({ length: n - 1 }, (_, i) => [
      Number((-124.5 + 0.05 * Math.cos((2 * Math.PI * i) / (n - 1))).toFixed(6)),
      Number((45.5 + 0.05 * Math.sin((2 * Math.PI * i) / (n - 1))).toFixed(6)),
    ]);
    return { type: 'Polygon', coordinates: [[...points, points[0]!]] };
  };

  const boundaryCases: [string, unknown, string, RegExp][] = [
    ['a ring that is not closed', { type: 'Polygon', coordinates: [ring.slice(0, 4)] }, 'BOUNDARY_INVALID', /coordinates\[0\]: ring is not closed/],
    ['a ring of three positions', { type: 'Polygon', coordinates: [[ring[0], ring[1], ring[0]]] }, 'BOUNDARY_INVALID', /ring has 3 positions; at least 4 are needed/],
    ['a longitude out of range', square(200, 45, 0.001), 'BOUNDARY_INVALID', /longitude 199.999 is outside \[-180, 180\]/],
    ['a latitude out of range', { type: 'MultiPolygon', coordinates: [square(-122.6, 95, 0.001).coordinates] }, 'BOUNDARY_INVALID', /coordinates\[0\]\[0\]\[0\]: latitude 94.999 is outside \[-90, 90\]/],
    ['a point', { type: 'Point', coordinates: [-122.6, 45.5] }, 'BOUNDARY_INVALID', /Polygon or MultiPolygon, not "Point"/],
    ['a line', { type: 'LineString', coordinates: [[-122.6, 45.5], [-122.5, 45.5]] }, 'BOUNDARY_INVALID', /not "LineString"/],
    ['positions that are not numbers', { type: 'Polygon', coordinates: [[['a', 'b'], ['c', 'd'], ['e', 'f'], ['a', 'b']]] }, 'BOUNDARY_INVALID', /coordinates\[0\]\[0\]: a position must be \[longitude, latitude\]/],
    ['no coordinates', { type: 'MultiPolygon' }, 'BOUNDARY_INVALID', /no coordinates/],
    ['an empty MultiPolygon', { type: 'MultiPolygon', coordinates: [] }, 'BOUNDARY_INVALID', /no polygon/],
    ['a ring of one repeated position', { type: 'Polygon', coordinates: [[ring[0], ring[0], ring[0], ring[0]]] }, 'BOUNDARY_INVALID', /coordinates\[0\]: ring has fewer than 3 distinct positions/],
    ['more than 50,000 positions', circle(50_001), 'BOUNDARY_TOO_LARGE', /more than 50,000 positions/],
    ['more than 2,000,000 bytes', { ...valid, description: 'x'.repeat(2_000_001) }, 'BOUNDARY_TOO_LARGE', /more than 2,000,000 bytes as JSON/],
  ];

  it.each(boundaryCases)('refuses %s and stores nothing', async (_title, boundary, code, message) => {
    const organizationId = await idOfSlug(api, 'kenton');
    await expectNothingChanged(api, async () => {
      const { payload, errors } = await setBoundary({ organizationId, boundary });
      expect(errors).toBeUndefined();
      expect(payload.division).toBeNull();
      expect(payload.userErrors).toEqual([{ code, field: ['input', 'boundary'], message: expect.stringMatching(message) }]);
    });
  });

  it('accepts exactly 50,000 positions', async () => {
    const organizationId = await createAssociation(api, 'Round Commons');
    const { payload } = await setBoundary({ organizationId, boundary: circle(50_000) });
    expect(payload.userErrors).toEqual([]);
    expect(payload.division.boundary.coordinates[0][0]).toHaveLength(50_000);
    expect(payload.division.overlaps).toEqual([]); // off the coast: no district, no neighbor
  });

  const inputCases: [string, () => Promise<Record<string, unknown>>, string, string[], RegExp][] = [
    ['a district coalition', async () => ({ organizationId: await idOfSlug(api, 'district-2-coalition'), boundary: valid }), 'WRONG_ORGANIZATION_KIND', ['input', 'organizationId'], /Only neighborhood associations/],
    ['an id that is not an id', async () => ({ organizationId: 'abc', boundary: valid }), 'INVALID_ID', ['input', 'organizationId'], /not a valid id/],
    ['the id of a division', async () => ({ organizationId: (await divisionOf('buckman')).id, boundary: valid }), 'INVALID_ID', ['input', 'organizationId'], /not of a Division/],
    ['the id of no organization', async () => ({ organizationId: missingId('Organization'), boundary: valid }), 'NOT_FOUND', ['input', 'organizationId'], /No organization/],
    ['an agreement with an association it does not overlap', async () => ({
      organizationId: await idOfSlug(api, 'kenton'),
      boundary: valid,
      overlapAgreements: [{ organizationId: await idOfSlug(api, 'kerns'), signedOn: '2024-01-01' }],
    }), 'INVALID_INPUT', ['input', 'overlapAgreements', '0', 'organizationId'], /does not overlap Kerns's/],
    ['an agreement with itself', async () => {
      const id = await idOfSlug(api, 'kenton');
      return { organizationId: id, boundary: valid, overlapAgreements: [{ organizationId: id, signedOn: '2024-01-01' }] };
    }, 'INVALID_INPUT', ['input', 'overlapAgreements', '0', 'organizationId'], /itself/],
    ['the same agreement twice', async () => {
      const buckman = await idOfSlug(api, 'buckman');
      return {
        organizationId: await idOfSlug(api, 'kenton'),
        boundary: valid,
        overlapAgreements: [{ organizationId: buckman, signedOn: '2024-01-01' }, { organizationId: buckman, signedOn: '2024-02-01' }],
      };
    }, 'INVALID_INPUT', ['input', 'overlapAgreements', '1', 'organizationId'], /twice/],
    ['an agreement with a coalition', async () => ({
      organizationId: await idOfSlug(api, 'kenton'),
      boundary: valid,
      overlapAgreements: [{ organizationId: await idOfSlug(api, 'district-1-coalition'), signedOn: '2024-01-01' }],
    }), 'WRONG_ORGANIZATION_KIND', ['input', 'overlapAgreements', '0', 'organizationId'], /not a neighborhood association/],
    ['an agreement signed in the future', async () => ({
      organizationId: await idOfSlug(api, 'kenton'),
      boundary: valid,
      overlapAgreements: [{ organizationId: await idOfSlug(api, 'buckman'), signedOn: '2999-01-01' }],
    }), 'INVALID_INPUT', ['input', 'overlapAgreements', '0', 'signedOn'], /after today/],
    ['an agreement document that is not a web address', async () => ({
      organizationId: await idOfSlug(api, 'kenton'),
      boundary: valid,
      overlapAgreements: [{ organizationId: await idOfSlug(api, 'buckman'), signedOn: '2024-01-01', documentUrl: 'file:///etc/passwd' }],
    }), 'INVALID_INPUT', ['input', 'overlapAgreements', '0', 'documentUrl'], /http/],
    ['more than 50 agreements', async () => ({
      organizationId: await idOfSlug(api, 'kenton'),
      boundary: valid,
      overlapAgreements: Array.from({ length: 51 }, () => ({ organizationId: missingId('Organization'), signedOn: '2024-01-01' })),
    }), 'INVALID_INPUT', ['input', 'overlapAgreements'], /at most 50/],
  ];

  it.each(inputCases)('refuses %s and stores nothing', async (_title, makeInput, code, field, message) => {
    const input = await makeInput();
    await expectNothingChanged(api, async () => {
      const { payload, errors } = await setBoundary(input);
      expect(errors).toBeUndefined();
      expect(payload.division).toBeNull();
      expect(payload.userErrors).toEqual([{ code, field, message: expect.stringMatching(message) }]);
    });
  });

  it('refuses a boundary that is not a GeoJSON object with BAD_USER_INPUT', async () => {
    const organizationId = await idOfSlug(api, 'kenton');
    await expectNothingChanged(api, async () => {
      const { data, errors } = await setBoundary({ organizationId, boundary: 'POLYGON((0 0, 1 0, 1 1, 0 0))' });
      expect(data).toBeUndefined();
      expect(errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    });
  });

  it.each([
    ['the public', 'UNAUTHENTICATED', 'public'],
    ['a partner app', 'FORBIDDEN', 'partner'],
    ['staff of another jurisdiction', 'FORBIDDEN', 'otherStaff'],
  ] as const)('refuses %s with %s and stores nothing', async (_title, code, who) => {
    const organizationId = await idOfSlug(api, 'kenton');
    await expectNothingChanged(api, async () => {
      const { data, errors } = await setBoundary({ organizationId, boundary: valid }, { viewer: viewers(api)[who] });
      expect(data).toBeNull();
      expect(errors?.[0]?.extensions?.code).toBe(code);
    });
  });
});
