import { createRedis, type Redis } from '../../src/redis/client.ts';

/** The machine's Redis (.ci/run starts it when it is down). */
export const TEST_REDIS_URL = 'redis://127.0.0.1:6379';

/**
 * A client that is already connected: until an ioredis client is ready, the limiters and caches
 * built on it fall back to memory, which would hide what a test means to show about Redis.
 */
export async function connectTestRedis(): Promise<Redis> {
  // Tests of what Redis holds, not of a hang (tests/faults/redis-hang.test.ts): a loaded test machine
  // must not trip the production command timeout and send them to the memory fallback.
  const redis = await createRedis(TEST_REDIS_URL, { commandTimeoutMs: 5_000 });
  const pong = await redis.ping();
  if (pong !== 'PONG') throw new Error(`Redis at ${TEST_REDIS_URL} answered ${pong}`);
  return redis;
}

/** Deletes what a test wrote under its own key prefix, so tests sharing one Redis never collide. */
export async function deleteTestKeys(redis: Redis, prefix: string | undefined): Promise<void> {
  if (!prefix) return;
  const keys = await redis.keys(`${prefix}:*`);
  if (keys.length > 0) await redis.del(...keys);
}
