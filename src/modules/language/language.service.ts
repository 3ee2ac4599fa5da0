import { z } from 'zod';
import { requireManager, requireStaffRole } from '../../auth/authorize.ts';
import type { GraphQLContext } from '../../context.ts';
import type { Database } from '../../db/client.ts';
import type { JurisdictionRow, TranslationRow } from '../../db/schema/index.ts';
import { badUserInput } from '../../errors.ts';
import { parseGlobalId, type NodeType } from '../../graphql/global-id.ts';
import { refuse, refusalsAsOutcome, runMutation, validateInput, type MutationOutcome } from '../../graphql/mutation.ts';
import { isPostingVisible } from '../recruitment/postings.service.ts';
import { deleteTranslation, findTranslation, upsertTranslation, type TranslatableEntityType } from './language.repository.ts';
import { bestLocale, canonicalLocale } from '../../language/locales.ts';
import { checkedString, globalId, text } from '../../input/vocabulary.ts';

/**
 * What can be translated: per kind of record, its GraphQL type and the text fields, by GraphQL
 * name. Meetings are listed for the meetings module; until it lands no id decodes to one.
 */
export const TRANSLATABLE: Record<TranslatableEntityType, { nodeType: string; fields: readonly string[] }> = {
  ORGANIZATION: { nodeType: 'Organization', fields: ['name', 'description'] },
  POST: { nodeType: 'Post', fields: ['label'] },
  VACANCY_POSTING: { nodeType: 'VacancyPosting', fields: ['title', 'description', 'eligibilitySummary'] },
  MEETING: { nodeType: 'Meeting', fields: ['title', 'agendaSummary'] },
};

const ENTITY_TYPE_OF_NODE = new Map<string, TranslatableEntityType>(
  Object.entries(TRANSLATABLE).map(([entityType, { nodeType }]) => [nodeType, entityType as TranslatableEntityType]),
);

/** A record that has translatable text: its id and jurisdiction are all localization needs. */
export interface TranslatableRecord {
  id: number;
  jurisdictionId: number;
}

export interface LocalizedTextValue {
  text: string;
  locale: string;
  isFallback: boolean;
}

/** The `locale` argument, canonical; a malformed tag is the caller's error. */
function canonicalArgument(locale: string): string {
  const canonical = canonicalLocale(locale);
  if (!canonical) throw badUserInput(`locale must be a BCP-47 language tag such as "es" or "zh-Hans", not "${locale.slice(0, 40)}"`, 'locale');
  return canonical;
}

/**
 * The locale asked for the texts of a record of `jurisdiction`, matched against its locales, or
 * null for its original. The argument wins; else the request's locale (negotiated against the
 * server's jurisdiction, so the answer depends on that value alone, which the response cache keys on).
 */
async function wantedLocale(ctx: GraphQLContext, jurisdiction: JurisdictionRow, argument: string | null | undefined): Promise<{ asked: boolean; locale: string | null }> {
  const asked = argument != null ? canonicalArgument(argument) : await ctx.language.locale();
  if (asked === null) return { asked: false, locale: null };
  return { asked: true, locale: bestLocale([asked], jurisdiction.locales) };
}

/**
 * One text field of a record in the wanted locale: its translation, or the original (null when
 * the record has none), saying which locale the text is in and whether it fell back.
 */
export async function localizedText(
  ctx: GraphQLContext,
  entityType: TranslatableEntityType,
  record: TranslatableRecord,
  field: string,
  original: string | null,
  argument: string | null | undefined,
): Promise<LocalizedTextValue | null> {
  const jurisdiction = await ctx.loaders.jurisdictionById.load(record.jurisdictionId);
  if (!jurisdiction) return original === null ? null : { text: original, locale: 'und', isFallback: false };
  const { asked, locale } = await wantedLocale(ctx, jurisdiction, argument);
  const originalText = (isFallback: boolean) => (original === null ? null : { text: original, locale: jurisdiction.defaultLocale, isFallback });
  if (locale === null || locale === jurisdiction.defaultLocale) return originalText(asked && locale === null);
  const rows = await ctx.loaders.translationsByEntityIdInLocale.load({ id: record.id, params: { entityType, locale } });
  const translation = rows.find((row) => row.field === field);
  return translation ? { text: translation.value, locale, isFallback: false } : originalText(true);
}

/**
 * The text of a translatable field as a plain string (text-field.ts answers the common request,
 * with no `locale` argument and no Accept-Language preference, before calling this).
 */
export async function translatedString(
  ctx: GraphQLContext,
  entityType: TranslatableEntityType,
  record: TranslatableRecord,
  field: string,
  original: string | null,
  argument: string | null | undefined,
): Promise<string | null> {
  return (await localizedText(ctx, entityType, record, field, original, argument))?.text ?? null;
}

/** Every stored translation of a record (loaded for a whole list at once). */
export function translationsOf(ctx: GraphQLContext, entityType: TranslatableEntityType, record: TranslatableRecord): Promise<TranslationRow[]> {
  return ctx.loaders.translationsByEntityId.load({ id: record.id, params: { entityType } });
}

// ----- mutations ------------------------------------------------------------------------------

const setSchema = z.object({
  id: globalId,
  field: checkedString().max(50, 'must be at most 50 characters'),
  locale: checkedString().max(35, 'must be at most 35 characters'),
  // A translation of a description keeps its line breaks; the field's own limit is checked below.
  text: text(10000, { multiline: true }),
  status: z.enum(['MACHINE', 'HUMAN', 'REVIEWED']).nullish(),
});

const removeSchema = z.object({
  id: globalId,
  field: checkedString().max(50, 'must be at most 50 characters'),
  locale: checkedString().max(35, 'must be at most 35 characters'),
});

