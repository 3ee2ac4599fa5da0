import { composeServices } from '@apollo/composition';
import { ApolloGateway, RemoteGraphQLDataSource } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { startStandaloneServer } from '@apollo/server/standalone';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { parse } from 'graphql';
import { createLogger } from '../../src/logger.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { federatedTypeDefs } from '../../src/graphql/federation.ts';
import { toGlobalId } from '../../src/graphql/global-id.ts';
import { loadTypeDefs } from '../../src/graphql/type-defs.ts';
import { createApolloServer } from '../../src/server.ts';
import { councilPost, createMembership, createPerson, organizationBySlug } from '../helpers/factories.ts';
import { startHttpInstance, type HttpInstance } from '../helpers/http-instance.ts';
import { openTestDatabase, type PortlandTestDatabase } from '../helpers/portland-database.ts';

/**
 * civic-graph as a subgraph of a supergraph: a second, tiny subgraph (a newsroom's stories) refers
 * to civic-graph's Organization and Person by id; composition must succeed, and a gateway query
 * that joins both must resolve the references through civic-graph's _entities over HTTP.
 */
const logger = createLogger('silent');
let database: PortlandTestDatabase;
let civicHttp: HttpInstance;
let newsroom: ApolloServer;
let newsroomUrl: string;
let gateway: ApolloServer;
let stories: { title: string; organization: { id: string }; people: { id: string }[] }[];

const NEWSROOM_SDL = `
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])
  "A news story about a civic organization."
  type Story {
    title: String!
    organization: Organization!
    "People named in the story; null where civic-graph does not show that person publicly."
    people: [Person]!
  }
  type Organization @key(fields: "id", resolvable: false) { id: ID! }
  type Person @key(fields: "id", resolvable: false) { id: ID! }
  type Query { stories: [Story!]! }
`;

async function gatewayQuery(query: string) {
  const response = await gateway.executeOperation({ query });
  if (response.body.kind !== 'single') throw new Error('unexpected incremental response');
  return response.body.singleResult as { data?: any; errors?: any[] };
}

beforeAll(async () => {
  database = await openTestDatabase();
  civicHttp = await startHttpInstance(database.db, { logger, federation: true });

  const buckman = await organizationBySlug(database.db, 'buckman');
  const post = await councilPost(database.db, 2);
  const member = await createPerson(database.db, database.jurisdictionId, 'Federated Roster Person');
  await createMembership(database.db, { jurisdictionId: database.jurisdictionId, personId: member.id, organizationId: post.organizationId, postId: post.id, startDate: '2025-01-01' });
  // Recorded by staff, never on a roster: not public, through the supergraph as through node(id:).
  const unlisted = await createPerson(database.db, database.jurisdictionId, 'Unlisted Person');
  stories = [
    {
      title: 'Buckman elects a new board',
      organization: { id: toGlobalId('Organization', buckman.id) },
      people: [{ id: toGlobalId('Person', member.id) }, { id: toGlobalId('Person', unlisted.id) }],
    },
  ];

  newsroom = new ApolloServer({ schema: buildSubgraphSchema({ typeDefs: parse(NEWSROOM_SDL), resolvers: { Query: { stories: () => stories } } }) });
  ({ url: newsroomUrl } = await startStandaloneServer(newsroom, { listen: { port: 0, host: '127.0.0.1' } }));
});

afterAll(async () => {
  await gateway?.stop();
  await newsroom?.stop();
  await civicHttp.close();
  await database.dispose();
});

