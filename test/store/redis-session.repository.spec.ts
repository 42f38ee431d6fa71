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
      if (waited > 800) throw new Error(`gave up waiting for ${what}`);
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
      expect(Math.abs(found!.expiresAt - slid!.expiresAt)).toBeLessThanOrEqual(2); // the script reads it back through PTTL
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

describe("redis resolve script: the user's revocation mark, when the per-user index missed the session", () => {
  const IDLE = 60_000;
  const ABSOLUTE = 3_600_000;
  const keys = new SessionKeys('test');
  const opened: Array<{ close(): Promise<void> }> = [];
  let inspect: ReturnType<typeof createClient>;
  let writer: RedisSessionRepository;

  /** A repository on a connection of its own, as a freshly started instance has: it has seen no expiry. */
  const freshRepository = async () => {
    const store = await connectRedisStore(redis.url);
    opened.push(store);
    return new RedisSessionRepository(store.calls);
  };

  beforeAll(async () => {
    inspect = createClient({ url: redis.url });
    await inspect.connect();
    writer = await freshRepository();
  });
  afterAll(async () => {
    await inspect.quit();
    await Promise.all(opened.map((s) => s.close()));
  });

  const userKey = (userId: string): SessionKey => ({ shopId: `rv-${randomUUID()}`, handle: sessionHandle(`${userId}:${randomUUID()}`), userId });
  /** A session the index does not list, and a revocation mark after its login, set straight in Redis. */
  async function revokedBehindTheIndex(userId: string): Promise<{ key: SessionKey; ttlBefore: number }> {
    const key = userKey(userId);
    const at = Date.now() - 5_000;
    const session: StoredSession = { createdAt: at, absoluteExpiresAt: at + ABSOLUTE, authenticatedAt: at, user: JSON.stringify({ id: userId }) };
    expect(await writer.createUserBound(key, session, { now: at, idleTimeoutMs: IDLE }, ABSOLUTE)).toMatchObject({ status: 'created' });
    expect(await inspect.zRem(keys.index(key.shopId, userId), key.handle)).toBe(1);
    await inspect.set(keys.revoked(key.shopId, userId), String(at + 1));
    return { key, ttlBefore: await inspect.pTTL(keys.session(key)) };
  }

  it.each([
    ['a first resolve on a fresh instance (touchAfter 60 s)', 60_000],
    ['a resolve that slides (touchAfter 0)', 0],
  ])('%s refuses the session and deletes it, never extending it', async (_, touchAfterMs) => {
    const { key, ttlBefore } = await revokedBehindTheIndex('u-behind');
    expect(ttlBefore).toBeGreaterThan(0);
    const repo = await freshRepository();
    expect(await repo.resolve(key, { now: Date.now(), idleTimeoutMs: IDLE, touchAfterMs })).toBeNull();
    expect(await inspect.exists(keys.session(key))).toBe(0);
    // Another fresh instance finds nothing either.
    expect(await (await freshRepository()).resolve(key, { now: Date.now(), idleTimeoutMs: IDLE, touchAfterMs })).toBeNull();
  });

  it('still returns, and slides, a session authenticated after the mark', async () => {
    const key = userKey('u-after');
    const now = Date.now();
    await inspect.set(keys.revoked(key.shopId, 'u-after'), String(now - 10_000));
    const session: StoredSession = { createdAt: now, absoluteExpiresAt: now + ABSOLUTE, authenticatedAt: now, user: '{"id":"u-after"}' };
    await writer.createUserBound(key, session, { now, idleTimeoutMs: 1_000 }, ABSOLUTE);
    const repo = await freshRepository();
    const found = await repo.resolve(key, { now: Date.now(), idleTimeoutMs: IDLE, touchAfterMs: 0 });
    expect(found).toMatchObject({ extended: true, session: { authenticatedAt: now } });
    expect(await inspect.pTTL(keys.session(key))).toBeGreaterThan(IDLE - 5_000);
  });

  it('refuses a session authenticated exactly at the mark only if the mark is later (a mark equal to the login keeps it)', async () => {
    const key = userKey('u-equal');
    const now = Date.now();
    const session: StoredSession = { createdAt: now, absoluteExpiresAt: now + ABSOLUTE, authenticatedAt: now, user: '{"id":"u-equal"}' };
    await writer.createUserBound(key, session, { now, idleTimeoutMs: IDLE }, ABSOLUTE);
    await inspect.set(keys.revoked(key.shopId, 'u-equal'), String(now));
    expect(await (await freshRepository()).resolve(key, { now: Date.now(), idleTimeoutMs: IDLE, touchAfterMs: 0 })).not.toBeNull();
    await inspect.set(keys.revoked(key.shopId, 'u-equal'), String(now + 1));
    expect(await (await freshRepository()).resolve(key, { now: Date.now(), idleTimeoutMs: IDLE, touchAfterMs: 0 })).toBeNull();
  });
});

