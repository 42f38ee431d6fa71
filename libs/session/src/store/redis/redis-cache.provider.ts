import { caching, type Cache } from 'cache-manager';
import { redisInsStore, type RedisStore } from 'cache-manager-redis-yet';
import { createClient, type RedisClientType } from 'redis';

/**
 * The one adapter between cache-manager v5 + cache-manager-redis-yet and the rest of the
 * service. `@nestjs/cache-manager` requires cache-manager >= 6, so this small factory
 * replaces it. The service owns the node-redis client (redisInsStore), so it decides how
 * failures behave:
 *  - no offline queue: while Redis is down, commands fail at once instead of piling up;
 *  - reconnect forever with a backoff capped at 1 s, so the service recovers by itself;
 *  - connection errors are reported to `onError`, never thrown at the process.
 */
export interface RedisCache {
  cache: Cache<RedisStore>;
  client: RedisClientType;
  /** Drops the connection (failing pending commands at once) and reconnects. */
  reset(reason: string): void;
  close(): Promise<void>;
}

export interface RedisCacheOptions {
  url: string;
  connectTimeoutMs: number;
  onError(error: Error): void;
}

export async function createRedisCache(options: RedisCacheOptions): Promise<RedisCache> {
  const client = createClient({
    url: options.url,
    disableOfflineQueue: true,
    pingInterval: 5_000,
    socket: {
      connectTimeout: options.connectTimeoutMs,
      reconnectStrategy: (retries: number) => Math.min(50 * 2 ** retries, 1_000),
    },
  }) as RedisClientType;
  client.on('error', options.onError);
  // Start connecting without waiting: the service starts even while Redis is still down,
  // answers STORE_UNAVAILABLE meanwhile, and /health reports it.
  client.connect().catch(options.onError);
  const cache = await caching(redisInsStore(client));
  let closed = false;
  return {
    cache,
    client,
    reset(reason: string) {
      if (closed || !client.isOpen) return;
      options.onError(new Error(`resetting the redis connection: ${reason}`));
      client
        .disconnect()
        .catch(() => {})
        .then(() => (closed ? undefined : client.connect()))
        .catch(options.onError);
    },
    async close() {
      closed = true;
      if (client.isOpen) await client.quit().catch(() => client.disconnect());
    },
  };
}
