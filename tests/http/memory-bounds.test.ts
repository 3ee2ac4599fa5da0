import { createHash } from 'node:crypto';
import { parse } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ANSWERED_DOCUMENTS_BYTES } from '../../src/graphql/caching/response-cache.plugin.ts';
import { createDocumentStore, documentBytes, DOCUMENT_STORE_BYTES } from '../../src/graphql/caching/document-store.ts';
import { memoryResponseStore, RESPONSE_STORE_BYTES } from '../../src/graphql/caching/response-store.ts';
import { MAX_DOCUMENT_BYTES } from '../../src/graphql/limits/document-size.ts';
import { Metrics } from '../../src/http/metrics.ts';
import { PERSISTED_QUERY_CACHE_BYTES } from '../../src/server.ts';
import { startHttpInstance, type HttpInstance } from '../helpers/http-instance.ts';
import { openTestDatabase, type PortlandTestDatabase } from '../helpers/portland-database.ts';

/**
 * Issue 12, item 2: anonymous documents padded with comments (which the token limit does not see)
 * made the server keep every text in its caches until it ran out of memory. Here the attack goes
 * through the real HTTP server, and every cache's byte total is read from /metrics.
 */
let database: PortlandTestDatabase;
let api: HttpInstance;
let metrics: Metrics;

beforeAll(async () => {
  database = await openTestDatabase();
  metrics = new Metrics({ defaultMetrics: false });
  api = await startHttpInstance(database.db, { metrics, responseCache: memoryResponseStore() });
});
afterAll(async () => {
  await api.close();
  await database.dispose();
});

/** A cacheable public query made distinct by its comment: `{ councilDistricts { name } } # <n> xxx…`. */
function padded(n: number, totalBytes: number): string {
  const head = `{ councilDistricts { name } } # ${n} `;
  return head + 'x'.repeat(totalBytes - head.length);
}

