/**
 * The benchmark's cities: the real imports of the three vendored cities (VENDORED_CITIES: Portland,
 * Philadelphia, New York; geography, organizations, seats, and the officials each dataset records),
 * exactly what `npm start` imports, plus a deterministic synthetic layer **in Portland only** whose
 * size grows with `scale`:
 *   associations  94 real + 100 × (scale − 1) synthetic, each in one of the 4 current coalitions;
 *   seats         3 per association (chair, board member ×5, treasurer), 2 per synthetic advisory body;
 *   people and memberships: 5 current holders + 1 past term per association, 20 plain members per
 *   association, 5 per advisory seat (one person per term); the council seats keep the dataset's
 *   real councilors (3 per district seat, its maximum).
 * Scale 1 is Portland-sized (~100 associations, ~2,700 members); 10 and 100 multiply everything above.
 * Philadelphia and New York stay as imported at every scale (their datasets record no members), so
 * their cases measure the same data at every scale while Portland's tables grow around them.
 * No randomness: every value is a function of a row's index, so two seeds of one scale are equal.
 * Bulk inserts through postgres.js (multi-row VALUES, 5,000 rows a statement).
 */
import postgres from 'postgres';
import { prepareDatabase } from '../../src/app.ts';
import { VENDORED_CITIES, vendoredCityDirs } from '../../src/datasets/vendored.ts';
import { createDatabase } from '../../src/db/client.ts';
import { createLogger } from '../../src/logger.ts';

/** Bump when the synthetic layer changes, so an old seed is not reused. */
// 6: links carry member_sort_name (migration 0027), set by its trigger. 7: the three vendored
// cities; no synthetic council holders (Portland's dataset has its 12 real councilors since cd37830,
// and 2 more per seat broke the seat-capacity trigger: 5 holders on a seat of 3); the seeded
// bodies' rosters RECORDED.
const SEED_VERSION = 7;
const CHUNK = 5_000;

export const BENCH_WRITERS = 64;
/** One seat per writer (`bench-write-seat-01` …), so concurrent writers never contend for one seat. */
export const BENCH_WRITE_SEAT_PREFIX = 'bench-write-seat-';

export interface SeedSummary {
  scale: number;
  reused: boolean;
  ms: number;
  counts: Record<string, number>;
}

