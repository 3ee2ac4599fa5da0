import type { Database } from '../../db/client.ts';
import type { TranslationRow } from '../../db/schema/index.ts';
import { loaderWithParams } from '../../graphql/loader.ts';
import { translationsByEntityIds, translationsInLocale, type TranslatableEntityType } from './language.repository.ts';

/**
 * Translations keyed by record id: a list of N records costs one statement per record type and
 * locale, whatever N (the fields of one record share it too).
 */
export function createLanguageLoaders(db: Database) {
  return {
    /** Every translation of a record (the `translations` field). */
    translationsByEntityId: loaderWithParams<{ entityType: TranslatableEntityType }, TranslationRow[]>(
      (ids, { entityType }) => translationsByEntityIds(db, entityType, ids),
      () => [],
    ),
    /** A record's translations in one locale, every field (what localized text reads). */
    translationsByEntityIdInLocale: loaderWithParams<{ entityType: TranslatableEntityType; locale: string }, TranslationRow[]>(
      (ids, { entityType, locale }) => translationsInLocale(db, entityType, locale, ids),
      () => [],
    ),
  };
}
