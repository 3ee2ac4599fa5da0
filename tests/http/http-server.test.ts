import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createContext } from '../../src/context.ts';
import { createHttpServer } from '../../src/http/http-server.ts';
import { createApolloServer } from '../../src/server.ts';
import { openTestDatabase, type PortlandTestDatabase } from '../helpers/portland-database.ts';

let database: PortlandTestDatabase;
let server: Server;
let base: string;
const apollo = createApolloServer({ logger: pino({ level: 'silent' }), production: false });

beforeAll(async () => {
  database = await openTestDatabase();
  await apollo.start();
  const logger = pino({ level: 'silent' });
  server = createHttpServer(apollo, async ({ requestId }) => createContext({ db: database.db, defaultJurisdiction: 'portland', logger, requestId }), logger);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  await apollo.stop();
  await database.dispose();
});

describe('HTTP server', () => {
  it('answers a POSTed query', async () => {
    const res = await fetch(`${base}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ councilDistricts { name } }' }),
    });
    expect(res.status).toBe(200);
    const body = (await res.json()) as any;
    expect(body.data.councilDistricts).toHaveLength(4);
  });

  it('answers a GET query (cacheable reads)', async () => {
    const query = encodeURIComponent('{ organization(slug: "buckman") { name } }');
    const res = await fetch(`${base}/graphql?query=${query}`, { headers: { 'apollo-require-preflight': 'true' } });
    expect(res.status).toBe(200);
    expect(((await res.json()) as any).data.organization.name).toBe('Buckman');
  });

  it('refuses a GET without a preflight header (CSRF prevention)', async () => {
    const res = await fetch(`${base}/graphql?query=${encodeURIComponent('{ __typename }')}`);
    expect(res.status).toBe(400);
  });

  it('reports liveness at /healthz', async () => {
    const res = await fetch(`${base}/healthz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ok' });
  });

  it('refuses malformed JSON with 400', async () => {
    const res = await fetch(`${base}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"query":' });
    expect(res.status).toBe(400);
  });

  it('refuses a body over 1 MB with 413', async () => {
    const res = await fetch(`${base}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: `{ __typename }`, padding: 'x'.repeat(1_100_000) }),
    });
    expect(res.status).toBe(413);
  });

  it('answers 404 for unknown paths', async () => {
    expect((await fetch(`${base}/nope`)).status).toBe(404);
  });
});
