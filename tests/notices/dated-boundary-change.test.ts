/**
 * A dated boundary change (issue 15): `associationBoundarySet` with `effectiveOn` keeps the old
 * boundary as an earlier version of the area, so `noticeRecipients` and `locate` move an address
 * from one association to another on the change's effective day, not before.
 */
import { count, isNotNull } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { divisions } from '../../src/db/schema/index.ts';
import { parseGlobalId } from '../../src/graphql/global-id.ts';
import { addDays } from '../../src/input/calendar.ts';
import { createAssociation, expectNothingChanged, idOfSlug, square, USER_ERRORS } from '../organizations/associations-support.ts';
import { createTestApi, type TestApi } from '../helpers/test-api.ts';

let api: TestApi;
beforeAll(async () => {
  api = await createTestApi();
});
afterAll(() => api?.dispose());

// Found from the Portland layer (tests/organizations/associations-boundary.test.ts): a point deep inside
// Buckman (SE 16th Ave), and another inside Buckman about 600 m west of it.
const SITE = { latitude: 45.5197, longitude: -122.6489 };
const WEST_IN_BUCKMAN = { latitude: 45.5197, longitude: -122.6565 };
/** Inside the unclaimed area "MC Unclaimed #11": no association's area. */
const IN_UNCLAIMED = { latitude: 45.46127, longitude: -122.66978 };
/** The change takes effect after today (2026-12-07 when written): scheduled ahead, as councils adopt them. */
const EFFECTIVE = '2027-01-01';

const SET = /* GraphQL */ `
  mutation Set($input: AssociationBoundarySetInput!) {
    associationBoundarySet(input: $input) {
      division { id validFrom validUntil versionOf { id } }
      ${USER_ERRORS}
    }
  }
`;

async function setBoundary(input: Record<string, unknown>) {
  const { data, errors } = await api.execute(SET, { input }, { viewer: api.staff() });
  expect(errors).toBeUndefined();
  return data!.associationBoundarySet;
}

/** The neighborhood associations `noticeRecipients` names for Neighborhood Contact at the site. */
async function contacted(filedOn: string): Promise<string[]> {
  const { data, errors } = await api.execute(
    `query($filedOn: Date) { noticeRecipients(procedure: "NEIGHBORHOOD_CONTACT", latitude: ${SITE.latitude}, longitude: ${SITE.longitude}, filedOn: $filedOn) {
      recipients { organization { slug kindInfo { code } } } } }`,
    { filedOn },
  );
  expect(errors).toBeUndefined();
  return data!.noticeRecipients.recipients.filter((r: any) => r.organization.kindInfo.code === 'NEIGHBORHOOD_ASSOCIATION').map((r: any) => r.organization.slug);
}

/** The neighborhood divisions `locate` finds at the site on `at`, with their associations. */
async function located(at: string): Promise<Array<{ id: string; validFrom: string | null; validUntil: string | null; versionOf: { id: string } | null; organizations: { slug: string }[] }>> {
  const { data, errors } = await api.execute(
    `query($at: Date) { locate(latitude: ${SITE.latitude}, longitude: ${SITE.longitude}, at: $at) {
      divisions { id kind validFrom validUntil versionOf { id } organizations(at: $at) { slug } } } }`,
    { at },
  );
  expect(errors).toBeUndefined();
  return data!.locate.divisions.filter((d: any) => d.kind === 'NEIGHBORHOOD');
}

async function areaOf(slug: string): Promise<{ id: string; validFrom: string | null; boundary: any }> {
  const { data } = await api.execute(`query($slug: String!) { organization(slug: $slug) { division { id validFrom boundary } } }`, { slug });
  return data!.organization.division;
}

