import { createClient, type RedisClientType } from 'redis';
import { Patterns, type LoginResult, type ResolveResult } from '#libs/contracts';
import { createMemoryStore, type Store } from '#libs/session';
import { RedisServer } from '../support/redis-server.js';
import { ServiceHarness } from '../support/session-service.harness.js';

/** A login over TCP, then a resolve of the new cookie: the session went through whatever store the service runs on. */
async function loginAndResolve(svc: ServiceHarness, userId: string): Promise<ResolveResult> {
  const guest = (await svc.send(Patterns.sessionResolve, {})).session!;
  await svc.send(Patterns.sessionUpdateCustomData, { session: guest.cookie!.value, data: { customData: { locale: 'de' } } });
  const login = await svc.send<LoginResult>(Patterns.sessionLogin, { session: guest.cookie!.value, data: { user: { id: userId } } });
  return (await svc.send<ResolveResult>(Patterns.sessionResolve, { session: login.session!.cookie!.value })).data;
}

describe('SessionModule.forRoot({ redis }): a node-redis client of the caller', () => {
  let redis: RedisServer;
  let client: RedisClientType;
  let svc: ServiceHarness;

  beforeAll(async () => {
    redis = await RedisServer.start();
    client = createClient({ url: redis.url, disableOfflineQueue: true });
    client.on('error', () => {});
    await client.connect();
    // No REDIS_URL in the config: the store is the client's Redis, or nothing.
    svc = await ServiceHarness.start({ store: { redis: client } });
  }, 30_000);
  afterAll(async () => {
    await svc?.stop().catch(() => {});
    if (client?.isOpen) await client.quit();
    await redis?.stop();
  });

  it('serves sessions from the Redis the client is connected to', async () => {
    expect(await loginAndResolve(svc, 'u-single')).toEqual({ user: { id: 'u-single' }, customData: { locale: 'de' } });
    const keys = await client.keys('*u-single*');
    expect(keys.length).toBeGreaterThan(0);
    const health = await fetch(svc.healthUrl()).then((r) => r.json() as Promise<{ store?: unknown }>);
    expect(JSON.stringify(health)).toContain('redis');
  });

  it('leaves the client open when the service stops', async () => {
    await svc.stop();
    expect(client.isOpen).toBe(true);
    expect(await client.ping()).toBe('PONG');
  });
});

describe('SessionModule.forRoot({ redis }): a client not connected yet', () => {
  let redis: RedisServer;
  let client: RedisClientType;
  let svc: ServiceHarness;

  beforeAll(async () => {
    redis = await RedisServer.start();
    client = createClient({ url: redis.url });
    client.on('error', () => {});
    svc = await ServiceHarness.start({ store: { redis: client } });
  }, 30_000);
  afterAll(async () => {
    await svc?.stop();
    if (client?.isOpen) await client.quit();
    await redis?.stop();
  });

  it('is connected by the store, and serves', async () => {
    expect(client.isReady).toBe(true);
    expect(await loginAndResolve(svc, 'u-late')).toEqual({ user: { id: 'u-late' }, customData: { locale: 'de' } });
  });
});

describe('SessionModule.forRoot({ store }): a store of the caller', () => {
  let store: Store;
  let svc: ServiceHarness;

  beforeAll(async () => {
    store = createMemoryStore();
    svc = await ServiceHarness.start({ store: { store } });
  }, 30_000);
  afterAll(async () => {
    await svc?.stop();
    await store?.sessions.close();
  });

  it('keeps sessions in the given store', async () => {
    expect(await loginAndResolve(svc, 'u-custom')).toEqual({ user: { id: 'u-custom' }, customData: { locale: 'de' } });
    const sessions = await store.sessions.listForUser('shop-a', 'u-custom', { now: Date.now(), idleTimeoutMs: 86_400_000 });
    expect(sessions).toHaveLength(1);
  });
});
