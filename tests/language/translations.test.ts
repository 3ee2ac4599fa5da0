import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditEvents, jurisdictions, translations } from '../../src/db/schema/index.ts';
import { readDataVersion } from '../../src/graphql/caching/data-version.ts';
import { parseGlobalId, toGlobalId } from '../../src/graphql/global-id.ts';
import { createOrganization, createPost } from '../helpers/factories.ts';
import { createTestApi, type TestApi } from '../helpers/test-api.ts';
import { createBody, openPosting, POSTING_CREATE, postingInput, type Body } from '../recruitment/recruitment-support.ts';

const SET = `mutation($input: TranslationSetInput!) {
  translationSet(input: $input) { translation { field locale text status updatedAt } userErrors { code field message } }
}`;
const REMOVE = `mutation($input: TranslationRemoveInput!) {
  translationRemove(input: $input) { translation { field locale text status } userErrors { code field message } }
}`;
const ORG = `query($id: ID!, $locale: String) {
  node(id: $id) {
    ... on Organization {
      name(locale: $locale)
      description(locale: $locale)
      localized(locale: $locale) { name { text locale isFallback } description { text locale isFallback } }
    }
  }
}`;

let api: TestApi;
let org: { id: number; globalId: string };
let body: Body;

beforeAll(async () => {
  api = await createTestApi();
  const row = await createOrganization(api.db, { jurisdictionId: api.jurisdictionId, name: 'Budget Advisory Board', description: 'Advises on the budget.' });
  org = { id: row.id, globalId: toGlobalId('Organization', row.id) };
  body = await createBody(api);
});
afterAll(() => api.dispose());

async function setTranslation(input: Record<string, unknown>) {
  const { data, errors } = await api.execute(SET, { input }, { viewer: api.staff() });
  expect(errors).toBeUndefined();
  return data!.translationSet;
}

async function storedTranslations(entityId: number) {
  return api.db.select().from(translations).where(eq(translations.entityId, entityId));
}

describe('jurisdiction locales', () => {
  it("lists Portland's site languages from the dataset, English (the original's) first", async () => {
    const { data } = await api.execute('{ jurisdiction { defaultLocale locales } }');
    expect(data!.jurisdiction).toEqual({
      defaultLocale: 'en',
      locales: ['en', 'es', 'vi', 'zh-Hans', 'ru', 'uk', 'ro', 'ne', 'chk', 'ja', 'ko', 'fil', 'lo', 'ar', 'km', 'so'],
    });
  });
});

