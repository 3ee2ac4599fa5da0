import type {
  JurisdictionResolvers,
  MeetingLocalizedResolvers,
  MeetingResolvers,
  MutationResolvers,
  OrganizationLocalizedResolvers,
  OrganizationResolvers,
  PostLocalizedResolvers,
  PostResolvers,
  TranslationResolvers,
  VacancyPostingLocalizedResolvers,
  VacancyPostingResolvers,
} from '../../graphql/__generated__/resolvers-types.ts';
import { localizedText, translationRemove, translationSet, translationsOf } from './language.service.ts';
import { textField } from './text-field.ts';

// The translatable fields of each type: `field(locale:)` is the text in the request's (or the
// argument's) locale; `localized(locale:)` the same with the locale it is in; `translations` all.

export const Organization: Pick<OrganizationResolvers, 'name' | 'description' | 'localized' | 'translations'> = {
  name: textField('ORGANIZATION', 'name', (row) => row.name),
  description: textField('ORGANIZATION', 'description', (row) => row.description),
  localized: (row, { locale }) => ({ row, locale }),
  translations: (row, _args, ctx) => translationsOf(ctx, 'ORGANIZATION', row),
};

export const OrganizationLocalized: OrganizationLocalizedResolvers = {
  name: async ({ row, locale }, _args, ctx) => (await localizedText(ctx, 'ORGANIZATION', row, 'name', row.name, locale))!,
  description: ({ row, locale }, _args, ctx) => localizedText(ctx, 'ORGANIZATION', row, 'description', row.description, locale),
};

export const Post: Pick<PostResolvers, 'label' | 'localized' | 'translations'> = {
  label: textField('POST', 'label', (row) => row.label),
  localized: (row, { locale }) => ({ row, locale }),
  translations: (row, _args, ctx) => translationsOf(ctx, 'POST', row),
};

export const PostLocalized: PostLocalizedResolvers = {
  label: async ({ row, locale }, _args, ctx) => (await localizedText(ctx, 'POST', row, 'label', row.label, locale))!,
};

// A VacancyPosting reaches a resolver only when the viewer may see it (a draft: its staff only),
// so its translations are exactly as private as it is.
export const VacancyPosting: Pick<VacancyPostingResolvers, 'title' | 'description' | 'eligibilitySummary' | 'localized' | 'translations'> = {
  title: textField('VACANCY_POSTING', 'title', (row) => row.title),
  description: textField('VACANCY_POSTING', 'description', (row) => row.description),
  eligibilitySummary: textField('VACANCY_POSTING', 'eligibilitySummary', (row) => row.eligibilitySummary),
  localized: (row, { locale }) => ({ row, locale }),
  translations: (row, _args, ctx) => translationsOf(ctx, 'VACANCY_POSTING', row),
};

export const VacancyPostingLocalized: VacancyPostingLocalizedResolvers = {
  title: async ({ row, locale }, _args, ctx) => (await localizedText(ctx, 'VACANCY_POSTING', row, 'title', row.title, locale))!,
  description: ({ row, locale }, _args, ctx) => localizedText(ctx, 'VACANCY_POSTING', row, 'description', row.description, locale),
  eligibilitySummary: ({ row, locale }, _args, ctx) => localizedText(ctx, 'VACANCY_POSTING', row, 'eligibilitySummary', row.eligibilitySummary, locale),
};

export const Meeting: Pick<MeetingResolvers, 'title' | 'agendaSummary' | 'localized' | 'translations'> = {
  title: textField('MEETING', 'title', (row) => row.title),
  agendaSummary: textField('MEETING', 'agendaSummary', (row) => row.agendaSummary),
  localized: (row, { locale }) => ({ row, locale }),
  translations: (row, _args, ctx) => translationsOf(ctx, 'MEETING', row),
};

export const MeetingLocalized: MeetingLocalizedResolvers = {
  title: async ({ row, locale }, _args, ctx) => (await localizedText(ctx, 'MEETING', row, 'title', row.title, locale))!,
  agendaSummary: ({ row, locale }, _args, ctx) => localizedText(ctx, 'MEETING', row, 'agendaSummary', row.agendaSummary, locale),
};

export const Translation: TranslationResolvers = {
  text: (row) => row.value,
};

export const Jurisdiction: Pick<JurisdictionResolvers, 'locales'> = {
  // The default first, then the others as stored.
  locales: (row) => [row.defaultLocale, ...row.locales.filter((l) => l !== row.defaultLocale)],
};

export const Mutation: Pick<MutationResolvers, 'translationSet' | 'translationRemove'> = {
  translationSet: async (_parent, { input }, ctx) => {
    const { value, userErrors } = await translationSet(ctx, input);
    return { translation: value, userErrors };
  },
  translationRemove: async (_parent, { input }, ctx) => {
    const { value, userErrors } = await translationRemove(ctx, input);
    return { translation: value, userErrors };
  },
};
