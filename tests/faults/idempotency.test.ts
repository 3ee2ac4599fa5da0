import { randomUUID } from 'node:crypto';
import { count, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signStaffToken } from '../../src/auth/jwt.ts';
import { applications, idempotencyKeys, jurisdictions, people } from '../../src/db/schema/index.ts';
import { IDEMPOTENCY_KEY_RETENTION_HOURS, pruneIdempotencyKeys } from '../../src/graphql/idempotency.ts';
import { JWT_SETTINGS, staffToken, startHttpInstance, type HttpInstance } from '../helpers/http-instance.ts';
import type { TestApi } from '../helpers/test-api.ts';
import { applicantInput, openRecruitment, READ, SUBMIT, type Body } from '../recruitment/recruitment-support.ts';

const PERSON_CREATE = `mutation($input: PersonCreateInput!) { personCreate(input: $input) { person { id name } userErrors { code field message } } }`;
const ORGANIZATION_CREATE = `mutation($input: OrganizationCreateInput!) { organizationCreate(input: $input) { organization { id slug } userErrors { code message } } }`;

let api: TestApi;
let body: Body;
let postingId: string;
let http: HttpInstance;
let token: string;

beforeAll(async () => {
  ({ api, body, postingId } = await openRecruitment());
  http = await startHttpInstance(api.db);
  token = await staffToken('idempotent@portland.example');
});
afterAll(async () => {
  await http?.close();
  await api?.dispose();
});

const peopleNamed = async (name: string) => (await api.db.select({ n: count() }).from(people).where(eq(people.name, name)))[0]!.n;

function createPerson(name: string, key: string | null, options: { token?: string; privateEmail?: string } = {}) {
  const input = { name, ...(options.privateEmail ? { privateDetails: { email: options.privateEmail } } : {}) };
  return http.post(PERSON_CREATE, { token: options.token ?? token, variables: { input }, headers: key ? { 'idempotency-key': key } : {} });
}

describe('Idempotency-Key on creating mutations', () => {
  it('answers a retried personCreate with the first person and stores one row', async () => {
    const key = randomUUID();
    const first = await createPerson('Idem Potent', key);
    const retry = await createPerson('Idem Potent', key);
    expect(first.body.data.personCreate.userErrors).toEqual([]);
    expect(retry.status).toBe(200);
    expect(retry.body.data.personCreate).toEqual(first.body.data.personCreate);
    expect(await peopleNamed('Idem Potent')).toBe(1);
  });

  it('creates twice without a key (the header is what makes a retry safe)', async () => {
    await createPerson('No Key Twice', null);
    await createPerson('No Key Twice', null);
    expect(await peopleNamed('No Key Twice')).toBe(2);
  });

  it('refuses the same key with a different input, with IDEMPOTENCY_KEY_REUSED, and creates nothing', async () => {
    const key = randomUUID();
    await createPerson('Key Owner', key);
    const reused = await createPerson('Someone Else', key);
    expect(reused.status).toBe(200);
    expect(reused.body.data.personCreate.person).toBeNull();
    expect(reused.body.data.personCreate.userErrors).toEqual([{ code: 'IDEMPOTENCY_KEY_REUSED', field: null, message: expect.stringContaining('personCreate') }]);
    expect(await peopleNamed('Someone Else')).toBe(0);
  });

  it('refuses a malformed key with IDEMPOTENCY_KEY_INVALID and creates nothing', async () => {
    const refused = await createPerson('Bad Key Person', 'has spaces in it');
    expect(refused.body.data.personCreate).toEqual({ person: null, userErrors: [{ code: 'IDEMPOTENCY_KEY_INVALID', field: null, message: expect.stringContaining('Idempotency-Key') }] });
    expect(await peopleNamed('Bad Key Person')).toBe(0);
  });

  it("keeps one caller's key apart from another's: the same key used by two staff members creates two", async () => {
    const key = randomUUID();
    await createPerson('Shared Key Name', key);
    await createPerson('Shared Key Name', key, { token: await staffToken('someone-else@portland.example') });
    expect(await peopleNamed('Shared Key Name')).toBe(2);
  });

  it('keeps a key to the city its caller acts in: the same subject, now staff of another city, creates there instead of replaying', async () => {
    await api.db.insert(jurisdictions).values({ slug: 'springfield', name: 'Springfield', ocdId: 'ocd-division/country:us/state:or/place:springfield', timezone: 'America/Los_Angeles' }).onConflictDoNothing();
    const key = randomUUID();
    const first = await createPerson('Moved Staff Person', key);
    const moved = await signStaffToken(JWT_SETTINGS, { subject: 'idempotent@portland.example', role: 'staff', jurisdiction: 'springfield', name: 'Maria' });
    const second = await createPerson('Moved Staff Person', key, { token: moved });
    expect(second.body.data.personCreate.userErrors).toEqual([]);
    // A replay would have handed Portland's person to Springfield's staff.
    expect(second.body.data.personCreate.person.id).not.toBe(first.body.data.personCreate.person.id);
    expect(await peopleNamed('Moved Staff Person')).toBe(2);
  });

  it('creates one row when the same key arrives several times at once (the unique claim serializes them)', async () => {
    const key = randomUUID();
    const answers = await Promise.all(Array.from({ length: 6 }, () => createPerson('Concurrent Retry', key)));
    const ids = new Set(answers.map((a) => a.body.data.personCreate.person?.id));
    expect(answers.map((a) => a.body.data.personCreate.userErrors)).toEqual(Array(6).fill([]));
    expect(ids.size).toBe(1);
    expect(await peopleNamed('Concurrent Retry')).toBe(1);
  });

  it('replays organizationCreate instead of refusing the retry as SLUG_TAKEN', async () => {
    const key = randomUUID();
    const input = { name: 'Idempotent Parks Advisory Board', kind: 'ADVISORY_BODY' };
    const first = await http.post(ORGANIZATION_CREATE, { token, variables: { input }, headers: { 'idempotency-key': key } });
    const retry = await http.post(ORGANIZATION_CREATE, { token, variables: { input }, headers: { 'idempotency-key': key } });
    expect(first.body.data.organizationCreate.userErrors).toEqual([]);
    expect(retry.body.data.organizationCreate).toEqual(first.body.data.organizationCreate);
  });

  it('keeps no personal value in the record: the key and the input as hashes, the result as ids', async () => {
    const key = `key-${randomUUID()}`;
    await createPerson('Private Record Person', key, { privateEmail: 'private.record@example.org' });
    const rows = await api.db.select().from(idempotencyKeys);
    expect(rows.length).toBeGreaterThan(0);
    const stored = JSON.stringify(rows);
    expect(stored).not.toContain('Private Record Person');
    expect(stored).not.toContain('private.record@example.org');
    expect(stored).not.toContain(key);
  });

  it('forgets keys after the retention: a retry past it creates again', async () => {
    const key = randomUUID();
    await createPerson('Retention Person', key);
    const later = new Date(Date.now() + (IDEMPOTENCY_KEY_RETENTION_HOURS + 1) * 3600_000);
    expect(await pruneIdempotencyKeys(api.db, later)).toBeGreaterThan(0);
    await createPerson('Retention Person', key);
    expect(await peopleNamed('Retention Person')).toBe(2);
  });
});

