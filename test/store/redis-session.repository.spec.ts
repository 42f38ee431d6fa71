import { randomUUID } from 'node:crypto';
import { createClient } from 'redis';
import { COUNT_BUCKETS, RedisSessionRepository, SessionKeys, sessionHandle, type SessionKey, type StoredSession } from '#libs/session';
import { LuaScript } from '../../libs/session/src/store/redis/lua-script.js';
import { RESOLVE } from '../../libs/session/src/store/redis/session-scripts.js';
import { decodeSessionValue, encodeSessionValue } from '../../libs/session/src/store/redis/session-value.js';
import { RedisMonitor } from '../support/redis-monitor.js';
import { RedisServer, sleep } from '../support/redis-server.js';
import { connectRedisStore } from '../support/redis-store-connection.js';
import { sessionEventsContract } from './session-events.contract.js';
import { sessionRepositoryContract } from './session-repository.contract.js';

const IDLE = 60_000;
const ABSOLUTE = 3_600_000;
const keys = new SessionKeys('test'); // connectRedisStore's prefix

/** The key that holds a user-bound session: the user's primary key when its value names the handle, else the session's own. */
async function storedAt(inspect: ReturnType<typeof createClient>, key: SessionKey): Promise<string> {
  const primary = keys.primarySession(key.shopId, key.userId!);
  const value = await inspect.get(primary);
  return value !== null && decodeSessionValue(value).h === key.handle ? primary : keys.session(key);
}

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
sessionEventsContract(
  'redis',
  async () => {
    const store = await connectRedisStore(redis.url);
    return new RedisSessionRepository(store.calls);
  },
  (repo) => repo.close(),
);

/**
 * Repositories each on a connection of their own, as freshly started instances have (they have
 * seen no expiry), and an inspecting client; everything opened is closed after the block.
 */
function freshRepositories(): { fresh(): Promise<RedisSessionRepository>; inspect(): ReturnType<typeof createClient> } {
  const opened: Array<{ close(): Promise<void> }> = [];
  let inspect: ReturnType<typeof createClient>;
  beforeAll(async () => {
    inspect = createClient({ url: redis.url });
    await inspect.connect();
  });
  afterAll(async () => {
    await inspect.quit();
    await Promise.all(opened.map((s) => s.close()));
  });
  return {
    async fresh() {
      const store = await connectRedisStore(redis.url);
      opened.push(store);
      return new RedisSessionRepository(store.calls);
    },
    inspect: () => inspect,
  };
}

