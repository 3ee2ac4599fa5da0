import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { createLogger } from '../../src/logger.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { documentHash, readTrustedDocuments } from '../../src/graphql/persisted/manifest.ts';
import { redisKeyValueCache } from '../../src/graphql/persisted/redis-apq-cache.ts';
import type { ServerOptions } from '../../src/server.ts';
import { staffToken, startHttpInstance, type HttpInstance } from '../helpers/http-instance.ts';
import { openTestDatabase, type PortlandTestDatabase } from '../helpers/portland-database.ts';
import { connectTestRedis } from '../helpers/test-redis.ts';

const run = promisify(execFile);
const logger = createLogger('silent');

let database: PortlandTestDatabase;
const started: HttpInstance[] = [];

async function serve(options: Pick<ServerOptions, 'persistedQueryCache' | 'trustedDocuments'> = {}): Promise<string> {
  const http = await startHttpInstance(database.db, { logger, production: false, ...options });
  started.push(http);
  return http.base;
}

function persisted(hash: string) {
  return { persistedQuery: { version: 1, sha256Hash: hash } };
}

async function post(base: string, body: Record<string, unknown>, headers: Record<string, string> = {}) {
  const res = await fetch(`${base}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
  return { status: res.status, body: (await res.json()) as any };
}

async function getHashOnly(base: string, hash: string) {
  const params = new URLSearchParams({ extensions: JSON.stringify(persisted(hash)) });
  const res = await fetch(`${base}/graphql?${params}`, { headers: { 'apollo-require-preflight': 'true' } });
  return { status: res.status, body: (await res.json()) as any };
}

beforeAll(async () => {
  database = await openTestDatabase();
});

afterAll(async () => {
  for (const http of started) await http.close();
  await database.dispose();
});

const DISTRICTS = '{ councilDistricts { name } }';

describe('automatic persisted queries', () => {
  it('misses an unknown hash, registers the document, then serves it by hash over POST and GET', async () => {
    const base = await serve();
    const hash = documentHash(DISTRICTS);

    const miss = await post(base, { extensions: persisted(hash) });
    expect(miss.body.errors[0].extensions.code).toBe('PERSISTED_QUERY_NOT_FOUND');
    expect(miss.body.errors[0].message).toBe('PersistedQueryNotFound');

    const register = await post(base, { query: DISTRICTS, extensions: persisted(hash) });
    expect(register.status).toBe(200);
    expect(register.body.data.councilDistricts).toHaveLength(4);

    const byHash = await post(base, { extensions: persisted(hash) });
    expect(byHash.body.data.councilDistricts).toHaveLength(4);
    const byGet = await getHashOnly(base, hash);
    expect(byGet.status).toBe(200);
    expect(byGet.body.data.councilDistricts).toHaveLength(4);
  });

  it('refuses a document whose hash does not match, and does not register it', async () => {
    const base = await serve();
    const wrong = documentHash('{ __typename }');
    const res = await post(base, { query: DISTRICTS, extensions: persisted(wrong) });
    expect(res.status).toBe(400);
    expect(res.body.errors[0].message).toMatch(/provided sha does not match query/);
    expect((await post(base, { extensions: persisted(wrong) })).body.errors[0].extensions.code).toBe('PERSISTED_QUERY_NOT_FOUND');
  });

  it('shares registered documents between server instances through Redis', async () => {
    // Connected before the servers start: a cache over a client that is not ready yet skips the write.
    const redis = await connectTestRedis();
    const prefix = `civic-graph-test:apq:${randomBytes(6).toString('hex')}:`;
    try {
      const first = await serve({ persistedQueryCache: redisKeyValueCache(redis, prefix) });
      const second = await serve({ persistedQueryCache: redisKeyValueCache(redis, prefix) });
      const hash = documentHash(DISTRICTS);
      expect((await post(second, { extensions: persisted(hash) })).body.errors[0].extensions.code).toBe('PERSISTED_QUERY_NOT_FOUND');
      expect((await post(first, { query: DISTRICTS, extensions: persisted(hash) })).body.data.councilDistricts).toHaveLength(4);
      // Apollo stores the registration after answering; wait for the key rather than for time.
      await expect.poll(async () => (await redis.keys(`${prefix}*`)).length).toBe(1);
      expect((await redis.ttl((await redis.keys(`${prefix}*`))[0]!))).toBeGreaterThan(0);
      expect((await getHashOnly(second, hash)).body.data.councilDistricts).toHaveLength(4);
    } finally {
      const keys = await redis.keys(`${prefix}*`);
      if (keys.length > 0) await redis.del(...keys);
      redis.disconnect();
    }
  });
});

describe('trusted documents', () => {
  let folder: string;
  let manifestPath: string;
  const listed = 'query Districts {\n  councilDistricts {\n    ...DistrictName\n  }\n}';
  const fragment = 'fragment DistrictName on Division {\n  name\n}';

  beforeAll(async () => {
    folder = await mkdtemp(join(tmpdir(), 'civic-graph-trusted-'));
    await mkdir(join(folder, 'client', 'nested'), { recursive: true });
    await writeFile(join(folder, 'client', 'districts.graphql'), listed);
    await writeFile(join(folder, 'client', 'nested', 'fragments.gql'), fragment);
    await writeFile(join(folder, 'client', 'nested', 'buckman.graphql'), 'query Buckman { organization(slug: "buckman") { name } }');
    await writeFile(join(folder, 'client', 'notes.txt'), 'not a document');
    manifestPath = join(folder, 'manifest.json');
    // The real command, as a deployment runs it.
    const { stdout } = await run('npx', ['tsx', 'src/cli/trusted-documents.ts', join(folder, 'client'), '--out', manifestPath]);
    expect(stdout).toMatch(/2 operations from 3 files/);
  });

  afterAll(async () => {
    await rm(folder, { recursive: true, force: true });
  });

  it('the command writes an Apollo persisted query manifest: each operation with its fragments, id = sha256(body)', async () => {
    const manifest = JSON.parse(await (await import('node:fs/promises')).readFile(manifestPath, 'utf8'));
    expect(manifest.format).toBe('apollo-persisted-query-manifest');
    expect(manifest.version).toBe(1);
    expect(manifest.operations.map((o: any) => [o.name, o.type])).toEqual([
      ['Buckman', 'query'],
      ['Districts', 'query'],
    ]);
    const districts = manifest.operations[1];
    expect(districts.body).toBe(`${listed}\n\n${fragment}`);
    expect(districts.id).toBe(documentHash(districts.body));
  });

  it('the command fails clearly on an anonymous operation or a missing fragment', async () => {
    const bad = join(folder, 'bad');
    await mkdir(bad);
    await writeFile(join(bad, 'a.graphql'), '{ councilDistricts { ...Missing } }');
    await expect(run('npx', ['tsx', 'src/cli/trusted-documents.ts', bad, '--out', join(folder, 'x.json')])).rejects.toMatchObject({
      stderr: expect.stringMatching(/every operation needs a name/),
    });
    await writeFile(join(bad, 'a.graphql'), 'query A { councilDistricts { ...Missing } }');
    await expect(run('npx', ['tsx', 'src/cli/trusted-documents.ts', bad, '--out', join(folder, 'x.json')])).rejects.toMatchObject({
      stderr: expect.stringMatching(/operation A uses fragment Missing, which no file defines/),
    });
  });

  it('require: the public runs a listed document by id, with no registration round trip (POST and GET)', async () => {
    const documents = readTrustedDocuments(manifestPath);
    const base = await serve({ trustedDocuments: { documents, mode: 'require' } });
    const id = [...documents].find(([, body]) => body.startsWith('query Districts'))![0];
    const res = await post(base, { extensions: persisted(id) });
    expect(res.status).toBe(200);
    expect(res.body.data.councilDistricts).toHaveLength(4);
    expect((await getHashOnly(base, id)).body.data.councilDistricts).toHaveLength(4);
    // The listed text itself is the same document.
    expect((await post(base, { query: documents.get(id) })).body.data.councilDistricts).toHaveLength(4);
  });

  it('require: the public is refused an unlisted document with a clear error, and it is not registered', async () => {
    const base = await serve({ trustedDocuments: { documents: readTrustedDocuments(manifestPath), mode: 'require' } });
    const free = await post(base, { query: DISTRICTS });
    expect(free.status).toBe(400);
    expect(free.body.data).toBeUndefined();
    expect(free.body.errors[0].extensions.code).toBe('TRUSTED_DOCUMENT_REQUIRED');
    expect(free.body.errors[0].message).toMatch(/only trusted documents.*sha256 of a listed operation.*API key/);

    const hash = documentHash(DISTRICTS);
    const register = await post(base, { query: DISTRICTS, extensions: persisted(hash) });
    expect(register.body.errors[0].extensions.code).toBe('TRUSTED_DOCUMENT_REQUIRED');
    expect((await post(base, { extensions: persisted(hash) })).body.errors[0].extensions.code).toBe('PERSISTED_QUERY_NOT_FOUND');
  });

  it('require: staff may still send any query', async () => {
    const base = await serve({ trustedDocuments: { documents: readTrustedDocuments(manifestPath), mode: 'require' } });
    const res = await post(base, { query: DISTRICTS }, { authorization: `Bearer ${await staffToken()}` });
    expect(res.status).toBe(200);
    expect(res.body.data.councilDistricts).toHaveLength(4);
  });

  it('allow: listed documents are served by id and free queries still run', async () => {
    const documents = readTrustedDocuments(manifestPath);
    const base = await serve({ trustedDocuments: { documents, mode: 'allow' } });
    const id = [...documents].find(([, body]) => body.startsWith('query Buckman'))![0];
    expect((await post(base, { extensions: persisted(id) })).body.data.organization.name).toBe('Buckman');
    expect((await post(base, { query: DISTRICTS })).body.data.councilDistricts).toHaveLength(4);
  });

  it('a manifest whose id is not the hash of its body is refused at start', async () => {
    const path = join(folder, 'tampered.json');
    await writeFile(
      path,
      JSON.stringify({ format: 'apollo-persisted-query-manifest', version: 1, operations: [{ id: documentHash('{ a }'), name: 'A', type: 'query', body: '{ b }' }] }),
    );
    expect(() => readTrustedDocuments(path)).toThrow(/operation A has an id that is not the sha256 of its body/);
    await writeFile(path, '{"format":"other"}');
    expect(() => readTrustedDocuments(path)).toThrow(/is not a persisted query manifest/);
  });
});
