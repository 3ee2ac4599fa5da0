import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { SignJWT, type JWTPayload } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JWT_SETTINGS, startHttpInstance, type HttpInstance } from '../helpers/http-instance.ts';
import { openTestDatabase, type PortlandTestDatabase } from '../helpers/portland-database.ts';

/**
 * Issue 12, item 4: a staff token's claims are parsed by one schema (src/auth/jwt.ts) that accepts
 * exactly the documented shapes. Anything else is a 401 naming the claim, through the real HTTP
 * server with really signed tokens; "every jurisdiction" is the explicit `jurisdiction: "*"` only.
 */

let database: PortlandTestDatabase;
let http: HttpInstance;
beforeAll(async () => {
  database = await openTestDatabase();
  http = await startHttpInstance(database.db);
});
afterAll(async () => {
  await http?.close();
  await database?.dispose();
});

/** A token signed with the server's secret, carrying exactly these claims (plus iss, aud, exp). */
function signed(claims: JWTPayload, sub: string | null = 'maria@portland.example'): Promise<string> {
  const jwt = new SignJWT(claims).setProtectedHeader({ alg: 'HS256' }).setIssuer(JWT_SETTINGS.issuer).setAudience(JWT_SETTINGS.audience).setIssuedAt().setExpirationTime('1h');
  if (sub !== null) jwt.setSubject(sub);
  return jwt.sign(new TextEncoder().encode(JWT_SETTINGS.secret));
}

const VIEWER = `{ viewer { role jurisdiction { slug } viewerCanManage } }`;
const RENAME = `mutation { organizationUpdate(input: { id: "x", name: "Renamed" }) { userErrors { code } } }`;

describe('accepted claims', () => {
  it.each([
    ['a staff token of a jurisdiction', { role: 'staff', jurisdiction: 'portland' }, { role: 'STAFF', jurisdiction: { slug: 'portland' }, viewerCanManage: true }],
    ['an admin token of a jurisdiction', { role: 'admin', jurisdiction: 'portland', name: 'Ana' }, { role: 'ADMIN', jurisdiction: { slug: 'portland' }, viewerCanManage: true }],
    ['an admin token of every jurisdiction ("*")', { role: 'admin', jurisdiction: '*' }, { role: 'ADMIN', jurisdiction: null, viewerCanManage: true }],
  ])('%s', async (_name, claims, viewer) => {
    const { status, body } = await http.post(VIEWER, { token: await signed(claims) });
    expect(status).toBe(200);
    expect(body.data.viewer).toEqual(viewer);
  });
});

