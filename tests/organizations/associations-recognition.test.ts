import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Viewer } from '../../src/auth/viewer.ts';
import { createOrganization } from '../helpers/factories.ts';
import { toGlobalId } from '../../src/graphql/global-id.ts';
import { createTestApi, type TestApi } from '../helpers/test-api.ts';
import { changed, changeHistory, expectNothingChanged, idOfSlug, missingId, USER_ERRORS, viewers } from './associations-support.ts';

let api: TestApi;
beforeAll(async () => {
  api = await createTestApi();
});
afterAll(() => api.dispose());

type Mutation = 'associationRecognize' | 'associationRecognitionSuspend' | 'associationRecognitionWithdraw';

const document = (mutation: Mutation) => /* GraphQL */ `
  mutation Change($input: AssociationRecognitionChangeInput!) {
    ${mutation}(input: $input) {
      organization { id name recognition { status startDate } }
      recognition { status startDate endDate basis note }
      ${USER_ERRORS}
    }
  }
`;

async function change(mutation: Mutation, input: Record<string, unknown>, options: { viewer?: Viewer } = { viewer: api.staff() }) {
  const result = await api.execute(document(mutation), { input }, options);
  return { ...result, payload: result.data?.[mutation] };
}

const HISTORY = /* GraphQL */ `
  query($id: ID!) {
    node(id: $id) {
      ... on Organization {
        recognitionHistory { status startDate endDate basis note }
        before: recognition(at: "2019-12-31") { status }
        first: recognition(at: "2020-01-01") { status }
        lastDayRecognized: recognition(at: "2025-02-28") { status }
        suspended: recognition(at: "2025-03-01") { status }
      }
    }
  }
`;

