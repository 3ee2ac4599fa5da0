/**
 * Locale tags and negotiation. Tags are stored and compared in their canonical BCP-47 form
 * (Intl.getCanonicalLocales: `zh-hans` → `zh-Hans`); negotiation picks, among a jurisdiction's
 * locales, the best for what was asked with @formatjs/intl-localematcher's best-fit algorithm
 * (`zh-CN` → `zh-Hans`, `es-MX` → `es`, `tl` → `fil`).
 */
import { match } from '@formatjs/intl-localematcher';

/** Longer tags are not language tags anyone sends; refusing them bounds the work per header. */
const MAX_TAG_LENGTH = 35;

/** The canonical form of a BCP-47 tag, or null when it is not one (or is `*`, or a private-use tag). */
export function canonicalLocale(tag: string): string | null {
  if (tag.length === 0 || tag.length > MAX_TAG_LENGTH || !/^[A-Za-z]{2,8}(-[A-Za-z0-9]{1,8})*$/.test(tag)) return null;
  try {
    return Intl.getCanonicalLocales(tag)[0] ?? null;
  } catch {
    return null;
  }
}

/** Most ranges read from one Accept-Language header; browsers send a handful. */
const MAX_RANGES = 20;

/**
 * The language ranges of an Accept-Language header (RFC 9110 §12.5.4), most wanted first
 * (by q, then by position), canonical, without `*`, duplicates or ranges with q=0. Malformed
 * parts are skipped, never an error: a header the server cannot read asks for nothing.
 */
export function parseAcceptLanguage(header: string | null | undefined): string[] {
  if (!header) return [];
  const ranges: { tag: string; q: number; position: number }[] = [];
  for (const [position, part] of header.slice(0, 1000).split(',').slice(0, MAX_RANGES).entries()) {
    const [rawTag = '', ...params] = part.split(';').map((p) => p.trim());
    let q = 1;
    for (const param of params) {
      const value = /^q\s*=\s*(0(\.\d{0,3})?|1(\.0{0,3})?)$/i.exec(param);
      if (value) q = Number(value[1]);
      else if (/^q\s*=/i.test(param)) q = -1; // a malformed weight: drop the range
    }
    if (q <= 0 || rawTag === '*') continue;
    const tag = canonicalLocale(rawTag);
    if (tag) ranges.push({ tag, q, position });
  }
  ranges.sort((a, b) => b.q - a.q || a.position - b.position);
  return [...new Set(ranges.map((r) => r.tag))];
}

/**
 * The locale of `available` that best serves `requested` (most wanted first), or null when none
 * does (a best-fit match that would only fall back to the default is reported as no match, so the
 * caller can tell "asked for English" from "asked for something we do not have").
 */
export function bestLocale(requested: readonly string[], available: readonly string[]): string | null {
  if (requested.length === 0 || available.length === 0) return null;
  const NONE = 'und';
  const found = match(requested as string[], available as string[], NONE, { algorithm: 'best fit' });
  return found === NONE || !available.includes(found) ? null : found;
}
