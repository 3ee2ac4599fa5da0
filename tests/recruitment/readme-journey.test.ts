import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toGlobalId } from '../../src/graphql/global-id.ts';
import { divisionByOcdId } from '../helpers/factories.ts';
import type { TestApi } from '../helpers/test-api.ts';
import { DISTRICT, openBody } from './recruitment-support.ts';

// The resident journey of src/modules/recruitment/README.md: every ```graphql journey block, in order,
// against the real server; `# as staff` blocks with a staff token. Ids and the token flow from one step to the next.
const readme = readFileSync(new URL('../../src/modules/recruitment/README.md', import.meta.url), 'utf8');
const steps = [...readme.matchAll(/```graphql journey\n([\s\S]*?)```/g)].map((m) => m[1]!);

let api: TestApi;
const variables: Record<string, unknown> = {};

beforeAll(async () => {
  const opened = await openBody();
  api = opened.api;
  const { body } = opened;
  variables.body = toGlobalId('Organization', body.organizationId);
  variables.seat = toGlobalId('Post', body.districtSeat.id);
  variables.district = toGlobalId('Division', (await divisionByOcdId(api.db, DISTRICT(3))).id);
});
afterAll(() => api.dispose());

/** Remembers ids the next steps need. */
function capture(data: Record<string, any>): void {
  if (data.vacancyPostingCreate) variables.posting = data.vacancyPostingCreate.posting.id;
  if (data.applicationSubmit) {
    variables.token = data.applicationSubmit.token;
    variables.application = data.applicationSubmit.application.id;
  }
}

describe('README resident journey', () => {
  it('has the whole journey', () => {
    expect(steps.length).toBeGreaterThanOrEqual(10);
  });

  it('runs every step in order without errors or refusals', async () => {
    for (const [i, query] of steps.entries()) {
      const viewer = query.startsWith('# as staff') ? api.staff() : undefined;
      const used = Object.fromEntries(Object.entries(variables).filter(([name]) => query.includes(`$${name}`)));
      const { data, errors } = await api.execute(query, used, { viewer, clientAddress: '192.0.2.10' });
      expect(errors, `step ${i + 1}`).toBeUndefined();
      expect(JSON.stringify(data), `step ${i + 1}`).not.toMatch(/"userErrors":\[\{/);
      capture(data!);
    }
    const final = await api.execute(`query($token: String!) { application(token: $token) { status membership { id } } }`, { token: variables.token });
    expect(final.data!.application.status).toBe('APPOINTED');
  });
});