describe('redis sessions: round trips, Redis time, counts', () => {
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
  const record = (extra: Partial<StoredSession> = {}, now = Date.now()): StoredSession => ({
    createdAt: now,
    absoluteExpiresAt: now + ABSOLUTE,
    ...extra,
  });
  const userKey = (shopId: string, userId = 'u-st'): SessionKey => ({ shopId, handle: sessionHandle(`${userId}:${randomUUID()}`), userId });
  const login = (r: RedisSessionRepository, key: SessionKey, at = clock()) =>
    r.createUserBound(key, record({ authenticatedAt: at.now, user: `{"id":"${key.userId}"}` }, at.now), at, ABSOLUTE);

  it('resolves a session that does not slide with one MGET and the PEXPIRETIME of where it is (or may be, on a replica that has not seen it); a slide adds plain commands, no script', async () => {
    const first = userKey(newShop());
    const second = { ...userKey(first.shopId) };
    await login(repo, first);
    await login(repo, second);
    const primary = keys.primarySession(first.shopId, 'u-st');
    expect(await storedAt(inspect, first)).toBe(primary);
    expect(await storedAt(inspect, second)).toBe(keys.session(second));
    await other.resolve(userKey(newShop()), clock(IDLE)); // both replicas have their clock offset
    for (const [key, place] of [
      [first, primary],
      [second, keys.session(second)],
    ] as const) {
      // A replica that has not seen the session looks in both places a user-bound session may be.
      expect(await monitor.roundTripsOf(() => other.resolve(key, clock(IDLE)))).toEqual([
        expect.stringContaining(`"MGET" "${keys.session(key)}" "${primary}" "${keys.revoked(key.shopId, 'u-st')}"`),
        expect.stringContaining(`"PEXPIRETIME" "${keys.session(key)}"`),
        expect.stringContaining(`"PEXPIRETIME" "${primary}"`),
      ]);
      // Once it has (or made it), only where it is: a session never moves.
      for (const replica of [other, repo]) {
        expect(await monitor.roundTripsOf(() => replica.resolve(key, clock(IDLE)))).toEqual([
          expect.stringContaining(`"MGET" "${place}" "${keys.revoked(key.shopId, 'u-st')}"`),
          expect.stringContaining(`"PEXPIRETIME" "${place}"`),
        ]);
      }
    }

    await sleep(5);
    // The primary session has no index entry: its slide is the expiry alone.
    const slidFirst = await monitor.roundTripsOf(async () => expect(await repo.resolve(first, clock(0))).toMatchObject({ extended: true }));
    expect(slidFirst.map((l) => /\] "(\w+)"/.exec(l)![1]!.toUpperCase())).toEqual(['MGET', 'PEXPIRETIME', 'PEXPIRE', 'PEXPIRETIME']);
    expect(slidFirst[2]).toContain(`"${primary}" "${IDLE}" "GT"`);

    const ttlBefore = await inspect.pTTL(keys.session(second));
    const scoreBefore = await inspect.zScore(keys.index(second.shopId, 'u-st'), second.handle);
    const slid = await monitor.roundTripsOf(async () => expect(await repo.resolve(second, clock(0))).toMatchObject({ extended: true }));
    const commands = slid.map((l) => /\] "(\w+)"/.exec(l)![1]!.toUpperCase());
    expect(commands).toEqual(['MGET', 'PEXPIRETIME', 'PEXPIRE', 'PEXPIRETIME', 'ZADD']);
    expect(slid[2]).toMatch(new RegExp(`"${IDLE}" "GT"$`)); // the idle timeout on Redis's clock
    expect(await inspect.pTTL(keys.session(second))).toBeGreaterThan(ttlBefore);
    expect(await inspect.zScore(keys.index(second.shopId, 'u-st'), second.handle)).toBeGreaterThan(scoreBefore!);
  });

  it('a slide never moves an expiry back: a replica that would slide less far than the key already expires leaves it', async () => {
    const key = userKey(newShop());
    await login(repo, key, clock(0));
    await sleep(5);
    // The other replica slides with a longer idle timeout; this one would move it to an earlier instant.
    expect(await other.resolve(key, { ...clock(0), idleTimeoutMs: 3 * IDLE })).toMatchObject({ extended: true });
    const stored = await storedAt(inspect, key);
    const far = await inspect.pExpireTime(stored);
    const mine = await repo.resolve(key, { ...clock(0), idleTimeoutMs: 2 * IDLE });
    expect(mine).toMatchObject({ extended: false });
    expect(await inspect.pExpireTime(stored)).toBe(far);
  });

  it('learns from the stored expiry, not from what it saw itself: after another replica slid, no script', async () => {
    const key = userKey(newShop());
    await login(repo, key);
    await sleep(5);
    expect((await other.resolve(key, clock(0)))!.extended).toBe(true);
    const sent = await monitor.roundTripsOf(() => repo.resolve(key, clock(1_000)));
    expect(sent).toEqual([expect.stringMatching(/"mget"/i), expect.stringMatching(/"pexpiretime"/i)]);
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
    await login(repo, userKey(shop)); // the user's primary session: the next one is indexed
    await login(repo, key);
    await inspect.zRem(keys.index(shop, 'u-st'), key.handle); // the force-logout's chunks will not see it
    await sleep(3);
    expect(await other.destroyForUser(shop, 'u-st', [], clock(), ABSOLUTE)).toBe(1); // the primary one
    expect(await inspect.exists(keys.session(key))).toBe(1);
    const script = new LuaScript(RESOLVE);
    const direct = await connectRedisStore(redis.url);
    const reply = await direct.calls
      .run(script, [keys.session(key), keys.revoked(shop, 'u-st'), keys.index(shop, 'u-st')], [String(IDLE), '0', key.handle])
      .finally(() => direct.close());
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
          // Far more than the offset's error (half the shortest round trip, a few ms under load), far less than the skew.
          await sleep(100);
          await repo.destroyForUser(shop, 'u-skew', [], clock(), ABSOLUTE);
          for (const { key, at } of received) {
            expect(
              await replica.createUserBound(key, record({ authenticatedAt: at, user: '{}' }, at), clock(0, skewed()), ABSOLUTE),
            ).toEqual({ status: 'revoked' });
          }
          expect(await repo.listForUser(shop, 'u-skew', clock())).toEqual([]);
          // Logins received after the force-logout returned are written, and resolve on both replicas.
          await sleep(100);
          const after = userKey(shop, 'u-skew');
          expect(await login(replica, after, clock(0, skewed()))).toEqual({ status: 'created', merged: false });
          expect(await repo.resolve(after, clock())).not.toBeNull();
          expect(await replica.resolve(after, clock(IDLE, skewed()))).not.toBeNull();
          // A session the replica made expires by Redis's clock: its cookie expiry is in the replica's time.
          const found = await replica.resolve(after, clock(IDLE, skewed()));
          expect(Math.abs(found!.expiresAt - (skewed() + IDLE))).toBeLessThan(1_000);
          const ttl = await inspect.pTTL(await storedAt(inspect, after));
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
      expect([...(await repo.stats(shops, Date.now())).values()]).toEqual([
        { loggedIn: 0, guests: 1 },
        { loggedIn: 1, guests: 0 },
      ]);
    });
    expect(sent.filter((l) => /"evalsha"/i.test(l))).toHaveLength(2 * 2 * COUNT_BUCKETS);
    expect(sent.filter((l) => /"(scan|keys|zrangebyscore|zremrangebyscore)"/i.test(l))).toEqual([]);
  });
});

