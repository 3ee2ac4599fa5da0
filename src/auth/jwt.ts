import { createRemoteJWKSet, jwtVerify, SignJWT, type JWTPayload } from 'jose';
import { z } from 'zod';
import { SLUG } from '../datasets/format.ts';

export interface JwtSettings {
  secret?: string | undefined;
  jwksUrl?: string | undefined;
  issuer: string;
  audience: string;
}

/** The `jurisdiction` claim of an administrator of every jurisdiction: explicit, never implied. */
export const EVERY_JURISDICTION = '*';

/** Text a person or an identity provider wrote: no control characters (a NUL, a line break). */
const plainText = (max: number) => z.string().min(1).max(max).regex(/^[^\p{Cc}]*$/u);

/**
 * The claims a staff token must carry, exactly as src/auth/README.md ("Authentication") documents
 * them; anything else is refused naming the claim. Signature, `iss`, `aud` and `exp` are jose's to check.
 */
const staffClaimsSchema = z
  .object({
    sub: plainText(200),
    role: z.enum(['staff', 'admin']),
    jurisdiction: z.union([z.literal(EVERY_JURISDICTION), z.string().max(100).regex(SLUG)]),
    name: plainText(200).optional(),
  })
  .refine((claims) => claims.role === 'admin' || claims.jurisdiction !== EVERY_JURISDICTION, { path: ['jurisdiction'] });

export type StaffClaims = z.infer<typeof staffClaimsSchema>;

/** What each claim must be, for the 401 that names it (the value itself is never echoed). */
const EXPECTED: Record<keyof StaffClaims, string> = {
  sub: 'a non-empty string without control characters, at most 200 characters',
  role: '"staff" or "admin"',
  jurisdiction: 'a jurisdiction slug (lower-case letters and digits joined by single hyphens), or "*" on an admin token for every jurisdiction',
  name: 'a non-empty string without control characters, at most 200 characters, when present',
};

export type ParsedClaims = { ok: true; claims: StaffClaims } | { ok: false; claim: string; expected: string };

/** Parses a verified token's payload with the one schema; a failure names the first bad claim. */
export function parseStaffClaims(payload: JWTPayload): ParsedClaims {
  const parsed = staffClaimsSchema.safeParse(payload);
  if (parsed.success) return { ok: true, claims: parsed.data };
  const claim = String(parsed.error.issues[0]?.path[0] ?? 'payload') as keyof StaffClaims;
  return { ok: false, claim, expected: EXPECTED[claim] ?? 'a documented claim' };
}

export type JwtVerifier = (token: string) => Promise<JWTPayload>;

/** Verifies signature, issuer, audience and expiry; a JWKS URL wins over a shared secret. */
export function createJwtVerifier(settings: JwtSettings): JwtVerifier | null {
  // A token without an expiry or a subject would be valid forever, or unattributable in the audit.
  const options = { issuer: settings.issuer, audience: settings.audience, requiredClaims: ['exp', 'sub'] };
  if (settings.jwksUrl) {
    const keys = createRemoteJWKSet(new URL(settings.jwksUrl));
    return async (token) => (await jwtVerify(token, keys, { ...options, algorithms: ['RS256', 'ES256', 'EdDSA'] })).payload;
  }
  if (settings.secret) {
    const key = new TextEncoder().encode(settings.secret);
    return async (token) => (await jwtVerify(token, key, { ...options, algorithms: ['HS256'] })).payload;
  }
  return null;
}

/** Mints a local staff token (the `npm run token` CLI and tests). */
export async function signStaffToken(
  settings: JwtSettings & { secret: string },
  claims: { subject: string; role: 'staff' | 'admin'; jurisdiction?: string; name?: string; expiresIn?: string },
): Promise<string> {
  return new SignJWT({ role: claims.role, ...(claims.jurisdiction ? { jurisdiction: claims.jurisdiction } : {}), ...(claims.name ? { name: claims.name } : {}) })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(claims.subject)
    .setIssuer(settings.issuer)
    .setAudience(settings.audience)
    .setIssuedAt()
    .setExpirationTime(claims.expiresIn ?? '8h')
    .sign(new TextEncoder().encode(settings.secret));
}
