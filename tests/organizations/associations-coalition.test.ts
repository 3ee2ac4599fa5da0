import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Viewer } from '../../src/auth/viewer.ts';
import { createTestApi, type TestApi } from '../helpers/test-api.ts';
import { changed, changeHistory, expectNothingChanged, idOfSlug, missingId, USER_ERRORS, viewers } from './associations-support.ts';

let api: TestApi;
beforeAll(async () => {
  api = await createTestApi();
});
afterAll(() => api.dispose());

const MOVE = /* GraphQL */ `
  mutation Move($input: AssociationCoalitionMoveInput!) {
    associationCoalitionMove(input: $input) {
      organization { id name }
      link { kind startDate endDate parent { slug } member { slug } }
      ${USER_ERRORS}
    }
  }
`;

async function move(input: Record<string, unknown>, options: { viewer?: Viewer } = { viewer: api.staff() }) {
  const result = await api.execute(MOVE, { input }, options);
  return { ...result, payload: result.data?.associationCoalitionMove };
}

const LINKS = /* GraphQL */ `
  query($slug: String!) {
    organization(slug: $slug) {
      memberOf(kind: DISTRICT_COALITION) { startDate endDate parent { slug } }
    }
  }
`;

interface Link {
  startDate: string | null;
  endDate: string | null;
  parent: { slug: string };
}

async function coalitionLinks(slug: string): Promise<Link[]> {
  const { data } = await api.execute(LINKS, { slug });
  return data!.organization.memberOf;
}

/** Links ordered by start, each ending the day the next starts, the last one open. */
function expectNoGapOrOverlap(links: Link[]): void {
  for (let i = 1; i < links.length; i++) expect(links[i - 1]!.endDate).toBe(links[i]!.startDate);
  expect(links.at(-1)!.endDate).toBeNull();
}

