import { index, integer, pgEnum, pgTable, text, timestamp, unique } from 'drizzle-orm/pg-core';
import { sql } from 'drizzle-orm';
import { check } from 'drizzle-orm/pg-core';
import { jurisdictions } from './jurisdictions.ts';

/** The kinds of record whose text can be translated (MEETING is reserved for the meetings module). */
export const translatableEntityType = pgEnum('translatable_entity_type', ['ORGANIZATION', 'POST', 'VACANCY_POSTING', 'MEETING']);

/** Who wrote a translation: a machine, a person, or a person who checked it. */
export const translationStatus = pgEnum('translation_status', ['MACHINE', 'HUMAN', 'REVIEWED']);

/**
 * One translated field of one record in one locale. Generic by entity (type + id, no foreign key:
 * the entity tables differ); the service checks the entity exists and a trigger (custom migration)
 * deletes a record's translations with it and touches it on every write, so the change feed and
 * the response cache's data version move. `locale` is canonical BCP-47, one of the jurisdiction's
 * locales and never its default (the original is the default's text).
 */
export const translations = pgTable(
  'translations',
  {
    id: integer().primaryKey().generatedAlwaysAsIdentity(),
    jurisdictionId: integer()
      .notNull()
      .references(() => jurisdictions.id, { onDelete: 'cascade' }),
    entityType: translatableEntityType().notNull(),
    entityId: integer().notNull(),
    /** The GraphQL field name translated (`name`, `description`, `label`, `title`, …). */
    field: text().notNull(),
    locale: text().notNull(),
    value: text().notNull(),
    status: translationStatus().notNull(),
    updatedAt: timestamp({ withTimezone: true })
      .notNull()
      .defaultNow()
      .$onUpdate(() => new Date()),
  },
  (t) => [
    unique('translations_entity_type_entity_id_field_locale_unique').on(t.entityType, t.entityId, t.field, t.locale),
    index('translations_entity_type_locale_entity_id_idx').on(t.entityType, t.locale, t.entityId),
    check('translations_value_check', sql`length(${t.value}) between 1 and 10000`),
    check('translations_locale_check', sql`length(${t.locale}) between 2 and 35`),
  ],
);

export type TranslationRow = typeof translations.$inferSelect;
export type NewTranslationRow = typeof translations.$inferInsert;