describe('translationSet', () => {
  it('stores a translation, canonical, and the field returns it in that locale', async () => {
    const result = await setTranslation({ id: org.globalId, field: 'name', locale: 'ES', text: 'Junta Asesora de Presupuesto' });
    expect(result.userErrors).toEqual([]);
    expect(result.translation).toMatchObject({ field: 'name', locale: 'es', text: 'Junta Asesora de Presupuesto', status: 'HUMAN' });
    const { data } = await api.execute(ORG, { id: org.globalId, locale: 'es' });
    expect(data!.node.name).toBe('Junta Asesora de Presupuesto');
    expect(data!.node.localized.name).toEqual({ text: 'Junta Asesora de Presupuesto', locale: 'es', isFallback: false });
  });

  it('falls back to the original, saying so, when the field has no translation in that locale', async () => {
    const { data } = await api.execute(ORG, { id: org.globalId, locale: 'es' });
    expect(data!.node.description).toBe('Advises on the budget.');
    expect(data!.node.localized.description).toEqual({ text: 'Advises on the budget.', locale: 'en', isFallback: true });
    const vietnamese = await api.execute(ORG, { id: org.globalId, locale: 'vi' });
    expect(vietnamese.data!.node.localized.name).toEqual({ text: 'Budget Advisory Board', locale: 'en', isFallback: true });
  });

  it('answers the original, not a fallback, when no locale is asked', async () => {
    const { data } = await api.execute(ORG, { id: org.globalId });
    expect(data!.node.name).toBe('Budget Advisory Board');
    expect(data!.node.localized.name).toEqual({ text: 'Budget Advisory Board', locale: 'en', isFallback: false });
  });

  it('matches the locale argument to the best of the jurisdiction’s locales (zh-CN reads zh-Hans)', async () => {
    expect((await setTranslation({ id: org.globalId, field: 'name', locale: 'zh-hans', text: '预算咨询委员会', status: 'MACHINE' })).userErrors).toEqual([]);
    const { data } = await api.execute(ORG, { id: org.globalId, locale: 'zh-CN' });
    expect(data!.node.localized.name).toEqual({ text: '预算咨询委员会', locale: 'zh-Hans', isFallback: false });
  });

  it('answers a locale the jurisdiction does not offer with the original, marked as a fallback', async () => {
    const { data, errors } = await api.execute(ORG, { id: org.globalId, locale: 'fr' });
    expect(errors).toBeUndefined();
    expect(data!.node.localized.name).toEqual({ text: 'Budget Advisory Board', locale: 'en', isFallback: true });
  });

  it('refuses a malformed locale argument as BAD_USER_INPUT', async () => {
    const { errors } = await api.execute(ORG, { id: org.globalId, locale: 'not a tag!' });
    expect(errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });

  it('replaces the translation of the same field and locale, with its new status, and lists every translation', async () => {
    const result = await setTranslation({ id: org.globalId, field: 'name', locale: 'es', text: 'Consejo Asesor del Presupuesto', status: 'REVIEWED' });
    expect(result.translation).toMatchObject({ locale: 'es', text: 'Consejo Asesor del Presupuesto', status: 'REVIEWED' });
    const { data } = await api.execute(`query($id: ID!) { node(id: $id) { ... on Organization { translations { field locale text status } } } }`, { id: org.globalId });
    expect(data!.node.translations).toEqual([
      { field: 'name', locale: 'es', text: 'Consejo Asesor del Presupuesto', status: 'REVIEWED' },
      { field: 'name', locale: 'zh-Hans', text: '预算咨询委员会', status: 'MACHINE' },
    ]);
  });

  it('records an audit event with the difference', async () => {
    const [event] = await api.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.action, 'translationSet'), eq(auditEvents.subjectType, 'Organization'), eq(auditEvents.subjectId, org.id)))
      .orderBy(auditEvents.id)
      .limit(1);
    expect(event).toMatchObject({ actorSubject: 'staff@example.gov', jurisdictionId: api.jurisdictionId });
    expect(event!.changes).toEqual({ 'translation.name.es': { before: null, after: { text: 'Junta Asesora de Presupuesto', status: 'HUMAN' } } });
  });

  it('moves the data version (the response cache key) and the translated record’s updatedAt', async () => {
    const before = await readDataVersion(api.db);
    expect((await setTranslation({ id: org.globalId, field: 'description', locale: 'ko', text: '예산에 대해 조언합니다.' })).userErrors).toEqual([]);
    expect(await readDataVersion(api.db)).not.toBe(before);
  });

  it.each([
    ['UNKNOWN_LOCALE', { locale: 'fr' }, ['input', 'locale']],
    ['UNKNOWN_LOCALE', { locale: 'en' }, ['input', 'locale']],
    ['INVALID_INPUT', { locale: 'not a tag!' }, ['input', 'locale']],
    ['FIELD_NOT_TRANSLATABLE', { field: 'website' }, ['input', 'field']],
    ['FIELD_NOT_TRANSLATABLE', { field: 'label' }, ['input', 'field']],
    ['NOT_FOUND', { id: toGlobalId('Organization', 999999) }, ['input', 'id']],
    ['INVALID_ID', { id: toGlobalId('Division', 1) }, ['input', 'id']],
    ['INVALID_ID', { id: 'garbage' }, ['input', 'id']],
    ['INVALID_INPUT', { text: '   ' }, ['input', 'text']],
  ])('refuses with %s (%j) and stores nothing', async (code, override, field) => {
    const before = await storedTranslations(org.id);
    const result = await setTranslation({ id: org.globalId, field: 'name', locale: 'vi', text: 'Ban Cố vấn Ngân sách', ...override });
    expect(result.translation).toBeNull();
    expect(result.userErrors).toEqual([expect.objectContaining({ code, field })]);
    expect(await storedTranslations(org.id)).toEqual(before);
  });

  it('refuses the public (UNAUTHENTICATED) and stores nothing', async () => {
    const before = await storedTranslations(org.id);
    const { data, errors } = await api.execute(SET, { input: { id: org.globalId, field: 'name', locale: 'vi', text: 'x' } });
    expect(errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    expect(data).toBeNull();
    expect(await storedTranslations(org.id)).toEqual(before);
  });

  it("refuses staff of another jurisdiction (FORBIDDEN) and stores nothing", async () => {
    const before = await storedTranslations(org.id);
    const { errors } = await api.execute(SET, { input: { id: org.globalId, field: 'name', locale: 'vi', text: 'x' } }, { viewer: api.staff({ jurisdictionId: 9999 }) });
    expect(errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect(await storedTranslations(org.id)).toEqual(before);
  });

  it('translates a seat label', async () => {
    const seat = toGlobalId('Post', body.districtSeat.id);
    expect((await setTranslation({ id: seat, field: 'label', locale: 'es', text: 'Puesto del Distrito 3' })).userErrors).toEqual([]);
    const { data } = await api.execute(`query($id: ID!) { node(id: $id) { ... on Post { label(locale: "es") localized(locale: "es") { label { text locale isFallback } } } } }`, { id: seat });
    expect(data!.node).toEqual({ label: 'Puesto del Distrito 3', localized: { label: { text: 'Puesto del Distrito 3', locale: 'es', isFallback: false } } });
  });
});