describe('Idempotency-Key on applicationSubmit (anonymous)', () => {
  const applicationsOf = async (email: string) => api.db.select().from(applications).where(eq(applications.email, email));
  const submitWith = (input: object, key: string) => http.post(SUBMIT, { variables: { input }, headers: { 'idempotency-key': key } });

  it('returns the same application to a retry, with a new token that replaces the first', async () => {
    const key = randomUUID();
    const input = applicantInput(postingId, body, { email: 'retry.applicant@example.org' });
    const first = await submitWith(input, key);
    const retry = await submitWith(input, key);
    expect(first.body.data.applicationSubmit.userErrors).toEqual([]);
    expect(retry.body.data.applicationSubmit.userErrors).toEqual([]);
    expect(retry.body.data.applicationSubmit.application.id).toBe(first.body.data.applicationSubmit.application.id);
    expect(await applicationsOf('retry.applicant@example.org')).toHaveLength(1);
    const newToken = retry.body.data.applicationSubmit.token;
    expect(newToken).toMatch(/^cga_/);
    expect(newToken).not.toBe(first.body.data.applicationSubmit.token);
    expect((await http.post(READ, { variables: { token: newToken } })).body.data.application.id).toBe(first.body.data.applicationSubmit.application.id);
    expect((await http.post(READ, { variables: { token: first.body.data.applicationSubmit.token } })).body.data.application).toBeNull();
  });

  it("finds nothing for a different applicant's input under the same key: a public key is bound to its input", async () => {
    const key = randomUUID();
    await submitWith(applicantInput(postingId, body, { email: 'first.public@example.org' }), key);
    const other = await submitWith(applicantInput(postingId, body, { email: 'second.public@example.org' }), key);
    // Not refused (that would tell a stranger the key was used), and not the first applicant's application.
    expect(other.body.data.applicationSubmit.userErrors).toEqual([]);
    expect(other.body.data.applicationSubmit.application.email).toBe('second.public@example.org');
    expect(await applicationsOf('first.public@example.org')).toHaveLength(1);
    expect(await applicationsOf('second.public@example.org')).toHaveLength(1);
  });
});
