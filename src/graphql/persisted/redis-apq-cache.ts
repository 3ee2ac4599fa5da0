import type { Redis } from 'ioredis';

/**
 * Apollo's KeyValueCache over Redis, so a document registered through one server instance is found
 * by every other. Entries expire (Apollo passes the APQ ttl), which keeps the cache bounded; a
 * Redis failure reads as a miss (the client then sends the full text again) and is never fatal.
 * While Redis is not ready nothing is sent at all, so no request waits on a reconnecting client.
 */
export function redisKeyValueCache(redis: Redis, prefix: string) {
  return {
    async get(key: string): Promise<string | undefined> {
      if (redis.status !== 'ready') return undefined;
      try {
        return (await redis.get(prefix + key)) ?? undefined;
      } catch {
        return undefined;
      }
    },
    async set(key: string, value: string, options?: { ttl?: number | null }): Promise<void> {
      if (redis.status !== 'ready') return;
      try {
        if (options?.ttl) await redis.set(prefix + key, value, 'EX', Math.ceil(options.ttl));
        else await redis.set(prefix + key, value);
      } catch {
        // Not stored: the next request with this hash is a miss and registers it again.
      }
    },
    async delete(key: string): Promise<boolean> {
      if (redis.status !== 'ready') return false;
      try {
        return (await redis.del(prefix + key)) > 0;
      } catch {
        return false;
      }
    },
  };
}
