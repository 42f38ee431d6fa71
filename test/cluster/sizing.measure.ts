import { createClient } from 'redis';
import { Patterns } from '#libs/contracts';
import { RedisTestCluster } from '../support/redis-cluster.js';
import { ServiceHarness } from '../support/session-service.harness.js';

/**
 * Not a test (it asserts nothing, and is not matched by `npm test`): measures Redis memory per
 * session on a private 3-master cluster for docs/operations.md's sizing. Run it with
 *   node --experimental-vm-modules node_modules/jest/bin/jest.js --testMatch '<rootDir>/test/cluster/sizing.measure.ts'
 * It logs in N users (a ~300 B user) and stores N guests holding a 1-line cart, through the
 * service, then prints used_memory growth and MEMORY USAGE sums over the masters.
 */
const N = 2_000;
it('measures bytes per session on a 3-master cluster', async () => {
  const cluster = await RedisTestCluster.start({ masters: 3 });
  const svc = await ServiceHarness.start({ redisClusterNodes: await cluster.seeds() });
  try {
    const used = async () => {
      let total = 0;
      for (const m of await cluster.masters())
        total += Number(/used_memory:(\d+)/.exec(await cluster.command(m.port, 'INFO', 'memory'))![1]);
      return total;
    };
    const keyBytes = async (pattern: string) => {
      let total = 0;
      let keys = 0;
      for (const m of await cluster.masters()) {
        const c = createClient({ url: `redis://127.0.0.1:${m.port}` });
        await c.connect();
        for (const k of await c.keys(pattern)) {
          total += Number(await c.sendCommand(['MEMORY', 'USAGE', k, 'SAMPLES', '0']));
          keys++;
        }
        await c.quit();
      }
      return { total, keys };
    };
    const user = (i: number) => ({ id: `user-${i}`, email: `shopper-${i}@example.com`, name: 'x'.repeat(300 - 60) });
    const before = await used();
    const batch = 50;
    for (let i = 0; i < N; i += batch)
      await Promise.all(Array.from({ length: batch }, (_, j) => svc.send(Patterns.sessionLogin, { data: { user: user(i + j) } })));
    const afterUsers = await used();
    for (let i = 0; i < N; i += batch) {
      await Promise.all(
        Array.from({ length: batch }, async () => {
          const cookie = (await svc.send(Patterns.sessionResolve, {})).session!.cookie!.value;
          await svc.send(Patterns.cartAddItem, {
            session: cookie,
            data: { productId: 'product-1234', variantId: 'variant-5678', quantity: 1 },
          });
        }),
      );
    }
    const afterGuests = await used();
    const all = await keyBytes('*');
    console.log(
      JSON.stringify({
        N,
        perLoggedInUsedMemory: (afterUsers - before) / N,
        perGuestWithCartUsedMemory: (afterGuests - afterUsers) / N,
        memoryUsageAllKeysPerSession: all.total / (2 * N),
        keys: all.keys,
        user: await keyBytes('*|u:*'),
        guest: await keyBytes('*|g:*'),
        st: await keyBytes('*:st:*'),
      }),
    );
  } finally {
    await svc.stop();
    await cluster.stop();
  }
}, 600_000);