describe("redis layout: a user's primary session, which has no index entry", () => {
  const repositories = freshRepositories();
  let inspect: ReturnType<typeof createClient>;
  let repo: RedisSessionRepository;
  beforeAll(async () => {
    inspect = repositories.inspect();
    repo = await repositories.fresh();
  });

  const shop = () => `pr-${randomUUID()}`;
  const userKey = (shopId: string, userId = 'u-pr'): SessionKey => ({ shopId, handle: sessionHandle(`${userId}:${randomUUID()}`), userId });
  const clock = (touchAfterMs = 0) => ({ now: Date.now(), idleTimeoutMs: IDLE, touchAfterMs });
  const login = (key: SessionKey, limit?: { max: number; policy: 'evict-oldest' | 'refuse' }) => {
    const now = Date.now();
    const session = { createdAt: now, absoluteExpiresAt: now + ABSOLUTE, authenticatedAt: now, user: `{"id":"${key.userId}"}` };
    return repo.createUserBound(key, session, { now, idleTimeoutMs: IDLE }, ABSOLUTE, limit ? { limit } : {});
  };
  /** Every key of the user's slot, without the prefix and tag. */
  const slotKeys = async (key: SessionKey) => {
    const tag = `{${key.shopId}|u:${key.userId}}`;
    return (await inspect.keys(`test:*${tag}*`)).map((k) => k.replace(tag, '{}')).sort();
  };

  it("stores a user's only session as one key that names its handle; the next ones get their own key and the index", async () => {
    const first = userKey(shop());
    await login(first);
    expect(await slotKeys(first)).toEqual(['test:s:{}']);
    expect(decodeSessionValue((await inspect.get(keys.primarySession(first.shopId, 'u-pr')))!).h).toBe(first.handle);

    const second = userKey(first.shopId);
    await login(second);
    expect(await slotKeys(first)).toEqual(['test:ix:{}', 'test:s:{}', `test:s:{}:${second.handle}`]);
    expect(await inspect.zRange(keys.index(first.shopId, 'u-pr'), 0, -1)).toEqual([second.handle]);
    expect(await repo.resolve(first, clock())).not.toBeNull();
    expect(await repo.resolve(second, clock())).not.toBeNull();
  });

  it('lists the primary session with its last-seen from its expiry, and the others from the index', async () => {
    const first = userKey(shop());
    const second = userKey(first.shopId);
    const before = Date.now();
    await login(first);
    await login(second);
    await sleep(20);
    await repo.resolve(first, clock(0)); // a slide: seen now
    const seenAt = Date.now();
    const list = await repo.listForUser(first.shopId, 'u-pr', clock());
    expect(list.map((s) => s.handle).sort()).toEqual([first.handle, second.handle].sort());
    const primary = list.find((s) => s.handle === first.handle)!;
    // Instants cross Redis's clock and back (a few ms each way under load).
    expect(primary.lastSeenAt).toBeGreaterThanOrEqual(before + 20 - 50);
    expect(primary.lastSeenAt).toBeLessThanOrEqual(seenAt + 50);
    expect(primary.expiresAt - primary.lastSeenAt).toBe(IDLE);
  });

  it('a re-authentication keeps the primary session in its key under the new handle; the index is not touched', async () => {
    const first = userKey(shop());
    const second = userKey(first.shopId);
    await login(first);
    await login(second);
    const to = sessionHandle(`u-pr:${randomUUID()}`);
    expect((await repo.rotate(first, to, { authMethod: 'trusted' }, clock())).status).toBe('rotated');
    expect(decodeSessionValue((await inspect.get(keys.primarySession(first.shopId, 'u-pr')))!).h).toBe(to);
    expect(await inspect.zRange(keys.index(first.shopId, 'u-pr'), 0, -1)).toEqual([second.handle]);
    expect(await repo.resolve(first, clock())).toBeNull();
    expect(await repo.resolve({ ...first, handle: to }, clock())).not.toBeNull();
  });

  it('a force-logout ends the primary session unless kept, and keeps it when asked', async () => {
    const first = userKey(shop());
    const second = userKey(first.shopId);
    await login(first);
    await login(second);
    await sleep(3);
    expect(await repo.destroyForUser(first.shopId, 'u-pr', [first.handle], clock(), ABSOLUTE)).toBe(1);
    expect(await repo.resolve(first, clock())).not.toBeNull();
    expect(await repo.resolve(second, clock())).toBeNull();
    await sleep(3);
    expect(await repo.destroyForUser(first.shopId, 'u-pr', [], clock(), ABSOLUTE)).toBe(1);
    expect(await slotKeys(first)).toEqual(['test:rv:{}']);
  });

  it('the limit evicts the primary session when it is the least recently seen, and the login takes its key', async () => {
    const limit = { max: 2, policy: 'evict-oldest' as const };
    const a = userKey(shop());
    const [b, c] = [userKey(a.shopId), userKey(a.shopId)];
    await login(a, limit);
    await sleep(5);
    await login(b, limit);
    await sleep(5);
    expect(await login(c, limit)).toEqual({ status: 'created', merged: false });
    expect(await repo.resolve(a, clock())).toBeNull();
    expect(decodeSessionValue((await inspect.get(keys.primarySession(a.shopId, 'u-pr')))!).h).toBe(c.handle);
    expect((await repo.listForUser(a.shopId, 'u-pr', clock())).map((s) => s.handle).sort()).toEqual([b.handle, c.handle].sort());
  });

  it('a replica that remembers where a session was finds nothing once it is gone, also when another login took its key', async () => {
    const first = userKey(shop());
    await login(first);
    const replica = await repositories.fresh();
    expect(await replica.resolve(first, clock())).not.toBeNull(); // it now remembers the primary key
    expect(await repo.destroy(first)).toBe(true);
    const next = userKey(first.shopId);
    await login(next); // takes the primary key
    expect(await replica.resolve(first, clock())).toBeNull();
    expect(await replica.peek(first)).toBeNull();
    expect(await replica.resolve(next, clock())).not.toBeNull();
  });

  it('with primarySessions off (while earlier releases still run), logins take own keys and the index; primary sessions are still served', async () => {
    const first = userKey(shop());
    await login(first); // in the primary key, written while it was on
    const store = await connectRedisStore(redis.url);
    const off = new RedisSessionRepository(store.calls, Date.now, undefined, { primarySessions: false });
    try {
      const now = Date.now();
      const session = { createdAt: now, absoluteExpiresAt: now + ABSOLUTE, authenticatedAt: now, user: '{"id":"u-pr"}' };
      const other = userKey(shop());
      expect(await off.createUserBound(other, session, { now, idleTimeoutMs: IDLE }, ABSOLUTE)).toMatchObject({ status: 'created' });
      expect(await slotKeys(other)).toEqual(['test:ix:{}', `test:s:{}:${other.handle}`]);
      expect(await off.resolve(other, clock())).not.toBeNull();
      expect(await off.resolve(first, clock())).not.toBeNull();
      expect((await off.listForUser(first.shopId, 'u-pr', clock())).map((s) => s.handle)).toEqual([first.handle]);
    } finally {
      await off.close();
    }
  });

  it('sessions stored before this layout (own keys, all indexed) keep working, and the next login takes the primary key', async () => {
    const first = userKey(shop());
    await login(first);
    // As the former layout stored it: the session under its own key, in the index.
    const primary = keys.primarySession(first.shopId, 'u-pr');
    const value = (await inspect.get(primary))!;
    const { h: _h, ...fields } = decodeSessionValue(value);
    await inspect.set(keys.session(first), encodeSessionValue(fields), { PXAT: await inspect.pExpireTime(primary) });
    await inspect.zAdd(keys.index(first.shopId, 'u-pr'), { score: Date.now(), value: first.handle });
    await inspect.del(primary);

    // A replica that has not seen it (the one that wrote it remembers the primary key).
    const unseen = await repositories.fresh();
    expect(await unseen.resolve(first, clock())).not.toBeNull();
    const next = userKey(first.shopId);
    await login(next);
    expect(decodeSessionValue((await inspect.get(primary))!).h).toBe(next.handle);
    expect((await unseen.listForUser(first.shopId, 'u-pr', clock())).map((s) => s.handle).sort()).toEqual(
      [first.handle, next.handle].sort(),
    );
    await sleep(3);
    expect(await unseen.destroyForUser(first.shopId, 'u-pr', [], clock(), ABSOLUTE)).toBe(2);
  });
});