describe('a dated boundary change', () => {
  it('moves the site from Buckman to Kerns on its effective day, and not before', async () => {
    const buckman = await idOfSlug(api, 'buckman');
    const kerns = await idOfSlug(api, 'kerns');
    const buckmanArea = await areaOf('buckman');
    const kernsArea = await areaOf('kerns');
    const dayBefore = addDays(EFFECTIVE, -1);
    expect(await contacted(dayBefore)).toEqual(['buckman']);

    // Buckman shrinks to its western part, and Kerns takes the site, both from EFFECTIVE. Kerns'
    // new area lies inside Buckman's old one: no overlap, since the two never hold at once.
    const shrink = await setBoundary({ organizationId: buckman, boundary: square(WEST_IN_BUCKMAN.longitude, WEST_IN_BUCKMAN.latitude, 0.002), effectiveOn: EFFECTIVE });
    expect(shrink.userErrors).toEqual([]);
    // The payload's division is the area itself (what organizations point at), now from EFFECTIVE.
    expect(shrink.division).toEqual({ id: buckmanArea.id, validFrom: EFFECTIVE, validUntil: null, versionOf: null });
    const grow = await setBoundary({ organizationId: kerns, boundary: square(SITE.longitude, SITE.latitude, 0.001), effectiveOn: EFFECTIVE });
    expect(grow.userErrors).toEqual([]);
    expect(grow.division).toMatchObject({ id: kernsArea.id, validFrom: EFFECTIVE });

    // noticeRecipients: the filing date decides which boundary holds.
    expect(await contacted(dayBefore)).toEqual(['buckman']);
    expect(await contacted(EFFECTIVE)).toEqual(['kerns']);
    expect(await contacted(addDays(EFFECTIVE, 400))).toEqual(['kerns']);

    // locate: before the change, the earlier version of Buckman's area, which serves Buckman.
    const before = await located(dayBefore);
    expect(before).toHaveLength(1);
    expect(before[0]).toMatchObject({ validUntil: EFFECTIVE, versionOf: { id: buckmanArea.id }, organizations: [{ slug: 'buckman' }] });
    expect(before[0]!.id).not.toBe(buckmanArea.id);
    const after = await located(EFFECTIVE);
    expect(after).toEqual([expect.objectContaining({ id: kernsArea.id, validFrom: EFFECTIVE, versionOf: null, organizations: [{ slug: 'kerns' }] })]);

    // The earlier version keeps the old boundary; the area has the new one.
    const { data } = await api.execute(`query($id: ID!) { node(id: $id) { ... on Division { boundary ocdId } } }`, { id: before[0]!.id });
    expect(data!.node.boundary).toEqual(buckmanArea.boundary);
    expect((await areaOf('buckman')).boundary.coordinates[0][0]).toHaveLength(5);
  });

  it('replaces the scheduled boundary when given the same day again, so a retry adds no version', async () => {
    const buckman = await idOfSlug(api, 'buckman');
    const versions = async () => (await api.db.select({ n: count() }).from(divisions).where(isNotNull(divisions.versionOf)))[0]!.n;
    const before = await versions();
    const again = await setBoundary({ organizationId: buckman, boundary: square(WEST_IN_BUCKMAN.longitude, WEST_IN_BUCKMAN.latitude, 0.0015), effectiveOn: EFFECTIVE });
    expect(again.userErrors).toEqual([]);
    expect(again.division.validFrom).toBe(EFFECTIVE);
    expect(await versions()).toBe(before);
    expect(await contacted(addDays(EFFECTIVE, -1))).toEqual(['buckman']);
  });

  it('refuses a change dated before the latest boundary took effect, and one after the area ends, changing nothing', async () => {
    const buckman = await idOfSlug(api, 'buckman');
    const boundary = square(WEST_IN_BUCKMAN.longitude, WEST_IN_BUCKMAN.latitude, 0.001);
    await expectNothingChanged(api, async () => {
      const early = await setBoundary({ organizationId: buckman, boundary, effectiveOn: addDays(EFFECTIVE, -1) });
      expect(early.division).toBeNull();
      expect(early.userErrors).toEqual([expect.objectContaining({ code: 'OUT_OF_ORDER', field: ['input', 'effectiveOn'] })]);
      expect(early.userErrors[0].message).toContain(EFFECTIVE);
    });

    // A new association that dissolves on 2027-06-30: its first area cannot start on that day.
    const shortLived = await createAssociation(api, 'Short-Lived Neighbors');
    // No mutation dissolves an association yet: the dataset's way (a dissolution date) set directly.
    await api.db.execute(`update organizations set status = 'DISSOLVED', dissolved_on = '2027-06-30' where id = ${parseGlobalId(shortLived)!.id}`);
    await expectNothingChanged(api, async () => {
      const late = await setBoundary({ organizationId: shortLived, boundary: square(IN_UNCLAIMED.longitude, IN_UNCLAIMED.latitude, 0.002), effectiveOn: '2027-06-30' });
      expect(late.division).toBeNull();
      expect(late.userErrors).toEqual([expect.objectContaining({ code: 'INVALID_DATE_RANGE', field: ['input', 'effectiveOn'] })]);
    });
    // The day before is accepted: the area starts then and ends with the association.
    const inTime = await setBoundary({ organizationId: shortLived, boundary: square(IN_UNCLAIMED.longitude, IN_UNCLAIMED.latitude, 0.002), effectiveOn: '2027-06-29' });
    expect(inTime.userErrors).toEqual([]);
    expect(inTime.division).toMatchObject({ validFrom: '2027-06-29', validUntil: '2027-06-30', versionOf: null });
  });
});
