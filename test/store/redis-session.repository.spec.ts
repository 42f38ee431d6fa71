import { randomUUID } from 'node:crypto';
import { createClient } from 'redis';
import { RedisSessionRepository, SessionKeys, sessionHandle, type SessionKey, type StoredSession } from '#libs/session';
import { RedisMonitor } from '../support/redis-monitor.js';
import { RedisServer } from '../support/redis-server.js';
import { connectRedisStore } from '../support/redis-store-connection.js';
import { ReplyHoldingProxy } from './reply-holding-proxy.js';
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

describe('redis session counts: what is sent, and when', () => {
  const IDLE = 60_000;
  const ABSOLUTE = 3_600_000;
  const keys = new SessionKeys('test'); // connectRedisStore's prefix
  let proxy: ReplyHoldingProxy;
  let store: Awaited<ReturnType<typeof connectRedisStore>>;
  /** Talks to Redis through the proxy, so its replies can be held back. */
  let repo: RedisSessionRepository;
  /** Another replica, straight to Redis. */
  let other: RedisSessionRepository;
  let monitor: RedisMonitor;
  let inspect: ReturnType<typeof createClient>;

  beforeAll(async () => {
    proxy = await ReplyHoldingProxy.start(redis.port);
    store = await connectRedisStore(proxy.url);
    repo = new RedisSessionRepository(store.calls);
    other = new RedisSessionRepository((await connectRedisStore(redis.url)).calls);
    monitor = await RedisMonitor.attach(redis.port);
    inspect = createClient({ url: redis.url });
    await inspect.connect();
  });
  afterAll(async () => {
    monitor.close();
    await inspect.quit();
    await Promise.all([repo.close(), other.close()]);
    await proxy.close();
  });

  const newShop = () => `st-${randomUUID()}`;
  const clock = (touchAfterMs = 0) => ({ now: Date.now(), idleTimeoutMs: IDLE, touchAfterMs });
  const record = (extra: Partial<StoredSession> = {}): StoredSession => ({ createdAt: Date.now(), absoluteExpiresAt: Date.now() + ABSOLUTE, ...extra });
  const guestKey = (shopId: string): SessionKey => ({ shopId, handle: sessionHandle(randomUUID()), userId: null });
  const userKey = (shopId: string): SessionKey => ({ shopId, handle: sessionHandle(`u-st:${randomUUID()}`), userId: 'u-st' });
  const login = (key: SessionKey, at = clock()) =>
    repo.createUserBound(key, record({ authenticatedAt: at.now, user: '{"id":"u-st"}' }), at, ABSOLUTE);

  async function until(done: () => boolean, what: string): Promise<void> {
    for (let waited = 0; !done(); waited += 5) {
      if (waited > 5_000) throw new Error(`gave up waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 5));
    }
  }

  /**
   * Runs `call` with Redis's replies held back and waits for `count` commands to reach Redis:
   * they can only all get there if none waited for a reply, i.e. they make one round trip.
   */
  async function sentInOneRoundTrip<T>(count: number, call: () => Promise<T>): Promise<{ sent: string[]; result: T }> {
    await monitor.settle();
    monitor.clear();
    proxy.hold();
    let pending: Promise<T>;
    try {
      pending = call();
      await until(() => monitor.roundTrips().length >= count, `${count} commands before any reply`);
    } finally {
      proxy.release();
    }
    const result = await pending;
    await monitor.settle();
    return { sent: monitor.roundTrips(), result };
  }

  it('resolves a session that does not slide with one command (a read, or the script); a slide adds one ZADD XX', async () => {
    const shop = newShop();
    const key = userKey(shop);
    await login(key);
    const still = await monitor.roundTripsOf(() => repo.resolve(key, clock(IDLE)));
    expect(still).toEqual([expect.stringMatching(/"mget"/i)]);
    const unknown = await monitor.roundTripsOf(() => other.resolve(key, clock(IDLE))); // this replica has not seen the expiry
    expect(unknown).toEqual([expect.stringMatching(/"evalsha"/i)]);

    const slid = await monitor.roundTripsOf(() => repo.resolve(key, clock(0)));
    expect(slid).toHaveLength(2);
    expect(slid[0]).toMatch(/"evalsha"/i);
    expect(slid[1]).toContain(`"ZADD" "${keys.stats(shop, 'user')}" "XX"`);
    expect(slid[1]).toContain(`"${key.handle}"`);
  });

  describe('a resolve that cannot slide reads without a script', () => {
    const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

    it('is one MGET of the session and its revocation mark, with the expiry this replica saw at login', async () => {
      const key = userKey(newShop());
      const c = clock();
      await login(key, c);
      const sent = await monitor.roundTripsOf(async () => {
        const found = await repo.resolve(key, clock(IDLE));
        expect(found).toMatchObject({ extended: false, expiresAt: c.now + IDLE, session: { user: '{"id":"u-st"}' } });
      });
      expect(sent).toEqual([expect.stringContaining(`"MGET" "${keys.session(key)}" "${keys.revoked(key.shopId, 'u-st')}"`)]);
      expect(sent.join('\n')).not.toMatch(/evalsha|pexpire/i);
    });

    it('still honours a revocation mark set after the session was made', async () => {
      const key = userKey(newShop());
      await login(key);
      await inspect.set(keys.revoked(key.shopId, 'u-st'), String(Date.now() + 1_000));
      expect(await repo.resolve(key, clock(IDLE))).toBeNull();
    });

    it('sees a session destroyed by another replica as gone', async () => {
      const key = userKey(newShop());
      await login(key);
      await other.destroy(key);
      expect(await repo.resolve(key, clock(IDLE))).toBeNull();
    });

    it('goes through the script once another replica may have slid the session, and reports the later expiry', async () => {
      const key = userKey(newShop());
      const c = clock();
      await login(key, c);
      await sleep(1_100);
      const slid = await other.resolve(key, clock(0));
      expect(slid!.extended).toBe(true);
      // What this replica saw is over a second old: a resolve might move it by >= 1 s, so the
      // script decides, and finds the other replica's slide too recent to slide again.
      let found: Awaited<ReturnType<typeof repo.resolve>> = null;
      const sent = await monitor.roundTripsOf(async () => (found = await repo.resolve(key, clock(1_000))));
      expect(sent).toEqual([expect.stringMatching(/"evalsha"/i)]);
      expect(found).toMatchObject({ extended: false });
      // The script reads the expiry back through PTTL, against the clock the call was given:
      // they differ by however long the call took (6 ms seen under load; 250 ms allowed). What
      // this replica saw at login is over 1,100 ms earlier, so the margin still tells them apart.
      expect(Math.abs(found!.expiresAt - slid!.expiresAt)).toBeLessThanOrEqual(250);
      expect(slid!.expiresAt).toBeGreaterThanOrEqual(c.now + IDLE + 1_000);
    });
  });

  it('sends the count write of a new guest, and of a destroy, in the same round trip as the write itself', async () => {
    const shop = newShop();
    const guest = guestKey(shop);
    const created = await sentInOneRoundTrip(2, () => repo.create(guest, record({ customData: '{}' }), clock()));
    expect(created.sent).toEqual([expect.stringMatching(/"set"/i), expect.stringContaining(`"ZADD" "${keys.stats(shop, 'guest')}"`)]);

    const destroyed = await sentInOneRoundTrip(2, () => repo.destroy(guest));
    expect(destroyed.result).toBe(true);
    expect(destroyed.sent).toEqual([expect.stringMatching(/"del"/i), expect.stringContaining(`"ZREM" "${keys.stats(shop, 'guest')}" "${guest.handle}"`)]);
  });

  it('reads the counts of N shops as 4×N commands sent before any reply, and never scans', async () => {
    const shops = [newShop(), newShop(), newShop()];
    await repo.create(guestKey(shops[0]!), record({ customData: '{}' }), clock());
    await login(userKey(shops[2]!));
    const { sent, result } = await sentInOneRoundTrip(12, () => repo.stats(shops, Date.now()));
    expect(sent).toHaveLength(12);
    for (const [i, shop] of shops.entries()) {
      expect(sent.slice(i * 4, i * 4 + 4).map((l) => /\] "(\w+)" "([^"]+)"/.exec(l)!.slice(1))).toEqual([
        ['ZREMRANGEBYSCORE', keys.stats(shop, 'user')],
        ['ZCARD', keys.stats(shop, 'user')],
        ['ZREMRANGEBYSCORE', keys.stats(shop, 'guest')],
        ['ZCARD', keys.stats(shop, 'guest')],
      ]);
    }
    expect(sent.filter((l) => /"(scan|keys)"/i.test(l))).toEqual([]);
    expect([...result.values()]).toEqual([{ loggedIn: 0, guests: 1 }, { loggedIn: 0, guests: 0 }, { loggedIn: 1, guests: 0 }]);
  });

  it('does not bring back a session another replica destroyed while the slide was on its way', async () => {
    const shop = newShop();
    const key = userKey(shop);
    await login(key);
    await monitor.settle();
    monitor.clear();
    proxy.hold();
    let resolving: ReturnType<typeof repo.resolve>;
    try {
      resolving = repo.resolve(key, clock(0)); // the script slides; its reply (and so the ZADD XX) is held back
      await until(() => monitor.roundTrips().some((l) => /"evalsha"/i.test(l) && l.includes(`"${key.handle}"`)), 'the resolve script');
      expect(await other.destroy(key)).toBe(true);
    } finally {
      proxy.release();
    }
    expect((await resolving)!.extended).toBe(true);
    expect((await repo.stats([shop], Date.now())).get(shop)).toEqual({ loggedIn: 0, guests: 0 });
    expect(await inspect.zScore(keys.stats(shop, 'user'), key.handle)).toBeNull();
  });

  it('never fails a request over a count write: the failure is counted instead', async () => {
    const shop = newShop();
    const key = userKey(shop);
    await login(key);
    await inspect.del(keys.stats(shop, 'user'));
    await inspect.set(keys.stats(shop, 'user'), 'not a sorted set'); // every ZADD on it now fails with WRONGTYPE
    const before = store.calls.backgroundFailures;
    const resolved = await repo.resolve(key, clock(0));
    expect(resolved).toMatchObject({ extended: true, session: { user: '{"id":"u-st"}' } });
    await until(() => store.calls.backgroundFailures === before + 1, 'the failed ZADD to be counted');
  });
});