describe("redis resolve script: the user's revocation mark, when the per-user index missed the session", () => {
  const repositories = freshRepositories();
  const freshRepository = repositories.fresh;
  let inspect: ReturnType<typeof createClient>;
  let writer: RedisSessionRepository;

  beforeAll(async () => {
    inspect = repositories.inspect();
    writer = await freshRepository();
  });

  const userKey = (userId: string): SessionKey => ({
    shopId: `rv-${randomUUID()}`,
    handle: sessionHandle(`${userId}:${randomUUID()}`),
    userId,
  });
  /** A session the index does not list, and a revocation mark after its login, set straight in Redis. */
  async function revokedBehindTheIndex(userId: string): Promise<{ key: SessionKey; ttlBefore: number }> {
    const key = userKey(userId);
    const at = Date.now() - 5_000;
    const session: StoredSession = {
      createdAt: at,
      absoluteExpiresAt: at + ABSOLUTE,
      authenticatedAt: at,
      user: JSON.stringify({ id: userId }),
    };
    // The user's primary session, so that the one under test is indexed; the mark ends both.
    const primary = { ...key, handle: sessionHandle(`${userId}:${randomUUID()}`) };
    expect(await writer.createUserBound(primary, session, { now: at, idleTimeoutMs: IDLE }, ABSOLUTE)).toMatchObject({ status: 'created' });
    expect(await writer.createUserBound(key, session, { now: at, idleTimeoutMs: IDLE }, ABSOLUTE)).toMatchObject({ status: 'created' });
    expect(await inspect.zRem(keys.index(key.shopId, userId), key.handle)).toBe(1);
    const stamp = decodeSessionValue((await inspect.get(keys.session(key)))!).a as number; // the login's instant, on Redis's clock
    await inspect.set(keys.revoked(key.shopId, userId), String(stamp + 1));
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
    expect(found).toMatchObject({ extended: true });
    // Instants cross Redis's clock and back: each instance's offset is good to half the shortest
    // round trip seen (a few ms under load; 50 allowed).
    expect(Math.abs(found!.session.authenticatedAt! - now)).toBeLessThanOrEqual(50);
    expect(await inspect.pTTL(await storedAt(inspect, key))).toBeGreaterThan(IDLE - 5_000);
  });

  it('refuses a session authenticated exactly at the mark only if the mark is later (a mark equal to the login keeps it)', async () => {
    const key = userKey('u-equal');
    const now = Date.now();
    const session: StoredSession = { createdAt: now, absoluteExpiresAt: now + ABSOLUTE, authenticatedAt: now, user: '{"id":"u-equal"}' };
    await writer.createUserBound(key, session, { now, idleTimeoutMs: IDLE }, ABSOLUTE);
    // The stored stamp is on Redis's clock (the login's instant, translated): marks are set against it.
    const stamp = decodeSessionValue((await inspect.get(await storedAt(inspect, key)))!).a as number;
    await inspect.set(keys.revoked(key.shopId, 'u-equal'), String(stamp));
    expect(await (await freshRepository()).resolve(key, { now: Date.now(), idleTimeoutMs: IDLE, touchAfterMs: 0 })).not.toBeNull();
    await inspect.set(keys.revoked(key.shopId, 'u-equal'), String(stamp + 1));
    expect(await (await freshRepository()).resolve(key, { now: Date.now(), idleTimeoutMs: IDLE, touchAfterMs: 0 })).toBeNull();
  });
});

