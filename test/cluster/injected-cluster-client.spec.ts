import { createCluster, type RedisClusterType } from 'redis';
import { Patterns, type LoginResult, type ResolveResult } from '#libs/contracts';
import { RedisTestCluster } from '../support/redis-cluster.js';
import { ServiceHarness } from '../support/session-service.harness.js';

describe('SessionModule.forRoot({ redis }): a node-redis cluster client of the caller', () => {
  let cluster: RedisTestCluster;
  let client: RedisClusterType;
  let svc: ServiceHarness;

  beforeAll(async () => {
    cluster = await RedisTestCluster.start({ masters: 3 });
    const seeds = (await cluster.seeds()).split(',');
    client = createCluster({
      rootNodes: seeds.map((s) => ({ url: `redis://${s}` })),
      defaults: { disableOfflineQueue: true },
    }) as RedisClusterType;
    client.on('error', () => {});
    await client.connect();
    svc = await ServiceHarness.start({ store: { redis: client } });
  }, 90_000);
  afterAll(async () => {
    await svc?.stop().catch(() => {});
    if (client?.isOpen) await client.quit();
    await cluster?.stop();
  });

  it('logs in and resolves through the cluster the client routes to, and leaves the client open', async () => {
    const guest = (await svc.send(Patterns.sessionResolve, {})).session!;
    const login = await svc.send<LoginResult>(Patterns.sessionLogin, { session: guest.cookie!.value, data: { user: { id: 'u-cluster' } } });
    const resolved = await svc.send<ResolveResult>(Patterns.sessionResolve, { session: login.session!.cookie!.value });
    expect(resolved.data.user).toEqual({ id: 'u-cluster' });

    const health = await fetch(svc.healthUrl()).then((r) => r.json() as Promise<unknown>);
    expect(JSON.stringify(health)).toContain('redis-cluster');

    await svc.stop();
    expect(client.isOpen).toBe(true);
    // The session is still there, read through the caller's own client (its key is in the user's slot).
    const masters = await Promise.all(client.masters.map((m) => Promise.resolve(client.nodeClient(m))));
    const keys = (await Promise.all(masters.map((c) => c.keys('*u-cluster*')))).flat();
    expect(keys.length).toBeGreaterThan(0);
  });
});
