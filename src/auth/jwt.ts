import { createRemoteJWKSet, jwtVerify, SignJWT, type JWTPayload } from 'jose';

export interface JwtSettings {
  secret?: string | undefined;
  jwksUrl?: string | undefined;
  issuer: string;
  audience: string;
}

export interface StaffClaims extends JWTPayload {
  /** `staff` or `admin`. */
  role?: unknown;
  /** Slug of the staff member's jurisdiction; optional for a global admin. */
  jurisdiction?: unknown;
  name?: unknown;
}

export type JwtVerifier = (token: string) => Promise<StaffClaims>;

/** Verifies signature, issuer, audience and expiry; a JWKS URL wins over a shared secret. */
export function createJwtVerifier(settings: JwtSettings): JwtVerifier | null {
  // A token without an expiry or a subject would be valid forever, or unattributable in the audit.
  const options = { issuer: settings.issuer, audience: settings.audience, requiredClaims: ['exp', 'sub'] };
  if (settings.jwksUrl) {
    const keys = createRemoteJWKSet(new URL(settings.jwksUrl));
    return async (token) => (await jwtVerify<StaffClaims>(token, keys, { ...options, algorithms: ['RS256', 'ES256', 'EdDSA'] })).payload;
  }
  if (settings.secret) {
    const key = new TextEncoder().encode(settings.secret);
    return async (token) => (await jwtVerify<StaffClaims>(token, key, { ...options, algorithms: ['HS256'] })).payload;
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
