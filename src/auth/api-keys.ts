import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** `cgk_<prefix>_<secret>`: the prefix finds the row, the secret is checked against its hash. */
const KEY_PATTERN = /^cgk_([A-Za-z0-9_-]{12})_([A-Za-z0-9_-]{43})$/;

export interface NewApiKey {
  key: string;
  prefix: string;
  keyHash: string;
}

export function hashApiKeySecret(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

export function generateApiKey(): NewApiKey {
  const prefix = randomBytes(9).toString('base64url');
  const secret = randomBytes(32).toString('base64url');
  return { key: `cgk_${prefix}_${secret}`, prefix, keyHash: hashApiKeySecret(secret) };
}

export function looksLikeApiKey(token: string): boolean {
  return token.startsWith('cgk_');
}

export function parseApiKey(token: string): { prefix: string; secret: string } | null {
  const match = KEY_PATTERN.exec(token);
  return match ? { prefix: match[1]!, secret: match[2]! } : null;
}

export function apiKeyMatches(secret: string, keyHash: string): boolean {
  const expected = Buffer.from(keyHash, 'hex');
  const actual = Buffer.from(hashApiKeySecret(secret), 'hex');
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}
