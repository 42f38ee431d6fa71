import { RedisBasketRepository, RedisSessionRepository } from '#libs/session';
import { RedisTestCluster } from '../support/redis-cluster.js';
import { connectRedisStore } from '../support/redis-store-connection.js';
import { basketRepositoryContract } from '../store/basket-repository.contract.js';
import { sessionEventsContract } from '../store/session-events.contract.js';
import { sessionRepositoryContract } from '../store/session-repository.contract.js';

/** The store contracts on a real 3-master cluster: a key of the wrong slot in a script or command fails here. */
let cluster: RedisTestCluster;
let clusterNodes: string[];
beforeAll(async () => {
  cluster = await RedisTestCluster.start({ masters: 3 });
  clusterNodes = (await cluster.seeds()).split(',');
}, 60_000);
afterAll(() => cluster?.stop());

sessionRepositoryContract(
  'redis cluster (3 masters)',
  async () => new RedisSessionRepository((await connectRedisStore({ clusterNodes })).calls),
  (repo) => repo.close(),
);

// On a cluster the stream is in another slot than the change: the events are written right after the script.
sessionEventsContract(
  'redis cluster (3 masters)',
  async () => new RedisSessionRepository((await connectRedisStore({ clusterNodes })).calls),
  async (repo) => {
    expect((repo as RedisSessionRepository).events.lost).toBe(0);
    await repo.close();
  },
);

let baskets: Awaited<ReturnType<typeof connectRedisStore>> | undefined;
basketRepositoryContract(
  'redis cluster (3 masters)',
  async () => {
    baskets = await connectRedisStore({ clusterNodes });
    return new RedisBasketRepository(baskets.calls);
  },
  async () => baskets?.close(),
);

it('spread what the contracts stored over every master (so a cross-slot mistake would have failed)', async () => {
  const masters = await cluster.masters();
  expect(masters).toHaveLength(3);
  for (const master of masters) expect(Number(await cluster.command(master.port, 'DBSIZE'))).toBeGreaterThan(0);
});
