import calculateSlot from 'cluster-key-slot';
import { lastCommand, readsConnectionLines } from '../support/reads-connections.js';
import { RedisTestCluster } from '../support/redis-cluster.js';
import { connectRedisStore } from '../support/redis-store-connection.js';

/** A cluster's reads connections (read-pipeline.ts): one per master, and a moved slot is followed. */
describe('reads on a redis cluster', () => {
  let cluster: RedisTestCluster;
  let store: Awaited<ReturnType<typeof connectRedisStore>>;

  beforeAll(async () => {
    cluster = await RedisTestCluster.start({ masters: 3 });
    store = await connectRedisStore({ clusterNodes: (await cluster.seeds()).split(',') });
  }, 60_000);
  afterAll(async () => {
    await store?.close();
    await cluster?.stop();
  });

  /** The last command of the master's reads connection, or undefined when it has none. */
  const lastRead = async (port: number): Promise<string | undefined> => {
    return lastCommand(readsConnectionLines(await cluster.command(port, 'CLIENT', 'LIST'))[0]);
  };

  it('reads on the reads connection of the master serving the key, and follows the slot when it moves', async () => {
    const key = 'test:s:{shop-a|u:reads-1}';
    const slot = calculateSlot(key);
    const source = await cluster.masterOfSlot(slot);
    await cluster.command(source.port, 'SET', key, 'v1', 'PX', '60000');
    const read = () =>
      store.cache.sendAll(key, [
        ['MGET', key],
        ['PEXPIRETIME', key],
      ]);

    const [values, expiry] = await read();
    expect(values).toEqual(['v1']);
    expect(expiry).toBeGreaterThan(Date.now());
    for (let i = 0; i < 100 && (await lastRead(source.port)) !== 'pexpiretime'; i++) {
      await new Promise((r) => setTimeout(r, 20)); // the reads connection opens on the first read of its master
      await read();
    }
    expect(await lastRead(source.port)).toBe('pexpiretime');

    // Move the slot by hand (IMPORTING/MIGRATING, MIGRATE, SETSLOT NODE everywhere): the
    // reads connection to the old owner answers MOVED, so the read goes through node-redis.
    const target = (await cluster.masters()).find((m) => m.id !== source.id)!;
    await cluster.command(target.port, 'CLUSTER', 'SETSLOT', String(slot), 'IMPORTING', source.id);
    await cluster.command(source.port, 'CLUSTER', 'SETSLOT', String(slot), 'MIGRATING', target.id);
    await cluster.command(source.port, 'MIGRATE', '127.0.0.1', String(target.port), key, '0', '5000');
    for (const master of await cluster.masters()) await cluster.command(master.port, 'CLUSTER', 'SETSLOT', String(slot), 'NODE', target.id);

    const [moved] = await read();
    expect(moved).toEqual(['v1']);
    // node-redis learned the new owner from MOVED: later reads use that master's reads connection.
    for (let i = 0; i < 100 && (await lastRead(target.port)) !== 'pexpiretime'; i++) {
      await new Promise((r) => setTimeout(r, 20));
      expect((await read())[0]).toEqual(['v1']);
    }
    expect(await lastRead(target.port)).toBe('pexpiretime');
  });
});
