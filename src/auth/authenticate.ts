import { and, eq, isNull } from 'drizzle-orm';
import { GraphQLError } from 'graphql';
import type { Database } from '../db/client.ts';
import { apiKeys, jurisdictions } from '../db/schema/index.ts';
import { apiKeyMatches, looksLikeApiKey, parseApiKey } from './api-keys.ts';
import type { JwtVerifier } from './jwt.ts';
import { PUBLIC_VIEWER, type Viewer } from './viewer.ts';

/** A bad credential is refused outright (401), never silently downgraded to the public. */
function unauthenticated(message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: 'UNAUTHENTICATED', http: { status: 401 } } });
}

export interface Authenticator {
  (authorization: string | undefined): Promise<Viewer>;
}

export function createAuthenticator(db: Database, verifyJwt: JwtVerifier | null): Authenticator {
  return async (authorization) => {
    if (!authorization) return PUBLIC_VIEWER;
    const match = /^Bearer\s+(\S+)$/i.exec(authorization.trim());
    if (!match) throw unauthenticated('The Authorization header must be "Bearer <token>"');
    const token = match[1]!;
    return looksLikeApiKey(token) ? viewerForApiKey(db, token) : viewerForJwt(db, verifyJwt, token);
  };
}

async function viewerForApiKey(db: Database, token: string): Promise<Viewer> {
  const parsed = parseApiKey(token);
  if (!parsed) throw unauthenticated('The API key is malformed');
  const [key] = await db.select().from(apiKeys).where(and(eq(apiKeys.prefix, parsed.prefix), isNull(apiKeys.revokedAt)));
  if (!key || !apiKeyMatches(parsed.secret, key.keyHash)) throw unauthenticated('The API key is unknown or revoked');
  return { role: 'PARTNER', subject: `api-key:${key.id}`, name: key.name, jurisdictionId: key.jurisdictionId, apiKeyId: key.id };
}

async function viewerForJwt(db: Database, verifyJwt: JwtVerifier | null, token: string): Promise<Viewer> {
  if (!verifyJwt) throw unauthenticated('Staff sign-in is not configured on this server');
  let claims;
  try {
    claims = await verifyJwt(token);
  } catch {
    // jose's reason (expired, bad signature, wrong audience) stays in the server's hands.
    throw unauthenticated('The token is invalid or expired');
  }
  const role = claims.role === 'admin' ? 'ADMIN' : claims.role === 'staff' ? 'STAFF' : null;
  if (!role || typeof claims.sub !== 'string' || !claims.sub) throw unauthenticated('The token has no staff role or subject');
  let jurisdictionId: number | null = null;
  if (typeof claims.jurisdiction === 'string') {
    const [row] = await db.select({ id: jurisdictions.id }).from(jurisdictions).where(eq(jurisdictions.slug, claims.jurisdiction));
    if (!row) throw unauthenticated('The token names an unknown jurisdiction');
    jurisdictionId = row.id;
  } else if (role === 'STAFF') {
    throw unauthenticated('A staff token must name its jurisdiction');
  }
  return { role, subject: claims.sub, name: typeof claims.name === 'string' ? claims.name : null, jurisdictionId, apiKeyId: null };
}