describe('redis session scripts: merge once per guest session, and the absolute timeout', () => {
  const repositories = freshRepositories();
  const freshRepository = repositories.fresh;
  let inspect: ReturnType<typeof createClient>;
  beforeAll(() => {
    inspect = repositories.inspect();
  });

  const userKey = (shopId: string, userId: string): SessionKey => ({ shopId, handle: sessionHandle(`${userId}:${randomUUID()}`), userId });
  const loginRecord = (userId: string, now = Date.now()): StoredSession => ({
    createdAt: now,
    absoluteExpiresAt: now + ABSOLUTE,
    authenticatedAt: now,
    user: JSON.stringify({ id: userId }),
  });
  const mergeOf = (guestHandle: string, cartVersion: number, lines: number) => ({
    guestHandle,
    cart: {
      expectedVersion: cartVersion,
      json: JSON.stringify({ lines: Array.from({ length: lines }, (_, i) => ({ productId: `p${i}` })) }),
    },
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

    expect(
      await repo.createUserBound(userKey(shopId, 'u-merge'), loginRecord('u-merge'), clock, ABSOLUTE, { merge: mergeOf(guest, 0, 2) }),
    ).toEqual({ status: 'created', merged: true });
    expect(await inspect.get(cartKey)).toMatch(/^1\|/);
    const marker = keys.mergedMarker(shopId, 'u-merge', guest);
    expect(await inspect.exists(marker)).toBe(1);
    const markerTtl = await inspect.pTTL(marker);
    expect(markerTtl).toBeGreaterThan(250_000);
    expect(markerTtl).toBeLessThanOrEqual(300_000);

    // The same guest again (a second tab, a retried login; even computed from the current version): no second merge.
    const again = await (
      await freshRepository()
    ).createUserBound(userKey(shopId, 'u-merge'), loginRecord('u-merge'), clock, ABSOLUTE, { merge: mergeOf(guest, 1, 5) });
    expect(again).toEqual({ status: 'created', merged: false });
    expect(await inspect.get(cartKey)).toMatch(/^1\|/);
    expect(JSON.parse((await inspect.get(cartKey))!.split('|').slice(1).join('|')).lines).toHaveLength(2);

    // Another guest session of the same customer merges.
    const other = sessionHandle(randomUUID());
    expect(
      await repo.createUserBound(userKey(shopId, 'u-merge'), loginRecord('u-merge'), clock, ABSOLUTE, { merge: mergeOf(other, 1, 3) }),
    ).toEqual({ status: 'created', merged: true });
    expect(await inspect.get(cartKey)).toMatch(/^2\|/);
  });

  it('answers conflict, writing nothing, when the customer cart moved since the merge was computed', async () => {
    const shopId = `mg-${randomUUID()}`;
    const repo = await freshRepository();
    const guest = sessionHandle(randomUUID());
    const key = userKey(shopId, 'u-moved');
    const outcome = await repo.createUserBound(key, loginRecord('u-moved'), { now: Date.now(), idleTimeoutMs: IDLE }, ABSOLUTE, {
      merge: mergeOf(guest, 3, 1),
    });
    expect(outcome).toEqual({ status: 'conflict' });
    expect(
      await inspect.exists([
        keys.session(key),
        keys.primarySession(shopId, 'u-moved'),
        keys.mergedMarker(shopId, 'u-moved', guest),
        keys.basket({ shopId, userId: 'u-moved' }, 'cart'),
      ]),
    ).toBe(0);
  });

  describe('a session past its absolute expiry is gone, whatever its key TTL says', () => {
    async function expiredAbsolutely(): Promise<{ key: SessionKey; stored: string; writer: RedisSessionRepository; at: number }> {
      const writer = await freshRepository();
      const key = userKey(`abs-${randomUUID()}`, 'u-abs');
      const now = Date.now();
      // Absolute end in 200 ms, but the key is kept alive well past it (as a slide racing the end could).
      const record = { ...loginRecord('u-abs', now), absoluteExpiresAt: now + 200 };
      await writer.createUserBound(key, record, { now, idleTimeoutMs: IDLE }, ABSOLUTE);
      const stored = await storedAt(inspect, key);
      await inspect.pExpire(stored, IDLE);
      return { key, stored, writer, at: now + 200 };
    }

    // Redis's clock decides: the tests wait for the absolute end to pass rather than claim it has.
    const until = (at: number) => new Promise((r) => setTimeout(r, Math.max(0, at - Date.now()) + 20));

    it('through the script (a fresh instance, sliding allowed): null, deleted, not extended', async () => {
      const { key, stored, at } = await expiredAbsolutely();
      await until(at);
      const found = await (await freshRepository()).resolve(key, { now: Date.now(), idleTimeoutMs: IDLE, touchAfterMs: 0 });
      expect(found).toBeNull();
      expect(await inspect.exists(stored)).toBe(0);
      expect(await inspect.zScore(keys.index(key.shopId, 'u-abs'), key.handle)).toBeNull();
    });

    it('on the instance that created it: found just before the end (a plain read), gone at the end', async () => {
      const { key, stored, writer, at } = await expiredAbsolutely();
      expect(await writer.resolve(key, { now: Date.now(), idleTimeoutMs: IDLE, touchAfterMs: IDLE })).not.toBeNull();
      await until(at);
      expect(await writer.resolve(key, { now: Date.now(), idleTimeoutMs: IDLE, touchAfterMs: IDLE })).toBeNull();
      expect(await inspect.exists(stored)).toBe(0);
    });

    it('a slide never goes past the absolute expiry', async () => {
      const key = userKey(`abs-${randomUUID()}`, 'u-abs');
      const now = Date.now();
      const record = { ...loginRecord('u-abs', now), absoluteExpiresAt: now + 5_000 };
      await (await freshRepository()).createUserBound(key, record, { now, idleTimeoutMs: 1_000 }, ABSOLUTE);
      const found = await (await freshRepository()).resolve(key, { now: Date.now(), idleTimeoutMs: IDLE, touchAfterMs: 0 });
      expect(found).toMatchObject({ extended: true });
      expect(Math.abs(found!.expiresAt - (now + 5_000))).toBeLessThanOrEqual(50); // across two instances' clock offsets
      expect(await inspect.pTTL(await storedAt(inspect, key))).toBeLessThanOrEqual(5_000);
    });

    it('a slide whose idle end falls within a second of the absolute end goes to the absolute end exactly', async () => {
      const key = userKey(`abs-${randomUUID()}`, 'u-abs');
      const now = Date.now();
      const record = { ...loginRecord('u-abs', now), absoluteExpiresAt: now + IDLE + 500 };
      await (await freshRepository()).createUserBound(key, record, { now, idleTimeoutMs: 1_000 }, ABSOLUTE);
      expect(await (await freshRepository()).resolve(key, { now: Date.now(), idleTimeoutMs: IDLE, touchAfterMs: 0 })).toMatchObject({
        extended: true,
      });
      const stored = await storedAt(inspect, key);
      const absolute = decodeSessionValue((await inspect.get(stored))!).x;
      expect(await inspect.pExpireTime(stored)).toBe(absolute);
    });
  });
});