interface Target {
  entityType: TranslatableEntityType;
  record: TranslatableRecord;
  jurisdiction: JurisdictionRow;
  field: string;
  locale: string;
}

/** The record an id names, if it exists and the caller may know it exists (a draft posting: its staff only). */
async function translatableRecord(ctx: GraphQLContext, nodeType: NodeType, id: number): Promise<TranslatableRecord | null> {
  switch (nodeType) {
    case 'Organization':
      return ctx.loaders.organizationById.load(id);
    case 'Post':
      return ctx.loaders.postById.load(id);
    case 'VacancyPosting': {
      const posting = await ctx.loaders.vacancyPostingById.load(id);
      return posting && isPostingVisible(ctx, posting) ? posting : null;
    }
    case 'Meeting':
      return ctx.loaders.meetingById.load(id);
    default:
      return null;
  }
}

/** Decodes and checks the record, field and locale of a mutation's input, refusing with the right code. */
async function targetOf(ctx: GraphQLContext, input: { id: string; field: string; locale: string }, forRemoval: boolean): Promise<Target> {
  const decoded = parseGlobalId(input.id);
  if (!decoded) refuse('INVALID_ID', 'id is not a valid id', ['input', 'id']);
  const entityType = ENTITY_TYPE_OF_NODE.get(decoded.type);
  if (!entityType) refuse('INVALID_ID', `id must be the id of an Organization, a Post, a VacancyPosting or a Meeting, not of a ${decoded.type}`, ['input', 'id']);
  const record = await translatableRecord(ctx, decoded.type, decoded.id);
  if (!record) refuse('NOT_FOUND', `No ${decoded.type} has that id`, ['input', 'id']);
  // Before anything about the record's jurisdiction is checked: staff of another one learn nothing more.
  requireManager(ctx.viewer, record.jurisdictionId);
  const { fields } = TRANSLATABLE[entityType];
  if (!fields.includes(input.field)) {
    refuse('FIELD_NOT_TRANSLATABLE', `${decoded.type}.${input.field.slice(0, 50)} cannot be translated; translatable fields are ${fields.join(', ')}`, ['input', 'field']);
  }
  const jurisdiction = (await ctx.loaders.jurisdictionById.load(record.jurisdictionId))!;
  const locale = canonicalLocale(input.locale);
  if (!locale) refuse('INVALID_INPUT', 'locale must be a BCP-47 language tag such as "es" or "zh-Hans"', ['input', 'locale']);
  // A removal names a stored translation; a new one must be in a locale the jurisdiction offers.
  if (!forRemoval && (locale === jurisdiction.defaultLocale || !jurisdiction.locales.includes(locale))) {
    const offered = jurisdiction.locales.filter((l) => l !== jurisdiction.defaultLocale);
    refuse(
      'UNKNOWN_LOCALE',
      locale === jurisdiction.defaultLocale
        ? `${locale} is the language of the original text; translate into one of ${offered.join(', ') || 'no other locale (the jurisdiction has none)'}`
        : `${locale} is not one of the jurisdiction's locales (${offered.join(', ') || 'none besides the default'})`,
      ['input', 'locale'],
    );
  }
  return { entityType, record, jurisdiction, field: input.field, locale };
}

/**
 * Audited as a change of the translated record (its type and id, so its history shows it), under
 * one key per field and locale: `{ "translation.name.es": { before: {text, status}, after: … } }`.
 */
function auditView(row: TranslationRow | null, key: string): Record<string, unknown> {
  return { [key]: row ? { text: row.value, status: row.status } : null };
}

const auditKey = (target: Target) => `translation.${target.field}.${target.locale}`;

export async function translationSet(ctx: GraphQLContext, rawInput: unknown): Promise<MutationOutcome<TranslationRow>> {
  requireStaffRole(ctx.viewer);
  return refusalsAsOutcome(async () => {
    const input = validateInput(setSchema, rawInput);
    const target = await targetOf(ctx, input, false);
    return runMutation(ctx, { action: 'translationSet', jurisdictionId: target.jurisdiction.id }, async (tx: Database, audit) => {
      const before = await findTranslation(tx, { entityType: target.entityType, entityId: target.record.id, field: target.field, locale: target.locale });
      const after = await upsertTranslation(tx, {
        jurisdictionId: target.jurisdiction.id,
        entityType: target.entityType,
        entityId: target.record.id,
        field: target.field,
        locale: target.locale,
        value: input.text,
        status: input.status ?? 'HUMAN',
      });
      await audit.record(TRANSLATABLE[target.entityType].nodeType, target.record.id, auditView(before, auditKey(target)), auditView(after, auditKey(target)));
      return after;
    });
  });
}

export async function translationRemove(ctx: GraphQLContext, rawInput: unknown): Promise<MutationOutcome<TranslationRow>> {
  requireStaffRole(ctx.viewer);
  return refusalsAsOutcome(async () => {
    const input = validateInput(removeSchema, rawInput);
    const target = await targetOf(ctx, input, true);
    return runMutation(ctx, { action: 'translationRemove', jurisdictionId: target.jurisdiction.id }, async (tx: Database, audit) => {
      const before = await findTranslation(tx, { entityType: target.entityType, entityId: target.record.id, field: target.field, locale: target.locale });
      if (!before) refuse('NOT_FOUND', `No ${target.locale} translation of ${target.field} is stored for this record`, ['input', 'locale']);
      await deleteTranslation(tx, before.id);
      await audit.record(TRANSLATABLE[target.entityType].nodeType, target.record.id, auditView(before, auditKey(target)), auditView(null, auditKey(target)));
      return before;
    });
  });
}
