import { randomUUID } from 'node:crypto';
import {
  MemorySessionEvents,
  MemorySessionRepository,
  RedisSessionRepository,
  sessionHandle,
  type SessionEventSettings,
  type SessionRepository,
} from '#libs/session';
import { RedisServer, sleep } from '../support/redis-server.js';
import { connectRedisStore } from '../support/redis-store-connection.js';

let redis: RedisServer;
const opened: SessionRepository[] = [];
beforeAll(async () => {
  redis = await RedisServer.start();
});
afterAll(async () => {
  await Promise.all(opened.map((r) => r.close()));
  await redis.stop();
});

const backends: Array<[string, (settings: SessionEventSettings) => Promise<SessionRepository>]> = [
  ['memory', async (settings) => new MemorySessionRepository(undefined, Date.now, new MemorySessionEvents(settings))],
  ['redis', async (settings) => new RedisSessionRepository((await connectRedisStore(redis.url)).calls, Date.now, settings)],
];

/** `n` guest sessions stored: one event each. */
async function store(repo: SessionRepository, shopId: string, n: number): Promise<void> {
  for (let i = 0; i < n; i++) {
    const now = Date.now();
    await repo.create(
      { shopId, handle: sessionHandle(randomUUID()), userId: null },
      { createdAt: now, absoluteExpiresAt: now + 60_000, customData: '{}' },
      { now, idleTimeoutMs: 60_000 },
    );
  }
}

// Redis trims whole stream nodes (MAXLEN ~ / MINID ~: 100 entries each by default), so a
// stream keeps up to about a node more than the cap; the memory store trims exactly.
describe.each(backends)('the event stream caps: %s', (_name, open) => {
  it('keeps about maxLength events', async () => {
    const repo = await open({ enabled: true, maxLength: 1000, maxAgeMs: 0 });
    opened.push(repo);
    const shop = `cap-${randomUUID()}`;
    await store(repo, shop, 1500);
    const kept = (await repo.events.read(shop)).length;
    expect(kept).toBeGreaterThanOrEqual(1000);
    expect(kept).toBeLessThanOrEqual(1100);
  });

  it('drops events older than maxAgeMs', async () => {
    const repo = await open({ enabled: true, maxLength: 1_000_000, maxAgeMs: 2_000 }); // the 250 later writes take far less than 2 s
    opened.push(repo);
    const shop = `age-${randomUUID()}`;
    await store(repo, shop, 300);
    await sleep(2_500);
    await store(repo, shop, 250);
    const kept = (await repo.events.read(shop)).length;
    expect(kept).toBeGreaterThanOrEqual(250);
    expect(kept).toBeLessThanOrEqual(350);
  });

  it('writes nothing when off', async () => {
    const repo = await open({ enabled: false, maxLength: 1000, maxAgeMs: 0 });
    opened.push(repo);
    const shop = `off-${randomUUID()}`;
    await store(repo, shop, 3);
    expect(await repo.events.read(shop)).toEqual([]);
  });
});