describe('redis session values: the former JSON form is still read, and every write stores the compact one', () => {
  const repositories = freshRepositories();
  let inspect: ReturnType<typeof createClient>;
  let repo: RedisSessionRepository;

  beforeAll(async () => {
    inspect = repositories.inspect();
    repo = await repositories.fresh();
  });

  /** Redis's clock now, in ms. */
  const redisNow = async () => (await inspect.time()).getTime();
  const user = JSON.stringify({ id: 'u-old', name: 'Former "JSON" Form', roles: [] });
  /** A user-bound session as the former encoding stored it (values are on Redis's clock), listed in its index. */
  async function legacyUserSession(): Promise<{ key: SessionKey; at: number }> {
    const key: SessionKey = { shopId: `lg-${randomUUID()}`, handle: sessionHandle(randomUUID()), userId: 'u-old' };
    const at = (await redisNow()) - 2_000;
    const value = JSON.stringify({ c: at, x: at + ABSOLUTE, e: at + IDLE, a: at, u: user, d: '{"note":"kept"}' });
    await inspect.set(keys.session(key), value, { PXAT: at + IDLE });
    await inspect.zAdd(keys.index(key.shopId, 'u-old'), { score: at, value: key.handle });
    return { key, at };
  }
  const clock = (touchAfterMs: number) => ({ now: Date.now(), idleTimeoutMs: IDLE, touchAfterMs });

  it('a plain read, a slide and the resolve script return a session stored in the former form', async () => {
    const { key, at } = await legacyUserSession();
    const read = await repo.resolve(key, clock(IDLE));
    expect(read).toMatchObject({ extended: false, session: { user, customData: '{"note":"kept"}' } });
    expect(Math.abs(read!.session.createdAt - at)).toBeLessThanOrEqual(50);
    expect(await inspect.get(keys.session(key))).toMatch(/^\{/);

    const slid = await (await repositories.fresh()).resolve(key, clock(0));
    expect(slid).toMatchObject({ extended: true, session: { user, customData: '{"note":"kept"}' } });
    // Past its absolute end by a caller's clock, it goes to the script, which reads it too (and, on Redis's clock, keeps it).
    const byScript = await (await repositories.fresh()).resolve(key, { ...clock(0), now: Date.now() + ABSOLUTE });
    expect(byScript).toMatchObject({ session: { user, customData: '{"note":"kept"}' } });
    expect(await inspect.get(keys.session(key))).toMatch(/^\{/); // nothing rewrote the value
  });

  it('a patch rewrites a session stored in the former form in the compact one', async () => {
    const { key, at } = await legacyUserSession();
    expect(await repo.patch(key, { hasBasket: true }, clock(0))).toBe(true);
    const stored = (await inspect.get(keys.session(key)))!;
    expect(stored).not.toMatch(/^\{/);
    expect(stored.endsWith(user)).toBe(true); // unescaped
    expect(decodeSessionValue(stored)).toMatchObject({ c: at, x: at + ABSOLUTE, a: at, u: user });
    expect(await repo.resolve(key, clock(IDLE))).toMatchObject({ session: { user, customData: '{"note":"kept"}' } });
  });

  it('patch, peek, list, logout and force-logout work on a session stored in the former form', async () => {
    const first = await legacyUserSession();
    expect(await repo.patch(first.key, { customData: '{"note":"new"}' }, clock(0))).toBe(true);
    expect(await inspect.get(keys.session(first.key))).not.toMatch(/^\{/);
    expect(await repo.peek(first.key)).toMatchObject({ session: { user, customData: '{"note":"new"}' } });

    const second = await legacyUserSession();
    expect(await repo.peek(second.key)).toMatchObject({ session: { user, customData: '{"note":"kept"}' } });
    expect((await repo.listForUser(second.key.shopId, 'u-old', clock(0))).map((s) => s.handle)).toEqual([second.key.handle]);
    expect(await repo.destroy(second.key)).toBe(true);

    const third = await legacyUserSession();
    const kept = { ...third.key, handle: sessionHandle(randomUUID()) };
    await inspect.set(
      keys.session(kept),
      JSON.stringify({ c: third.at, x: third.at + ABSOLUTE, e: third.at + IDLE, a: third.at - 1, u: user }),
      { PXAT: third.at + IDLE },
    );
    await inspect.zAdd(keys.index(kept.shopId, 'u-old'), { score: third.at, value: kept.handle });
    await sleep(3);
    expect(await repo.destroyForUser(third.key.shopId, 'u-old', [kept.handle], clock(0), ABSOLUTE)).toBe(1);
    expect(await inspect.exists(keys.session(third.key))).toBe(0);
    // The kept session was re-stamped past the mark, in the compact form.
    expect(await repo.resolve(kept, clock(0))).toMatchObject({ session: { user } });
    expect(await inspect.get(keys.session(kept))).not.toMatch(/^\{/);
  });

  it('the service and the scripts write the same text for the same session', async () => {
    const key: SessionKey = { shopId: `lg-${randomUUID()}`, handle: sessionHandle(randomUUID()), userId: null };
    const now = Date.now();
    await repo.create(
      key,
      { createdAt: now, absoluteExpiresAt: now + ABSOLUTE, hasBasket: true, customData: '{"ü":"€"}' },
      { now, idleTimeoutMs: IDLE },
    );
    const written = (await inspect.get(keys.session(key)))!; // encoded by the service
    expect(await repo.patch(key, { hasBasket: true }, clock(0))).toBe(true);
    expect(await inspect.get(keys.session(key))).toBe(written); // decoded and encoded again by the patch script
  });
});