describe('redis session scripts: merge once per guest session, and the absolute timeout', () => {
  const IDLE = 60_000;
  const ABSOLUTE = 3_600_000;
  const keys = new SessionKeys('test');
  const opened: Array<{ close(): Promise<void> }> = [];
  let inspect: ReturnType<typeof createClient>;

  const freshRepository = async () => {
    const store = await connectRedisStore(redis.url);
    opened.push(store);
    return new RedisSessionRepository(store.calls);
  };
  beforeAll(async () => {
    inspect = createClient({ url: redis.url });
    await inspect.connect();
  });
  afterAll(async () => {
    await inspect.quit();
    await Promise.all(opened.map((s) => s.close()));
  });

  const userKey = (shopId: string, userId: string): SessionKey => ({ shopId, handle: sessionHandle(`${userId}:${randomUUID()}`), userId });
  const loginRecord = (userId: string, now = Date.now()): StoredSession => ({
    createdAt: now, absoluteExpiresAt: now + ABSOLUTE, authenticatedAt: now, user: JSON.stringify({ id: userId }),
  });
  const mergeOf = (guestHandle: string, cartVersion: number, lines: number) => ({
    guestHandle,
    cart: { expectedVersion: cartVersion, json: JSON.stringify({ lines: Array.from({ length: lines }, (_, i) => ({ productId: `p${i}` })) }) },
    wishlist: { expectedVersion: 0, json: null },
    basketTtlMs: 600_000,
    markerTtlMs: 300_000,
  });

  it('applies the merge of one guest session once: a second login with the same guest changes nothing, another guest merges', async () => {
    const shopId = `mg-${randomUUID()}`;
    const repo = await freshRepository();
    const cartKey = keys.basket({ shopId, userId: 'u-merge' }, 'cart');
    const guest = sessionHandle(randomUUID());
    const clock = { now: Date.now(), idleTimeoutMs: IDLE };

    expect(await repo.createUserBound(userKey(shopId, 'u-merge'), loginRecord('u-merge'), clock, ABSOLUTE, mergeOf(guest, 0, 2))).toEqual({ status: 'created', merged: true });
    expect(await inspect.get(cartKey)).toMatch(/^1\|/);
    const marker = keys.mergedMarker(shopId, 'u-merge', guest);
    expect(await inspect.exists(marker)).toBe(1);
    const markerTtl = await inspect.pTTL(marker);
    expect(markerTtl).toBeGreaterThan(250_000);
    expect(markerTtl).toBeLessThanOrEqual(300_000);

    // The same guest again (a second tab, a retried login; even computed from the current version): no second merge.
    const again = await (await freshRepository()).createUserBound(userKey(shopId, 'u-merge'), loginRecord('u-merge'), clock, ABSOLUTE, mergeOf(guest, 1, 5));
    expect(again).toEqual({ status: 'created', merged: false });
    expect(await inspect.get(cartKey)).toMatch(/^1\|/);
    expect(JSON.parse((await inspect.get(cartKey))!.split('|').slice(1).join('|')).lines).toHaveLength(2);

    // Another guest session of the same customer merges.
    const other = sessionHandle(randomUUID());
    expect(await repo.createUserBound(userKey(shopId, 'u-merge'), loginRecord('u-merge'), clock, ABSOLUTE, mergeOf(other, 1, 3))).toEqual({ status: 'created', merged: true });
    expect(await inspect.get(cartKey)).toMatch(/^2\|/);
  });

  it('answers conflict, writing nothing, when the customer cart moved since the merge was computed', async () => {
    const shopId = `mg-${randomUUID()}`;
    const repo = await freshRepository();
    const guest = sessionHandle(randomUUID());
    const key = userKey(shopId, 'u-moved');
    const outcome = await repo.createUserBound(key, loginRecord('u-moved'), { now: Date.now(), idleTimeoutMs: IDLE }, ABSOLUTE, mergeOf(guest, 3, 1));
    expect(outcome).toEqual({ status: 'conflict' });
    expect(await inspect.exists([keys.session(key), keys.mergedMarker(shopId, 'u-moved', guest), keys.basket({ shopId, userId: 'u-moved' }, 'cart')])).toBe(0);
  });

  describe('a session past its absolute expiry is gone, whatever its key TTL says', () => {
    async function expiredAbsolutely(): Promise<{ key: SessionKey; writer: RedisSessionRepository; at: number }> {
      const writer = await freshRepository();
      const key = userKey(`abs-${randomUUID()}`, 'u-abs');
      const now = Date.now();
      // Absolute end in 200 ms, but the key is kept alive well past it (as a slide racing the end could).
      const record = { ...loginRecord('u-abs', now), absoluteExpiresAt: now + 200 };
      await writer.createUserBound(key, record, { now, idleTimeoutMs: IDLE }, ABSOLUTE);
      await inspect.pExpire(keys.session(key), IDLE);
      return { key, writer, at: now + 200 };
    }

    it('through the script (a fresh instance, sliding allowed): null, deleted, not extended', async () => {
      const { key, at } = await expiredAbsolutely();
      const found = await (await freshRepository()).resolve(key, { now: at + 1, idleTimeoutMs: IDLE, touchAfterMs: 0 });
      expect(found).toBeNull();
      expect(await inspect.exists(keys.session(key))).toBe(0);
      expect(await inspect.zScore(keys.index(key.shopId, 'u-abs'), key.handle)).toBeNull();
    });

    it('on the instance that created it: found just before the end (a plain read), gone at the end', async () => {
      const { key, writer, at } = await expiredAbsolutely();
      expect(await writer.resolve(key, { now: at - 100, idleTimeoutMs: IDLE, touchAfterMs: IDLE })).not.toBeNull();
      expect(await writer.resolve(key, { now: at, idleTimeoutMs: IDLE, touchAfterMs: IDLE })).toBeNull();
    });

    it('a slide never goes past the absolute expiry', async () => {
      const key = userKey(`abs-${randomUUID()}`, 'u-abs');
      const now = Date.now();
      const record = { ...loginRecord('u-abs', now), absoluteExpiresAt: now + 5_000 };
      await (await freshRepository()).createUserBound(key, record, { now, idleTimeoutMs: 1_000 }, ABSOLUTE);
      const found = await (await freshRepository()).resolve(key, { now: Date.now(), idleTimeoutMs: IDLE, touchAfterMs: 0 });
      expect(found).toMatchObject({ extended: true, expiresAt: now + 5_000 });
      expect(await inspect.pTTL(keys.session(key))).toBeLessThanOrEqual(5_000);
    });
  });
});
