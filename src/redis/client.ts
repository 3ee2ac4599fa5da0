import { Redis } from 'ioredis';

/**
 * The one way the server connects to Redis (REDIS_URL): the rate limiter, persisted queries and the response cache
 * share instances through it. The client queues commands while (re)connecting, so every user
 * checks `status === 'ready'` first and treats a Redis that is not ready as absent (rate limiter:
 * in-memory insurance; response cache and persisted queries: a miss): no request waits on Redis.
 */
export function createRedis(url: string): Redis {
  return new Redis(url, {
    maxRetriesPerRequest: 1,
    enableOfflineQueue: true,
    connectTimeout: 5_000,
    lazyConnect: false,
  });
}

export type { Redis };
