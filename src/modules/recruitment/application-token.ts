import { createHash, randomBytes } from 'node:crypto';

/**
 * Application tokens: `cga_` + 32 random bytes (base64url). Only the SHA-256 is stored: with 256
 * random bits a slow password hash adds nothing (as for API keys). Tokens are never logged.
 */
const TOKEN_PATTERN = /^cga_[A-Za-z0-9_-]{43}$/;

export function issueApplicationToken(): { token: string; hash: string } {
  const token = `cga_${randomBytes(32).toString('base64url')}`;
  return { token, hash: hashApplicationToken(token) };
}

export function hashApplicationToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** The hash to look up, or null for a string that cannot be a token (no database round trip). */
export function lookupHash(token: string): string | null {
  return TOKEN_PATTERN.test(token) ? hashApplicationToken(token) : null;
}
