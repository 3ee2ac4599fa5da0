import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditEvents, memberships } from '../../src/db/schema/index.ts';
import { parseGlobalId } from '../../src/graphql/global-id.ts';
import { createPerson, fillPost } from '../helpers/factories.ts';
import { createTestApi, type TestApi } from '../helpers/test-api.ts';
import { advisorySeat, gid, MEMBERSHIP_END, MEMBERSHIP_REAPPOINT, SEAT_APPOINT } from './appointments-support.ts';

let api: TestApi;
beforeAll(async () => {
  api = await createTestApi();
});
afterAll(() => api.dispose());

describe('concurrent appointments', () => {
  it('50 simultaneous seatAppoint calls on a seat for 3 leave exactly 3 holders and 47 clean SEAT_FULL refusals', async () => {
    const post = await advisorySeat(api, { maxHolders: 3, termLengthMonths: 24 });
    const people = [];
    for (let i = 0; i < 50; i++) people.push(await createPerson(api.db, api.jurisdictionId, `Applicant ${i + 1}`));

    const results = await Promise.all(
      people.map((person) =>
        api.execute(SEAT_APPOINT, { input: { postId: gid('Post', post.id), personId: gid('Person', person.id), startDate: '2025-09-01' } }, { viewer: api.staff() }),
      ),
    );

    expect(results.flatMap((r) => r.errors ?? [])).toEqual([]);
    const payloads = results.map((r) => r.data!.seatAppoint);
    const appointed = payloads.filter((p) => p.membership);
    const refused = payloads.filter((p) => !p.membership);
    expect(appointed).toHaveLength(3);
    for (const p of appointed) expect(p.userErrors).toEqual([]);
    expect(refused).toHaveLength(47);
    for (const p of refused) expect(p.userErrors).toEqual([{ code: 'SEAT_FULL', field: ['input', 'postId'], message: expect.any(String) }]);

    const rows = await api.db.select().from(memberships).where(eq(memberships.postId, post.id));
    expect(rows.map((r) => r.id).sort()).toEqual(appointed.map((p) => parseGlobalId(p.membership.id)!.id).sort());
    const audit = await api.db.select().from(auditEvents).where(eq(auditEvents.action, 'seatAppoint'));
    expect(audit.map((e) => e.subjectId).sort()).toEqual(rows.map((r) => r.id).sort());

    const read = await api.execute(`query($id: ID!) { node(id: $id) { ... on Post { holders(at: "2025-09-01") { id } vacancies(at: "2025-09-01") } } }`, { id: gid('Post', post.id) });
    expect(read.data!.node.holders).toHaveLength(3);
    expect(read.data!.node.vacancies).toBe(0);
  });

  it('ends a term once when staff end it ten times at once: one success, nine ALREADY_ENDED', async () => {
    const post = await advisorySeat(api, { maxHolders: 1 });
    const [term] = await fillPost(api.db, post, 1, '2024-01-01');
    const results = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        api.execute(MEMBERSHIP_END, { input: { membershipId: gid('Membership', term!.id), endDate: `2025-01-${String(i + 10)}`, reason: 'RESIGNED' } }, { viewer: api.staff() }),
      ),
    );
    expect(results.flatMap((r) => r.errors ?? [])).toEqual([]);
    const payloads = results.map((r) => r.data!.membershipEnd);
    expect(payloads.filter((p) => p.membership)).toHaveLength(1);
    expect(payloads.filter((p) => !p.membership).map((p) => p.userErrors[0].code)).toEqual(Array(9).fill('ALREADY_ENDED'));
    const audit = await api.db.select().from(auditEvents).where(eq(auditEvents.subjectId, term!.id));
    expect(audit.filter((e) => e.subjectType === 'Membership' && e.action === 'membershipEnd')).toHaveLength(1);
  });

  it('reappoints once when two staff reappoint the same holder at once', async () => {
    const post = await advisorySeat(api, { maxHolders: 1, termLengthMonths: 12 });
    const [term] = await fillPost(api.db, post, 1, '2024-01-01');
    const results = await Promise.all(
      [0, 1].map(() => api.execute(MEMBERSHIP_REAPPOINT, { input: { membershipId: gid('Membership', term!.id), startDate: '2025-01-01' } }, { viewer: api.staff() })),
    );
    expect(results.flatMap((r) => r.errors ?? [])).toEqual([]);
    const codes = results.map((r) => r.data!.membershipReappoint.userErrors.map((e: { code: string }) => e.code)).sort();
    expect(codes).toEqual([[], ['ALREADY_ENDED']]);
    expect(await api.db.select().from(memberships).where(eq(memberships.postId, post.id))).toHaveLength(2);
  });
});
