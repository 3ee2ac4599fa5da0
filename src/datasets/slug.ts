/** Identifier helpers for converters: URL slugs and OCD-ID path segments from display names. */

function withoutAccents(name: string): string {
  return name.normalize('NFKD').replace(/[\u0300-\u036f]/g, '');
}

/** "Mt. Scott-Arleta" → "mt-scott-arleta", "Sullivan's Gulch" → "sullivans-gulch". */
export function slugify(name: string): string {
  const slug = withoutAccents(name)
    .toLowerCase()
    .replace(/['’]/g, '') // an apostrophe joins, it does not split a word
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  if (!slug) throw new Error(`cannot make a slug from ${JSON.stringify(name)}`);
  return slug;
}

/**
 * OCD-ID segment value, following the OCD-ID rules: lower case, spaces become underscores, any
 * other character outside [a-z0-9_.~-] becomes a tilde ("Sullivan's Gulch" → "sullivan~s_gulch").
 */
export function ocdSegment(name: string): string {
  const value = withoutAccents(name)
    .trim()
    .toLowerCase()
    .replace(/\s+/g, '_')
    .replace(/[^a-z0-9_.~-]/g, '~');
  if (!value) throw new Error(`cannot make an OCD-ID segment from ${JSON.stringify(name)}`);
  return value;
}