describe('refused claims: 401 UNAUTHENTICATED naming the claim, never echoing its value', () => {
  const cases: [string, JWTPayload, string | null, string, string | null][] = [
    // name, claims, sub, the claim named, a value that must not be echoed
    ['admin with an array jurisdiction', { role: 'admin', jurisdiction: ['testville'] }, 'maria@portland.example', 'jurisdiction', 'testville'],
    ['admin with an array holding its own jurisdiction', { role: 'admin', jurisdiction: ['portland'] }, 'maria@portland.example', 'jurisdiction', null],
    ['an object jurisdiction', { role: 'staff', jurisdiction: { slug: 'portland' } }, 'maria@portland.example', 'jurisdiction', null],
    ['a number jurisdiction', { role: 'admin', jurisdiction: 7 }, 'maria@portland.example', 'jurisdiction', null],
    ['a null jurisdiction', { role: 'admin', jurisdiction: null }, 'maria@portland.example', 'jurisdiction', null],
    ['an empty jurisdiction', { role: 'admin', jurisdiction: '' }, 'maria@portland.example', 'jurisdiction', null],
    ['a NUL in the jurisdiction', { role: 'staff', jurisdiction: 'portland\u0000x' }, 'maria@portland.example', 'jurisdiction', null],
    ['an admin token with no jurisdiction (no implied "every")', { role: 'admin' }, 'maria@portland.example', 'jurisdiction', null],
    ['a staff token claiming every jurisdiction', { role: 'staff', jurisdiction: '*' }, 'maria@portland.example', 'jurisdiction', null],
    ['an unknown jurisdiction', { role: 'staff', jurisdiction: 'atlantis' }, 'maria@portland.example', 'jurisdiction', 'atlantis'],
    ['an unknown role', { role: 'superadmin', jurisdiction: 'portland' }, 'maria@portland.example', 'role', 'superadmin'],
    ['an array role', { role: ['admin'], jurisdiction: 'portland' }, 'maria@portland.example', 'role', null],
    ['an upper-case role', { role: 'ADMIN', jurisdiction: 'portland' }, 'maria@portland.example', 'role', null],
    ['no role', { jurisdiction: 'portland' }, 'maria@portland.example', 'role', null],
    ['no sub', { role: 'staff', jurisdiction: 'portland' }, null, 'sub', null],
    ['an empty sub', { role: 'staff', jurisdiction: 'portland' }, '', 'sub', null],
    ['a NUL in the sub', { role: 'staff', jurisdiction: 'portland' }, 'maria\u0000@portland.example', 'sub', null],
    ['a NUL in the name', { role: 'staff', jurisdiction: 'portland', name: 'Ma\u0000ria' }, 'maria@portland.example', 'name', null],
    ['a number name', { role: 'staff', jurisdiction: 'portland', name: 42 }, 'maria@portland.example', 'name', null],
  ];

  it.each(cases)('%s', async (_name, claims, sub, claim, secret) => {
    const token = await signed(claims, sub);
    for (const query of [VIEWER, RENAME]) {
      const { status, body } = await http.post(query, { token });
      expect(status).toBe(401);
      expect(body.data).toBeUndefined();
      expect(body.errors[0].extensions).toMatchObject({ code: 'UNAUTHENTICATED', claim });
      expect(body.errors[0].message).toContain(`"${claim}"`);
      if (secret) expect(JSON.stringify(body)).not.toContain(secret);
    }
  });
});

describe('npm run -s token (the CLI, as a child process)', () => {
  const run = promisify(execFile);
  const env = { ...process.env, NODE_ENV: 'development', AUTH_JWT_SECRET: JWT_SETTINGS.secret, AUTH_JWT_ISSUER: JWT_SETTINGS.issuer, AUTH_JWT_AUDIENCE: JWT_SETTINGS.audience };
  const token = (...args: string[]) => run('npm', ['run', '-s', 'token', '--', ...args], { env });

  it('--help prints the usage, not a stack trace', async () => {
    const { stdout, stderr } = await token('--help');
    expect(stdout).toMatch(/^Usage: npm run -s token -- --jurisdiction <slug>/);
    expect(stdout + stderr).not.toMatch(/\n\s+at /);
  });

  it('prints the token alone on stdout, and the server accepts it', { timeout: 60_000 }, async () => {
    const { stdout, stderr } = await token('--role', 'admin', '--jurisdiction', '*');
    expect(stdout).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+\n$/);
    expect(stderr).toMatch(/Authorization: Bearer/);
    const { body } = await http.post(VIEWER, { token: stdout.trim() });
    expect(body.data.viewer).toEqual({ role: 'ADMIN', jurisdiction: null, viewerCanManage: true });
  });

  it.each([
    [['--role', 'admin'], /--jurisdiction is required/],
    [['--role', 'staff', '--jurisdiction', '*'], /"jurisdiction" claim must be/],
    [['--role', 'owner', '--jurisdiction', 'portland'], /--role must be staff or admin/],
    [['--bogus'], /Unknown option '--bogus'/],
  ])('refuses %j with a one-line reason and the usage on stderr, exit code 2, nothing on stdout', async (args, reason) => {
    const failed = await token(...(args as string[])).then(
      () => null,
      (error: { code: number; stdout: string; stderr: string }) => error,
    );
    expect(failed?.code).toBe(2);
    expect(failed!.stdout).toBe('');
    expect(failed!.stderr).toMatch(reason);
    expect(failed!.stderr).toMatch(/Usage:/);
    expect(failed!.stderr).not.toMatch(/\n\s+at /);
  });
});
