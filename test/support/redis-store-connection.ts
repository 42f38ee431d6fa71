import { createRedisCache, StoreCalls, type RedisCache } from '#libs/session';

/** A ready connection to a test redis-server, as the service's store makes it. */
export async function connectRedisStore(url: string): Promise<{ cache: RedisCache; calls: StoreCalls; close(): Promise<void> }> {
  const cache = await createRedisCache({ url, connectTimeoutMs: 1000, onError: () => {} });
  for (let i = 0; i < 100 && !cache.isReady(); i++) await new Promise((r) => setTimeout(r, 20));
  const calls = new StoreCalls(cache, 'test', 1000);
  return {
    cache,
    calls,
    async close() {
      calls.stop();
      await cache.close();
    },
  };
}
