import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApi, type TestApi } from './helpers/test-api.ts';

// Every ```graphql block in the README must run without errors against the real server.
const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
const examples = [...readme.matchAll(/```graphql\n([\s\S]*?)```/g)].map((m) => m[1]!);

let api: TestApi;
let district: string;
beforeAll(async () => {
  api = await createTestApi({ sampleMembers: true });
  const { data } = await api.execute(`{ councilDistricts { id } }`);
  district = data!.councilDistricts[2].id;
});
afterAll(() => api.dispose());

describe('README examples', () => {
  it('has examples to check', () => {
    expect(examples.length).toBeGreaterThanOrEqual(5);
  });

  it.each(examples.map((query, i) => [i + 1, query] as const))('example %i runs without errors and returns data', async (_n, query) => {
    const { data, errors } = await api.execute(query, { district, after: null });
    expect(errors).toBeUndefined();
    expect(Object.values(data ?? {}).every((value) => value !== null)).toBe(true);
  });
});
