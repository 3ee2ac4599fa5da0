import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { parse } from 'csv-parse/sync';
import { count, eq } from 'drizzle-orm';
import { createLogger } from '../../src/logger.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jurisdictions, memberships, organizations } from '../../src/db/schema/index.ts';
import { exportsRoute } from '../../src/http/exports-route.ts';
import { exportNamed, writeExport } from '../../src/modules/exports/write-export.ts';
import { councilPost, createMembership, createOrganization, createPerson, createPost, createPrivateDetails, fillPost, createJurisdiction } from '../helpers/factories.ts';
import { waitForChangeFeed } from '../helpers/change-feed.ts';
import { startHttpInstance, type HttpInstance } from '../helpers/http-instance.ts';
import { openTestDatabase, type PortlandTestDatabase } from '../helpers/portland-database.ts';

const run = promisify(execFile);
const logger = createLogger('silent');
let database: PortlandTestDatabase;
let http: HttpInstance;

const SECRET = { email: 'export.secret@example.org', homeAddress: '987 NE Hidden Ave, Portland, OR 97211', phone: '+1-503-555-0142' };
const OVERRIDE_REASON = 'Lives at 55 SW Undisclosed Ct pending move';
const FORMULA_NAME = '=HYPERLINK("http://evil.example","click")';

async function get(path: string, headers: Record<string, string> = {}) {
  const res = await fetch(`${http.base}${path}`, { headers });
  return { res, text: await res.text() };
}

function csv(text: string): Record<string, string>[] {
  return parse(text, { columns: true, bom: true });
}

