import { createClient } from 'redis';
import { BigCommerceEmulator, type BigCommerceEmulatorOptions } from '../emulators/bigcommerce/index.js';
import { CommercetoolsEmulator, type CommercetoolsEmulatorOptions } from '../emulators/commercetools/index.js';
import { RedisServer } from './redis-server.js';
import { ServiceHarness, TEST_COOKIE_SECRET } from './session-service.harness.js';

/** The `provider` blocks that point a shop at the running emulators. */
export interface EmulatorProviders {
  commercetools: Record<string, unknown>;
  bigcommerce: Record<string, unknown>;
}

export interface ServiceWithProviders {
  readonly ct: CommercetoolsEmulator;
  readonly bc: BigCommerceEmulator;
  readonly redis: RedisServer;
  readonly svc: ServiceHarness;
  readonly inspect: ReturnType<typeof createClient>;
  /** Every string value in Redis, joined: for asserting that no token is stored in the clear. */
  storedStrings(): Promise<string>;
  /** A second instance on the same Redis and shops, with `env` over the first one's; the caller stops it. */
  startAnother(env: Record<string, string>): Promise<ServiceHarness>;
}

const TOKEN_KEYS = { SESSION_TOKEN_KEYS: 'test-token-key-0123456789abcdef0123456789' };

/**
 * Registers beforeAll/afterAll that start both provider emulators, a private redis-server
 * and the service with the shops `shops(providers)` returns.
 */
export function serviceWithProviders(options: {
  ct?: CommercetoolsEmulatorOptions;
  bc?: BigCommerceEmulatorOptions;
  shops: (providers: EmulatorProviders) => Record<string, object>;
}): ServiceWithProviders {
  let sessionConfig: object;
  const ct = new CommercetoolsEmulator({ projectKey: 'shop', ...options.ct });
  const bc = new BigCommerceEmulator(options.bc);
  const env = {
    ct,
    bc,
    async storedStrings() {
      const values: string[] = [];
      for (const key of await env.inspect.keys('*')) if ((await env.inspect.type(key)) === 'string') values.push((await env.inspect.get(key))!);
      return values.join('\n');
    },
    startAnother: (extraEnv: Record<string, string>) =>
      ServiceHarness.start({ redisUrl: env.redis.url, sessionConfig, env: { ...TOKEN_KEYS, ...extraEnv } }),
  } as { -readonly [K in keyof ServiceWithProviders]: ServiceWithProviders[K] };

  beforeAll(async () => {
    const [{ authUrl, apiUrl }, { graphqlUrl, url }] = await Promise.all([ct.start(), bc.start()]);
    const providers: EmulatorProviders = {
      commercetools: { type: 'commercetools', authUrl, apiUrl, projectKey: ct.options.projectKey, clientId: ct.options.clientId, clientSecret: ct.options.clientSecret },
      bigcommerce: {
        type: 'bigcommerce', graphqlUrl, storefrontToken: bc.options.storefrontToken, storeHash: bc.options.storeHash,
        clientId: bc.options.clientId, clientSecret: bc.options.clientSecret, storefrontUrl: url,
      },
    };
    sessionConfig = { session: { secret: TEST_COOKIE_SECRET }, shops: options.shops(providers) };
    env.redis = await RedisServer.start();
    env.svc = await ServiceHarness.start({ redisUrl: env.redis.url, sessionConfig, env: TOKEN_KEYS });
    env.inspect = createClient({ url: env.redis.url });
    await env.inspect.connect();
  });
  afterAll(async () => {
    await env.inspect?.quit();
    await env.svc?.stop();
    await env.redis?.stop();
    await Promise.all([ct.stop(), bc.stop()]);
  });
  return env;
}
