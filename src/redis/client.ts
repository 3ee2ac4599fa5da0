import type { Redis } from 'ioredis';

/** Longest any Redis command may take before it fails (and the request carries on without Redis). */
export const REDIS_COMMAND_TIMEOUT_MS = 500;

/** How often an idle client checks that Redis still answers (a silent connection stays `ready`). */
export const REDIS_LIVENESS_INTERVAL_MS = 1_000;

export interface RedisClientOptions {
  commandTimeoutMs?: number;
  livenessIntervalMs?: number;
}

/**
 * The one way the server connects to Redis (REDIS_URL): the rate limiter, persisted queries and the response cache
 * share instances through it. The client queues commands while (re)connecting, so every user
 * checks `status === 'ready'` first and treats a Redis that is not ready as absent (rate limiter:
 * in-memory insurance; response cache and persisted queries: a miss): no request waits on Redis.
 *
 * A Redis that accepts connections but stops answering would otherwise stay `ready` forever, with
 * every command waiting: each command fails after `commandTimeoutMs`, and a timed-out command (or
 * liveness PING) drops the connection. The client then reconnects, and while its ready check gets
 * no answer it is not `ready`, so every user degrades exactly as with a closed port.
 *
 * ioredis is loaded here, on first use, not when the server starts: about 100 ms of every start
 * without REDIS_URL (the newcomer's `npm start`) went to loading a client it never uses.
 */
export async function createRedis(url: string, options: RedisClientOptions = {}): Promise<Redis> {
  const { Redis } = await import('ioredis');
  const commandTimeout = options.commandTimeoutMs ?? REDIS_COMMAND_TIMEOUT_MS;
  const redis = new Redis(url, {
    maxRetriesPerRequest: 1,
    enableOfflineQueue: true,
    connectTimeout: 5_000,
    commandTimeout,
    lazyConnect: false,
  });
  const dropSilentConnection = (error: unknown) => {
    if (error instanceof Error && error.message === 'Command timed out' && redis.status === 'ready') redis.disconnect(true);
  };
  // Every command, whoever sent it: one hung command is enough to stop using the connection. Watched
  // once: ioredis resends unanswered commands after a reconnect, already rejected, and a second watch
  // would drop the fresh connection for the old timeout.
  const watched = new WeakSet<object>();
  const send = redis.sendCommand.bind(redis);
  redis.sendCommand = (command, stream) => {
    const sent = send(command, stream);
    if (!watched.has(command)) {
      watched.add(command);
      command.promise.catch(dropSilentConnection);
    }
    return sent;
  };
  const liveness = setInterval(() => {
    if (redis.status === 'ready') redis.ping().catch(() => {});
  }, options.livenessIntervalMs ?? REDIS_LIVENESS_INTERVAL_MS);
  liveness.unref();
  redis.once('end', () => clearInterval(liveness));
  return redis;
}

/** What the server's Redis is doing, for /readyz and /metrics: `absent` when REDIS_URL is unset. */
export type RedisState = 'ok' | 'degraded' | 'absent';

export function redisState(redis: Redis | undefined): RedisState {
  if (!redis) return 'absent';
  return redis.status === 'ready' ? 'ok' : 'degraded';
}

export type { Redis };
