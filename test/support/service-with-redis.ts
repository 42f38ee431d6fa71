import { createClient } from 'redis';
import { RedisServer } from './redis-server.js';
import { ServiceHarness } from './session-service.harness.js';

export interface ServiceWithRedis {
  readonly redis: RedisServer;
  readonly svc: ServiceHarness;
  /** A separate connection for looking at what the service stored (with `{ inspect: true }`). */
  readonly inspect: ReturnType<typeof createClient>;
}

/** How the service is configured; asked inside beforeAll, so it can use what earlier hooks started. */
export type ServiceSetup = () => { sessionConfig?: object; env?: Record<string, string> };

/** Registers beforeAll/afterAll that start a private redis-server and the service on it. */
export function serviceWithRedis(options: { inspect?: boolean; setup?: ServiceSetup } = {}): ServiceWithRedis {
  const env = {} as { -readonly [K in keyof ServiceWithRedis]: ServiceWithRedis[K] };
  beforeAll(async () => {
    env.redis = await RedisServer.start();
    env.svc = await ServiceHarness.start({ redisUrl: env.redis.url, ...options.setup?.() });
    if (options.inspect) {
      env.inspect = createClient({ url: env.redis.url });
      await env.inspect.connect();
    }
  });
  afterAll(async () => {
    await env.inspect?.quit();
    await env.svc?.stop();
    await env.redis?.stop();
  });
  return env;
}
