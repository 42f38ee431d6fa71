import calculateSlot from 'cluster-key-slot';
import { createCluster } from 'redis';
import { sessionEventStreamKey } from '#libs/contracts';
import { SessionEventConsumer } from '#libs/session-client';
import { RedisBasketRepository, RedisSessionRepository, sessionHandle } from '#libs/session';
import { sleep } from '../support/redis-server.js';
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

it("counts and logs an event lost when the stream's master does not answer after the change (the documented window); the change stands", async () => {
  const masters = await cluster.masters();
  const shop = 'ev-window';
  const streamMaster = masters.find((m) => m.slots.some(([from, to]) => calculateSlot(shop) >= from && calculateSlot(shop) <= to))!;
  // A guest whose session key lives on another master than the stream.
  let handle: string;
  for (let i = 0; ; i++) {
    handle = sessionHandle(`guest-${i}`);
    const slot = calculateSlot(`${shop}|g:${handle}`);
    if (!streamMaster.slots.some(([from, to]) => slot >= from && slot <= to)) break;
  }
  const store = await connectRedisStore({ clusterNodes });
  const repo = new RedisSessionRepository(store.calls);
  const now = Date.now();
  const key = { shopId: shop, handle, userId: null };
  // Learn Redis's clock first: its TIME sample may be sent to any node.
  await repo.create(
    { shopId: `${shop}-warm`, handle: sessionHandle('warm'), userId: null },
    { createdAt: now, absoluteExpiresAt: now + 3_600_000, customData: '{}' },
    { now, idleTimeoutMs: 60_000 },
    'svc',
  );
  cluster.pause(streamMaster.port);
  try {
    await repo.create(key, { createdAt: now, absoluteExpiresAt: now + 3_600_000, customData: '{}' }, { now, idleTimeoutMs: 60_000 }, 'svc');
    expect(repo.events.lost).toBe(1);
  } finally {
    cluster.resume(streamMaster.port);
  }
  expect(await repo.peek(key)).not.toBeNull();
  await Promise.race([repo.close(), sleep(5_000)]);
}, 30_000);

it('a SessionEventConsumer reads a shop stream on the cluster through a client routed by the stream key', async () => {
  const store = await connectRedisStore({ clusterNodes });
  const repo = new RedisSessionRepository(store.calls);
  const shop = 'ev-consumer';
  for (let i = 0; i < 5; i++) {
    const now = Date.now();
    await repo.create(
      { shopId: shop, handle: sessionHandle(`c-${i}`), userId: null },
      { createdAt: now, absoluteExpiresAt: now + 3_600_000, customData: '{}' },
      { now, idleTimeoutMs: 60_000 },
      'svc',
    );
  }
  const routed = createCluster({ rootNodes: clusterNodes.map((n) => ({ url: `redis://${n}` })) });
  await routed.connect();
  const stream = sessionEventStreamKey('test', shop);
  const seen: string[] = [];
  const consumer = new SessionEventConsumer({
    client: { sendCommand: (args) => routed.sendCommand(stream, false, args) },
    keyPrefix: 'test',
    shopId: shop,
    group: 'g',
    consumer: 'c1',
    blockMs: 100,
    handler: async (batch) => void seen.push(...batch.map((e) => e.handle!)),
  });
  await consumer.start();
  try {
    for (let i = 0; i < 200 && seen.length < 5; i++) await sleep(25);
    expect(seen).toEqual(Array.from({ length: 5 }, (_, i) => sessionHandle(`c-${i}`)));
  } finally {
    await consumer.stop();
    await routed.quit();
    await repo.close();
  }
}, 30_000);
