import type { KeyValueCache, KeyValueCacheSetOptions } from '@apollo/utils.keyvaluecache';
import { LRUCache } from 'lru-cache';

/** What an entry costs beyond its key and value: the LRU's slots and the Map entry (measured order of magnitude). */
const ENTRY_OVERHEAD_BYTES = 64;

/** Bytes a string may hold in V8: one-byte strings take 1 per character, others 2; count the worst. */
export const stringBytes = (text: string): number => 2 * text.length;

/**
 * A least-recently-used cache bounded in bytes, not entries (lru-cache's maxSize and
 * sizeCalculation): every in-process cache of the server is one, so that no sequence of requests
 * can make the server hold more than the sum of their bounds (src/graphql/limits/README.md,
 * "Memory"). An entry larger than the whole bound is not kept. It is Apollo's KeyValueCache too (document store, persisted
 * queries, responses), and `bytes` is what /metrics reports as `graphql_cache_bytes`.
 */
export class ByteBoundedCache<V extends {}> implements KeyValueCache<V> {
  private readonly lru: LRUCache<string, V>;

  constructor(
    readonly maxBytes: number,
    bytesOf: (value: V) => number,
  ) {
    this.lru = new LRUCache<string, V>({
      maxSize: maxBytes,
      sizeCalculation: (value, key) => Math.max(1, Math.ceil(bytesOf(value)) + stringBytes(key) + ENTRY_OVERHEAD_BYTES),
    });
  }

  /** The estimated bytes held now (keys, values and overhead); never above maxBytes. */
  get bytes(): number {
    return this.lru.calculatedSize;
  }

  get entries(): number {
    return this.lru.size;
  }

  /** Synchronous read, for callers on the request's hot path. */
  read(key: string): V | undefined {
    return this.lru.get(key);
  }

  /** Synchronous write; `ttlSeconds` 0 or absent keeps the entry until it is evicted. */
  write(key: string, value: V, ttlSeconds?: number | null): void {
    this.lru.set(key, value, ttlSeconds ? { ttl: ttlSeconds * 1000 } : undefined);
  }

  async get(key: string): Promise<V | undefined> {
    return this.read(key);
  }

  async set(key: string, value: V, options?: KeyValueCacheSetOptions): Promise<void> {
    this.write(key, value, options?.ttl);
  }

  async delete(key: string): Promise<boolean> {
    return this.lru.delete(key);
  }
}
