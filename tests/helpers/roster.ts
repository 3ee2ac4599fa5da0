import { expect } from 'vitest';
import type { TestApi } from './test-api.ts';

/**
 * Records a dataset body's roster through the staff mutation, as staff would once they hold its
 * holder list. The Portland dataset lists no holders of its advisory bodies, so they are
 * NOT_RECORDED and offer no open seat (unknown is not vacant) until this is done.
 */
export async function recordRoster(api: TestApi, slug: string, status: 'RECORDED' | 'PARTLY_RECORDED' = 'RECORDED', asOf = '2026-01-01'): Promise<void> {
  const found = await api.execute<{ organization: { id: string } | null }>(`query($slug: String!) { organization(slug: $slug) { id } }`, { slug });
  const organizationId = found.data?.organization?.id;
  if (!organizationId) throw new Error(`no organization ${slug}`);
  const { data, errors } = await api.execute<{ organizationRosterStatusSet: { userErrors: unknown[] } }>(
    `mutation($input: OrganizationRosterStatusSetInput!) { organizationRosterStatusSet(input: $input) { userErrors { code message } } }`,
    { input: { organizationId, status, asOf } },
    { viewer: api.staff() },
  );
  expect(errors).toBeUndefined();
  expect(data!.organizationRosterStatusSet.userErrors).toEqual([]);
}
