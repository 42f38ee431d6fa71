import { BigCommerceEmulator, type BigCommerceEmulatorOptions } from '../emulators/bigcommerce/index.js';
import { CommercetoolsEmulator, type CommercetoolsEmulatorOptions } from '../emulators/commercetools/index.js';
import { serviceWithRedis, type ServiceWithRedis } from './service-with-redis.js';
import { ServiceHarness, TEST_COOKIE_SECRET } from './session-service.harness.js';

/** The `provider` blocks that point a shop at the running emulators. */
export interface EmulatorProviders {
  commercetools: Record<string, unknown>;
  bigcommerce: Record<string, unknown>;
}

export interface ServiceWithProviders extends ServiceWithRedis {
  readonly ct: CommercetoolsEmulator;
  readonly bc: BigCommerceEmulator;
  /** Every string value in Redis, joined: for asserting that no token is stored in the clear. */
  storedStrings(): Promise<string>;
  /** A second instance on the same Redis and shops, with `env` over the first one's; the caller stops it. */
  startAnother(env: Record<string, string>): Promise<ServiceHarness>;
}

const TOKEN_KEYS = { SESSION_TOKEN_KEYS: 'test-token-key-0123456789abcdef0123456789' };

/**
 * Registers beforeAll/afterAll that start both provider emulators, then a private
 * redis-server and the service with the shops `shops(providers)` returns.
 */
export function serviceWithProviders(options: {
  ct?: CommercetoolsEmulatorOptions;
  bc?: BigCommerceEmulatorOptions;
  shops: (providers: EmulatorProviders) => Record<string, object>;
}): ServiceWithProviders {
  const ct = new CommercetoolsEmulator({ projectKey: 'shop', ...options.ct });
  const bc = new BigCommerceEmulator(options.bc);
  let sessionConfig: object;

  // Registered before serviceWithRedis's hooks, so the emulators are up when the service starts.
  beforeAll(async () => {
    const [, { graphqlUrl, url }] = await Promise.all([ct.start(), bc.start()]);
    const providers: EmulatorProviders = {
      commercetools: ct.shopProvider,
      bigcommerce: {
        type: 'bigcommerce',
        graphqlUrl,
        storefrontToken: bc.options.storefrontToken,
        storeHash: bc.options.storeHash,
        clientId: bc.options.clientId,
        clientSecret: bc.options.clientSecret,
        storefrontUrl: url,
      },
    };
    sessionConfig = { session: { secret: TEST_COOKIE_SECRET }, shops: options.shops(providers) };
  });
  const base = serviceWithRedis({ inspect: true, setup: () => ({ sessionConfig, env: TOKEN_KEYS }) });
  afterAll(() => Promise.all([ct.stop(), bc.stop()]));

  return Object.assign(base, {
    ct,
    bc,
    async storedStrings() {
      const values: string[] = [];
      for (const key of await base.inspect.keys('*'))
        if ((await base.inspect.type(key)) === 'string') values.push((await base.inspect.get(key))!);
      return values.join('\n');
    },
    startAnother: (extraEnv: Record<string, string>) =>
      ServiceHarness.start({ ...base.store, sessionConfig, env: { ...TOKEN_KEYS, ...extraEnv } }),
  });
}
