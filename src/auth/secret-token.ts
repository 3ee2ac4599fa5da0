import { createHash, randomBytes } from 'node:crypto';

/**
 * Bearer secrets handed to people without an account (application tokens `cga_`, survey invitations
 * `cgs_`): the prefix and 32 random bytes (base64url). Only the SHA-256 is stored: with 256 random
 * bits a slow password hash adds nothing (as for API keys). Tokens are never logged.
 */
export function secretTokens(prefix: string) {
  const pattern = new RegExp(`^${prefix}_[A-Za-z0-9_-]{43}$`);
  const hash = (token: string): string => createHash('sha256').update(token).digest('hex');
  return {
    issue(): { token: string; hash: string } {
      const token = `${prefix}_${randomBytes(32).toString('base64url')}`;
      return { token, hash: hash(token) };
    },
    hash,
    /** The hash to look up, or null for a string that cannot be a token (no database round trip). */
    lookupHash(token: string): string | null {
      return pattern.test(token) ? hash(token) : null;
    },
  };
}