describe('associationCoalitionMove', () => {
  it('ends the current link on the day the new one starts, with no gap and no overlap', async () => {
    const [buckman, d4] = await Promise.all([idOfSlug(api, 'buckman'), idOfSlug(api, 'district-4-coalition')]);
    const { payload, errors } = await move({ organizationId: buckman, coalitionId: d4, effectiveOn: '2025-09-01' });
    expect(errors).toBeUndefined();
    expect(payload).toEqual({
      organization: { id: buckman, name: 'Buckman' },
      link: { kind: 'DISTRICT_COALITION', startDate: '2025-09-01', endDate: null, parent: { slug: 'district-4-coalition' }, member: { slug: 'buckman' } },
      userErrors: [],
    });
    const links = await coalitionLinks('buckman');
    expect(links).toEqual([
      { startDate: null, endDate: '2024-07-01', parent: { slug: 'seul' } },
      { startDate: '2024-07-01', endDate: '2025-09-01', parent: { slug: 'district-3-coalition' } },
      { startDate: '2025-09-01', endDate: null, parent: { slug: 'district-4-coalition' } },
    ]);
    expectNoGapOrOverlap(links);

    const { data } = await api.execute(`{
      organization(slug: "buckman") { before: coalition(at: "2025-08-31") { slug } after: coalition(at: "2025-09-01") { slug } }
      d3: organization(slug: "district-3-coalition") { memberOrganizations(at: "2025-09-01", first: 100) { nodes { slug } } }
    }`);
    expect(data!.organization).toEqual({ before: { slug: 'district-3-coalition' }, after: { slug: 'district-4-coalition' } });
    expect(data!.d3.memberOrganizations.nodes.map((n: { slug: string }) => n.slug)).not.toContain('buckman');
  });

  it('records one audit event per changed link, readable in the change history', async () => {
    const events = await changeHistory(api, await idOfSlug(api, 'buckman'));
    const [opened, closed] = events;
    expect(opened!.action).toBe('associationCoalitionMove');
    expect(changed(opened!, /^coalitionLink\[\d+\]\.coalition$/)).toEqual({ before: null, after: 'district-4-coalition' });
    expect(changed(opened!, /^coalitionLink\[\d+\]\.startDate$/)).toEqual({ before: null, after: '2025-09-01' });
    expect(closed!.action).toBe('associationCoalitionMove');
    expect(closed!.changes).toEqual([{ field: expect.stringMatching(/^coalitionLink\[\d+\]\.endDate$/), before: null, after: '"2025-09-01"' }]);
  });

  it('gives a coalition to an association that had none', async () => {
    const created = await api.execute(
      `mutation { organizationCreate(input: { kind: NEIGHBORHOOD_ASSOCIATION, name: "Riverside Commons" }) { organization { id } ${USER_ERRORS} } }`,
      {},
      { viewer: api.staff() },
    );
    const id = created.data!.organizationCreate.organization.id;
    const { payload } = await move({ organizationId: id, coalitionId: await idOfSlug(api, 'district-1-coalition'), effectiveOn: '2025-01-15' });
    expect(payload.userErrors).toEqual([]);
    expect(await coalitionLinks('riverside-commons')).toEqual([{ startDate: '2025-01-15', endDate: null, parent: { slug: 'district-1-coalition' } }]);
  });

  const cases: [string, () => Promise<Record<string, unknown>>, string, string[], RegExp][] = [
    ['a move to the coalition it already belongs to', async () => ({ organizationId: await idOfSlug(api, 'buckman'), coalitionId: await idOfSlug(api, 'district-4-coalition'), effectiveOn: '2025-10-01' }), 'COALITION_UNCHANGED', ['input', 'coalitionId'], /already belongs to District 4 Coalition/],
    ['a move on the day the current link starts', async () => ({ organizationId: await idOfSlug(api, 'brooklyn'), coalitionId: await idOfSlug(api, 'district-1-coalition'), effectiveOn: '2024-07-01' }), 'OUT_OF_ORDER', ['input', 'effectiveOn'], /already starts on 2024-07-01/],
    ['a move dated before a later link', async () => ({ organizationId: await idOfSlug(api, 'brooklyn'), coalitionId: await idOfSlug(api, 'necn'), effectiveOn: '2024-03-01' }), 'OUT_OF_ORDER', ['input', 'effectiveOn'], /starting on 2024-07-01/],
    ['a coalition dissolved by that date', async () => ({ organizationId: await idOfSlug(api, 'brooklyn'), coalitionId: await idOfSlug(api, 'seul'), effectiveOn: '2025-01-01' }), 'NOT_FOUND', ['input', 'coalitionId'], /does not exist on 2025-01-01: it was dissolved on 2024-07-01/],
    ['a coalition not yet founded on that date', async () => ({ organizationId: await idOfSlug(api, 'brooklyn'), coalitionId: await idOfSlug(api, 'district-2-coalition'), effectiveOn: '2024-01-01' }), 'NOT_FOUND', ['input', 'coalitionId'], /founded on 2024-07-01/],
    ['a target that is a neighborhood association', async () => ({ organizationId: await idOfSlug(api, 'brooklyn'), coalitionId: await idOfSlug(api, 'kerns'), effectiveOn: '2025-01-01' }), 'WRONG_ORGANIZATION_KIND', ['input', 'coalitionId'], /Kerns is not a district coalition/],
    ['moving a coalition', async () => ({ organizationId: await idOfSlug(api, 'district-1-coalition'), coalitionId: await idOfSlug(api, 'district-2-coalition'), effectiveOn: '2025-01-01' }), 'WRONG_ORGANIZATION_KIND', ['input', 'organizationId'], /Only neighborhood associations/],
    ['moving a business district association', async () => ({ organizationId: await idOfSlug(api, '42nd-avenue'), coalitionId: await idOfSlug(api, 'district-2-coalition'), effectiveOn: '2025-01-01' }), 'WRONG_ORGANIZATION_KIND', ['input', 'organizationId'], /42nd Avenue/],
    ['a coalition id that is not an id', async () => ({ organizationId: await idOfSlug(api, 'brooklyn'), coalitionId: 'District 2', effectiveOn: '2025-01-01' }), 'INVALID_ID', ['input', 'coalitionId'], /not a valid id/],
    ['the id of a division as coalition', async () => {
      const { data } = await api.execute(`{ councilDistricts { id } }`);
      return { organizationId: await idOfSlug(api, 'brooklyn'), coalitionId: data!.councilDistricts[1].id, effectiveOn: '2025-01-01' };
    }, 'INVALID_ID', ['input', 'coalitionId'], /not of a Division/],
    ['the id of no organization', async () => ({ organizationId: missingId('Organization'), coalitionId: await idOfSlug(api, 'district-2-coalition'), effectiveOn: '2025-01-01' }), 'NOT_FOUND', ['input', 'organizationId'], /No organization/],
    ['a coalition that does not exist', async () => ({ organizationId: await idOfSlug(api, 'brooklyn'), coalitionId: missingId('Organization'), effectiveOn: '2025-01-01' }), 'NOT_FOUND', ['input', 'coalitionId'], /No organization/],
    ['an absurdly early date', async () => ({ organizationId: await idOfSlug(api, 'brooklyn'), coalitionId: await idOfSlug(api, 'district-2-coalition'), effectiveOn: '1492-10-12' }), 'INVALID_INPUT', ['input', 'effectiveOn'], /1900-01-01/],
    ['a date years ahead', async () => ({ organizationId: await idOfSlug(api, 'brooklyn'), coalitionId: await idOfSlug(api, 'district-2-coalition'), effectiveOn: '2999-01-01' }), 'INVALID_INPUT', ['input', 'effectiveOn'], /one year ahead/],
  ];

  it.each(cases)('refuses %s and stores nothing', async (_title, makeInput, code, field, message) => {
    const input = await makeInput();
    await expectNothingChanged(api, async () => {
      const { payload, errors } = await move(input);
      expect(errors).toBeUndefined();
      expect(payload.organization).toBeNull();
      expect(payload.link).toBeNull();
      expect(payload.userErrors).toEqual([{ code, field, message: expect.stringMatching(message) }]);
    });
  });

  it.each([
    ['the public', 'UNAUTHENTICATED', 'public'],
    ['a partner app', 'FORBIDDEN', 'partner'],
    ['staff of another jurisdiction', 'FORBIDDEN', 'otherStaff'],
  ] as const)('refuses %s with %s and stores nothing', async (_title, code, who) => {
    const input = { organizationId: await idOfSlug(api, 'brooklyn'), coalitionId: await idOfSlug(api, 'district-2-coalition'), effectiveOn: '2025-01-01' };
    await expectNothingChanged(api, async () => {
      const { data, errors } = await move(input, { viewer: viewers(api)[who] });
      expect(data).toBeNull();
      expect(errors?.[0]?.extensions?.code).toBe(code);
    });
  });
});

