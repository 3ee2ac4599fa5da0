import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { memoryResponseStore } from '../../src/graphql/caching/response-store.ts';
import { toGlobalId } from '../../src/graphql/global-id.ts';
import { startJurisdictionCache } from '../../src/modules/jurisdictions/jurisdiction-cache.ts';
import { organizationBySlug } from '../helpers/factories.ts';
import { waitForChangeFeed } from '../helpers/change-feed.ts';
import { startHttpInstance, staffToken, type HttpInstance } from '../helpers/http-instance.ts';
import { openTestDatabase, type PortlandTestDatabase } from '../helpers/portland-database.ts';

const SET = `mutation($input: TranslationSetInput!) { translationSet(input: $input) { translation { text } userErrors { code message } } }`;
const BUCKMAN = '{ organization(slug: "buckman") { name } }';

const statements: string[] = [];
let database: PortlandTestDatabase;
let cached: HttpInstance;
let uncached: HttpInstance;
let token: string;
let buckmanId: string;
let seulId: string;

async function translate(id: string, field: string, locale: string, text: string): Promise<void> {
  const { body } = await uncached.post(SET, { token, variables: { input: { id, field, locale, text } } });
  expect(body.data.translationSet.userErrors).toEqual([]);
}

/** SQL statements one request sent. */
async function counted<T>(request: () => Promise<T>): Promise<{ result: T; statements: number }> {
  statements.length = 0;
  const result = await request();
  return { result, statements: statements.length };
}

beforeAll(async () => {
  database = await openTestDatabase({ onQuery: (text) => statements.push(text) });
  // As src/index.ts does: jurisdictions (and their locales) stay in memory, so negotiation reads nothing.
  await startJurisdictionCache(database.handle);
  cached = await startHttpInstance(database.db, { responseCache: memoryResponseStore() });
  uncached = await startHttpInstance(database.db);
  token = await staffToken();
  buckmanId = toGlobalId('Organization', (await organizationBySlug(database.db, 'buckman')).id);
  seulId = toGlobalId('Organization', (await organizationBySlug(database.db, 'district-3-coalition')).id);
  await translate(buckmanId, 'name', 'es', 'Asociación de Vecinos de Buckman');
});
afterAll(async () => {
  await cached.close();
  await uncached.close();
  await database.dispose();
});

describe('Content-Language and Vary', () => {
  it('says the negotiated locale and that the answer varies by Accept-Language', async () => {
    const { status, headers, body } = await uncached.post(BUCKMAN, { headers: { 'accept-language': 'es-419,es;q=0.9,en;q=0.8' } });
    expect(status).toBe(200);
    expect(body.data.organization.name).toBe('Asociación de Vecinos de Buckman');
    expect(headers.get('content-language')).toBe('es');
    expect(headers.get('vary')).toMatch(/\bAccept-Language\b/);
  });

  it("says the jurisdiction's default locale when none is asked", async () => {
    const { headers, body } = await uncached.post(BUCKMAN);
    expect(body.data.organization.name).toBe('Buckman');
    expect(headers.get('content-language')).toBe('en');
    expect(headers.get('vary')).toMatch(/\bAccept-Language\b/);
  });

  it('maps zh-CN to the city’s zh-Hans', async () => {
    const { headers } = await uncached.post(BUCKMAN, { headers: { 'accept-language': 'zh-CN,zh;q=0.9' } });
    expect(headers.get('content-language')).toBe('zh-Hans');
  });

  it.each(['q=;;,,', 'es;q=2', 'en-;;;', 'Ã¿Ã¿, ÿ;q=0.5'])('ignores a malformed Accept-Language (%s): 200, the original, no error', async (header) => {
    const { status, headers, body } = await uncached.post(BUCKMAN, { headers: { 'accept-language': header } });
    expect(status).toBe(200);
    expect(body.errors).toBeUndefined();
    expect(body.data.organization.name).toBe('Buckman');
    expect(headers.get('content-language')).toBe('en');
  });

  it('keeps Accept-Language in Vary of a shared-cacheable GET answer', async () => {
    const { headers } = await uncached.get(BUCKMAN, { headers: { 'accept-language': 'es' } });
    expect(headers.get('cache-control')).toMatch(/^public/);
    expect(headers.get('vary')).toMatch(/\bAccept-Language\b/);
    expect(headers.get('vary')).toMatch(/\bAuthorization\b/);
  });
});

