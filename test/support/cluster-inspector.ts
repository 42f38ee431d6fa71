import { createClient, createCluster } from 'redis';
import type { RedisTestCluster } from './redis-cluster.js';

type Inspector = ReturnType<typeof createClient>;

/**
 * What specs use to look at what the service stored (`inspect`), over a cluster: key
 * commands go to the key's master through node-redis's cluster client; KEYS, DBSIZE and
 * FLUSHALL ask every master and add up.
 */
export async function clusterInspector(cluster: RedisTestCluster): Promise<Inspector> {
  const masters = await Promise.all(
    (await cluster.masters()).map(async (m) => {
      const client = createClient({ url: `redis://127.0.0.1:${m.port}` });
      await client.connect();
      return client;
    }),
  );
  const routed = createCluster({ rootNodes: masters.map((c) => ({ url: c.options!.url! })) });
  await routed.connect();
  const overAllMasters: Record<string, unknown> = {
    keys: async (pattern: string) => (await Promise.all(masters.map((c) => c.keys(pattern)))).flat(),
    dbSize: async () => (await Promise.all(masters.map((c) => c.dbSize()))).reduce((a, b) => a + b, 0),
    flushAll: async () => {
      await Promise.all(masters.map((c) => c.flushAll()));
      return 'OK';
    },
    sendCommand: (args: string[]) => routed.sendCommand(args[args.length - 1], false, args),
    quit: async () => {
      await Promise.all([routed.quit(), ...masters.map((c) => c.quit())]);
    },
  };
  return new Proxy(routed, {
    get(target, property: string) {
      if (property in overAllMasters) return overAllMasters[property];
      const value = (target as unknown as Record<string, unknown>)[property];
      return typeof value === 'function' ? value.bind(target) : value;
    },
  }) as unknown as Inspector;
}
