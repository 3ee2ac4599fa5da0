import { and, asc, eq, inArray } from 'drizzle-orm';
import type { Database } from '../../db/client.ts';
import { readerOf } from '../../db/replicas.ts';
import { translations, type NewTranslationRow, type TranslationRow } from '../../db/schema/index.ts';

export type TranslatableEntityType = TranslationRow['entityType'];

function groupByEntity(rows: TranslationRow[]): Map<number, TranslationRow[]> {
  const byId = new Map<number, TranslationRow[]>();
  for (const row of rows) {
    const list = byId.get(row.entityId);
    if (list) list.push(row);
    else byId.set(row.entityId, [row]);
  }
  return byId;
}

/** Every translation of these records, by field then locale: one statement. */
export async function translationsByEntityIds(db: Database, entityType: TranslatableEntityType, ids: readonly number[]): Promise<Map<number, TranslationRow[]>> {
  const rows = await readerOf(db)
    .select()
    .from(translations)
    .where(and(eq(translations.entityType, entityType), inArray(translations.entityId, [...ids])))
    .orderBy(asc(translations.entityId), asc(translations.field), asc(translations.locale));
  return groupByEntity(rows);
}

/** The translations of these records in one locale (every field): one statement, on the (type, locale, id) index. */
export async function translationsInLocale(
  db: Database,
  entityType: TranslatableEntityType,
  locale: string,
  ids: readonly number[],
): Promise<Map<number, TranslationRow[]>> {
  const rows = await readerOf(db)
    .select()
    .from(translations)
    .where(and(eq(translations.entityType, entityType), eq(translations.locale, locale), inArray(translations.entityId, [...ids])));
  return groupByEntity(rows);
}

export async function findTranslation(db: Database, key: Pick<TranslationRow, 'entityType' | 'entityId' | 'field' | 'locale'>): Promise<TranslationRow | null> {
  const [row] = await db
    .select()
    .from(translations)
    .where(and(eq(translations.entityType, key.entityType), eq(translations.entityId, key.entityId), eq(translations.field, key.field), eq(translations.locale, key.locale)))
    .for('update');
  return row ?? null;
}

/** Inserts or replaces the translation of (entity, field, locale). */
export async function upsertTranslation(db: Database, values: NewTranslationRow): Promise<TranslationRow> {
  const [row] = await db
    .insert(translations)
    .values(values)
    .onConflictDoUpdate({
      target: [translations.entityType, translations.entityId, translations.field, translations.locale],
      set: { value: values.value, status: values.status, updatedAt: new Date() },
    })
    .returning();
  return row!;
}

export async function deleteTranslation(db: Database, id: number): Promise<void> {
  await db.delete(translations).where(eq(translations.id, id));
}