describe('the response cache', () => {
  // The data version (the cache key) counts changes not yet behind the server-wide transaction
  // horizon apart; another test database's transaction ending would move it between two requests
  // and turn an expected hit into a miss. Wait until this database's changes are behind it.
  beforeEach(() => waitForChangeFeed(database.db));

  it('never serves a Spanish answer to an English request, nor an English one to a Spanish request', async () => {
    const query = '{ organization(slug: "buckman") { name description } }';
    const english1 = await counted(() => cached.post(query));
    const spanish1 = await counted(() => cached.post(query, { headers: { 'accept-language': 'es' } }));
    const english2 = await counted(() => cached.post(query));
    const spanish2 = await counted(() => cached.post(query, { headers: { 'accept-language': 'es' } }));
    expect(english1.result.body.data.organization.name).toBe('Buckman');
    expect(spanish1.result.body.data.organization.name).toBe('Asociación de Vecinos de Buckman');
    expect(english2.result.body.data.organization.name).toBe('Buckman');
    expect(spanish2.result.body.data.organization.name).toBe('Asociación de Vecinos de Buckman');
    // The repeats are hits of their own locale's entry (the data version only), with the right header.
    expect(english2.statements).toBe(1);
    expect(spanish2.statements).toBe(1);
    expect(spanish2.result.headers.get('content-language')).toBe('es');
    expect(english2.result.headers.get('content-language')).toBe('en');
  });

  it('keys on the negotiated locale: the Spanish entry serves es-MX, never the English one', async () => {
    const query = '{ organization(slug: "buckman") { name shortName } }';
    const spanishFirst = await cached.post(query, { headers: { 'accept-language': 'es' } });
    const english = await cached.post(query, { headers: { 'accept-language': 'en-US' } });
    const mexican = await counted(() => cached.post(query, { headers: { 'accept-language': 'es-MX' } }));
    expect(spanishFirst.body.data.organization.name).toBe('Asociación de Vecinos de Buckman');
    expect(english.body.data.organization.name).toBe('Buckman');
    expect(mexican.result.body.data.organization.name).toBe('Asociación de Vecinos de Buckman');
    // A hit of the Spanish entry: only the data version is read.
    expect(mexican.statements).toBe(1);
  });

  it('answers a changed translation at once (the write moves the data version)', async () => {
    const query = '{ organization(slug: "buckman") { name website } }';
    expect((await cached.post(query, { headers: { 'accept-language': 'es' } })).body.data.organization.name).toBe('Asociación de Vecinos de Buckman');
    await translate(buckmanId, 'name', 'es', 'Vecinos de Buckman');
    expect((await cached.post(query, { headers: { 'accept-language': 'es' } })).body.data.organization.name).toBe('Vecinos de Buckman');
    await translate(buckmanId, 'name', 'es', 'Asociación de Vecinos de Buckman');
  });
});

describe('the compiled directory', () => {
  const DIRECTORY = '{ councilDistricts { name organizations(kind: DISTRICT_COALITION) { name memberOrganizations(first: 100) { nodes { name } } } } }';

  it('answers in one statement without a language preference, in English', async () => {
    const { result, statements: count } = await counted(() => uncached.post(DIRECTORY));
    expect(count).toBe(1);
    expect(JSON.stringify(result.body.data)).toContain('"Buckman"');
  });

  it('answers in Spanish for a Spanish request (executed instead), coalition and association names alike', async () => {
    await translate(seulId, 'name', 'es', 'Coalición del Distrito 3');
    const { result, statements: count } = await counted(() => uncached.post(DIRECTORY, { headers: { 'accept-language': 'es' } }));
    expect(result.body.errors).toBeUndefined();
    const text = JSON.stringify(result.body.data);
    expect(text).toContain('"Asociación de Vecinos de Buckman"');
    expect(text).toContain('"Coalición del Distrito 3"');
    expect(text).not.toContain('"Buckman"');
    expect(count).toBeGreaterThan(1);
    expect(result.headers.get('content-language')).toBe('es');
  });

  it('answers in Spanish beside another root field too (the per-field compiled path steps aside)', async () => {
    const { body } = await uncached.post(DIRECTORY.replace('{ councilDistricts', '{ __typename councilDistricts'), { headers: { 'accept-language': 'es' } });
    expect(body.errors).toBeUndefined();
    expect(JSON.stringify(body.data)).toContain('"Asociación de Vecinos de Buckman"');
    const english = await uncached.post(DIRECTORY.replace('{ councilDistricts', '{ __typename councilDistricts'));
    expect(JSON.stringify(english.body.data)).toContain('"Buckman"');
  });

  it('answers a locale argument in the directory through the resolvers', async () => {
    const query = DIRECTORY.replace('nodes { name }', 'nodes { name(locale: "es") }');
    const { body } = await uncached.post(query);
    expect(JSON.stringify(body.data)).toContain('"Asociación de Vecinos de Buckman"');
  });

  it('stays compiled for an English Accept-Language, the city’s default', async () => {
    const { result, statements: count } = await counted(() => uncached.post(DIRECTORY, { headers: { 'accept-language': 'en-US,en;q=0.9' } }));
    expect(JSON.stringify(result.body.data)).toContain('"Buckman"');
    // The compiled statement alone, as without a preference.
    expect(count).toBe(1);
    expect(result.headers.get('content-language')).toBe('en');
  });
});
