import { randomUUID } from 'node:crypto';
import { RedisSessionRepository, sessionHandle, type SessionKey } from '#libs/session';
import { RedisServer } from '../support/redis-server.js';
import { connectRedisStore } from '../support/redis-store-connection.js';
import { sessionctl } from './cli-runner.js';

let redis: RedisServer;
let store: Awaited<ReturnType<typeof connectRedisStore>>;
let repo: RedisSessionRepository;
beforeAll(async () => {
  redis = await RedisServer.start();
  store = await connectRedisStore(redis.url); // key prefix `test`
  repo = new RedisSessionRepository(store.calls);
});
afterAll(async () => {
  await repo.close();
  await redis.stop();
});

const clock = () => ({ now: Date.now(), idleTimeoutMs: 60_000 });
async function loginAndOut(shopId: string, userId: string): Promise<SessionKey> {
  const key = { shopId, handle: sessionHandle(`${userId}:${randomUUID()}`), userId };
  const c = clock();
  await repo.createUserBound(
    key,
    { createdAt: c.now, absoluteExpiresAt: c.now + 3_600_000, authenticatedAt: c.now, user: '{}' },
    c,
    3_600_000,
    { actor: 'svc' },
  );
  await repo.destroy(key, 'svc');
  return key;
}

describe('sessionctl events tail', () => {
  const base = (shop: string) => ['events', 'tail', '--shop', shop, '--redis', redis.url, '--key-prefix', 'test'];

  it('prints the latest events, one line each, oldest first', async () => {
    const shop = `t-${randomUUID()}`;
    await loginAndOut(shop, 'u1');
    const key = await loginAndOut(shop, 'u2');
    const run = await sessionctl([...base(shop), '--last', '2']);
    expect(run).toMatchObject({ code: 0, stderr: '' });
    const lines = run.stdout.trim().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(
      new RegExp(`^\\d+-\\d+  \\d{4}-\\d\\d-\\d\\dT[\\d:.]+Z  session\\.loggedIn  user=u2  handle=${key.handle}  actor=svc$`),
    );
    expect(lines[1]).toContain(`session.loggedOut  user=u2  handle=${key.handle}  actor=svc`);
  });

  it('reads on after an entry ID, as JSON lines', async () => {
    const shop = `t-${randomUUID()}`;
    await loginAndOut(shop, 'u1');
    const [first] = await repo.events.read(shop);
    const run = await sessionctl([...base(shop), '--from', first!.id, '--json']);
    expect(run.code).toBe(0);
    expect(
      run.stdout
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as unknown),
    ).toEqual((await repo.events.read(shop)).slice(1));
  });

  it('--follow prints events written after it started', async () => {
    const shop = `t-${randomUUID()}`;
    await loginAndOut(shop, 'old');
    const tail = sessionctl([...base(shop), '--last', '1', '--follow', '--max-events', '3']);
    await new Promise((r) => setTimeout(r, 300));
    await loginAndOut(shop, 'new');
    const run = await tail;
    expect(run.code).toBe(0);
    expect(
      run.stdout
        .trim()
        .split('\n')
        .map((l) => l.split('  ')[2]),
    ).toEqual(['session.loggedOut', 'session.loggedIn', 'session.loggedOut']);
    expect(run.stdout).toContain('user=new');
  });

  it('is a usage error without a Redis URL, or with a malformed --from', async () => {
    expect(await sessionctl(['events', 'tail', '--shop', 'x'])).toMatchObject({ code: 2, stderr: expect.stringContaining('--redis') });
    expect(await sessionctl([...base('x'), '--from', 'yesterday'])).toMatchObject({ code: 2, stderr: expect.stringContaining('--from') });
  });
});