async function postJson(body: object): Promise<{ status: number; body: any }> {
  const res = await fetch(`${api.base}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { status: res.status, body: await res.json() };
}

/** Runs `count` requests, `parallel` at a time, and returns their statuses. */
async function flood(count: number, parallel: number, request: (n: number) => Promise<{ status: number }>): Promise<number[]> {
  const statuses: number[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: parallel }, async () => {
      while (next < count) statuses.push((await request(next++)).status);
    }),
  );
  return statuses;
}

async function cacheBytes(): Promise<Record<string, number>> {
  const text = (await metrics.render()).body;
  return Object.fromEntries([...text.matchAll(/^graphql_cache_bytes\{cache="(\w+)"\} (\d+)$/gm)].map((m) => [m[1]!, Number(m[2])]));
}

describe('document size', () => {
  it('refuses a document over MAX_DOCUMENT_BYTES with 413 DOCUMENT_TOO_LARGE naming the limit, comments included', async () => {
    const res = await postJson({ query: padded(1, 2_300_000) });
    expect(res.status).toBe(413);
    expect(res.body.errors).toHaveLength(1);
    expect(res.body.errors[0].extensions).toMatchObject({ code: 'DOCUMENT_TOO_LARGE', maxDocumentBytes: MAX_DOCUMENT_BYTES });
    expect(res.body.errors[0].message).toContain('64 KiB');
    expect(res.body.data).toBeUndefined();
  });

  it('counts UTF-8 bytes: a text under the limit in characters but over it in bytes is refused', async () => {
    const head = '{ councilDistricts { name } } # ';
    const res = await postJson({ query: head + 'é'.repeat(MAX_DOCUMENT_BYTES / 2) });
    expect(res.status).toBe(413);
    expect(res.body.errors[0].extensions.code).toBe('DOCUMENT_TOO_LARGE');
  });

  it('refuses it when registered as a persisted query too, and registers nothing', async () => {
    const query = padded(2, MAX_DOCUMENT_BYTES + 1);
    const sha256Hash = createHash('sha256').update(query).digest('hex');
    const registered = await postJson({ query, extensions: { persistedQuery: { version: 1, sha256Hash } } });
    expect(registered.status).toBe(413);
    const byHash = await postJson({ extensions: { persistedQuery: { version: 1, sha256Hash } } });
    expect(byHash.body.errors[0].extensions.code).toBe('PERSISTED_QUERY_NOT_FOUND');
  });

  it('accepts a document at the limit, and variables beyond it (a boundary travels in variables)', async () => {
    const atLimit = await postJson({ query: padded(3, MAX_DOCUMENT_BYTES) });
    expect(atLimit.status).toBe(200);
    expect(atLimit.body.data.councilDistricts).toHaveLength(4);
    const bigVariables = await postJson({
      query: '{ councilDistricts { name } }',
      variables: { unused: 'y'.repeat(MAX_DOCUMENT_BYTES * 4) },
    });
    expect(bigVariables.status).toBe(200);
    expect(bigVariables.body.data.councilDistricts).toHaveLength(4);
  });
});

describe('the memory attack', () => {
  it('leaves every cache within its byte bound and the server answering', async () => {
    // The reported attack: 300 distinct documents, each 2.3 MB of comment after a small query.
    const huge = await flood(300, 6, (n) => postJson({ query: padded(1000 + n, 2_300_000) }));
    expect(huge.every((status) => status === 413)).toBe(true);

    // Its variations within the limit: distinct documents just under it, answered and cached, and
    // as many registered as automatic persisted queries.
    const near = await flood(150, 6, (n) => postJson({ query: padded(2000 + n, MAX_DOCUMENT_BYTES - 1) }));
    expect(near.every((status) => status === 200)).toBe(true);
    const registered = await flood(100, 6, (n) => {
      const query = padded(3000 + n, MAX_DOCUMENT_BYTES - 1);
      return postJson({ query, extensions: { persistedQuery: { version: 1, sha256Hash: createHash('sha256').update(query).digest('hex') } } });
    });
    expect(registered.every((status) => status === 200)).toBe(true);

    const bytes = await cacheBytes();
    // 250 parsed documents of ~64 KB are ~32 MB as UTF-16: the store evicted down to its bound.
    expect(bytes.documents).toBeGreaterThan(DOCUMENT_STORE_BYTES / 2);
    expect(bytes.documents).toBeLessThanOrEqual(DOCUMENT_STORE_BYTES);
    expect(bytes.persisted_queries).toBeGreaterThan(PERSISTED_QUERY_CACHE_BYTES / 2);
    expect(bytes.persisted_queries).toBeLessThanOrEqual(PERSISTED_QUERY_CACHE_BYTES);
    // Keyed by hash: 150 answered documents take a few tens of kilobytes, not their 10 MB of text.
    expect(bytes.answered_documents).toBeGreaterThan(0);
    expect(bytes.answered_documents).toBeLessThan(100 * 1024);
    expect(bytes.answered_documents).toBeLessThanOrEqual(ANSWERED_DOCUMENTS_BYTES);
    expect(bytes.responses).toBeGreaterThan(0);
    expect(bytes.responses).toBeLessThanOrEqual(RESPONSE_STORE_BYTES);

    const after = await api.post('{ councilDistricts { name } }');
    expect(after.status).toBe(200);
    expect(after.body.data.councilDistricts).toHaveLength(4);
  });
});

describe('the document store', () => {
  it('counts the source text a parsed document keeps, comments included, not only its AST', () => {
    const source = padded(1, 60_000);
    const document = parse(source);
    expect(documentBytes(document)).toBeGreaterThanOrEqual(2 * source.length);
  });

  it('keeps no more than its bound of such documents', async () => {
    const store = createDocumentStore(1024 * 1024);
    for (let n = 0; n < 100; n += 1) await store.set(String(n), parse(padded(n, 60_000)));
    // Each document keeps ~120 KB (its text as UTF-16): eight fit in 1 MiB, not a hundred.
    expect(store.entries).toBeLessThanOrEqual(8);
    expect(store.bytes).toBeLessThanOrEqual(1024 * 1024);
    expect(await store.get('99')).toBeDefined();
    expect(await store.get('0')).toBeUndefined();
  });
});
