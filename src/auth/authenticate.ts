import { and, eq, isNull } from 'drizzle-orm';
import { GraphQLError } from 'graphql';
import { errors } from 'jose';
import type { Database } from '../db/client.ts';
import { apiKeys, jurisdictions } from '../db/schema/index.ts';
import { apiKeyMatches, looksLikeApiKey, parseApiKey } from './api-keys.ts';
import { EVERY_JURISDICTION, parseStaffClaims, type JwtVerifier } from './jwt.ts';
import { PUBLIC_VIEWER, type Viewer } from './viewer.ts';

/** A bad credential is refused outright (401), never silently downgraded to the public. */
function unauthenticated(message: string, claim?: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: 'UNAUTHENTICATED', ...(claim ? { claim } : {}), http: { status: 401 } } });
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
  let payload;
  try {
    payload = await verifyJwt(token);
  } catch (error) {
    // A required claim jose checks (sub, exp, iss, aud) is named; other reasons (expired, bad
    // signature) stay in the server's hands.
    const claim = error instanceof errors.JWTClaimValidationFailed && error.code === 'ERR_JWT_CLAIM_VALIDATION_FAILED' ? error.claim : null;
    if (claim) throw unauthenticated(`The token's "${claim}" claim is missing or invalid`, claim);
    throw unauthenticated('The token is invalid or expired');
  }
  const parsed = parseStaffClaims(payload);
  if (!parsed.ok) throw unauthenticated(`The token's "${parsed.claim}" claim must be ${parsed.expected}`, parsed.claim);
  const { claims } = parsed;
  let jurisdictionId: number | null = null;
  if (claims.jurisdiction !== EVERY_JURISDICTION) {
    const [row] = await db.select({ id: jurisdictions.id }).from(jurisdictions).where(eq(jurisdictions.slug, claims.jurisdiction));
    if (!row) throw unauthenticated('The token\'s "jurisdiction" claim names an unknown jurisdiction', 'jurisdiction');
    jurisdictionId = row.id;
  }
  const role = claims.role === 'admin' ? 'ADMIN' : 'STAFF';
  return { role, subject: claims.sub, name: claims.name ?? null, jurisdictionId, apiKeyId: null };
}