describe('recognition of an association', () => {
  it('recognizes, suspends, withdraws and reinstates, closing each period on the day the next starts', async () => {
    const id = await idOfSlug(api, 'buckman');
    const recognized = await change('associationRecognize', { organizationId: id, effectiveOn: '2020-01-01', basis: 'City Code 3.96', note: 'Bylaws on file.' });
    expect(recognized.errors).toBeUndefined();
    expect(recognized.payload).toEqual({
      organization: { id, name: 'Buckman', recognition: { status: 'RECOGNIZED', startDate: '2020-01-01' } },
      recognition: { status: 'RECOGNIZED', startDate: '2020-01-01', endDate: null, basis: 'City Code 3.96', note: 'Bylaws on file.' },
      userErrors: [],
    });

    const suspended = await change('associationRecognitionSuspend', { organizationId: id, effectiveOn: '2025-03-01', basis: 'Grievance procedure missing' });
    expect(suspended.payload.userErrors).toEqual([]);
    expect(suspended.payload.recognition).toMatchObject({ status: 'SUSPENDED', startDate: '2025-03-01', endDate: null });

    const { data } = await api.execute(HISTORY, { id });
    expect(data!.node).toEqual({
      recognitionHistory: [
        { status: 'RECOGNIZED', startDate: '2020-01-01', endDate: '2025-03-01', basis: 'City Code 3.96', note: 'Bylaws on file.' },
        { status: 'SUSPENDED', startDate: '2025-03-01', endDate: null, basis: 'Grievance procedure missing', note: null },
      ],
      before: null,
      first: { status: 'RECOGNIZED' },
      lastDayRecognized: { status: 'RECOGNIZED' },
      suspended: { status: 'SUSPENDED' },
    });

    const withdrawn = await change('associationRecognitionWithdraw', { organizationId: id, effectiveOn: '2025-06-01' });
    expect(withdrawn.payload.recognition).toMatchObject({ status: 'WITHDRAWN', startDate: '2025-06-01' });
    const reinstated = await change('associationRecognize', { organizationId: id, effectiveOn: '2025-09-01', basis: 'Standards met again' });
    expect(reinstated.payload.recognition).toMatchObject({ status: 'RECOGNIZED', startDate: '2025-09-01', endDate: null });

    const after = await api.execute(`query($id: ID!) { node(id: $id) { ... on Organization { recognitionHistory { status startDate endDate } } } }`, { id });
    expect(after.data!.node.recognitionHistory).toEqual([
      { status: 'RECOGNIZED', startDate: '2020-01-01', endDate: '2025-03-01' },
      { status: 'SUSPENDED', startDate: '2025-03-01', endDate: '2025-06-01' },
      { status: 'WITHDRAWN', startDate: '2025-06-01', endDate: '2025-09-01' },
      { status: 'RECOGNIZED', startDate: '2025-09-01', endDate: null },
    ]);
  });

  it('shows each change in the change history, one event per changed row', async () => {
    const id = await idOfSlug(api, 'buckman');
    const events = await changeHistory(api, id);
    // Newest first: the reinstatement opened a period and closed the withdrawal.
    expect(events.slice(0, 2).map((e) => e.action)).toEqual(['associationRecognize', 'associationRecognize']);
    expect(changed(events[0]!, /^recognition\[\d+\]\.status$/)).toEqual({ before: null, after: 'RECOGNIZED' });
    expect(changed(events[0]!, /^recognition\[\d+\]\.startDate$/)).toEqual({ before: null, after: '2025-09-01' });
    expect(changed(events[1]!, /^recognition\[\d+\]\.endDate$/)).toEqual({ before: null, after: '2025-09-01' });
    expect(events[1]!.changes).toHaveLength(1);
    expect(events.filter((e) => e.action === 'associationRecognitionSuspend')).toHaveLength(2);
    expect(events.every((e) => e.actor === 'staff@example.gov' && e.subjectType === 'Organization')).toBe(true);
  });

  it('is public data', async () => {
    const { data, errors } = await api.execute(`{ organization(slug: "buckman") { recognition { status startDate } recognitionHistory { status } } }`);
    expect(errors).toBeUndefined();
    expect(data!.organization.recognition).toEqual({ status: 'RECOGNIZED', startDate: '2025-09-01' });
    expect(data!.organization.recognitionHistory).toHaveLength(4);
  });

  it('recognizes a business district association', async () => {
    const id = await idOfSlug(api, '42nd-avenue');
    const { payload } = await change('associationRecognize', { organizationId: id, effectiveOn: '2024-01-15' });
    expect(payload).toMatchObject({ userErrors: [], recognition: { status: 'RECOGNIZED', startDate: '2024-01-15' } });
  });

  it('loads recognition for a whole list in one statement', async () => {
    const query = `{ neighborhoodAssociations(first: 50) { nodes { name recognition { status } recognitionHistory { startDate } } } }`;
    await api.execute(query);
    api.statements.reset();
    await api.execute(query);
    const recognitionStatements = api.statements.log.filter((s) => /from "recognitions"/.test(s));
    expect(recognitionStatements).toHaveLength(1);
  });
});

let dissolved: string | undefined;
async function dissolvedAssociation(): Promise<string> {
  dissolved ??= toGlobalId(
    'Organization',
    (await createOrganization(api.db, { jurisdictionId: api.jurisdictionId, kind: 'NEIGHBORHOOD_ASSOCIATION', foundedOn: '2010-01-01', dissolvedOn: '2020-01-01', status: 'DISSOLVED' })).id,
  );
  return dissolved;
}

