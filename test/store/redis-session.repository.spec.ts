import { randomUUID } from 'node:crypto';
import { createClient } from 'redis';
import { COUNT_BUCKETS, RedisSessionRepository, SessionKeys, sessionHandle, type SessionKey, type StoredSession } from '#libs/session';
import { LuaScript } from '../../libs/session/src/store/redis/lua-script.js';
import { RESOLVE } from '../../libs/session/src/store/redis/session-scripts.js';
import { RedisMonitor } from '../support/redis-monitor.js';
import { RedisServer, sleep } from '../support/redis-server.js';
import { connectRedisStore } from '../support/redis-store-connection.js';
import { sessionRepositoryContract } from './session-repository.contract.js';

let redis: RedisServer;
beforeAll(async () => {
  redis = await RedisServer.start();
});
afterAll(() => redis.stop());

sessionRepositoryContract(
  'redis',
  async () => {
    const store = await connectRedisStore(redis.url);
    return new RedisSessionRepository(store.calls);
  },
  (repo) => repo.close(),
);

describe('redis sessions: round trips, Redis time, counts', () => {
  const IDLE = 60_000;
  const ABSOLUTE = 3_600_000;
  const keys = new SessionKeys('test'); // connectRedisStore's prefix
  let repo: RedisSessionRepository;
  /** Another replica, whose expiry knowledge is its own. */
  let other: RedisSessionRepository;
  let monitor: RedisMonitor;
  let inspect: ReturnType<typeof createClient>;

  beforeAll(async () => {
    repo = new RedisSessionRepository((await connectRedisStore(redis.url)).calls);
    other = new RedisSessionRepository((await connectRedisStore(redis.url)).calls);
    monitor = await RedisMonitor.attach(redis.port);
    inspect = createClient({ url: redis.url });
    await inspect.connect();
  });
  afterAll(async () => {
    monitor.close();
    await inspect.quit();
    await Promise.all([repo.close(), other.close()]);
  });

  const newShop = () => `st-${randomUUID()}`;
  const clock = (touchAfterMs = 0, now = Date.now()) => ({ now, idleTimeoutMs: IDLE, touchAfterMs });
  const record = (extra: Partial<StoredSession> = {}, now = Date.now()): StoredSession => ({ createdAt: now, absoluteExpiresAt: now + ABSOLUTE, ...extra });
  const userKey = (shopId: string, userId = 'u-st'): SessionKey => ({ shopId, handle: sessionHandle(`${userId}:${randomUUID()}`), userId });
  const login = (r: RedisSessionRepository, key: SessionKey, at = clock()) =>
    r.createUserBound(key, record({ authenticatedAt: at.now, user: `{"id":"${key.userId}"}` }, at.now), at, ABSOLUTE);

  it('resolves a session that does not slide with one MGET, on any replica; a slide adds the script', async () => {
    const key = userKey(newShop());
    await login(repo, key);
    await other.resolve(key, clock(IDLE)); // both replicas have their clock offset
    const still = await monitor.roundTripsOf(() => other.resolve(key, clock(IDLE)));
    expect(still).toEqual([expect.stringContaining(`"MGET" "${keys.session(key)}" "${keys.revoked(key.shopId, 'u-st')}"`)]);

    await sleep(5);
    const slid = await monitor.roundTripsOf(() => repo.resolve(key, clock(0)));
    expect(slid.slice(0, 2).map((l) => /\] "(\w+)"/.exec(l)![1]!.toUpperCase())).toEqual(['MGET', 'EVALSHA']);
  });

  it('learns from the stored expiry, not from what it saw itself: after another replica slid, no script', async () => {
    const key = userKey(newShop());
    await login(repo, key);
    await sleep(5);
    expect((await other.resolve(key, clock(0)))!.extended).toBe(true);
    const sent = await monitor.roundTripsOf(() => repo.resolve(key, clock(1_000)));
    expect(sent).toEqual([expect.stringMatching(/"mget"/i)]);
  });

  it('the plain read honours a revocation mark set after the session was made (Redis stamps only)', async () => {
    const key = userKey(newShop());
    await login(repo, key);
    await sleep(3);
    const [s, us] = await inspect.time().then((t) => [Math.floor(t.getTime() / 1000), (t.getTime() % 1000) * 1000]);
    await inspect.set(keys.revoked(key.shopId, 'u-st'), String(s * 1000 + Math.floor(us / 1000)));
    expect(await repo.resolve(key, clock(IDLE))).toBeNull();
  });

  it('the resolve script honours the mark too, for a session older than the mark that the index missed', async () => {
    const shop = newShop();
    const key = userKey(shop);
    await login(repo, key);
    await inspect.zRem(keys.index(shop, 'u-st'), key.handle); // the force-logout's chunks will not see it
    await sleep(3);
    expect(await other.destroyForUser(shop, 'u-st', [], clock(), ABSOLUTE)).toBe(0);
    expect(await inspect.exists(keys.session(key))).toBe(1);
    const script = new LuaScript(RESOLVE);
    const reply = await script.run(inspect as never, [keys.session(key), keys.revoked(shop, 'u-st'), keys.index(shop, 'u-st')], [String(IDLE), '0', key.handle]);
    expect((reply as unknown[])[0]).toBe(0);
    expect(await inspect.exists(keys.session(key))).toBe(0);
  });

  describe('a replica whose clock is off by 5 s', () => {
    for (const skewMs of [5_000, -5_000]) {
      it(`(${skewMs > 0 ? 'ahead' : 'behind'}) lets no login that raced a force-logout survive, and refuses none that came after`, async () => {
        const skewed = () => Date.now() + skewMs;
        const replica = new RedisSessionRepository((await connectRedisStore(redis.url)).calls, skewed);
        try {
          const shop = newShop();
          await replica.resolve(userKey(shop), clock(0, skewed())); // learns its offset, as any first call does
          // 20 logins received (authenticated) before another replica's force-logout, written after it.
          const received = Array.from({ length: 20 }, () => ({ key: userKey(shop, 'u-skew'), at: skewed() }));
          await sleep(3);
          await repo.destroyForUser(shop, 'u-skew', [], clock(), ABSOLUTE);
          for (const { key, at } of received) {
            expect(await replica.createUserBound(key, record({ authenticatedAt: at, user: '{}' }, at), clock(0, skewed()), ABSOLUTE)).toEqual({ status: 'revoked' });
          }
          expect(await repo.listForUser(shop, 'u-skew', clock())).toEqual([]);
          // Logins received after the force-logout returned are written, and resolve on both replicas.
          await sleep(3);
          const after = userKey(shop, 'u-skew');
          expect(await login(replica, after, clock(0, skewed()))).toEqual({ status: 'created', merged: false });
          expect(await repo.resolve(after, clock())).not.toBeNull();
          expect(await replica.resolve(after, clock(IDLE, skewed()))).not.toBeNull();
          // A session the replica made expires by Redis's clock: its cookie expiry is in the replica's time.
          const found = await replica.resolve(after, clock(IDLE, skewed()));
          expect(Math.abs(found!.expiresAt - (skewed() + IDLE))).toBeLessThan(1_000);
          const ttl = await inspect.pTTL(keys.session(after));
          expect(Math.abs(ttl - IDLE)).toBeLessThan(1_000);
        } finally {
          await replica.close();
        }
      });
    }
  });

  it('counts the shops asked for from 2 × 16 count buckets each, without scanning', async () => {
    const shops = [newShop(), newShop()];
    await repo.create({ shopId: shops[0]!, handle: sessionHandle(randomUUID()), userId: null }, record({ customData: '{}' }), clock());
    await login(repo, userKey(shops[1]!));
    await sleep(20);
    const sent = await monitor.roundTripsOf(async () => {
      expect([...(await repo.stats(shops, Date.now())).values()]).toEqual([{ loggedIn: 0, guests: 1 }, { loggedIn: 1, guests: 0 }]);
    });
    expect(sent.filter((l) => /"evalsha"/i.test(l))).toHaveLength(2 * 2 * COUNT_BUCKETS);
    expect(sent.filter((l) => /"(scan|keys|zrangebyscore|zremrangebyscore)"/i.test(l))).toEqual([]);
  });
});
