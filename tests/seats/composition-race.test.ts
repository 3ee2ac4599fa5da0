import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { memberships } from '../../src/db/schema/index.ts';
import { createPerson } from '../helpers/factories.ts';
import { createTestApi, type TestApi } from '../helpers/test-api.ts';
import { gid } from './appointments-support.ts';
import { APPOINT, appointInput, createBoard } from './seat-filling-support.ts';

/**
 * Composition rules count across a body's seats, so each seat's own lock cannot keep them: the
 * appointments here go to different seats at once. On PostgreSQL (TEST_DATABASE_URL) they run in
 * parallel on the pool; the organization's appointment lock must still let exactly the allowed
 * number through. New York's rules, on a board of 3 seats × 4 places = 12 voting places.
 */

let api: TestApi;
beforeAll(async () => {
  api = await createTestApi();
});
afterAll(() => api.dispose());

async function fire(inputs: Record<string, unknown>[]) {
  const results = await Promise.all(inputs.map((input) => api.execute(APPOINT, { input }, { viewer: api.staff() })));
  expect(results.flatMap((r) => r.errors ?? [])).toEqual([]);
  return results.map((r) => r.data!.seatAppoint);
}

describe('composition rules under concurrent appointments', () => {
  it('MIN_SHARE_NOMINATED: 12 simultaneous appointments not from nominees across 3 seats leave exactly 6', async () => {
    const board = await createBoard(api, { seats: 3, perSeat: 4, rules: [{ rule: 'MIN_SHARE_NOMINATED', numerator: 1, denominator: 2 }] });
    const people = [];
    for (let i = 0; i < 12; i++) people.push(await createPerson(api.db, api.jurisdictionId));
    // Each seat could take 4: only the rule (at most 12 × 1/2 = 6 not from nominees) limits them.
    const payloads = await fire(people.map((p, i) => appointInput(board.seats[i % 3]!, p.id)));
    const appointed = payloads.filter((p) => p.membership);
    expect(appointed).toHaveLength(6);
    for (const p of payloads.filter((p) => !p.membership)) {
      expect(p.userErrors).toEqual([{ code: 'COMPOSITION_RULE', field: ['input', 'postId'], message: expect.any(String), compositionRule: 'MIN_SHARE_NOMINATED/rule-1' }]);
    }
    const rows = await api.db.select().from(memberships).where(eq(memberships.organizationId, board.organizationId));
    expect(rows).toHaveLength(6);
  });

  it('MAX_SHARE_CITY_EMPLOYEES: 10 simultaneous city employees across 3 seats leave exactly 3, nominees beside them unaffected', async () => {
    const board = await createBoard(api, {
      seats: 3,
      perSeat: 4,
      rules: [
        { rule: 'MIN_SHARE_NOMINATED', numerator: 1, denominator: 2 },
        { rule: 'MAX_SHARE_CITY_EMPLOYEES', numerator: 1, denominator: 4 },
      ],
    });
    const people = [];
    for (let i = 0; i < 12; i++) people.push(await createPerson(api.db, api.jurisdictionId));
    const nominatedBy = gid('Post', board.offices[0]!.id);
    const inputs = people.map((p, i) => appointInput(board.seats[i % 3]!, p.id, i < 10 ? { isCityEmployee: true, nominatedBy } : { nominatedBy }));
    const payloads = await fire(inputs);
    // 12 × 1/4 = 3 city employees; the two others, nominees and not employees, always get through.
    expect(payloads.slice(10).every((p) => p.membership)).toBe(true);
    expect(payloads.slice(0, 10).filter((p) => p.membership)).toHaveLength(3);
    const rows = await api.db.select().from(memberships).where(eq(memberships.organizationId, board.organizationId));
    expect(rows.filter((r) => r.isCityEmployee)).toHaveLength(3);
    expect(rows).toHaveLength(5);
  });
});