describe('translationRemove', () => {
  it('removes a translation; the field then falls back to the original', async () => {
    const { data } = await api.execute(REMOVE, { input: { id: org.globalId, field: 'name', locale: 'zh-CN'.replace('CN', 'Hans') } }, { viewer: api.staff() });
    expect(data!.translationRemove).toEqual({ translation: { field: 'name', locale: 'zh-Hans', text: '预算咨询委员会', status: 'MACHINE' }, userErrors: [] });
    const read = await api.execute(ORG, { id: org.globalId, locale: 'zh-Hans' });
    expect(read.data!.node.localized.name).toEqual({ text: 'Budget Advisory Board', locale: 'en', isFallback: true });
    const [event] = await api.db.select().from(auditEvents).where(eq(auditEvents.action, 'translationRemove'));
    expect(event!.changes).toEqual({ 'translation.name.zh-Hans': { before: { text: '预算咨询委员会', status: 'MACHINE' }, after: null } });
  });

  it('says NOT_FOUND when no such translation is stored', async () => {
    const { data } = await api.execute(REMOVE, { input: { id: org.globalId, field: 'name', locale: 'ja' } }, { viewer: api.staff() });
    expect(data!.translationRemove).toEqual({ translation: null, userErrors: [expect.objectContaining({ code: 'NOT_FOUND', field: ['input', 'locale'] })] });
  });

  it('refuses the public and keeps the translation', async () => {
    const { errors } = await api.execute(REMOVE, { input: { id: org.globalId, field: 'name', locale: 'es' } });
    expect(errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    expect((await storedTranslations(org.id)).some((t) => t.field === 'name' && t.locale === 'es')).toBe(true);
  });
});

describe('Accept-Language', () => {
  it('answers translatable fields in the negotiated locale (es-MX reads es) without an argument', async () => {
    const { data } = await api.execute(ORG, { id: org.globalId }, { acceptLanguage: 'es-MX, es;q=0.9, en;q=0.5' });
    expect(data!.node.name).toBe('Consejo Asesor del Presupuesto');
    expect(data!.node.localized.name).toEqual({ text: 'Consejo Asesor del Presupuesto', locale: 'es', isFallback: false });
    expect(data!.node.localized.description).toEqual({ text: 'Advises on the budget.', locale: 'en', isFallback: true });
  });

  it('lets the locale argument win over the header', async () => {
    const { data } = await api.execute(ORG, { id: org.globalId, locale: 'ko' }, { acceptLanguage: 'es' });
    expect(data!.node.description).toBe('예산에 대해 조언합니다.');
    expect(data!.node.name).toBe('Budget Advisory Board');
  });

  it('follows q-values: the most wanted language the city offers wins', async () => {
    const { data } = await api.execute(ORG, { id: org.globalId }, { acceptLanguage: 'fr;q=1, ko;q=0.8, es;q=0.3' });
    expect(data!.node.localized.description).toEqual({ text: '예산에 대해 조언합니다.', locale: 'ko', isFallback: false });
  });

  it.each(['garbage;;;q=', 'es;q=abc', ';;,,,', 'x'.repeat(2000), '*'])('ignores a malformed or empty header (%s): the original, no error', async (header) => {
    const { data, errors } = await api.execute(ORG, { id: org.globalId }, { acceptLanguage: header });
    expect(errors).toBeUndefined();
    expect(data!.node.localized.name).toEqual({ text: 'Budget Advisory Board', locale: 'en', isFallback: false });
  });

  it('costs a constant number of statements for a nested list with translations', async () => {
    const query = `query($n: Int) { advisoryBodies(first: $n) { nodes { name description posts(first: 20) { nodes { label localized { label { text } } } } } } }`;
    const counts: number[] = [];
    for (const n of [2, 12]) {
      api.statements.reset();
      const { errors } = await api.execute(query, { n }, { acceptLanguage: 'es' });
      expect(errors).toBeUndefined();
      counts.push(api.statements.count());
    }
    expect(counts[1]).toBe(counts[0]);
  });
});

describe('translations of vacancy postings', () => {
  const POSTING = `query($id: ID!) { node(id: $id) { ... on VacancyPosting { title(locale: "es") eligibilitySummary(locale: "es") translations { field locale text } } } }`;

  it("keeps a DRAFT posting's translations as private as the posting", async () => {
    const created = await api.execute(POSTING_CREATE, { input: postingInput(body, { title: 'Draft recruitment' }) }, { viewer: api.staff() });
    const draftId: string = created.data!.vacancyPostingCreate.posting.id;
    expect((await setTranslation({ id: draftId, field: 'title', locale: 'es', text: 'Reclutamiento en borrador' })).userErrors).toEqual([]);

    const staffRead = await api.execute(POSTING, { id: draftId }, { viewer: api.staff() });
    expect(staffRead.data!.node).toMatchObject({ title: 'Reclutamiento en borrador', translations: [{ field: 'title', locale: 'es', text: 'Reclutamiento en borrador' }] });
    const publicRead = await api.execute(POSTING, { id: draftId });
    expect(publicRead.data!.node).toBeNull();
    const listed = await api.execute(`{ vacancyPostings(first: 100) { nodes { title(locale: "es") } } }`, {}, { acceptLanguage: 'es' });
    expect(JSON.stringify(listed.data)).not.toContain('borrador');

    // Staff of another jurisdiction are told nothing exists (not even FORBIDDEN).
    const other = await api.execute(SET, { input: { id: draftId, field: 'title', locale: 'vi', text: 'x' } }, { viewer: api.staff({ jurisdictionId: 9999 }) });
    expect(other.data!.translationSet.userErrors).toEqual([expect.objectContaining({ code: 'NOT_FOUND' })]);
  });

  it('serves a published posting’s translations to everyone', async () => {
    const id = await openPosting(api, body);
    expect((await setTranslation({ id, field: 'eligibilitySummary', locale: 'es', text: 'Residentes de Portland de 16 años o más' })).userErrors).toEqual([]);
    const { data } = await api.execute(POSTING, { id });
    expect(data!.node).toMatchObject({ title: 'Budget board: two seats', eligibilitySummary: 'Residentes de Portland de 16 años o más' });
  });
});

describe('interpretation languages', () => {
  it('stores a posting’s interpretation languages canonical and finds them with openSeats in any case', async () => {
    const id = await openPosting(api, body, { interpretationLanguages: ['ZH-hant', 'es'] });
    const { data } = await api.execute(`query($id: ID!) { node(id: $id) { ... on VacancyPosting { interpretationLanguages } } }`, { id });
    expect(data!.node.interpretationLanguages).toEqual(['zh-Hant', 'es']);
    const seats = await api.execute(`{ openSeats(filter: { interpretationLanguage: "zh-hant" }, first: 50) { nodes { label } } }`);
    expect(seats.errors).toBeUndefined();
    expect(seats.data!.openSeats.nodes.map((n: { label: string }) => n.label)).toContain('District 3 seat');
  });

  it('refuses an interpretation language that is not a BCP-47 tag', async () => {
    const { data } = await api.execute(POSTING_CREATE, { input: postingInput(body, { interpretationLanguages: ['español'] }) }, { viewer: api.staff() });
    expect(data!.vacancyPostingCreate.userErrors).toEqual([expect.objectContaining({ code: 'INVALID_INPUT', field: ['input', 'interpretationLanguages', '0'] })]);
  });
});

describe('a record deleted', () => {
  it('takes its translations with it', async () => {
    const row = await createOrganization(api.db, { jurisdictionId: api.jurisdictionId });
    const post = await createPost(api.db, { jurisdictionId: api.jurisdictionId, organizationId: row.id });
    await setTranslation({ id: toGlobalId('Organization', row.id), field: 'name', locale: 'es', text: 'Organización de prueba' });
    await setTranslation({ id: toGlobalId('Post', post.id), field: 'label', locale: 'es', text: 'Puesto de prueba' });
    const { organizations } = await import('../../src/db/schema/index.ts');
    await api.db.delete(organizations).where(eq(organizations.id, row.id));
    expect(await storedTranslations(row.id)).toEqual([]);
    expect(await storedTranslations(post.id)).toEqual([]);
  });
});

describe('jurisdiction locales in the database', () => {
  it('refuses a default locale that is not one of the locales', async () => {
    await expect(api.db.update(jurisdictions).set({ defaultLocale: 'fr' }).where(eq(jurisdictions.id, api.jurisdictionId))).rejects.toThrow();
  });
});

describe('translations of meetings', () => {
  it('translates a meeting’s title and agenda summary, moves its updatedAt, and falls back for the rest', async () => {
    const scheduled = await api.execute(
      `mutation($input: MeetingScheduleInput!) { meetingSchedule(input: $input) { meeting { id updatedAt } userErrors { code } } }`,
      { input: { organizationId: org.globalId, title: 'Regular meeting', agendaSummary: 'The budget for next year.', startsAt: new Date(Date.now() + 7 * 86_400_000).toISOString(), location: 'City Hall', interpretationLanguages: ['es'] } },
      { viewer: api.staff() },
    );
    expect(scheduled.data!.meetingSchedule.userErrors).toEqual([]);
    const { id, updatedAt } = scheduled.data!.meetingSchedule.meeting;
    expect((await setTranslation({ id, field: 'title', locale: 'es', text: 'Reunión ordinaria' })).userErrors).toEqual([]);

    const read = `query($id: ID!) { node(id: $id) { ... on Meeting {
      title agendaSummary updatedAt
      localized { title { text locale isFallback } agendaSummary { text locale isFallback } }
      translations { field locale text }
    } } }`;
    const spanish = await api.execute(read, { id }, { acceptLanguage: 'es' });
    expect(spanish.errors).toBeUndefined();
    expect(spanish.data!.node).toMatchObject({
      title: 'Reunión ordinaria',
      agendaSummary: 'The budget for next year.',
      localized: { title: { text: 'Reunión ordinaria', locale: 'es', isFallback: false }, agendaSummary: { text: 'The budget for next year.', locale: 'en', isFallback: true } },
      translations: [{ field: 'title', locale: 'es', text: 'Reunión ordinaria' }],
    });
    expect(Date.parse(spanish.data!.node.updatedAt)).toBeGreaterThan(Date.parse(updatedAt));
    // Without a preference, the original.
    expect((await api.execute(read, { id })).data!.node.title).toBe('Regular meeting');
    // Staff read both changes in the meeting's history; the public cannot.
    const HISTORY = `query($id: ID!) { changeHistory(id: $id) { nodes { action } } }`;
    const history = await api.execute(HISTORY, { id }, { viewer: api.staff() });
    expect(history.errors).toBeUndefined();
    expect(history.data!.changeHistory.nodes.map((n: { action: string }) => n.action)).toEqual(['translationSet', 'meetingSchedule']);
    expect((await api.execute(HISTORY, { id })).errors![0]!.extensions!.code).toBe('UNAUTHENTICATED');
  });

  it('refuses a field a meeting does not translate (FIELD_NOT_TRANSLATABLE) and the public (UNAUTHENTICATED)', async () => {
    const scheduled = await api.execute(
      `mutation($input: MeetingScheduleInput!) { meetingSchedule(input: $input) { meeting { id } } }`,
      { input: { organizationId: org.globalId, title: 'Special meeting', startsAt: new Date(Date.now() + 8 * 86_400_000).toISOString(), location: 'City Hall' } },
      { viewer: api.staff() },
    );
    const id = scheduled.data!.meetingSchedule.meeting.id;
    expect((await setTranslation({ id, field: 'location', locale: 'es', text: 'Ayuntamiento' })).userErrors[0].code).toBe('FIELD_NOT_TRANSLATABLE');
    const anonymous = await api.execute(SET, { input: { id, field: 'title', locale: 'es', text: 'Reunión especial' } });
    expect(anonymous.errors![0]!.extensions!.code).toBe('UNAUTHENTICATED');
    const meetingId = parseGlobalId(id)!.id;
    expect(await api.db.select().from(translations).where(and(eq(translations.entityType, 'MEETING'), eq(translations.entityId, meetingId)))).toEqual([]);
  });
});
