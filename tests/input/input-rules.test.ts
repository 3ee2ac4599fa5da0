import { count, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { people, personPrivateDetails } from '../../src/db/schema/index.ts';
import { encodeCursor } from '../../src/graphql/pagination.ts';
import { startHttpInstance, type HttpInstance } from '../helpers/http-instance.ts';
import { createTestApi, type TestApi } from '../helpers/test-api.ts';

/**
 * Issue 12 item 5: bad input is a clean client error, never a masked 500 or a mangled value. The
 * fuzz over every field is hostile-input.property.test.ts; these name each class once.
 */

let api: TestApi;
let http: HttpInstance;
beforeAll(async () => {
  api = await createTestApi();
  http = await startHttpInstance(api.db);
});
afterAll(async () => {
  await http.close();
  await api.dispose();
});

const NUL = 'port\u0000land';
const LONE = 'parks \ud83c';

function expectBadInput(result: { errors?: readonly { extensions?: Record<string, unknown>; message: string }[] }, argument?: string) {
  expect(result.errors?.map((e) => e.extensions?.code), JSON.stringify(result.errors)).toEqual(['BAD_USER_INPUT']);
  if (argument) expect(result.errors![0]!.extensions?.argument).toBe(argument);
}

describe('text arguments of queries', () => {
  it.each([
    ['jurisdiction', `query($v: String) { councilDistricts(jurisdiction: $v) { name } }`, 'jurisdiction'],
    ['slug', `query($v: String) { organization(slug: $v) { name } }`, 'slug'],
    ['ocdId', `query($v: String) { division(ocdId: $v) { name } }`, 'ocdId'],
    ['search', `query($v: String!) { search(query: $v) { totalCount } }`, 'query'],
    ['nameContains', `query($v: String) { organizations(filter: { nameContains: $v }) { totalCount } }`, 'filter.nameContains'],
    ['a nested field', `query($v: String) { viewer { viewerCanManage(jurisdiction: $v) } }`, 'jurisdiction'],
  ])('refuses a NUL and a lone surrogate in %s with BAD_USER_INPUT naming the argument', async (_name, query, argument) => {
    for (const value of [NUL, LONE, 'a\u001bb', 'a\u0085b']) {
      const result = await api.execute(query, { v: value });
      expectBadInput(result, argument);
      expect(result.errors![0]!.message).toMatch(/control characters|lone surrogate/);
    }
  });

  it('refuses one written in the document as well as one sent as a variable', async () => {
    expectBadInput(await api.execute(`{ organization(slug: "a\\u0000b") { name } }`), 'slug');
    expectBadInput(await api.execute(`{ search(query: "x\\u001b") { totalCount } }`), 'query');
    // A lone surrogate cannot even be written in a document: graphql-js refuses it while parsing.
    expect((await api.execute(`{ search(query: "x\\ud83c") { totalCount } }`)).errors?.[0]?.extensions?.code).toBe('GRAPHQL_PARSE_FAILED');
  });

  it('answers the refusal with status 400 over HTTP, and the server keeps answering', async () => {
    const response = await http.post(`query($v: String) { councilDistricts(jurisdiction: $v) { name } }`, { variables: { v: NUL } });
    expect(response.status).toBe(400);
    expect(response.body.errors[0].extensions.code).toBe('BAD_USER_INPUT');
    expect((await http.post(`{ councilDistricts { name } }`)).status).toBe(200);
  });

  it('still accepts ordinary text, accents, emoji and right-to-left marks', async () => {
    for (const value of ['Buckman', 'Société', 'café ☕', '\u202eevil', '😀']) {
      expect((await api.execute(`query($v: String!) { search(query: $v) { totalCount } }`, { v: value })).errors).toBeUndefined();
    }
  });
});

describe('text in mutation input', () => {
  const PERSON_CREATE = `mutation($input: PersonCreateInput!) { personCreate(input: $input) { person { id name } userErrors { code field message } } }`;

  async function peopleCount() {
    const [row] = await api.db.select({ n: count() }).from(people);
    return row!.n;
  }

  it.each([
    ['a NUL in a name', { name: NUL }, ['input', 'name'], /control characters/],
    ['a lone surrogate in a name', { name: 'Ana \udc00' }, ['input', 'name'], /lone surrogate/],
    ['a line break in a one-line name', { name: 'Ana\nBell' }, ['input', 'name'], /one line/],
    ['a C1 control in a bio', { name: 'Ana', publicBio: 'x\u0090y' }, ['input', 'publicBio'], /control characters/],
    ['a NUL in private details', { name: 'Ana', privateDetails: { homeAddress: `1 Main\u0000St` } }, ['input', 'privateDetails', 'homeAddress'], /control characters/],
    ['a NUL in the jurisdiction', { name: 'Ana', jurisdiction: NUL }, ['input', 'jurisdiction'], /control characters/],
  ])('refuses %s as a userError naming the field, and stores nothing', async (_title, input, field, message) => {
    const before = await peopleCount();
    const { data, errors } = await api.execute(PERSON_CREATE, { input }, { viewer: api.staff() });
    expect(errors).toBeUndefined();
    expect(data!.personCreate.person).toBeNull();
    expect(data!.personCreate.userErrors).toEqual([{ code: 'INVALID_INPUT', field, message: expect.stringMatching(message) }]);
    expect(await peopleCount()).toBe(before);
  });

  it('keeps line breaks where text may have several lines, and stores text normalized (NFC, LF)', async () => {
    const { data } = await api.execute(PERSON_CREATE, { input: { name: '  Zoe\u0301 ', publicBio: 'one\r\ntwo\tthree', privateDetails: { homeAddress: '1 Main St\nApt 2' } } }, { viewer: api.staff() });
    expect(data!.personCreate.userErrors).toEqual([]);
    expect(data!.personCreate.person.name).toBe('Zoé');
    const [row] = await api.db.select().from(people).where(eq(people.name, 'Zoé'));
    expect(row!.publicBio).toBe('one\ntwo\tthree');
    const [details] = await api.db.select().from(personPrivateDetails).where(eq(personPrivateDetails.personId, row!.id));
    expect(details!.homeAddress).toBe('1 Main St\nApt 2');
  });

  it('never stores a lone surrogate as U+FFFD', async () => {
    await api.execute(PERSON_CREATE, { input: { name: 'Split \ud83d' } }, { viewer: api.staff() });
    const [row] = await api.db.select({ n: count() }).from(people).where(eq(people.name, 'Split \ufffd'));
    expect(row!.n).toBe(0);
  });
});

describe('text stored as JSON', () => {
  const USER_ERRORS = 'userErrors { code field message }';
  it.each([
    [
      'a demographic answer described in the respondent\'s words',
      `mutation($input: DemographicSurveySubmitInput!) { demographicSurveySubmit(input: $input) { ${USER_ERRORS} } }`,
      { token: 'no-such-token', demographics: { answers: [{ question: 'GENDER_IDENTITY', status: 'ANSWERED', values: ['SELF_DESCRIBED'], selfDescribed: LONE }] } },
      'demographicSurveySubmit',
      ['input', 'demographics', 'answers', '0', 'selfDescribed'],
      undefined,
    ],
    [
      'an application answer',
      `mutation($input: ApplicationSubmitInput!) { applicationSubmit(input: $input) { application { id } ${USER_ERRORS} } }`,
      { postingId: 'bm8', fullName: 'Ana', seatPreferences: ['bm8'], answers: [{ questionId: 'why', answer: 'I care about parks \ud83c' }] },
      'applicationSubmit',
      ['input', 'answers', '0', 'answer'],
      undefined,
    ],
    [
      'a population baseline source',
      `mutation($input: PopulationBaselineImportInput!) { populationBaselineImport(input: $input) { ${USER_ERRORS} } }`,
      { csv: 'division,question,category,count\n', source: `Census ${LONE}` },
      'populationBaselineImport',
      ['input', 'source'],
      'staff',
    ],
  ])('refuses a lone surrogate in %s as a userError naming the field', async (_title, mutation, input, field, path, who) => {
    const { data, errors } = await api.execute(mutation, { input }, who ? { viewer: api.staff() } : {});
    expect(errors, JSON.stringify(errors)).toBeUndefined();
    expect(data![field].userErrors).toEqual([{ code: 'INVALID_INPUT', field: path, message: expect.stringMatching(/lone surrogate/) }]);
  });
});

describe('Date and DateTime', () => {
  it.each(['0000-01-01', '2027-02-30', '2027-13-01', '27-02-01', '2027-02-01T00:00:00Z', 'March 7, 2027', '+275760-09-13', ''])(
    'Date refuses %j with BAD_USER_INPUT, in locate, councilDistricts, districtCoalitions, openSeats and coalition(at:)',
    async (value) => {
      for (const query of [
        `query($at: Date) { locate(latitude: 45.52, longitude: -122.65, at: $at) { divisions { name } } }`,
        `query($at: Date) { councilDistricts(at: $at) { name } }`,
        `query($at: Date) { districtCoalitions(at: $at) { name } }`,
        `query($at: Date) { openSeats(at: $at) { totalCount } }`,
        `query($at: Date) { organization(slug: "buckman") { coalition(at: $at) { name } } }`,
      ]) {
        const result = await api.execute(query, { at: value });
        expect(result.errors?.map((e) => e.extensions?.code), `${query} ${JSON.stringify(result.errors)}`).toEqual(['BAD_USER_INPUT']);
      }
    },
  );

  it('Date accepts the first and last dates of its range', async () => {
    for (const at of ['0001-01-01', '9999-12-31', '2024-02-29']) {
      expect((await api.execute(`query($at: Date) { councilDistricts(at: $at) { name } }`, { at })).errors).toBeUndefined();
    }
  });

  it.each([
    '2027-02-30T18:00:00Z',
    'March 7, 2027',
    '2027-03-07T18:00:00',
    '2027-03-07',
    '0000-01-01T00:00:00Z',
    '0001-01-01T00:00:00+01:00',
    '+275760-09-13T00:00:00Z',
    '-271821-04-20T00:00:00Z',
    '2027-03-07T24:00:00Z',
    '2027-03-07T18:00:60Z',
    '1700000000000',
  ])('DateTime refuses %j with BAD_USER_INPUT in updatedSince and meetings(from/to)', async (value) => {
    for (const query of [
      `query($t: DateTime) { organizations(filter: { updatedSince: $t }) { totalCount } }`,
      `query($t: DateTime) { meetings(filter: { from: $t }) { totalCount } }`,
      `query($t: DateTime) { meetings(filter: { to: $t }) { totalCount } }`,
    ]) {
      const result = await api.execute(query, { t: value });
      expect(result.errors?.map((e) => e.extensions?.code), `${query} ${JSON.stringify(result.errors)}`).toEqual(['BAD_USER_INPUT']);
    }
    // Written in the document, the literal is refused the same way.
    const literal = await api.execute(`{ meetings(filter: { from: ${JSON.stringify(value)} }) { totalCount } }`);
    expect(literal.errors?.[0]?.extensions?.code).toMatch(/BAD_USER_INPUT|GRAPHQL_VALIDATION_FAILED/);
  });

  it('DateTime accepts RFC 3339 with an offset, and answers in UTC', async () => {
    const result = await api.execute(`query($t: DateTime) { meetings(filter: { from: $t }) { totalCount } }`, { t: '2027-03-07T10:00:00.123456-08:00' });
    expect(result.errors).toBeUndefined();
  });

  it('publishes the RFC it follows with @specifiedBy', async () => {
    const { data } = await api.execute(`{ date: __type(name: "Date") { specifiedByURL } dateTime: __type(name: "DateTime") { specifiedByURL } }`);
    expect(data!.date.specifiedByURL).toMatch(/rfc3339/);
    expect(data!.dateTime.specifiedByURL).toMatch(/rfc3339/);
  });
});

describe('cursors', () => {
  it.each([
    ['a meetings cursor with 2024-02-30', `query($c: String) { meetings(after: $c, filter: { from: "2020-01-01T00:00:00Z" }) { totalCount } }`, encodeCursor(['2024-02-30T00:00:00.000Z', 1])],
    ['a meetings cursor with year 0', `query($c: String) { meetings(after: $c, filter: { from: "2020-01-01T00:00:00Z" }) { totalCount } }`, encodeCursor(['0000-01-01T00:00:00.000Z', 1])],
    ['an organizations cursor with a NUL', `query($c: String) { organizations(after: $c) { totalCount } }`, encodeCursor(['a\u0000', 1])],
    ['an organizations cursor with a lone surrogate', `query($c: String) { organizations(after: $c) { totalCount } }`, encodeCursor(['a\ud800', 1])],
    ['a memberships cursor with 2023-02-29', `query($c: String) { memberships(after: $c) { totalCount } }`, encodeCursor(['2023-02-29', 1])],
    ['a cursor with a huge id', `query($c: String) { memberships(after: $c) { totalCount } }`, encodeCursor(['2023-02-28', 2 ** 40])],
  ])('refuses %s with BAD_USER_INPUT naming the argument', async (_title, query, cursor) => {
    expectBadInput(await api.execute(query, { c: cursor }), 'after');
  });
});

describe('operations and variables', () => {
  it('answers a subscription with 400 and a clear message', async () => {
    const response = await http.post(`subscription { changes { totalCount } }`);
    expect(response.status).toBe(400);
    expect(response.body.errors[0].extensions.code).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(response.body.errors[0].message).toMatch(/does not support subscription operations/);
  });

  it('answers more than 50 invalid variable values with one clean 400', async () => {
    // Sixty ids that are not ids: graphql-js stops at 50 errors and adds one without a code.
    const response = await http.post(`query($ids: [ID!]!) { nodes(ids: $ids) { id } }`, { variables: { ids: Array.from({ length: 60 }, () => ({})) } });
    expect(response.status).toBe(400);
    expect(response.body.errors.map((e: { extensions: { code: string } }) => e.extensions.code)).toEqual(['BAD_USER_INPUT']);
    expect(response.body.errors[0].message).toMatch(/More than 50 variable values are invalid/);
  });

  it('reports up to 50 invalid variable values one by one, as before', async () => {
    const response = await http.post(`query($a: Int, $b: Int) { a: posts(first: $a) { totalCount } b: posts(first: $b) { totalCount } }`, { variables: { a: 'x', b: 'y' } });
    expect(response.status).toBe(400);
    expect(response.body.errors.map((e: { extensions: { code: string } }) => e.extensions.code)).toEqual(['BAD_USER_INPUT', 'BAD_USER_INPUT']);
  });
});