describe('concurrent coalition moves', () => {
  it('lets exactly one of two staff moving one association on the same day win; the other is refused cleanly', async () => {
    const [brooklyn, d1, d2] = (await Promise.all(['brooklyn', 'district-1-coalition', 'district-2-coalition'].map((s) => idOfSlug(api, s)))) as [string, string, string];
    const before = await coalitionLinks('brooklyn');
    const [a, b] = await Promise.all([
      move({ organizationId: brooklyn, coalitionId: d1, effectiveOn: '2025-11-01' }, { viewer: api.staff({ subject: 'first@example.gov' }) }),
      move({ organizationId: brooklyn, coalitionId: d2, effectiveOn: '2025-11-01' }, { viewer: api.staff({ subject: 'second@example.gov' }) }),
    ]);
    expect(a.errors).toBeUndefined();
    expect(b.errors).toBeUndefined();
    const winners = [a.payload, b.payload].filter((p) => p.userErrors.length === 0);
    const losers = [a.payload, b.payload].filter((p) => p.userErrors.length > 0);
    expect(winners).toHaveLength(1);
    expect(losers).toHaveLength(1);
    expect(losers[0].link).toBeNull();
    expect(losers[0].userErrors).toEqual([{ code: 'OUT_OF_ORDER', field: ['input', 'effectiveOn'], message: expect.stringMatching(/already starts on 2025-11-01/) }]);

    const after = await coalitionLinks('brooklyn');
    expect(after).toHaveLength(before.length + 1);
    expect(after.at(-1)).toEqual({ startDate: '2025-11-01', endDate: null, parent: winners[0].link.parent });
    expectNoGapOrOverlap(after);
    const events = await changeHistory(api, brooklyn);
    expect(events.filter((e) => e.action === 'associationCoalitionMove')).toHaveLength(2); // the winner's close and open only
  });

  it('keeps the links whole when several moves race over a few days', async () => {
    const [kerns, d1, d2, d3, d4] = await Promise.all(['kerns', 'district-1-coalition', 'district-2-coalition', 'district-3-coalition', 'district-4-coalition'].map((s) => idOfSlug(api, s)));
    const targets = [d1, d2, d3, d4, d1, d2];
    const days = ['2025-02-01', '2025-02-01', '2025-03-01', '2025-03-01', '2025-04-01', '2025-04-01'];
    const results = await Promise.all(targets.map((coalitionId, i) => move({ organizationId: kerns, coalitionId, effectiveOn: days[i] })));
    for (const r of results) expect(r.errors).toBeUndefined();
    const codes = results.flatMap((r) => r.payload.userErrors.map((e: { code: string }) => e.code));
    expect(codes.every((c) => ['OUT_OF_ORDER', 'COALITION_UNCHANGED'].includes(c))).toBe(true);
    expectNoGapOrOverlap(await coalitionLinks('kerns'));
  });
});
