import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { createClient } from 'redis';
import { SessionEventConsumer, type SessionEventConsumerOptions } from '#libs/session-client';
import { RedisSessionRepository, sessionHandle } from '#libs/session';
import { RedisServer } from '../support/redis-server.js';
import { connectRedisStore } from '../support/redis-store-connection.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const REGISTER = fileURLToPath(new URL('../support/ts-register.mjs', import.meta.url));
const CHILD = fileURLToPath(new URL('./consumer-child.ts', import.meta.url));
const clock = { now: Date.now(), idleTimeoutMs: 60_000 };

let redis: RedisServer;
let store: Awaited<ReturnType<typeof connectRedisStore>>;
let repo: RedisSessionRepository;
let inspect: ReturnType<typeof createClient>;
const clients: Array<ReturnType<typeof createClient>> = [];
const consumers: SessionEventConsumer[] = [];

beforeAll(async () => {
  redis = await RedisServer.start();
  store = await connectRedisStore(redis.url);
  repo = new RedisSessionRepository(store.calls);
  inspect = createClient({ url: redis.url });
  await inspect.connect();
});
afterEach(async () => {
  await Promise.all(consumers.splice(0).map((c) => c.stop()));
  await Promise.all(clients.splice(0).map((c) => c.quit()));
});
afterAll(async () => {
  await inspect.quit();
  await repo.close();
  await redis.stop();
});

/** `n` guest sessions stored in `shopId`: one session.created each. Returns their event IDs. */
async function changes(shopId: string, n: number): Promise<string[]> {
  const before = (await repo.events.read(shopId)).length;
  for (let i = 0; i < n; i++) {
    await repo.create(
      { shopId, handle: sessionHandle(randomUUID()), userId: null },
      { createdAt: Date.now(), absoluteExpiresAt: Date.now() + 3_600_000 },
      { ...clock, now: Date.now() },
    );
  }
  return (await repo.events.read(shopId)).slice(before).map((e) => e.id);
}

/** A consumer on a connection of its own, recording every event it is handed. */
async function consumer(
  shopId: string,
  name: string,
  seen: string[],
  extra: Partial<SessionEventConsumerOptions> = {},
): Promise<SessionEventConsumer> {
  const client = createClient({ url: redis.url });
  await client.connect();
  clients.push(client);
  const c = new SessionEventConsumer({
    client,
    keyPrefix: 'test',
    shopId,
    group: 'g',
    consumer: name,
    blockMs: 100,
    retryDelayMs: 50,
    handler: async (batch) => void seen.push(...batch.map((e) => e.id)),
    ...extra,
  });
  consumers.push(c);
  await c.start();
  return c;
}

async function until(condition: () => boolean | Promise<boolean>, what: string, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

const pendingCount = async (shopId: string) =>
  Number(((await inspect.sendCommand(['XPENDING', `test:ev:{${shopId}}`, 'g'])) as [number])[0]);

describe('SessionEventConsumer (at-least-once, with acknowledgement)', () => {
  it('creates its group with the stream, hands over every event once, and acknowledges them', async () => {
    const shop = `c-${randomUUID()}`;
    const seen: string[] = [];
    await consumer(shop, 'a', seen, { batchSize: 7 });
    const ids = await changes(shop, 30);
    await until(() => seen.length >= 30, '30 events');
    expect(seen).toEqual(ids);
    expect(await pendingCount(shop)).toBe(0);
  });

  it('leaves a batch whose handler failed pending, and hands it again', async () => {
    const shop = `c-${randomUUID()}`;
    const ids = await changes(shop, 5);
    const seen: string[] = [];
    let failures = 0;
    await consumer(shop, 'a', seen, {
      handler: async (batch) => {
        if (failures++ === 0) throw new Error('downstream unavailable');
        seen.push(...batch.map((e) => e.id));
      },
    });
    await until(() => seen.length >= 5, 'the batch handed again');
    expect(seen).toEqual(ids);
    expect(failures).toBe(2);
    await until(async () => (await pendingCount(shop)) === 0, 'the acknowledgement');
  });

  it('a consumer killed mid-batch (SIGKILL, batch read, never acknowledged): another consumer claims it, none is lost', async () => {
    const shop = `c-${randomUUID()}`;
    const first = await changes(shop, 60);
    const child = spawn(process.execPath, ['--import', REGISTER, CHILD, redis.url, shop, 'g', 'doomed'], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const exited = new Promise((r) => child.once('exit', r));
    const batch = await new Promise<string[]>((resolve) =>
      child.stdout!.once('data', (chunk: Buffer) => resolve(JSON.parse(chunk.toString().split('\n')[0]!) as string[])),
    );
    expect(batch).toEqual(first.slice(0, 25));
    child.kill('SIGKILL');
    await exited;
    expect(await pendingCount(shop)).toBe(25); // read by the dead consumer, never acknowledged
    const later = await changes(shop, 15);
    const seen: string[] = [];
    await consumer(shop, 'survivor', seen, { claimIdleMs: 200 });
    await until(() => new Set(seen).size >= 75, 'every event');
    expect([...new Set(seen)].sort()).toEqual([...first, ...later].sort());
    await until(async () => (await pendingCount(shop)) === 0, 'every event acknowledged');
  }, 30_000);

  it('a consumer restarted under the same name takes back its own pending batch first', async () => {
    const shop = `c-${randomUUID()}`;
    const ids = await changes(shop, 10);
    const stuck: string[] = [];
    const hanging = new SessionEventConsumer({
      client: { sendCommand: (args) => inspect.sendCommand(args) },
      keyPrefix: 'test',
      shopId: shop,
      group: 'g',
      consumer: 'a',
      batchSize: 4,
      blockMs: 100,
      handler: (batch) => {
        stuck.push(...batch.map((e) => e.id));
        return new Promise(() => {}); // dies here: never acknowledged
      },
    });
    await hanging.start();
    await until(() => stuck.length === 4, 'the first batch');
    expect(await pendingCount(shop)).toBe(4);
    const seen: string[] = [];
    await consumer(shop, 'a', seen); // claimIdleMs 60 s: nothing is claimed, its own are re-read
    await until(() => seen.length >= 10, 'every event');
    expect(seen).toEqual(ids);
    expect(await pendingCount(shop)).toBe(0);
  });
});
