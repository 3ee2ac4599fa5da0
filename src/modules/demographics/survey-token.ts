import { secretTokens } from '../../auth/secret-token.ts';

/**
 * Survey invitation tokens: `cgs_…`, stored only as their SHA-256 (src/auth/secret-token.ts). They
 * name no person.
 */
const tokens = secretTokens('cgs');

export const issueSurveyToken = tokens.issue;
export const hashSurveyToken = tokens.hash;
/** The hash to look up, or null for a string that cannot be a token (no database round trip). */
export const surveyLookupHash = tokens.lookupHash;
