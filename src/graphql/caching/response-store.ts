import { ByteBoundedCache, stringBytes } from './byte-bounded-cache.ts';
import type { Redis } from '../../redis/client.ts';

/** Where cached responses live: this process's memory, or Redis shared by every instance. */
export interface ResponseStore {
  get(key: string): Promise<string | undefined>;
  set(key: string, value: string, ttlSeconds: number): Promise<void>;
  /** Bytes held in this process (in-memory stores only), for /metrics. */
  bytes?(): number;
}

/** The in-memory store's bound. */
export const RESPONSE_STORE_BYTES = 50 * 1024 * 1024;

/** In memory, at most RESPONSE_STORE_BYTES of responses (least recently used go first). */
export function memoryResponseStore(maxBytes = RESPONSE_STORE_BYTES): ResponseStore {
  const cache = new ByteBoundedCache<string>(maxBytes, stringBytes);
  return {
    get: (key) => cache.get(key),
    set: (key, value, ttlSeconds) => cache.set(key, value, { ttl: ttlSeconds }),
    bytes: () => cache.bytes,
  };
}

/**
 * In Redis under `prefix`; entries expire on their own (the key's data version makes old ones unreachable anyway).
 * While Redis is not ready (unreachable, reconnecting) every read is a miss and every write is dropped at once:
 * the client would otherwise queue the command until it gives up, and the request would wait with it.
 */
export function redisResponseStore(redis: Redis, prefix = 'civic-graph:response:'): ResponseStore {
  return {
    get: async (key) => (redis.status === 'ready' ? ((await redis.get(prefix + key)) ?? undefined) : undefined),
    set: async (key, value, ttlSeconds) => {
      if (redis.status !== 'ready') return;
      await redis.set(prefix + key, value, 'EX', Math.max(1, ttlSeconds));
    },
  };
}
