import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { createLogger } from '../../src/logger.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_MAX_QUERY_COST, loadConfig } from '../../src/config.ts';
import { createContext } from '../../src/context.ts';
import { createHttpServer } from '../../src/http/http-server.ts';
import { createApolloServer } from '../../src/server.ts';
import { createTestApi, type TestApi } from '../helpers/test-api.ts';

// The reviewer's query: a few hundred characters that exhausted the heap before these limits.
const COALITION_LOOP = `{ districtCoalitions { memberOrganizations(first: 100) { nodes { memberOf { parent {
  memberOrganizations(first: 100) { nodes { memberOf { parent {
    memberOrganizations(first: 100) { nodes { name } } } } } } } } } } } }`;

// The directory of tests/graphql/statement-count.test.ts, the costliest query we publish.
const DIRECTORY = `{ councilDistricts { name councilPost { label holders { person { name } } }
  organizations(kind: DISTRICT_COALITION) { name memberOrganizations(first: 100) { totalCount nodes {
    name coalition { shortName }
    posts(first: 20) { nodes { label maxHolders vacancies holders { startDate person { name } } } } } } } } }`;

/** Organization, then `coalitions` times `coalition`, then `name`: `coalitions + 2` fields deep. */
const nested = (coalitions: number) => `{ organization(slug: "buckman") { ${'coalition { '.repeat(coalitions)}name${' }'.repeat(coalitions)} } }`;
const aliased = (count: number) => `{ ${Array.from({ length: count }, (_, i) => `a${i}: organization(slug: "buckman") { name }`).join(' ')} }`;

let api: TestApi;
/** The same server with a limit of 1: every operation with a list is refused, and says its cost. */
let meter: ReturnType<typeof createApolloServer>;
const logger = createLogger('silent');

beforeAll(async () => {
  api = await createTestApi();
  meter = createApolloServer({ logger, production: false, maxQueryCost: 1 });
  await meter.start();
});
afterAll(async () => {
  await meter.stop();
  await api.dispose();
});

async function costOf(query: string, variables?: Record<string, unknown>): Promise<number> {
  const response = await meter.executeOperation(
    { query, variables },
    { contextValue: createContext({ db: api.db, defaultJurisdiction: 'portland', logger, requestId: 'meter' }) },
  );
  if (response.body.kind !== 'single') throw new Error('expected a single result');
  const error = response.body.singleResult.errors?.[0];
  if (!error) return 0;
  expect(error.extensions?.code).toBe('QUERY_TOO_COSTLY');
  return error.extensions?.cost as number;
}

/** Runs an operation and returns its first error and the SQL statements it sent. */
async function attempt(query: string, variables?: Record<string, unknown>) {
  api.statements.reset();
  const { data, errors } = await api.execute(query, variables);
  return { data, error: errors?.[0], statements: api.statements.count() };
}