async function graphql(query: string) {
  const res = await fetch(`${http.base}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query }) });
  return ((await res.json()) as any).data;
}

beforeAll(async () => {
  database = await openTestDatabase();
  http = await startHttpInstance(database.db, { logger, routes: [exportsRoute(database.db, 'portland', logger)] });
  const { db, jurisdictionId } = database;
  // A roster member with private details and a staff-only residency note.
  const post = await councilPost(db, 4);
  const person = await createPerson(db, jurisdictionId, 'Export Roster Person');
  await createPrivateDetails(db, person.id, SECRET);
  await createMembership(db, {
    jurisdictionId,
    personId: person.id,
    organizationId: post.organizationId,
    postId: post.id,
    startDate: '2025-01-01',
    residencyOverrideReason: OVERRIDE_REASON,
  });
  // A past member: on the roster of 2024, not of today.
  const past = await createPerson(db, jurisdictionId, 'Past Roster Person');
  await createMembership(db, { jurisdictionId, personId: past.id, organizationId: post.organizationId, postId: post.id, startDate: '2023-01-01', endDate: '2024-06-01' });
  // Text a spreadsheet would run as a formula.
  const board = await createOrganization(db, { jurisdictionId, name: FORMULA_NAME, slug: 'formula-board' });
  const member = await createPerson(db, jurisdictionId, '@SUM(1+1)');
  await createMembership(db, { jurisdictionId, personId: member.id, organizationId: board.id, startDate: '2025-02-01' });
  // Another city, whose rows must stay out of Portland's exports.
  const other = await createJurisdiction(db, { slug: 'springfield', name: 'Springfield', ocdId: 'ocd-division/country:us/state:or/place:springfield', timezone: 'America/Los_Angeles' });
  await createOrganization(db, { jurisdictionId: other!.id, name: 'Springfield Neighbors', slug: 'springfield-neighbors' });
});

afterAll(async () => {
  await http.close();
  await database.dispose();
});

describe('GET /exports/divisions.geojson', () => {
  it('is a GeoJSON FeatureCollection download of the divisions in effect today', async () => {
    const { res, text } = await get('/exports/divisions.geojson');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/geo+json; charset=utf-8');
    expect(res.headers.get('content-disposition')).toBe('attachment; filename="portland-divisions.geojson"');
    expect(res.headers.get('cache-control')).toBe('public, no-cache');
    const body = JSON.parse(text);
    expect(body.type).toBe('FeatureCollection');
    const kinds = new Set(body.features.map((f: any) => f.properties.kind));
    expect([...kinds].sort()).toEqual(expect.arrayContaining(['COUNCIL_DISTRICT', 'NEIGHBORHOOD']));
    const district = body.features.find((f: any) => f.properties.kind === 'COUNCIL_DISTRICT');
    expect(district.type).toBe('Feature');
    expect(district.geometry.type).toBe('MultiPolygon');
    expect(district.bbox).toHaveLength(4);
    expect(Object.keys(district.properties).sort()).toEqual(['id', 'kind', 'name', 'ocdId', 'parentOcdId', 'validFrom', 'validUntil']);
    expect(district.properties.parentOcdId).toBe('ocd-division/country:us/state:or/place:portland');
  });

  it('filters by kind and date exactly as the API does', async () => {
    for (const at of ['2024-06-01', '2025-06-01']) {
      const { text } = await get(`/exports/divisions.geojson?kind=COUNCIL_DISTRICT&at=${at}`);
      const api = await graphql(`{ councilDistricts(at: "${at}") { id name } }`);
      expect(JSON.parse(text).features.map((f: any) => [f.properties.id, f.properties.name])).toEqual(api.councilDistricts.map((d: any) => [d.id, d.name]));
    }
    const both = JSON.parse((await get('/exports/divisions.geojson?kind=council_district,NEIGHBORHOOD')).text);
    expect(new Set(both.features.map((f: any) => f.properties.kind))).toEqual(new Set(['COUNCIL_DISTRICT', 'NEIGHBORHOOD']));
    expect(both.features.filter((f: any) => f.properties.kind === 'COUNCIL_DISTRICT')).toHaveLength(4);
  });
});

describe('CSV exports', () => {
  it('organizations.csv: every organization of the city, public columns only', async () => {
    const { res, text } = await get('/exports/organizations.csv');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8; header=present');
    expect(res.headers.get('content-disposition')).toBe('attachment; filename="portland-organizations.csv"');
    const rows = csv(text);
    const api = await graphql('{ organizations(first: 1) { totalCount } }');
    expect(rows).toHaveLength(api.organizations.totalCount);
    expect(Object.keys(rows[0]!)).toEqual([
      'id', 'slug', 'kind', 'name', 'short_name', 'status', 'division_ocd_id', 'website', 'overseen_by', 'body_kind',
      'founded_on', 'dissolved_on', 'min_members', 'max_members', 'source_url', 'description',
      'roster_status', 'roster_as_of', 'registered_on', 'registration_expires_on',
    ]);
    const buckman = rows.find((r) => r.slug === 'buckman')!;
    const viaApi = await graphql('{ organization(slug: "buckman") { id name kind division { ocdId } } }');
    expect(buckman).toMatchObject({ id: viaApi.organization.id, name: viaApi.organization.name, kind: viaApi.organization.kind, division_ocd_id: viaApi.organization.division.ocdId });
    expect(rows.some((r) => r.slug === 'springfield-neighbors')).toBe(false);
  });

  it('neutralizes cells a spreadsheet would run as formulas', async () => {
    const organizationsCsv = csv((await get('/exports/organizations.csv')).text);
    expect(organizationsCsv.find((r) => r.slug === 'formula-board')!.name).toBe(`'${FORMULA_NAME}`);
    const roster = csv((await get('/exports/rosters.csv')).text);
    expect(roster.find((r) => r.organization_slug === 'formula-board')).toMatchObject({ person_name: "'@SUM(1+1)", organization_name: `'${FORMULA_NAME}` });
  });

  it('posts.csv: seats with holders and vacancies as Post.knownVacancies reports them', async () => {
    // A body whose roster is kept here (RECORDED, as staff-created bodies are): a count.
    const board = await createOrganization(database.db, { jurisdictionId: database.jurisdictionId, name: 'Export Recorded Board', slug: 'export-recorded-board' });
    const seat = await createPost(database.db, { jurisdictionId: database.jurisdictionId, organizationId: board.id, label: 'Export Seat', maxHolders: 3 });
    await fillPost(database.db, seat, 1);
    const rows = csv((await get('/exports/posts.csv')).text);
    expect(rows.find((r) => r.organization_slug === 'export-recorded-board')).toMatchObject({ holders: '1', vacancies: '2', roster_status: 'RECORDED', vacancy_note: '' });
    // The council's roster is not in the dataset (NOT_RECORDED): no count, and it says so.
    const api = await graphql('{ councilDistricts { councilPost { id label maxHolders knownVacancies vacancyStatus holders { id } organization { roster { status } } } } }');
    for (const { councilPost } of api.councilDistricts) {
      const row = rows.find((r) => r.id === councilPost.id)!;
      expect(councilPost).toMatchObject({ knownVacancies: null, vacancyStatus: 'UNKNOWN', organization: { roster: { status: 'NOT_RECORDED' } } });
      expect(row).toMatchObject({ label: councilPost.label, max_holders: String(councilPost.maxHolders), holders: String(councilPost.holders.length), vacancies: '', roster_status: 'NOT_RECORDED', vacancy_note: 'roster not recorded' });
    }
  });

  it('rosters.csv: who holds which seat today, and on another date with ?at=', async () => {
    const today = csv((await get('/exports/rosters.csv')).text);
    const api = await graphql('{ councilDistricts { councilPost { id label holders { id person { id name } } } } }');
    const district4 = api.councilDistricts[3].councilPost;
    const exported = today.filter((r) => r.post_id === district4.id).map((r) => [r.membership_id, r.person_id, r.person_name, r.post_label]);
    expect(exported).toEqual(district4.holders.map((h: any) => [h.id, h.person.id, h.person.name, district4.label]));
    expect(today.some((r) => r.person_name === 'Export Roster Person')).toBe(true);
    expect(today.some((r) => r.person_name === 'Past Roster Person')).toBe(false);
    const in2024 = csv((await get('/exports/rosters.csv?at=2024-01-15')).text);
    expect(in2024.some((r) => r.person_name === 'Past Roster Person')).toBe(true);
    expect(in2024.some((r) => r.person_name === 'Export Roster Person')).toBe(false);
  });

  it('no export carries a private detail, a staff-only note or an unlisted column', async () => {
    for (const name of ['divisions.geojson', 'organizations.csv', 'posts.csv', 'rosters.csv', 'rosters.csv?at=2025-06-01']) {
      const { res, text } = await get(`/exports/${name}`);
      expect(res.status).toBe(200);
      for (const value of [...Object.values(SECRET), OVERRIDE_REASON, 'wheelchair', 'residency', 'private', 'email', 'phone', 'source_note', 'origin']) {
        expect(text.toLowerCase()).not.toContain(value.toLowerCase());
      }
    }
    expect(Object.keys(csv((await get('/exports/rosters.csv')).text)[0]!)).toEqual([
      'membership_id', 'organization_id', 'organization_slug', 'organization_name', 'post_id', 'post_label', 'role',
      'person_id', 'person_name', 'person_sort_name', 'is_sample', 'start_date', 'scheduled_end_date',
    ]);
  });

  it('exports another jurisdiction with ?jurisdiction=', async () => {
    const { res, text } = await get('/exports/organizations.csv?jurisdiction=springfield');
    expect(res.headers.get('content-disposition')).toBe('attachment; filename="springfield-organizations.csv"');
    expect(csv(text).map((r) => r.slug)).toEqual(['springfield-neighbors']);
    expect(csv((await get('/exports/rosters.csv?jurisdiction=springfield')).text)).toEqual([]);
  });
});

