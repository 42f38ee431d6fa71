import { createClient } from 'redis';
import { clusterInspector } from './cluster-inspector.js';
import { RedisServer } from './redis-server.js';
import { ServiceHarness } from './session-service.harness.js';
import { testCluster } from './test-store.js';

export interface ServiceWithRedis {
  /** The private redis-server (specs that stop or pause it run on a single node only). */
  readonly redis: RedisServer;
  readonly svc: ServiceHarness;
  /** A separate connection for looking at what the service stored (with `{ inspect: true }`). */
  readonly inspect: ReturnType<typeof createClient>;
  /** Points another ServiceHarness at the same store: `ServiceHarness.start({ ...env.store })`. */
  readonly store: { redisUrl: string } | { redisClusterNodes: string };
}

/** How the service is configured; asked inside beforeAll, so it can use what earlier hooks started. */
export type ServiceSetup = () => { sessionConfig?: object; env?: Record<string, string> };

/**
 * Registers beforeAll/afterAll that start a private redis-server and the service on it, or,
 * in a file that runs specs on a cluster (test-store.ts), the service on that cluster.
 */
export function serviceWithRedis(options: { inspect?: boolean; setup?: ServiceSetup } = {}): ServiceWithRedis {
  const env = {} as { -readonly [K in keyof ServiceWithRedis]: ServiceWithRedis[K] };
  let redis: RedisServer | undefined;
  Object.defineProperty(env, 'redis', {
    get() {
      if (!redis) throw new Error('this spec needs a single redis-server, not a cluster');
      return redis;
    },
  });
  beforeAll(async () => {
    const cluster = testCluster();
    if (cluster) {
      await cluster.flushAll(); // each spec starts on an empty store, as with its own redis-server
      env.store = { redisClusterNodes: await cluster.seeds() };
    } else {
      redis = await RedisServer.start();
      env.store = { redisUrl: redis.url };
    }
    env.svc = await ServiceHarness.start({ ...env.store, ...options.setup?.() });
    if (options.inspect) {
      if (cluster) {
        env.inspect = await clusterInspector(cluster);
      } else {
        env.inspect = createClient({ url: redis!.url });
        await env.inspect.connect();
      }
    }
  }, 60_000);
  afterAll(async () => {
    await env.inspect?.quit();
    await env.svc?.stop();
    await redis?.stop();
  });
  return env;
}
