import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApi, type TestApi } from '../helpers/test-api.ts';

let api: TestApi;
beforeAll(async () => {
  api = await createTestApi();
});
afterAll(() => api.dispose());

describe('unexpected errors', () => {
  it('reach the client masked, with an error id that the server log also carries', async () => {
    // A database failure mid-request stands for any bug: the client must not see SQL or a stack.
    const { sql } = await import('drizzle-orm');
    await api.db.execute(sql`alter table organizations rename to organizations_hidden`);
    try {
      const { errors } = await api.execute(`{ organization(slug: "buckman") { name } }`);
      const error = errors?.[0];
      expect(error?.extensions?.code).toBe('INTERNAL_SERVER_ERROR');
      expect(error?.message).toMatch(/^Internal server error \(error id [0-9a-f-]{36}\)$/);
      expect(JSON.stringify(errors)).not.toMatch(/organizations|select|relation|stack/i);
      const logged = api.logs.find((l) => l.errorId === error?.extensions?.errorId);
      expect(logged).toBeDefined();
      expect(JSON.stringify(logged)).toMatch(/organizations/);
    } finally {
      await api.db.execute(sql`alter table organizations_hidden rename to organizations`);
    }
  });
});

describe('client errors', () => {
  it('keep their code and message', async () => {
    const { errors } = await api.execute(`{ nope }`);
    expect(errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(errors?.[0]?.message).toMatch(/nope/);
  });
});
