import { secretTokens } from '../../auth/secret-token.ts';

/** Application tokens: `cga_…`, stored only as their SHA-256 (src/auth/secret-token.ts). */
const tokens = secretTokens('cga');

export const issueApplicationToken = tokens.issue;
export const hashApplicationToken = tokens.hash;
/** The hash to look up, or null for a string that cannot be a token (no database round trip). */
export const lookupHash = tokens.lookupHash;