describe('recognition refusals', () => {
  let brooklyn: string;
  beforeAll(async () => {
    brooklyn = await idOfSlug(api, 'brooklyn');
    const { payload } = await change('associationRecognize', { organizationId: brooklyn, effectiveOn: '2022-05-01' });
    expect(payload.userErrors).toEqual([]);
  });

  const cases: [string, Mutation, () => Promise<Record<string, unknown>>, string, string[], RegExp][] = [
    ['recognizing an association already recognized', 'associationRecognize', async () => ({ organizationId: brooklyn, effectiveOn: '2024-01-01' }), 'RECOGNITION_UNCHANGED', ['input', 'effectiveOn'], /already recognized on 2024-01-01 \(since 2022-05-01\)/],
    ['a change on the day the current status started', 'associationRecognitionSuspend', async () => ({ organizationId: brooklyn, effectiveOn: '2022-05-01' }), 'OUT_OF_ORDER', ['input', 'effectiveOn'], /since 2022-05-01/],
    ['a change dated before the current status', 'associationRecognitionWithdraw', async () => ({ organizationId: brooklyn, effectiveOn: '2021-01-01' }), 'OUT_OF_ORDER', ['input', 'effectiveOn'], /after that day/],
    ['suspending an association never recognized', 'associationRecognitionSuspend', async () => ({ organizationId: await idOfSlug(api, 'kerns'), effectiveOn: '2024-01-01' }), 'NOT_RECOGNIZED', ['input', 'effectiveOn'], /Kerns is not recognized/],
    ['withdrawing an association never recognized', 'associationRecognitionWithdraw', async () => ({ organizationId: await idOfSlug(api, 'kerns'), effectiveOn: '2024-01-01' }), 'NOT_RECOGNIZED', ['input', 'effectiveOn'], /no recognition/],
    ['recognizing a district coalition', 'associationRecognize', async () => ({ organizationId: await idOfSlug(api, 'district-3-coalition'), effectiveOn: '2024-08-01' }), 'WRONG_ORGANIZATION_KIND', ['input', 'organizationId'], /District 3 Coalition/],
    ['recognizing the council', 'associationRecognize', async () => ({ organizationId: await idOfSlug(api, 'city-council'), effectiveOn: '2025-02-01' }), 'WRONG_ORGANIZATION_KIND', ['input', 'organizationId'], /associations/],
    ['an id that is not an id', 'associationRecognize', async () => ({ organizationId: '💥', effectiveOn: '2024-01-01' }), 'INVALID_ID', ['input', 'organizationId'], /not a valid id/],
    ['the id of a division', 'associationRecognize', async () => {
      const { data } = await api.execute(`{ councilDistricts { id } }`);
      return { organizationId: data!.councilDistricts[0].id, effectiveOn: '2024-01-01' };
    }, 'INVALID_ID', ['input', 'organizationId'], /must be the id of a Organization, not of a Division/],
    ['the id of no organization', 'associationRecognize', async () => ({ organizationId: missingId('Organization'), effectiveOn: '2024-01-01' }), 'NOT_FOUND', ['input', 'organizationId'], /No organization/],
    ['an absurdly early date', 'associationRecognitionSuspend', async () => ({ organizationId: brooklyn, effectiveOn: '1850-06-01' }), 'INVALID_INPUT', ['input', 'effectiveOn'], /1900-01-01/],
    ['a date far in the future', 'associationRecognitionSuspend', async () => ({ organizationId: brooklyn, effectiveOn: '9999-12-31' }), 'INVALID_INPUT', ['input', 'effectiveOn'], /one year ahead/],
    ['a date after the association was dissolved', 'associationRecognize', async () => ({ organizationId: await dissolvedAssociation(), effectiveOn: '2021-01-01' }), 'INVALID_INPUT', ['input', 'effectiveOn'], /dissolved on 2020-01-01/],
    ['a date before the association was founded', 'associationRecognize', async () => ({ organizationId: await dissolvedAssociation(), effectiveOn: '2009-12-31' }), 'INVALID_INPUT', ['input', 'effectiveOn'], /founded on 2010-01-01/],
    ['a 10,000-character basis', 'associationRecognitionSuspend', async () => ({ organizationId: brooklyn, effectiveOn: '2024-01-01', basis: 'b'.repeat(10_000) }), 'INVALID_INPUT', ['input', 'basis'], /500/],
    ['a note with control characters', 'associationRecognitionSuspend', async () => ({ organizationId: brooklyn, effectiveOn: '2024-01-01', note: 'bell\u0007' }), 'INVALID_INPUT', ['input', 'note'], /control/],
  ];

  it.each(cases)('refuses %s and stores nothing', async (_title, mutation, makeInput, code, field, message) => {
    const input = await makeInput();
    await expectNothingChanged(api, async () => {
      const { payload, errors } = await change(mutation, input);
      expect(errors).toBeUndefined();
      expect(payload.organization).toBeNull();
      expect(payload.recognition).toBeNull();
      expect(payload.userErrors).toEqual([{ code, field, message: expect.stringMatching(message) }]);
    });
  });

  it('refuses suspending a withdrawn association', async () => {
    const id = await idOfSlug(api, 'hosford-abernethy');
    await change('associationRecognize', { organizationId: id, effectiveOn: '2021-01-01' });
    await change('associationRecognitionWithdraw', { organizationId: id, effectiveOn: '2023-01-01' });
    await expectNothingChanged(api, async () => {
      const { payload } = await change('associationRecognitionSuspend', { organizationId: id, effectiveOn: '2024-01-01' });
      expect(payload.userErrors).toEqual([expect.objectContaining({ code: 'NOT_RECOGNIZED' })]);
      const again = await change('associationRecognitionWithdraw', { organizationId: id, effectiveOn: '2024-01-01' });
      expect(again.payload.userErrors).toEqual([expect.objectContaining({ code: 'RECOGNITION_UNCHANGED', message: expect.stringMatching(/already withdrawn/) })]);
    });
  });

  it('refuses a date that does not exist with BAD_USER_INPUT', async () => {
    await expectNothingChanged(api, async () => {
      const { data, errors } = await change('associationRecognize', { organizationId: brooklyn, effectiveOn: '2025-02-30' });
      expect(data).toBeUndefined();
      expect(errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    });
  });

  it.each([
    ['the public', 'UNAUTHENTICATED', 'public'],
    ['a partner app', 'FORBIDDEN', 'partner'],
    ['staff of another jurisdiction', 'FORBIDDEN', 'otherStaff'],
  ] as const)('refuses %s with %s and stores nothing', async (_title, code, who) => {
    await expectNothingChanged(api, async () => {
      for (const mutation of ['associationRecognize', 'associationRecognitionSuspend', 'associationRecognitionWithdraw'] as const) {
        const { data, errors } = await change(mutation, { organizationId: brooklyn, effectiveOn: '2024-06-01' }, { viewer: viewers(api)[who] });
        expect(data).toBeNull();
        expect(errors?.[0]?.extensions?.code).toBe(code);
      }
    });
  });

  it('serializes concurrent changes to one association: one wins, the other is refused cleanly', async () => {
    const id = await idOfSlug(api, 'kenton');
    await change('associationRecognize', { organizationId: id, effectiveOn: '2020-01-01' });
    const [a, b] = await Promise.all([
      change('associationRecognitionSuspend', { organizationId: id, effectiveOn: '2024-03-01' }),
      change('associationRecognitionWithdraw', { organizationId: id, effectiveOn: '2024-03-01' }),
    ]);
    const outcomes = [a.payload, b.payload];
    expect(outcomes.filter((p) => p.userErrors.length === 0)).toHaveLength(1);
    expect(outcomes.flatMap((p) => p.userErrors.map((e: { code: string }) => e.code))).toEqual(['OUT_OF_ORDER']);
    const { data } = await api.execute(`query($id: ID!) { node(id: $id) { ... on Organization { recognitionHistory { startDate endDate } } } }`, { id });
    expect(data!.node.recognitionHistory).toEqual([
      { startDate: '2020-01-01', endDate: '2024-03-01' },
      { startDate: '2024-03-01', endDate: null },
    ]);
  });
});