describe('Apollo Federation', () => {
  it('serves a subgraph SDL with @key on the entity types', async () => {
    const res = await fetch(`${civicHttp.base}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ _service { sdl } }' }),
    });
    const sdl: string = ((await res.json()) as any).data._service.sdl;
    for (const type of ['Organization', 'Division', 'Post', 'Membership', 'Person', 'Jurisdiction']) {
      // Other directives (the cache hints) may stand beside the key.
      expect(sdl).toMatch(new RegExp(`type ${type} implements Node(\\s+@\\w+\\([^)]*\\))*\\s+@key\\(fields: "id"\\)`));
    }
    expect(sdl).toContain('@link(url: "https://specs.apollo.dev/federation/v2.3"');
  });

  it('composes with another subgraph, and a gateway query joins both through entity references', async () => {
    const composed = composeServices([
      { name: 'civic-graph', url: `${civicHttp.base}/graphql`, typeDefs: federatedTypeDefs(loadTypeDefs()) },
      { name: 'newsroom', url: newsroomUrl, typeDefs: parse(NEWSROOM_SDL) },
    ]);
    expect(composed.errors ?? []).toEqual([]);
    const apolloGateway = new ApolloGateway({
      supergraphSdl: composed.supergraphSdl!,
      // civic-graph refuses GETs without a preflight header (CSRF); the gateway POSTs JSON.
      buildService: ({ url }) => new RemoteGraphQLDataSource({ url }),
    });
    gateway = new ApolloServer({ gateway: apolloGateway as never });
    await gateway.start();

    const result = await gatewayQuery(`{
      stories {
        title
        organization { name slug kind division { name kind } }
        people { name }
      }
    }`);
    expect(result.errors, JSON.stringify(result)).toBeUndefined();
    expect(result.data.stories[0]).toMatchObject({
      title: 'Buckman elects a new board',
      organization: { name: 'Buckman', slug: 'buckman', kind: 'NEIGHBORHOOD_ASSOCIATION', division: { kind: 'NEIGHBORHOOD' } },
    });
    // The roster member resolves; the person on no roster is not public and comes back empty.
    expect(result.data.stories[0].people).toEqual([{ name: 'Federated Roster Person' }, null]);
    expect(JSON.stringify(result)).not.toContain('Unlisted Person');
  });

  it('resolves _entities as node(id:) does: a wrong type or an unknown id is null', async () => {
    const buckman = await organizationBySlug(database.db, 'buckman');
    const res = await fetch(`${civicHttp.base}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        query: 'query($r: [_Any!]!) { _entities(representations: $r) { ... on Organization { name } ... on Post { label } } }',
        variables: {
          r: [
            { __typename: 'Organization', id: toGlobalId('Organization', buckman.id) },
            { __typename: 'Post', id: toGlobalId('Organization', buckman.id) },
            { __typename: 'Organization', id: 'not-an-id' },
          ],
        },
      }),
    });
    const body = (await res.json()) as any;
    expect(body.data._entities).toEqual([{ name: 'Buckman' }, null, null]);
  });

  it('counts _entities by its representations in the cost limit, and refuses more than 100', async () => {
    const buckman = toGlobalId('Organization', (await organizationBySlug(database.db, 'buckman')).id);
    const query = 'query($r: [_Any!]!) { _entities(representations: $r) { ... on Organization { name } } }';
    const representations = (n: number) => Array.from({ length: n }, () => ({ __typename: 'Organization', id: buckman }));
    // 60 objects asked for: above a limit of 50, however few a default list would be assumed to hold.
    const limited = await startHttpInstance(database.db, { federation: true, maxQueryCost: 50 });
    try {
      const costly = await limited.post(query, { variables: { r: representations(60) } });
      expect(costly.body.errors[0].extensions.code).toBe('QUERY_TOO_COSTLY');
      expect(costly.body.errors[0].message).toContain('60');
      expect(costly.body.data).toBeUndefined();
      const cheap = await limited.post(query, { variables: { r: representations(40) } });
      expect(cheap.body.errors).toBeUndefined();
      expect(cheap.body.data._entities).toHaveLength(40);
    } finally {
      await limited.close();
    }
    const res = await fetch(`${civicHttp.base}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query, variables: { r: representations(101) } }),
    });
    const body = (await res.json()) as any;
    expect(body.errors[0].extensions.code).toBe('BAD_USER_INPUT');
    expect(body.errors[0].message).toBe('_entities accepts at most 100 representations; got 101');
  });

  it('never returns resolver traces to a client that asks for them', async () => {
    const res = await fetch(`${civicHttp.base}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'apollo-federation-include-trace': 'ftv1' },
      body: JSON.stringify({ query: '{ councilDistricts { name } }' }),
    });
    const body = (await res.json()) as any;
    expect(body.data.councilDistricts).toHaveLength(4);
    expect(body.extensions?.ftv1).toBeUndefined();
  });

  it('leaves the public schema unchanged when federation is off', async () => {
    const plain = createApolloServer({ logger, production: false });
    await plain.start();
    try {
      const response = await plain.executeOperation({ query: '{ _service { sdl } }' });
      const result = response.body.kind === 'single' ? response.body.singleResult : null;
      expect(result?.errors?.[0]?.message).toMatch(/Cannot query field "_service"/);
    } finally {
      await plain.stop();
    }
  });
});
