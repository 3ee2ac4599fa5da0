import { connect, type AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { createLogger } from '../../src/logger.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createContext } from '../../src/context.ts';
import { createHttpServer, MAX_BODY_BYTES } from '../../src/http/http-server.ts';
import { createApolloServer } from '../../src/server.ts';
import { openTestDatabase, type PortlandTestDatabase } from '../helpers/portland-database.ts';

let database: PortlandTestDatabase;
let server: Server;
let base: string;
const apollo = createApolloServer({ logger: createLogger('silent'), production: false });

beforeAll(async () => {
  database = await openTestDatabase();
  await apollo.start();
  const logger = createLogger('silent');
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

  it('refuses a body over the limit with 413', async () => {
    const res = await fetch(`${base}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: `{ __typename }`, padding: 'x'.repeat(MAX_BODY_BYTES) }),
    });
    expect(res.status).toBe(413);
  });

  it('answers a malformed request line with 400 and keeps serving', async () => {
    const { port } = server.address() as AddressInfo;
    const reply = await new Promise<string>((resolve, reject) => {
      const socket = connect(port, '127.0.0.1', () => socket.write('GET http://[ HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n'));
      let text = '';
      socket.on('data', (chunk) => (text += chunk));
      socket.on('end', () => resolve(text));
      socket.on('error', reject);
    });
    expect(reply).toMatch(/^HTTP\/1\.1 400/);
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
  });

  it('returns a request id, keeping a well-formed one the client sent', async () => {
    const own = await fetch(`${base}/healthz`, { headers: { 'x-request-id': 'client-123' } });
    expect(own.headers.get('x-request-id')).toBe('client-123');
    const made = await fetch(`${base}/healthz`, { headers: { 'x-request-id': 'bad id with spaces' } });
    expect(made.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('answers 404 for unknown paths', async () => {
    expect((await fetch(`${base}/nope`)).status).toBe(404);
  });
});
