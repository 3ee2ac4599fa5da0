import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { SignJWT } from 'jose';
import { createLogger } from '../../src/logger.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseApiKey } from '../../src/auth/api-keys.ts';
import { createAuthenticator } from '../../src/auth/authenticate.ts';
import { createJwtVerifier, signStaffToken } from '../../src/auth/jwt.ts';
import { createContext } from '../../src/context.ts';
import { createHttpServer } from '../../src/http/http-server.ts';
import { createApolloServer } from '../../src/server.ts';
import { openTestDatabase, type PortlandTestDatabase } from '../helpers/portland-database.ts';

const settings = { secret: 'test-secret-that-is-long-enough-for-hs256!!', issuer: 'civic-graph', audience: 'civic-graph' };
const logger = createLogger('silent');
const apollo = createApolloServer({ logger, production: false });
let database: PortlandTestDatabase;
let server: Server;
let url: string;

beforeAll(async () => {
  database = await openTestDatabase();
  await apollo.start();
  const authenticate = createAuthenticator(database.db, createJwtVerifier(settings));
  server = createHttpServer(
    apollo,
    async ({ headers, requestId }) =>
      createContext({ db: database.db, defaultJurisdiction: 'portland', logger, requestId, viewer: await authenticate(headers.get('authorization')) }),
    logger,
  );
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  await apollo.stop();
  await database.dispose();
});

async function post(query: string, token?: string, variables?: object): Promise<{ status: number; body: any }> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  return { status: res.status, body: await res.json() };
}

const staffToken = (claims: Partial<Parameters<typeof signStaffToken>[1]> = {}) =>
  signStaffToken(settings, { subject: 'maria@portland.example', role: 'staff', jurisdiction: 'portland', name: 'Maria', ...claims });

const VIEWER = `{ viewer { role name jurisdiction { slug } viewerCanManage viewerCanReadPrivateData } }`;

describe('who is asking', () => {
  it('treats a request without credentials as the public', async () => {
    const { status, body } = await post(VIEWER);
    expect(status).toBe(200);
    expect(body.data.viewer).toEqual({ role: 'PUBLIC', name: null, jurisdiction: null, viewerCanManage: false, viewerCanReadPrivateData: false });
  });

  it('recognizes a staff token of the jurisdiction', async () => {
    const { body } = await post(VIEWER, await staffToken());
    expect(body.data.viewer).toEqual({ role: 'STAFF', name: 'Maria', jurisdiction: { slug: 'portland' }, viewerCanManage: true, viewerCanReadPrivateData: true });
  });

  it('recognizes an admin token whose jurisdiction is "*" as an admin of every jurisdiction', async () => {
    const { body } = await post(VIEWER, await staffToken({ role: 'admin', jurisdiction: '*' }));
    expect(body.data.viewer).toMatchObject({ role: 'ADMIN', jurisdiction: null, viewerCanManage: true });
  });

  it.each([
    ['an expired token', async () => staffToken({ expiresIn: '-1m' })],
    ['a token signed with another secret', async () => signStaffToken({ ...settings, secret: 'another-secret-that-is-also-long-enough!!' }, { subject: 'x', role: 'staff', jurisdiction: 'portland' })],
    ['a token for another audience', async () => signStaffToken({ ...settings, audience: 'someone-else' }, { subject: 'x', role: 'staff', jurisdiction: 'portland' })],
    ['a token with no role', async () => new SignJWT({ jurisdiction: 'portland' }).setProtectedHeader({ alg: 'HS256' }).setSubject('x').setIssuer('civic-graph').setAudience('civic-graph').setExpirationTime('1h').sign(new TextEncoder().encode(settings.secret))],
    ['a staff token for an unknown jurisdiction', async () => staffToken({ jurisdiction: 'atlantis' })],
    ['a token that never expires', async () => new SignJWT({ role: 'admin' }).setProtectedHeader({ alg: 'HS256' }).setSubject('x').setIssuer('civic-graph').setAudience('civic-graph').sign(new TextEncoder().encode(settings.secret))],
    ['an unsigned (alg none) token', async () => `${Buffer.from('{"alg":"none"}').toString('base64url')}.${Buffer.from('{"sub":"x","role":"admin"}').toString('base64url')}.`],
    ['garbage', async () => 'not-a-token'],
    ['a malformed API key', async () => 'cgk_short'],
  ])('refuses %s with 401 UNAUTHENTICATED and no data', async (_name, makeToken) => {
    const { status, body } = await post(VIEWER, await makeToken());
    expect(status).toBe(401);
    expect(body.data).toBeUndefined();
    expect(body.errors[0].extensions.code).toBe('UNAUTHENTICATED');
  });

  it('refuses an Authorization header that is not a bearer token', async () => {
    const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', authorization: 'Basic dXNlcjpwYXNz' }, body: JSON.stringify({ query: VIEWER }) });
    expect(res.status).toBe(401);
  });
});

describe('API keys', () => {
  const CREATE = `mutation($name: String!) { apiKeyCreate(input: { name: $name }) { key apiKey { id name scope revokedAt } userErrors { code message } } }`;

  it('lets an admin create a key that a partner then uses, and revoke it at once', async () => {
    const admin = await staffToken({ role: 'admin' });
    const created = await post(CREATE, admin, { name: 'Newsroom map' });
    expect(created.body.data.apiKeyCreate.userErrors).toEqual([]);
    const key = created.body.data.apiKeyCreate.key;
    expect(key).toMatch(/^cgk_/);

    const asPartner = await post(VIEWER, key);
    expect(asPartner.body.data.viewer).toMatchObject({ role: 'PARTNER', name: 'Newsroom map', viewerCanManage: false, viewerCanReadPrivateData: false });

    const listed = await post(`{ apiKeys { name revokedAt } }`, admin);
    expect(listed.body.data.apiKeys).toEqual([{ name: 'Newsroom map', revokedAt: null }]);
    // The secret is the key's last part (base64url, which may itself hold '_': no split).
    expect(JSON.stringify(listed.body)).not.toContain(parseApiKey(key)!.secret);

    const revoked = await post(`mutation($id: ID!) { apiKeyRevoke(input: { apiKeyId: $id }) { apiKey { revokedAt } userErrors { code } } }`, admin, {
      id: created.body.data.apiKeyCreate.apiKey.id,
    });
    expect(revoked.body.data.apiKeyRevoke.apiKey.revokedAt).not.toBeNull();
    expect((await post(VIEWER, key)).status).toBe(401);
  });

  it('refuses a key whose secret part is wrong', async () => {
    const admin = await staffToken({ role: 'admin' });
    const { key } = (await post(CREATE, admin, { name: 'Tampered' })).body.data.apiKeyCreate;
    const tampered = key.slice(0, -4) + (key.endsWith('AAAA') ? 'BBBB' : 'AAAA');
    expect((await post(VIEWER, tampered)).status).toBe(401);
  });

  it('does not let staff (not admins) create keys', async () => {
    const { body } = await post(CREATE, await staffToken(), { name: 'Nope' });
    expect(body.errors[0].extensions.code).toBe('FORBIDDEN');
  });

  it('does not let the public or a partner create keys', async () => {
    expect((await post(CREATE, undefined, { name: 'Nope' })).body.errors[0].extensions.code).toBe('UNAUTHENTICATED');
    const admin = await staffToken({ role: 'admin' });
    const { key } = (await post(CREATE, admin, { name: 'Partner app' })).body.data.apiKeyCreate;
    expect((await post(CREATE, key, { name: 'Nope' })).body.errors[0].extensions.code).toBe('FORBIDDEN');
  });
});
