import { Patterns } from '#libs/contracts';
import { RedisTestCluster } from '../support/redis-cluster.js';
import { ServiceHarness } from '../support/session-service.harness.js';

const N = 5_000;
it('measures bytes per session on a 3-master cluster', async () => {
  const cluster = await RedisTestCluster.start({ masters: 3 });
  const svc = await ServiceHarness.start({ redisClusterNodes: await cluster.seeds() });
  try {
    const used = async () => {
      let total = 0;
      for (const m of await cluster.masters()) total += Number(/used_memory:(\d+)/.exec(await cluster.command(m.port, 'INFO', 'memory'))![1]);
      return total;
    };
    const keyBytes = async (pattern: string) => {
      let total = 0;
      let keys = 0;
      for (const m of await cluster.masters()) {
        const list = (await cluster.command(m.port, '--scan', '--pattern', pattern)).trim().split('\n').filter(Boolean);
        for (const k of list) { total += Number(await cluster.command(m.port, 'MEMORY', 'USAGE', k, 'SAMPLES', '0')); keys++; }
      }
      return { total, keys };
    };
    const user = (i: number) => ({ id: `user-${i}`, email: `shopper-${i}@example.com`, name: 'x'.repeat(300 - 60) });
    const before = await used();
    const batch = 50;
    for (let i = 0; i < N; i += batch) await Promise.all(Array.from({ length: batch }, (_, j) => svc.send(Patterns.sessionLogin, { data: { user: user(i + j) } })));
    const afterUsers = await used();
    for (let i = 0; i < N; i += batch) {
      await Promise.all(Array.from({ length: batch }, async () => {
        const cookie = (await svc.send(Patterns.sessionResolve, {})).session!.cookie!.value;
        await svc.send(Patterns.cartAddItem, { session: cookie, data: { productId: 'product-1234', variantId: 'variant-5678', quantity: 1 } });
      }));
    }
    const afterGuests = await used();
    const all = await keyBytes('*');
    console.log(JSON.stringify({
      N, perLoggedInUsedMemory: (afterUsers - before) / N, perGuestWithCartUsedMemory: (afterGuests - afterUsers) / N,
      memoryUsageAllKeysPerSession: all.total / (2 * N), keys: all.keys,
      st: await keyBytes('*:st:*'),
    }));
  } finally {
    await svc.stop();
    await cluster.stop();
  }
}, 600_000);
