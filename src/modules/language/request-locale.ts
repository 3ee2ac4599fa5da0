/**
 * The request's locale: its Accept-Language ranges matched against the locales of the server's
 * jurisdiction (the site languages), once per request. Null when the request states no preference
 * the jurisdiction can serve (no header, `*`, an unreadable header, only languages it does not
 * offer): every text is then the original. The response cache keys on this value and the compiled
 * directory runs only when it is null or the default (see src/graphql/caching, src/graphql/compiled).
 */
import type { GraphQLContext } from '../../context.ts';
import type { JurisdictionRow } from '../../db/schema/index.ts';
import { jurisdictionCacheOf } from '../jurisdictions/jurisdiction-cache.ts';
import { bestLocale } from './locales.ts';

export function requestLocale(ctx: GraphQLContext): Promise<string | null> {
  if (ctx.language.ranges.length === 0) return Promise.resolve(null);
  return (ctx.language.negotiated ??= (async () => {
    const jurisdiction = await ctx.loaders.jurisdictionBySlug.load(ctx.defaultJurisdiction);
    if (!jurisdiction) return null;
    ctx.language.defaultJurisdiction = jurisdiction;
    return bestLocale(ctx.language.ranges, jurisdiction.locales);
  })());
}

/**
 * Whether the request's locale leaves the texts of `jurisdiction` in their original: no preference,
 * or the one negotiated is that jurisdiction's default.
 */
export async function isOriginalFor(ctx: GraphQLContext, jurisdictionSlug: string): Promise<boolean> {
  const locale = await requestLocale(ctx);
  if (locale === null) return true;
  const jurisdiction = jurisdictionSlug === ctx.defaultJurisdiction ? ctx.language.defaultJurisdiction : await ctx.loaders.jurisdictionBySlug.load(jurisdictionSlug);
  return jurisdiction != null && jurisdiction.defaultLocale === locale;
}

/**
 * The response's Content-Language: the negotiated locale, else the default jurisdiction's default
 * locale when it is known without a read of its own (the request resolved it, or the process's
 * jurisdiction cache holds it, as on every server started by src/index.ts); null otherwise, and the
 * header is then left out rather than cost a statement on an answer that needed none.
 */
export async function contentLanguage(ctx: GraphQLContext): Promise<string | null> {
  const negotiated = await requestLocale(ctx);
  if (negotiated) return negotiated;
  const known: JurisdictionRow | undefined = ctx.language.defaultJurisdiction ?? jurisdictionCacheOf(ctx.db)?.peekBySlug(ctx.defaultJurisdiction);
  return known?.defaultLocale ?? null;
}
