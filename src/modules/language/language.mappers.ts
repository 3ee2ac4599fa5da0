/** What a `localized(locale:)` field hands its members: the record and the locale argument, if any. */
export interface LocalizedMapper<Row> {
  row: Row;
  /** The `locale` argument of `localized`; undefined or null: the request's locale. */
  locale: string | null | undefined;
}