describe('revalidation', () => {
  it('answers 304 to a matching ETag, and a new ETag once the data changes', async () => {
    // The ETag is the jurisdiction's data version, which counts changes not yet behind the
    // server-wide transaction horizon apart: another test database's transaction ending between the
    // two requests would move it (a harmless miss in production, a false failure here).
    await waitForChangeFeed(database.db);
    const first = await get('/exports/organizations.csv');
    const etag = first.res.headers.get('etag')!;
    expect(etag).toMatch(/^"[\w-]+"$/);
    const again = await get('/exports/organizations.csv', { 'if-none-match': etag });
    expect(again.res.status).toBe(304);
    expect(again.text).toBe('');
    // A different parameter is a different representation.
    expect((await get('/exports/posts.csv?at=2024-01-01')).res.headers.get('etag')).not.toBe((await get('/exports/posts.csv?at=2025-01-01')).res.headers.get('etag'));

    await database.db.update(organizations).set({ website: 'https://buckman.example' }).where(eq(organizations.slug, 'buckman'));
    const changed = await get('/exports/organizations.csv', { 'if-none-match': etag });
    expect(changed.res.status).toBe(200);
    expect(changed.res.headers.get('etag')).not.toBe(etag);
    expect(csv(changed.text).find((r) => r.slug === 'buckman')!.website).toBe('https://buckman.example');

    // A term ending changes the roster export's ETag too (a delete-like change in another table).
    const rosterTag = (await get('/exports/rosters.csv')).res.headers.get('etag')!;
    await database.db.delete(memberships).where(eq(memberships.organizationId, (await database.db.select().from(organizations).where(eq(organizations.slug, 'formula-board')))[0]!.id));
    expect((await get('/exports/rosters.csv', { 'if-none-match': rosterTag })).res.status).toBe(200);
  });

  it('changes the ETag on a commit that leaves row counts, highest ids and latest updated_at as they were', async () => {
    // A row stamped later than any other (as by a clock ahead, or a transaction that began later and
    // committed first): an edit of another row then moves neither the latest updated_at, the count nor the ids.
    const ahead = await createOrganization(database.db, { jurisdictionId: database.jurisdictionId, slug: 'clock-ahead', name: 'Clock Ahead', updatedAt: new Date('2099-01-01T00:00:00Z') });
    try {
      const etag = (await get('/exports/organizations.csv')).res.headers.get('etag')!;
      await database.db.update(organizations).set({ website: 'https://kerns.example' }).where(eq(organizations.slug, 'kerns'));
      const changed = await get('/exports/organizations.csv', { 'if-none-match': etag });
      expect(changed.res.status).toBe(200);
      expect(csv(changed.text).find((r) => r.slug === 'kerns')!.website).toBe('https://kerns.example');
    } finally {
      await database.db.delete(organizations).where(eq(organizations.id, ahead.id));
    }
  });

  it('keeps the ETag when only another jurisdiction changes', async () => {
    const etag = (await get('/exports/organizations.csv')).res.headers.get('etag')!;
    const other = await createJurisdiction(database.db, { slug: 'etag-elsewhere', name: 'Elsewhere', ocdId: 'ocd-division/country:us/state:or/place:etag_elsewhere', timezone: 'America/Los_Angeles' });
    const elsewhere = await createOrganization(database.db, { jurisdictionId: other!.id, slug: 'elsewhere-org', name: 'Elsewhere Org' });
    try {
      expect((await get('/exports/organizations.csv', { 'if-none-match': etag })).res.status).toBe(304);
    } finally {
      await database.db.delete(organizations).where(eq(organizations.id, elsewhere.id));
      await database.db.delete(jurisdictions).where(eq(jurisdictions.id, other!.id));
    }
  });
});

