import { randomUUID } from 'node:crypto';
import { createClient } from 'redis';
import type { SessionEventType } from '#libs/contracts';
import { SessionEventConsumer } from '#libs/session-client';
import { RedisSessionRepository, sessionHandle, type SessionKey } from '#libs/session';
import { RedisServer } from '../support/redis-server.js';
import { connectRedisStore } from '../support/redis-store-connection.js';

const ABSOLUTE = 3_600_000;
const USERS = 2_500; // each: login, updateUser, logout
const GUESTS = 2_500; // each: first stored
const WORKERS = 200;

let redis: RedisServer;
const stores: Array<Awaited<ReturnType<typeof connectRedisStore>>> = [];
beforeAll(async () => {
  redis = await RedisServer.start();
});
afterAll(async () => {
  await Promise.all(stores.map((s) => s.close()));
  await redis.stop();
});

/** Runs `tasks` with `workers` of them in flight at once. */
async function pool(tasks: Array<() => Promise<void>>, workers: number): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: workers }, async () => {
      while (next < tasks.length) await tasks[next++]!();
    }),
  );
}

it('10,000 changes made concurrently by two service instances write exactly 10,000 events, and consumers get them all', async () => {
  // Two repositories on connections of their own: two replicas of the service.
  const replicas: RedisSessionRepository[] = [];
  for (let i = 0; i < 2; i++) {
    const store = await connectRedisStore(redis.url);
    stores.push(store);
    replicas.push(new RedisSessionRepository(store.calls));
  }
  const shopId = `load-${randomUUID()}`;
  const clock = () => ({ now: Date.now(), idleTimeoutMs: 600_000 });
  const record = (extra = {}) => ({ createdAt: Date.now(), absoluteExpiresAt: Date.now() + ABSOLUTE, ...extra });
  const tasks: Array<() => Promise<void>> = [];
  for (let i = 0; i < USERS; i++) {
    tasks.push(async () => {
      const [a, b] = i % 2 ? [replicas[0]!, replicas[1]!] : [replicas[1]!, replicas[0]!];
      const userId = `u${i}`;
      const key: SessionKey = { shopId, handle: sessionHandle(`${userId}:${randomUUID()}`), userId };
      const c = clock();
      expect(
        await a.createUserBound(key, record({ authenticatedAt: c.now, user: JSON.stringify({ id: userId }) }), c, ABSOLUTE, {
          actor: 'svc',
        }),
      ).toMatchObject({ status: 'created' });
      expect(await b.patch(key, { user: JSON.stringify({ id: userId, name: 'N' }) }, clock(), undefined, 'svc')).toBe(true);
      expect(await a.destroy(key, 'svc')).toBe(true);
    });
  }
  for (let i = 0; i < GUESTS; i++) {
    tasks.push(() =>
      replicas[i % 2]!.create({ shopId, handle: sessionHandle(randomUUID()), userId: null }, record({ customData: '{}' }), clock(), 'svc'),
    );
  }
  // Users and guests interleaved, so every kind of change runs next to the others.
  tasks.sort(() => Math.random() - 0.5);

  // Three consumers of one group read while the changes are made.
  const seen = new Map<string, number>();
  const clients: Array<ReturnType<typeof createClient>> = [];
  const consumers: SessionEventConsumer[] = [];
  for (let i = 0; i < 3; i++) {
    const client = createClient({ url: redis.url });
    await client.connect();
    clients.push(client);
    const consumer = new SessionEventConsumer({
      client,
      keyPrefix: 'test',
      shopId,
      group: 'load',
      consumer: `c${i}`,
      batchSize: 200,
      blockMs: 100,
      handler: async (batch) => {
        for (const e of batch) seen.set(e.id, (seen.get(e.id) ?? 0) + 1);
      },
    });
    await consumer.start();
    consumers.push(consumer);
  }

  await pool(tasks, WORKERS);

  const events = await replicas[0]!.events.read(shopId);
  expect(events).toHaveLength(10_000);
  const byType: Partial<Record<SessionEventType, number>> = {};
  for (const e of events) byType[e.type] = (byType[e.type] ?? 0) + 1;
  expect(byType).toEqual({
    'session.created': GUESTS,
    'session.loggedIn': USERS,
    'session.userUpdated': USERS,
    'session.loggedOut': USERS,
  });
  // One event per change: each handle appears once per type.
  expect(new Set(events.map((e) => `${e.type} ${e.handle}`)).size).toBe(10_000);
  expect(events.every((e) => e.actor === 'svc' && e.shopId === shopId)).toBe(true);

  const deadline = Date.now() + 30_000;
  while (seen.size < 10_000 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  await Promise.all(consumers.map((c) => c.stop()));
  await Promise.all(clients.map((c) => c.quit()));
  expect(seen.size).toBe(10_000);
  expect(new Set(events.map((e) => e.id))).toEqual(new Set(seen.keys()));
}, 120_000);