function addDays(iso: string, days: number): string {
  return new Date(Date.parse(`${iso}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}
const pad = (n: number) => String(n).padStart(6, '0');

// `any`: a Sql or a TransactionSql
async function insertChunks(sql: any, table: string, rows: Record<string, unknown>[]): Promise<void> {
  // postgres.js takes a multi-row insert's columns from its first row: rows of one table may differ
  // in the keys they give (advisory seats have a term length, association seats none), so every
  // row gets every column, null where it gave none (at scale 100 a chunk began with a row that had
  // a key the rows after it lacked, and the insert failed on their undefined values).
  const columns = [...new Set(rows.flatMap((row) => Object.keys(row)))];
  for (let i = 0; i < rows.length; i += CHUNK) {
    const chunk = rows.slice(i, i + CHUNK).map((row) => Object.fromEntries(columns.map((c) => [c, row[c] ?? null])));
    await sql`insert into ${sql(table)} ${sql(chunk as never)}`;
  }
}

/** Creates (or reuses, when it already holds this scale's seed) the benchmark database. */
export async function seedBenchDatabase(url: string, scale: number, options: { reuse?: boolean; log?: (m: string) => void } = {}): Promise<SeedSummary> {
  const log = options.log ?? (() => {});
  const started = Date.now();
  const target = new URL(url);
  const dbName = decodeURIComponent(target.pathname.slice(1));
  if (!/^[a-z0-9_]+$/.test(dbName)) throw new Error(`benchmark database name must be [a-z0-9_]+: ${dbName}`);
  const adminUrl = new URL(url);
  adminUrl.pathname = '/postgres';
  const admin = postgres(adminUrl.toString(), { max: 1, onnotice: () => {} });
  const marker = `civic-graph bench seed v${SEED_VERSION} scale ${scale}`;
  try {
    const [existing] = await admin`select shobj_description(oid, 'pg_database') as comment from pg_database where datname = ${dbName}`;
    if (options.reuse !== false && existing?.comment === marker) {
      const counts = await countRows(url);
      return { scale, reused: true, ms: Date.now() - started, counts };
    }
    log(`creating database ${dbName} (scale ${scale})`);
    await admin.unsafe(`drop database if exists "${dbName}" with (force)`);
    await admin.unsafe(`create database "${dbName}"`);
  } finally {
    await admin.end();
  }

  // Schema and the real cities, through the application's own path (as `npm start` imports them,
  // so the benchmarked servers find every dataset current and import nothing when they start).
  const database = await createDatabase({ url, poolMax: 2 });
  try {
    await prepareDatabase(database, { datasetDirs: vendoredCityDirs(VENDORED_CITIES), sampleMembers: false, jurisdiction: 'portland', logger: createLogger('warn') });
  } finally {
    await database.close();
  }

  const sql = postgres(url, { max: 1, onnotice: () => {} });
  try {
    await sql.begin(async (tx) => {
      const [{ id: jurisdictionId }] = (await tx`select id from jurisdictions where slug = 'portland'`) as unknown as [{ id: number }];
      const coalitions = await tx`select id from organizations where jurisdiction_id = ${jurisdictionId} and kind = 'DISTRICT_COALITION' and dissolved_on is null order by name, id`;

      // Synthetic associations sort after the real ones ("Zz …") and get ids in name order, so that a
      // list ordered by name and one ordered by id select the same first page (PostGraphile's links).
      const extraAssociations = 100 * (scale - 1);
      const associations = Array.from({ length: extraAssociations }, (_, i) => ({
        jurisdiction_id: jurisdictionId,
        slug: `zz-bench-association-${pad(i + 1)}`,
        kind: 'NEIGHBORHOOD_ASSOCIATION',
        name: `Zz Bench Association ${pad(i + 1)}`,
        website: `https://example.org/na/${i + 1}`,
        status: 'ACTIVE',
        founded_on: addDays('1975-01-01', i % 9000),
      }));
      await insertChunks(tx, 'organizations', associations);
      const synthetic = await tx`select id from organizations where slug like 'zz-bench-association-%' order by slug`;
      await insertChunks(
        tx,
        'organization_links',
        synthetic.map((o, i) => ({ jurisdiction_id: jurisdictionId, kind: 'DISTRICT_COALITION', member_id: o.id, parent_id: coalitions[i % coalitions.length]!.id, start_date: '2024-07-01' })),
      );

      const extraBodies = 11 * (scale - 1);
      await insertChunks(
        tx,
        'organizations',
        Array.from({ length: extraBodies }, (_, i) => ({
          jurisdiction_id: jurisdictionId,
          slug: `zz-bench-body-${pad(i + 1)}`,
          kind: 'ADVISORY_BODY',
          name: `Zz Bench Advisory Body ${pad(i + 1)}`,
          status: 'ACTIVE',
        })),
      );
      // The body whose seats the write case (Q6) appoints to and ends terms on.
      await tx`insert into organizations (jurisdiction_id, slug, kind, name, status) values (${jurisdictionId}, 'zz-bench-write-body', 'ADVISORY_BODY', 'Zz Bench Write Body', 'ACTIVE')`;

      const seatTemplates = [
        { key: 'bench-chair', label: 'Board chair', role: 'chair', max: 1 },
        { key: 'bench-member', label: 'Board member', role: 'member', max: 5 },
        { key: 'bench-treasurer', label: 'Treasurer', role: 'treasurer', max: 1 },
      ];
      const allAssociations = await tx`select id from organizations where kind = 'NEIGHBORHOOD_ASSOCIATION' and jurisdiction_id = ${jurisdictionId} order by name, id`;
      const posts: Record<string, unknown>[] = [];
      for (const a of allAssociations) {
        for (const t of seatTemplates) {
          posts.push({ jurisdiction_id: jurisdictionId, organization_id: a.id, source_key: t.key, label: t.label, role: t.role, selection_method: 'SELF_SELECTED', max_holders: t.max });
        }
      }
      const bodies = await tx`select id from organizations where slug like 'zz-bench-body-%' order by slug`;
      for (const b of bodies) {
        for (const n of [1, 2]) {
          posts.push({ jurisdiction_id: jurisdictionId, organization_id: b.id, source_key: `bench-seat-${n}`, label: `Member seat ${n}`, role: 'member', selection_method: 'APPOINTED', max_holders: 9, term_length_months: 24 });
        }
      }
      const [writeBody] = await tx`select id from organizations where slug = 'zz-bench-write-body'`;
      for (let w = 1; w <= BENCH_WRITERS; w++) {
        const key = `${BENCH_WRITE_SEAT_PREFIX}${String(w).padStart(2, '0')}`;
        posts.push({ jurisdiction_id: jurisdictionId, organization_id: writeBody!.id, source_key: key, label: `Bench write seat ${w}`, role: 'member', selection_method: 'APPOINTED', max_holders: 5 });
      }
      await insertChunks(tx, 'posts', posts);

      // Terms to create, then one person per term (names are synthetic and labelled).
      type Term = { organization_id: number; post_id: number | null; role: string; start_date: string; end_date: string | null; scheduled_end_date: string | null; end_reason: string | null };
      const terms: Term[] = [];
      const seats = await tx`
        select p.id, p.organization_id, p.source_key, p.role
        from posts p
        where p.jurisdiction_id = ${jurisdictionId} and p.abolished_on is null
        order by p.organization_id, p.source_key`;
      let n = 0;
      for (const s of seats) {
        n++;
        const holders =
          s.source_key === 'bench-chair' ? 1
          : s.source_key === 'bench-member' ? 3
          : s.source_key === 'bench-treasurer' ? n % 2
          : String(s.source_key).startsWith('bench-seat-') ? 5
          : 0;
        for (let h = 0; h < holders; h++) {
          const start = addDays('2024-01-01', (n * 7 + h * 31) % 600);
          terms.push({ organization_id: s.organization_id, post_id: s.id, role: s.role, start_date: start, end_date: null, scheduled_end_date: null, end_reason: null });
        }
        if (s.source_key === 'bench-chair') {
          terms.push({ organization_id: s.organization_id, post_id: s.id, role: 'chair', start_date: '2019-01-01', end_date: '2023-01-01', scheduled_end_date: '2023-01-01', end_reason: 'TERM_COMPLETED' });
        }
      }
      allAssociations.forEach((a, i) => {
        for (let m = 0; m < 20; m++) {
          terms.push({ organization_id: a.id, post_id: null, role: 'member', start_date: addDays('2020-01-01', (i * 13 + m * 37) % 1800), end_date: null, scheduled_end_date: null, end_reason: null });
        }
      });
      const peopleRows = terms.map((_, i) => ({ jurisdiction_id: jurisdictionId, name: `Bench Person ${pad(i + 1)}`, sort_name: `Person ${pad(i + 1)}, Bench`, is_sample: true }));
      for (let w = 1; w <= BENCH_WRITERS; w++) peopleRows.push({ jurisdiction_id: jurisdictionId, name: `Bench Writer ${pad(w)}`, sort_name: `Writer ${pad(w)}, Bench`, is_sample: true });
      await insertChunks(tx, 'people', peopleRows);
      const people = await tx`select id from people where name like 'Bench Person %' order by name`;
      await insertChunks(
        tx,
        'memberships',
        terms.map((t, i) => ({ jurisdiction_id: jurisdictionId, person_id: people[i]!.id, ...t })),
      );
      // The synthetic layer records every holder of the seats it creates: those bodies' rosters are
      // RECORDED, so `vacancies` counts free places (on a NOT_RECORDED roster, the default since
      // issue 13, it reads 0, and the directory's raw path and PostGraphile count them).
      await tx`
        update organizations set roster_status = 'RECORDED'
        where jurisdiction_id = ${jurisdictionId}
          and (kind = 'NEIGHBORHOOD_ASSOCIATION' or slug like 'zz-bench-body-%' or slug = 'zz-bench-write-body')`;
    });
    // Vacuum too: a fresh bulk load has no visibility map, so index-only scans (a coalition's member
    // count on its links' index) would depend on when autovacuum happened to run.
    await sql.unsafe('vacuum analyze');
    await sql.unsafe(`comment on database "${dbName}" is '${marker}'`);
  } finally {
    await sql.end();
  }
  const counts = await countRows(url);
  log(`seeded scale ${scale} in ${Date.now() - started} ms: ${JSON.stringify(counts)}`);
  return { scale, reused: false, ms: Date.now() - started, counts };
}

async function countRows(url: string): Promise<Record<string, number>> {
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  try {
    const [row] = await sql`
      select (select count(*) from organizations where kind = 'NEIGHBORHOOD_ASSOCIATION')::int as associations,
             (select count(*) from organizations where kind = 'ADVISORY_BODY')::int as bodies,
             (select count(*) from posts)::int as posts,
             (select count(*) from people)::int as people,
             (select count(*) from memberships)::int as memberships,
             (select count(*) from divisions)::int as divisions`;
    return row as Record<string, number>;
  } finally {
    await sql.end();
  }
}