describe('refusals', () => {
  it.each([
    ['/exports/divisions.geojson?kind=PLANET', /Unknown division kind "PLANET"; kinds: CITY, COUNCIL_DISTRICT/],
    ['/exports/rosters.csv?at=2024-13-45', /"at" must be a date as YYYY-MM-DD; got "2024-13-45"/],
    ['/exports/organizations.csv?at=2024-01-01', /Unknown parameter "at" for organizations; accepted: jurisdiction/],
    ['/exports/posts.csv?jurisdiction=atlantis', /No jurisdiction has the slug "atlantis"/],
    ['/exports/posts.csv?at=2024-01-01&at=2025-01-01', /Parameter "at" is given more than once/],
  ])('%s → 400 with a clear message', async (path, message) => {
    const { res, text } = await get(path);
    expect(res.status).toBe(400);
    expect(JSON.parse(text).errors[0].message).toMatch(message);
  });

  it('an unknown export, or a known one with the wrong extension, is 404 with the list of exports', async () => {
    for (const path of ['/exports/people.csv', '/exports/organizations.json', '/exports/']) {
      const { res, text } = await get(path);
      expect(res.status).toBe(404);
      expect(JSON.parse(text).errors[0].message).toMatch(/exports: divisions\.geojson, organizations\.csv, posts\.csv, rosters\.csv/);
    }
  });

  it('refuses writes with 405', async () => {
    const res = await fetch(`${http.base}/exports/organizations.csv`, { method: 'POST' });
    expect(res.status).toBe(405);
    expect(res.headers.get('allow')).toBe('GET, HEAD');
  });
});

describe('npm run export', () => {
  it('writes the same file as the HTTP export', async () => {
    const folder = await mkdtemp(join(tmpdir(), 'civic-graph-export-'));
    try {
      const out = join(folder, 'rosters.csv');
      await writeExport(database.db, exportNamed('rosters'), new URLSearchParams({ at: '2025-06-01' }), 'portland', out);
      expect(await readFile(out, 'utf8')).toBe((await get('/exports/rosters.csv?at=2025-06-01')).text);
    } finally {
      await rm(folder, { recursive: true, force: true });
    }
  });

  it('the command refuses an unknown export with the list of exports', async () => {
    await expect(run('npx', ['tsx', 'src/cli/export.ts', 'people'])).rejects.toMatchObject({
      stderr: expect.stringMatching(/No export named "people"; exports: divisions, organizations, posts, rosters/),
    });
  });
});

// The embedded database's per-request statement budget (src/db/fair-queue.ts) is for GraphQL
// requests; a streamed export sends many small statements and must not be cut off part-way.
// PostgreSQL has no such budget (its statement_timeout is per statement), so this is PGlite's.
describe.skipIf(process.env.TEST_DATABASE_URL)('exports on an embedded database with a tight statement budget', () => {
  let tight: PortlandTestDatabase;
  let tightHttp: HttpInstance;
  beforeAll(async () => {
    // 1 ms: a GraphQL request is refused its next statement once its statements ran that long.
    tight = await openTestDatabase({ statementTimeoutMs: 1 });
    tightHttp = await startHttpInstance(tight.db, { logger, routes: [exportsRoute(tight.db, 'portland', logger)] });
  });
  afterAll(async () => {
    await tightHttp.close();
    await tight.dispose();
  });

  it('streams the whole file: every organization of the city, none cut off', async () => {
    const res = await fetch(`${tightHttp.base}/exports/organizations.csv`);
    const rows = csv(await res.text());
    const [{ total }] = (await tight.db.select({ total: count() }).from(organizations).where(eq(organizations.jurisdictionId, tight.jurisdictionId))) as [{ total: number }];
    expect(res.status).toBe(200);
    expect(rows.length).toBe(total);
    expect(total).toBeGreaterThan(100);
  });
});