describe('query cost', () => {
  it('refuses the nested coalition query before it touches the database, naming cost and limit', async () => {
    const { data, error, statements } = await attempt(COALITION_LOOP);
    expect(error?.extensions?.code).toBe('QUERY_TOO_COSTLY');
    expect(error?.message).toMatch(/^Query cost 1,011,011,010 exceeds the limit of 250,000\./);
    expect(error?.extensions).toMatchObject({ cost: 1_011_011_010, maxCost: 250_000 });
    expect(data ?? null).toBeNull();
    expect(statements).toBe(0);
  });

  it('runs a query at exactly the limit, and refuses it when a variable asks for one more item per page', async () => {
    // 100 organizations + 100 × 49 members + 100 × 49 × $n seats: 250,000 when $n is 50.
    const query = `query ($n: Int) { organizations(first: 100) { nodes {
      memberOrganizations(first: 49) { nodes { posts(first: $n) { nodes { label } } } } } } }`;
    const accepted = await attempt(query, { n: 50 });
    expect(accepted.error).toBeUndefined();
    expect(accepted.data?.organizations.nodes).toHaveLength(100);
    expect(accepted.statements).toBeGreaterThan(0);

    const refused = await attempt(query, { n: 51 });
    expect(refused.error?.extensions?.code).toBe('QUERY_TOO_COSTLY');
    expect(refused.error?.message).toContain('Query cost 254,900 exceeds the limit of 250,000');
    expect(refused.statements).toBe(0);
  });

  it('lets the published directory through: its cost is under the default limit', async () => {
    const cost = await costOf(DIRECTORY);
    expect(cost).toBe(221_120);
    expect(cost).toBeLessThanOrEqual(DEFAULT_MAX_QUERY_COST);
    expect((await attempt(DIRECTORY)).error).toBeUndefined();
  });

  it('counts a connection as its first or last, 20 when omitted, for every parent', async () => {
    // GitHub's own example: 50 + 50 × 10.
    expect(await costOf(`{ organizations(first: 50) { nodes { posts(first: 10) { nodes { label } } } } }`)).toBe(550);
    expect(await costOf(`{ organizations { nodes { posts { nodes { label } } } } }`)).toBe(20 + 20 * 20);
    expect(await costOf(`{ organizations(last: 5) { nodes { posts(last: 2) { nodes { label } } } } }`)).toBe(5 + 5 * 2);
    // A page is counted once whether it is read through edges, nodes or both.
    expect(await costOf(`{ organizations(first: 50) { totalCount edges { cursor node { name } } nodes { posts(first: 10) { nodes { label } } } } }`)).toBe(550);
  });

  it('counts a plain list at its documented bound, and nodes(ids:) at the number of ids', async () => {
    // 10 council districts at most, 50 overlapping divisions each.
    expect(await costOf(`{ councilDistricts { overlaps { division { name } } } }`)).toBe(10 + 10 * 50);
    // The costliest type behind an interface counts: an organization's page of 100 members.
    const ids = ['a', 'b', 'c'];
    const byId = `query ($ids: [ID!]!) { nodes(ids: $ids) { id ... on Organization { memberOrganizations(first: 100) { nodes { name } } } ... on Division { name } } }`;
    expect(await costOf(byId, { ids })).toBe(3 + 3 * 100);
  });

  it('counts fragments and inline fragments, and honours @skip and @include with their variables', async () => {
    const withFragments = `{ organizations(first: 50) { ...Page } }
      fragment Page on OrganizationConnection { nodes { posts(first: 10) { nodes { ...Seat } } } }
      fragment Seat on Post { label ... on Post { holders { id } } }`;
    expect(await costOf(withFragments)).toBe(50 + 50 * 10 + 50 * 10 * 10);
    const conditional = `query ($full: Boolean!) { organizations(first: 50) { nodes { posts(first: 10) @include(if: $full) { nodes { label } } } } }`;
    expect(await costOf(conditional, { full: true })).toBe(550);
    expect(await costOf(conditional, { full: false })).toBe(50);
  });

  it('leaves an out-of-range page size to the resolver, which names the argument', async () => {
    const { error } = await attempt(`{ organizations(first: 5000) { nodes { name } } }`);
    expect(error?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(error?.message).toMatch(/first must be between 0 and 100/);
  });
});

describe('document limits', () => {
  it('refuses a query nested deeper than 15 fields, before touching the database', async () => {
    expect((await attempt(nested(13))).error).toBeUndefined();
    const { error, statements } = await attempt(nested(14));
    expect(error?.extensions?.code).toBe('QUERY_TOO_DEEP');
    expect(error?.message).toBe('Query depth limit of 15 exceeded, found 16.');
    expect(statements).toBe(0);
  });

  it('does not count fragments as levels (Relay documents are made of them)', async () => {
    const query = `{ organization(slug: "buckman") { ...A } } fragment A on Organization { ... on Organization { coalition { ...B } } }
      fragment B on Organization { ${'coalition { '.repeat(12)}name${' }'.repeat(12)} }`;
    expect((await attempt(query)).error).toBeUndefined();
  });

  it('refuses more than 30 aliases', async () => {
    expect((await attempt(aliased(30))).error).toBeUndefined();
    // The reviewer's second finding, 330 aliased pages of boundaries, stopped at the 31st alias.
    const pages = Array.from({ length: 31 }, (_, i) => `d${i}: divisions(first: 100) { nodes { boundary } }`).join(' ');
    const { error, statements } = await attempt(`{ ${pages} }`);
    expect(error?.extensions?.code).toBe('TOO_MANY_ALIASES');
    expect(error?.message).toBe('Aliases limit of 30 exceeded, found 31.');
    expect(statements).toBe(0);
  });

  it('refuses more than 50 directives', async () => {
    const names = (count: number) => `{ organization(slug: "buckman") { ${'name @include(if: true) '.repeat(count)} } }`;
    expect((await attempt(names(50))).error).toBeUndefined();
    const { error } = await attempt(names(51));
    expect(error?.extensions?.code).toBe('TOO_MANY_DIRECTIVES');
    expect(error?.message).toBe('Directives limit of 50 exceeded, found 51.');
  });

  it('refuses a document of more than 5000 tokens while parsing it', async () => {
    const { error } = await attempt(`{ ${'__typename '.repeat(5000)} }`);
    expect(error?.extensions?.code).toBe('GRAPHQL_PARSE_FAILED');
    expect(error?.message).toMatch(/5000 tokens/);
  });

  it('refuses fragments that expand into too many selections', async () => {
    // Each fragment spreads the one before twice: 2^15 selections from a few lines.
    const fragments = Array.from({ length: 15 }, (_, i) => `fragment F${i + 1} on Query { ...F${i} ...F${i} }`).join(' ');
    const { error, statements } = await attempt(`{ ...F15 } fragment F0 on Query { __typename } ${fragments}`);
    expect(error?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(error?.message).toMatch(/recursively requests too many selections/);
    expect(statements).toBe(0);
  });
});

describe('over HTTP, in production', () => {
  let server: Server;
  let apollo: ReturnType<typeof createApolloServer>;
  let url: string;

  beforeAll(async () => {
    apollo = createApolloServer({ logger, production: true });
    await apollo.start();
    server = createHttpServer(apollo, async ({ requestId }) => createContext({ db: api.db, defaultJurisdiction: 'portland', logger, requestId }), logger);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;
  });
  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
    await apollo.stop();
  });

  const post = async (body: unknown) => {
    const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    return { status: res.status, body: (await res.json()) as any };
  };

  it('answers a costly query with 400 and QUERY_TOO_COSTLY, stating cost and limit', async () => {
    api.statements.reset();
    const { status, body } = await post({ query: COALITION_LOOP });
    expect(status).toBe(400);
    expect(body.data).toBeUndefined();
    expect(body.errors[0].extensions).toEqual({ code: 'QUERY_TOO_COSTLY', cost: 1_011_011_010, maxCost: 250_000 });
    expect(body.errors[0].message).toMatch(/^Query cost 1,011,011,010 exceeds the limit of 250,000\./);
    expect(api.statements.count()).toBe(0);
  });

  it('refuses depth and aliases with 400 and their codes, without revealing the limits', async () => {
    const deep = await post({ query: nested(14) });
    expect(deep.status).toBe(400);
    expect(deep.body.errors[0]).toMatchObject({ message: 'Query is nested too deeply.', extensions: { code: 'QUERY_TOO_DEEP' } });
    const aliases = await post({ query: aliased(31) });
    expect(aliases.status).toBe(400);
    expect(aliases.body.errors[0]).toMatchObject({ message: 'Query uses too many aliases.', extensions: { code: 'TOO_MANY_ALIASES' } });
  });

  it('takes one operation per request: a batch is refused', async () => {
    const { status, body } = await post([{ query: '{ __typename }' }, { query: '{ __typename }' }]);
    expect(status).toBe(400);
    expect(JSON.stringify(body)).toMatch(/batching/i);
  });
});

describe('configuration', () => {
  it('reads MAX_QUERY_COST, 250,000 by default, and refuses a value that is not a positive integer', () => {
    expect(loadConfig({}).MAX_QUERY_COST).toBe(250_000);
    expect(loadConfig({ MAX_QUERY_COST: '50000' }).MAX_QUERY_COST).toBe(50_000);
    expect(() => loadConfig({ MAX_QUERY_COST: 'lots' })).toThrow(/MAX_QUERY_COST/);
    expect(() => loadConfig({ MAX_QUERY_COST: '0' })).toThrow(/MAX_QUERY_COST/);
  });
});
