/**
 * The request's language: its Accept-Language ranges matched against the locales of the server's
 * jurisdiction (the site languages), once per request. Null when the request states no preference
 * the jurisdiction can serve (no header, `*`, an unreadable header, only languages it does not
 * offer): every text is then the original. The response cache keys on this value and the compiled
 * directory runs only when it is null or the default (see src/graphql/caching, src/graphql/compiled).
 * Plain values in, no module imported: whoever builds a request scope says how to find a city.
 */
import { bestLocale, parseAcceptLanguage } from './locales.ts';

/** What negotiation needs of a city (a jurisdiction row has both). */
export interface CityLocales {
  readonly slug: string;
  readonly locales: readonly string[];
  readonly defaultLocale: string;
}

export interface CityLookup {
  /** A city by slug, through the request's own reads (its loaders); null when there is none. */
  bySlug(slug: string): Promise<CityLocales | null | undefined>;
  /** A city when it is known without a read (the process's jurisdiction cache); undefined otherwise. */
  peek(slug: string): CityLocales | undefined;
}

export class RequestLanguage {
  /** Most wanted first; empty when the header is absent or unreadable. */
  readonly ranges: readonly string[];
  private negotiated: Promise<string | null> | undefined;
  private defaultCity: CityLocales | undefined;

  constructor(
    acceptLanguage: string | null | undefined,
    /** The server's jurisdiction: the one the request's locale is negotiated against. */
    private readonly defaultSlug: string,
    private readonly cities: CityLookup,
  ) {
    this.ranges = parseAcceptLanguage(acceptLanguage);
  }

  /** The request's locale, negotiated at most once. */
  locale(): Promise<string | null> {
    if (this.ranges.length === 0) return Promise.resolve(null);
    return (this.negotiated ??= (async () => {
      const city = await this.cities.bySlug(this.defaultSlug);
      if (!city) return null;
      this.defaultCity = city;
      return bestLocale(this.ranges, city.locales);
    })());
  }

  /** The request read its default city for another reason: the Content-Language needs no read of its own. */
  knowCity(city: CityLocales): void {
    if (city.slug === this.defaultSlug) this.defaultCity = city;
  }

  /** Whether the request's locale leaves the texts of that city in their original: no preference, or its default. */
  async isOriginalFor(citySlug: string): Promise<boolean> {
    const locale = await this.locale();
    if (locale === null) return true;
    const city = citySlug === this.defaultSlug ? this.defaultCity : await this.cities.bySlug(citySlug);
    return city != null && city.defaultLocale === locale;
  }

  /**
   * The response's Content-Language: the negotiated locale, else the default city's default locale
   * when it is known without a read of its own (the request resolved it, or the process's
   * jurisdiction cache holds it, as on every server started by src/index.ts); null otherwise, and the
   * header is then left out rather than cost a statement on an answer that needed none.
   */
  async contentLanguage(): Promise<string | null> {
    const negotiated = await this.locale();
    if (negotiated) return negotiated;
    return (this.defaultCity ?? this.cities.peek(this.defaultSlug))?.defaultLocale ?? null;
  }
}
