import { createRedisClients, RedisConnection, type RedisClients } from '#libs/session';

/**
 * A ready connection to a test Redis, as the service's store makes it: a single node's URL,
 * or `{ clusterNodes }` (REDIS_CLUSTER_NODES's seed list) for a cluster.
 */
export async function connectRedisStore(
  target: string | { clusterNodes: string[] },
): Promise<{ cache: RedisClients; calls: RedisConnection; close(): Promise<void> }> {
  const cache = await createRedisClients({
    ...(typeof target === 'string' ? { url: target } : target),
    connectTimeoutMs: 1000,
    onError: () => {},
  });
  for (let i = 0; i < 250 && !cache.isReady(); i++) await new Promise((r) => setTimeout(r, 20));
  const calls = new RedisConnection(cache, 'test', 1000);
  return {
    cache,
    calls,
    async close() {
      calls.stop();
      await cache.close();
    },
  };
}
