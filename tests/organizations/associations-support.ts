/** Shared by the associations-*.test.ts files: viewers, documents, and a "nothing changed" probe. */
import { sql } from 'drizzle-orm';
import type { Polygon, Position } from 'geojson';
import { expect } from 'vitest';
import type { Viewer } from '../../src/auth/viewer.ts';
import type { TestApi } from '../helpers/test-api.ts';

export const USER_ERRORS = 'userErrors { code field message }';

/** An axis-aligned square polygon around a point, `d` degrees from the center to each side. */
export function square(lon: number, lat: number, d: number, extra: number[] = []): Polygon {
  const ring: Position[] = [
    [lon - d, lat - d, ...extra],
    [lon + d, lat - d, ...extra],
    [lon + d, lat + d, ...extra],
    [lon - d, lat + d, ...extra],
    [lon - d, lat - d, ...extra],
  ];
  return { type: 'Polygon', coordinates: [ring] };
}


/** Tables the association mutations write, each with a stable order for its digest. */
const TABLES = {
  organizations: 'id',
  organization_links: 'id',
  recognitions: 'id',
  divisions: 'id',
  division_overlaps: 'division_id, other_division_id',
  boundary_agreements: 'id',
  audit_events: 'id',
} as const;

export interface DatabaseState {
  counts: Record<string, number>;
  digests: Record<string, string | null>;
}

/** Row counts and an md5 of every row of every table the mutations write (timestamps included). */
export async function databaseState(api: TestApi): Promise<DatabaseState> {
  const counts: Record<string, number> = {};
  const digests: Record<string, string | null> = {};
  for (const [table, order] of Object.entries(TABLES)) {
    const result = await api.db.execute(
      sql.raw(`select count(*)::int as n, md5(coalesce(string_agg(t::text, '|' order by ${order}), '')) as digest from ${table} t`),
    );
    const row = ((result as unknown as { rows?: unknown[] }).rows ?? (result as unknown as unknown[]))[0] as { n: number; digest: string };
    counts[table] = Number(row.n);
    digests[table] = row.digest;
  }
  return { counts, digests };
}

/** Runs `work` and asserts that no row of any written table was added, removed or changed. */
export async function expectNothingChanged(api: TestApi, work: () => Promise<unknown>): Promise<void> {
  const before = await databaseState(api);
  await work();
  const after = await databaseState(api);
  expect(after.counts).toEqual(before.counts);
  expect(after.digests).toEqual(before.digests);
}

export function viewers(api: TestApi): Record<'public' | 'partner' | 'otherStaff', Viewer | undefined> {
  return {
    public: undefined,
    partner: { ...api.staff(), role: 'PARTNER', subject: 'api-key:1' },
    otherStaff: api.staff({ jurisdictionId: 999 }),
  };
}

export async function idOfSlug(api: TestApi, slug: string): Promise<string> {
  const { data } = await api.execute<{ organization: { id: string } | null }>(`query($slug: String!) { organization(slug: $slug) { id } }`, { slug });
  if (!data?.organization) throw new Error(`no organization ${slug}`);
  return data.organization.id;
}

/** A new neighborhood association (no area yet), created by staff; its global id. */
export async function createAssociation(api: TestApi, name: string): Promise<string> {
  const { data } = await api.execute(
    `mutation($name: String!) { organizationCreate(input: { kind: NEIGHBORHOOD_ASSOCIATION, name: $name }) { organization { id } ${USER_ERRORS} } }`,
    { name },
    { viewer: api.staff() },
  );
  expect(data!.organizationCreate.userErrors).toEqual([]);
  return data!.organizationCreate.organization.id;
}

/** A global id of the right shape for an object that does not exist. */
export function missingId(type: 'Organization' | 'Division'): string {
  return Buffer.from(`v1:${type}:999999`).toString('base64url');
}

export const CHANGE_HISTORY = /* GraphQL */ `
  query History($id: ID!) {
    changeHistory(id: $id, first: 20) {
      totalCount
      nodes { action subjectType subjectId actor actorRole changes { field before after } }
    }
  }
`;

export interface AuditNode {
  action: string;
  subjectType: string;
  subjectId: string;
  actor: string;
  actorRole: string;
  changes: { field: string; before: string | null; after: string | null }[];
}

export async function changeHistory(api: TestApi, id: string): Promise<AuditNode[]> {
  const { data, errors } = await api.execute<{ changeHistory: { nodes: AuditNode[] } }>(CHANGE_HISTORY, { id }, { viewer: api.staff() });
  expect(errors).toBeUndefined();
  return data!.changeHistory.nodes;
}

/** The value of one field in an audit event's changes, parsed from its JSON text. */
export function changed(event: AuditNode, field: string | RegExp): { before: unknown; after: unknown } | undefined {
  const change = event.changes.find((c) => (typeof field === 'string' ? c.field === field : field.test(c.field)));
  return change && { before: change.before === null ? null : JSON.parse(change.before), after: change.after === null ? null : JSON.parse(change.after) };
}
