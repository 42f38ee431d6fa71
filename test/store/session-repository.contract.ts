import { randomUUID } from 'node:crypto';
import { sessionHandle, type SessionKey, type SessionLimit, type SessionRepository, type StoredSession } from '#libs/session';
import { sleep } from '../support/redis-server.js';

const IDLE = 60_000;
const ABSOLUTE = 3_600_000;

/**
 * The behaviour every SessionRepository backend must have. Time is real (Redis expires
 * keys on its own clock), so expiry cases use TTLs of a second or two, with margins of
 * several hundred milliseconds for a loaded machine.
 */
export function sessionRepositoryContract(
  name: string,
  open: () => Promise<SessionRepository>,
  close: (repo: SessionRepository) => Promise<void>,
): void {
  describe(`SessionRepository contract: ${name}`, () => {
    let repo: SessionRepository;
    beforeEach(async () => {
      repo = await open();
    });
    afterEach(() => close(repo));

    const clock = (idleTimeoutMs = IDLE) => ({ now: Date.now(), idleTimeoutMs });
    const guestKey = (shopId = 'shop-a'): SessionKey => ({ shopId, handle: sessionHandle(randomUUID()), userId: null });
    const userKey = (userId: string, shopId = 'shop-a'): SessionKey => ({
      shopId,
      handle: sessionHandle(`${userId}:${randomUUID()}`),
      userId,
    });
    const record = (extra: Partial<StoredSession> = {}, absoluteMs = ABSOLUTE, now = Date.now()): StoredSession => ({
      createdAt: now,
      absoluteExpiresAt: now + absoluteMs,
      ...extra,
    });
    // One instant for the record and the clock, as SessionManager.login does.
    const login = async (key: SessionKey, extra: Partial<StoredSession> = {}, c = clock()) =>
      repo.createUserBound(
        key,
        record({ authenticatedAt: c.now, user: JSON.stringify({ id: key.userId }), ...extra }, ABSOLUTE, c.now),
        c,
        ABSOLUTE,
      );

    /** Revocation marks and login stamps are ms: a mark in the same ms as a login spares it. */
    const msPass = () => sleep(3);
    const loginLimited = async (key: SessionKey, limit: SessionLimit, c = clock()) =>
      repo.createUserBound(
        key,
        record({ authenticatedAt: c.now, user: JSON.stringify({ id: key.userId }) }, ABSOLUTE, c.now),
        c,
        ABSOLUTE,
        { limit },
      );

    it('resolves nothing for an unknown session', async () => {
      expect(await repo.resolve(guestKey(), clock())).toBeNull();
      expect(await repo.resolve(userKey('u1'), clock())).toBeNull();
    });

    it('stores a guest session and resolves it with its idle expiry', async () => {
      const key = guestKey();
      const c = clock();
      await repo.create(key, record({ customData: '{"a":[]}' }), c);
      const got = await repo.resolve(key, clock());
      expect(got?.session.customData).toBe('{"a":[]}');
      expect(got!.expiresAt).toBeGreaterThanOrEqual(c.now + IDLE);
      expect(await repo.resolve({ ...key, shopId: 'shop-b' }, clock())).toBeNull();
    });

    it('slides the idle timeout on resolve, and lets an untouched session expire', async () => {
      const touched = guestKey();
      const untouched = guestKey();
      // An idle timeout of 2 s checked every 1.2 s: a call may land 800 ms late (a busy
      // machine) and still find the touched session; the untouched one is 400 ms past expiry.
      await repo.create(touched, record({ customData: '{}' }), clock(2000));
      await repo.create(untouched, record({ customData: '{}' }), clock(2000));
      await sleep(1200);
      expect(await repo.resolve(touched, clock(2000))).not.toBeNull();
      await sleep(1200);
      expect(await repo.resolve(touched, clock(2000))).not.toBeNull();
      expect(await repo.resolve(untouched, clock(2000))).toBeNull();
    });

    it('slides only when that moves the expiry by at least touchAfterMs', async () => {
      const CLOCK_ESTIMATE_MS = 5;
      const key = userKey('u-touch');
      await login(key);
      const lazy = { ...clock(), touchAfterMs: 10_000 };
      const first = await repo.resolve(key, lazy);
      expect(first).toMatchObject({ extended: false });
      await sleep(20);
      const eager = await repo.resolve(key, { ...clock(), touchAfterMs: 0 });
      expect(eager!.extended).toBe(true);
      expect(eager!.expiresAt).toBeGreaterThan(first!.expiresAt);
      const [listed] = await repo.listForUser('shop-a', 'u-touch', clock());
      // Redis sets the slid expiry on its own clock; the index's last-seen is the replica's
      // estimate of that clock (ServerClock: within its best sample's round trip, a few ms at most).
      expect(listed!.lastSeenAt).toBeGreaterThanOrEqual(eager!.expiresAt - IDLE - CLOCK_ESTIMATE_MS);
    });

    it('never slides past the absolute expiry', async () => {
      const key = userKey('u-abs');
      // 1 s of life: enough for the login and first resolve to land on a loaded machine.
      const absoluteExpiresAt = Date.now() + 1_000;
      await login(key, { absoluteExpiresAt });
      const got = await repo.resolve(key, clock());
      expect(got!.expiresAt).toBeLessThanOrEqual(absoluteExpiresAt + 250); // not the 60 s idle expiry; Redis reports it through PTTL
      await sleep(absoluteExpiresAt + 400 - Date.now());
      expect(await repo.resolve(key, clock())).toBeNull();
      expect(await repo.listForUser('shop-a', 'u-abs', clock())).toEqual([]);
    });

    it('patches fields of an existing session and keeps the others', async () => {
      const key = userKey('u-patch');
      await login(key, { customData: '{"x":1}' });
      expect(await repo.patch(key, { user: '{"id":"u-patch","n":2}' }, clock())).toBe(true);
      let got = await repo.resolve(key, clock());
      expect(got?.session).toMatchObject({ user: '{"id":"u-patch","n":2}', customData: '{"x":1}' });
      expect(await repo.patch(key, { customData: null }, clock())).toBe(true);
      got = await repo.resolve(key, clock());
      expect(got?.session.customData).toBeUndefined();
      expect(got?.session.user).toBe('{"id":"u-patch","n":2}');
    });

    it('never re-creates a destroyed session on patch, unless seeded (guests)', async () => {
      const key = userKey('u-gone');
      await login(key);
      await repo.destroy(key);
      expect(await repo.patch(key, { user: '{"id":"u-gone"}' }, clock())).toBe(false);
      expect(await repo.resolve(key, clock())).toBeNull();

      const guest = guestKey();
      expect(await repo.patch(guest, { customData: '{"k":"v"}' }, clock(), record())).toBe(true);
      expect((await repo.resolve(guest, clock()))?.session.customData).toBe('{"k":"v"}');
    });

    it('destroys one session and reports whether it existed', async () => {
      const guest = guestKey();
      await repo.create(guest, record({ customData: '{}' }), clock());
      expect(await repo.destroy(guest)).toBe(true);
      expect(await repo.destroy(guest)).toBe(false);
      const user = userKey('u-d');
      await login(user);
      expect(await repo.destroy(user)).toBe(true);
      expect(await repo.listForUser('shop-a', 'u-d', clock())).toEqual([]);
    });

    it("leaves a destroyed session gone when its user logs in again: no call with its handle reaches the user's new session", async () => {
      const old = userKey('u-again');
      await login(old);
      expect(await repo.destroy(old)).toBe(true);
      const next = userKey('u-again');
      await login(next, { customData: '{"n":1}' });
      expect(await repo.resolve(old, clock())).toBeNull();
      expect(await repo.peek(old)).toBeNull();
      expect(await repo.patch(old, { customData: '{"n":2}' }, clock())).toBe(false);
      expect(await repo.destroy(old)).toBe(false);
      expect((await repo.rotate(old, sessionHandle(`u-again:${randomUUID()}`), { authMethod: 'trusted' }, clock())).status).toBe('gone');
      expect(await repo.resolve(next, clock())).toMatchObject({ session: { customData: '{"n":1}' } });
      expect((await repo.listForUser('shop-a', 'u-again', clock())).map((s) => s.handle)).toEqual([next.handle]);
    });

    it("lists a user's live sessions in one shop with their times", async () => {
      const a = userKey('u-list');
      const b = userKey('u-list');
      await login(a);
      await login(b);
      await login(userKey('u-list', 'shop-b'));
      await login(userKey('someone-else'));
      const list = await repo.listForUser('shop-a', 'u-list', clock());
      expect(list.map((s) => s.handle).sort()).toEqual([a.handle, b.handle].sort());
      for (const s of list) {
        expect(s.createdAt).toBeLessThanOrEqual(s.lastSeenAt);
        expect(s.expiresAt).toBeGreaterThan(Date.now());
      }
    });

    it('prunes index entries of sessions that idled out', async () => {
      const key = userKey('u-idle');
      await login(key, {}, clock(200));
      await sleep(600); // 400 ms past the idle timeout, for a login that reached Redis late
      expect(await repo.listForUser('shop-a', 'u-idle', clock(200))).toEqual([]);
      expect(await repo.destroyForUser('shop-a', 'u-idle', [], clock(200), ABSOLUTE)).toBe(0);
    });

    it("destroys all of a user's sessions in the shop except the ones kept, and counts them", async () => {
      const keep = userKey('u-many');
      const others = [userKey('u-many'), userKey('u-many'), userKey('u-many')];
      const otherShop = userKey('u-many', 'shop-b');
      const otherUser = userKey('u-other');
      for (const k of [keep, ...others, otherShop, otherUser]) await login(k);

      await msPass();
      expect(await repo.destroyForUser('shop-a', 'u-many', [keep.handle], clock(), ABSOLUTE)).toBe(3);
      for (const k of others) expect(await repo.resolve(k, clock())).toBeNull();
      expect(await repo.resolve(keep, clock())).not.toBeNull();
      expect(await repo.resolve(otherShop, clock())).not.toBeNull();
      expect(await repo.resolve(otherUser, clock())).not.toBeNull();
      expect((await repo.listForUser('shop-a', 'u-many', clock())).map((s) => s.handle)).toEqual([keep.handle]);
      await msPass();
      expect(await repo.destroyForUser('shop-a', 'u-many', [], clock(), ABSOLUTE)).toBe(1);
      expect(await repo.resolve(keep, clock())).toBeNull();
    });

    it('refuses a login authenticated before a force-logout, and accepts one after it', async () => {
      const before = Date.now() - 5;
      await repo.destroyForUser('shop-a', 'u-race', [], clock(), ABSOLUTE);
      const late = userKey('u-race');
      expect(await repo.createUserBound(late, record({ authenticatedAt: before, user: '{"id":"u-race"}' }), clock(), ABSOLUTE)).toEqual({
        status: 'revoked',
      });
      expect(await repo.resolve(late, clock())).toBeNull();
      expect(await repo.listForUser('shop-a', 'u-race', clock())).toEqual([]);

      await sleep(5);
      const fresh = userKey('u-race');
      expect(await login(fresh)).toEqual({ status: 'created', merged: false });
      expect(await repo.resolve(fresh, clock())).not.toBeNull();
    });

    it('lets sessions kept by a force-logout survive its revocation mark', async () => {
      const kept = userKey('u-keep');
      await login(kept, { authenticatedAt: Date.now() - 1000 });
      await repo.destroyForUser('shop-a', 'u-keep', [kept.handle], clock(), ABSOLUTE);
      await sleep(5);
      expect(await repo.resolve(kept, clock())).not.toBeNull();
    });

    describe('the per-user session limit', () => {
      const alive = async (key: SessionKey) => (await repo.resolve(key, clock())) !== null;

      it('evict-oldest: a login at the limit ends the least recently seen session', async () => {
        const limit = { max: 3, policy: 'evict-oldest' as const };
        const [a, b, c, d] = [userKey('u-lim'), userKey('u-lim'), userKey('u-lim'), userKey('u-lim')];
        for (const k of [a, b, c]) {
          expect(await loginLimited(k, limit)).toEqual({ status: 'created', merged: false });
          await sleep(5);
        }
        expect((await repo.resolve(a, { ...clock(), touchAfterMs: 0 }))!.extended).toBe(true); // a is seen again: b is now the oldest
        await sleep(5);
        expect(await loginLimited(d, limit)).toEqual({ status: 'created', merged: false });
        expect(await alive(b)).toBe(false);
        for (const k of [a, c, d]) expect(await alive(k)).toBe(true);
        expect((await repo.listForUser('shop-a', 'u-lim', clock())).map((s) => s.handle).sort()).toEqual(
          [a, c, d].map((k) => k.handle).sort(),
        );
      });

      it('evict-oldest: the index never holds more than the limit', async () => {
        const limit = { max: 4, policy: 'evict-oldest' as const };
        const keys = Array.from({ length: 12 }, () => userKey('u-lim-many'));
        for (const k of keys) {
          await loginLimited(k, limit);
          await sleep(2); // last-seen times are ms: distinct ones make "oldest" well defined
        }
        const listed = await repo.listForUser('shop-a', 'u-lim-many', clock());
        expect(listed.map((s) => s.handle).sort()).toEqual(
          keys
            .slice(-4)
            .map((k) => k.handle)
            .sort(),
        );
        await msPass();
        expect(await repo.destroyForUser('shop-a', 'u-lim-many', [], clock(), ABSOLUTE)).toBe(4);
      });

      it('refuse: a login at the limit fails and writes nothing; sessions that ended do not count', async () => {
        const limit = { max: 2, policy: 'refuse' as const };
        const [a, b, c] = [userKey('u-refuse'), userKey('u-refuse'), userKey('u-refuse')];
        await loginLimited(a, limit);
        await loginLimited(b, limit);
        expect(await loginLimited(c, limit)).toEqual({ status: 'too-many' });
        expect(await alive(c)).toBe(false);
        expect(await alive(a)).toBe(true);
        await repo.destroy(a);
        expect(await loginLimited(c, limit)).toEqual({ status: 'created', merged: false });
        const short = userKey('u-refuse-idle');
        await loginLimited(short, { max: 1, policy: 'refuse' }, clock(200));
        await sleep(300);
        expect(await loginLimited(userKey('u-refuse-idle'), { max: 1, policy: 'refuse' })).toEqual({ status: 'created', merged: false });
      });
    });

    describe('users with more sessions than one chunk', () => {
      const many = async (userId: string, n: number) => {
        const keys: SessionKey[] = [];
        for (let i = 0; i < n; i++) {
          const k = userKey(userId);
          keys.push(k);
          await login(k);
        }
        return keys;
      };

      it('lists them all, and destroys them all but the kept one', async () => {
        const keys = await many('u-chunks', 450);
        expect((await repo.listForUser('shop-a', 'u-chunks', clock())).length).toBe(450);
        await msPass();
        expect(await repo.destroyForUser('shop-a', 'u-chunks', [keys[200]!.handle], clock(), ABSOLUTE)).toBe(449);
        expect((await repo.listForUser('shop-a', 'u-chunks', clock())).map((s) => s.handle)).toEqual([keys[200]!.handle]);
        for (const k of [keys[0]!, keys[199]!, keys[201]!, keys[449]!]) expect(await repo.resolve(k, clock())).toBeNull();
        expect(await repo.resolve(keys[200]!, clock())).not.toBeNull();
      });

      it('spares the logins that land while a force-logout is deleting, and no older session survives it', async () => {
        const old = await many('u-chunk-race', 450);
        await sleep(5);
        const destroying = repo.destroyForUser('shop-a', 'u-chunk-race', [], clock(), ABSOLUTE);
        await sleep(1);
        const fresh: SessionKey[] = [];
        const landing = (async () => {
          for (let i = 0; i < 20; i++) {
            const k = userKey('u-chunk-race');
            const c = clock();
            if (
              (await repo.createUserBound(k, record({ authenticatedAt: c.now, user: '{}' }, ABSOLUTE, c.now), c, ABSOLUTE)).status ===
              'created'
            )
              fresh.push(k);
          }
        })();
        await Promise.all([destroying, landing]);
        for (const k of old) expect(await repo.resolve(k, clock())).toBeNull();
        const survivors = (await repo.listForUser('shop-a', 'u-chunk-race', clock())).map((s) => s.handle);
        // A login refused as revoked was authenticated before the mark; every one written after it lives.
        expect(survivors.sort()).toEqual(fresh.map((k) => k.handle).sort());
        for (const k of fresh) expect(await repo.resolve(k, clock())).not.toBeNull();
      });
    });

    describe('session counts (stats)', () => {
      // A shop of its own per test: the Redis backends share one server.
      const newShop = () => `st-${randomUUID()}`;
      const counts = async (shopId: string, now = Date.now()) => (await repo.stats([shopId], now)).get(shopId);
      const none = { loggedIn: 0, guests: 0 };

      it('answers for every shop asked for, zero where nothing is stored', async () => {
        const [a, b] = [newShop(), newShop()];
        await repo.create(guestKey(a), record({ customData: '{}' }), clock());
        await login(userKey('u-st', a));
        const all = await repo.stats([a, b], Date.now());
        expect([...all.entries()]).toEqual([
          [a, { loggedIn: 1, guests: 1 }],
          [b, none],
        ]);
      });

      it('counts a stored guest, then the login that replaces it, then nothing once destroyed', async () => {
        const shop = newShop();
        const guest = guestKey(shop);
        await repo.create(guest, record({ customData: '{"a":1}' }), clock());
        expect(await counts(shop)).toEqual({ loggedIn: 0, guests: 1 });
        const user = userKey('u-st', shop);
        await login(user);
        await repo.destroy(guest); // SessionManager.login drops the guest session after the new one is written
        expect(await counts(shop)).toEqual({ loggedIn: 1, guests: 0 });
        await repo.destroy(user);
        expect(await counts(shop)).toEqual(none);
      });

      it('counts a guest that a seeded patch creates, once, and nothing for a patch that writes nothing', async () => {
        const shop = newShop();
        const guest = guestKey(shop);
        expect(await repo.patch(guest, { customData: '{"k":1}' }, clock(), record())).toBe(true);
        expect(await repo.patch(guest, { customData: '{"k":2}' }, clock(), record())).toBe(true);
        expect(await repo.patch(guestKey(shop), { customData: '{}' }, clock())).toBe(false);
        expect(await counts(shop)).toEqual({ loggedIn: 0, guests: 1 });
      });

      it('does not count a login refused by a revocation mark', async () => {
        const shop = newShop();
        const before = Date.now() - 5;
        await repo.destroyForUser(shop, 'u-st', [], clock(), ABSOLUTE);
        const late = userKey('u-st', shop);
        expect(await repo.createUserBound(late, record({ authenticatedAt: before, user: '{"id":"u-st"}' }), clock(), ABSOLUTE)).toEqual({
          status: 'revoked',
        });
        expect(await counts(shop)).toEqual(none);
      });

      it("drops a user's destroyed sessions, keeping the kept ones and other users'", async () => {
        const shop = newShop();
        const keep = userKey('u-st', shop);
        for (const k of [keep, userKey('u-st', shop), userKey('u-st', shop), userKey('u-other', shop)]) await login(k);
        await login(userKey('u-st', 'shop-b'));
        expect(await counts(shop)).toEqual({ loggedIn: 4, guests: 0 });
        await msPass();
        expect(await repo.destroyForUser(shop, 'u-st', [keep.handle], clock(), ABSOLUTE)).toBe(2);
        expect(await counts(shop)).toEqual({ loggedIn: 2, guests: 0 });
        expect(await repo.resolve(keep, clock())).not.toBeNull();
      });

      // Counts keep minutes: a session is counted until the end of the minute it expires in.
      const MINUTE = 60_000;

      it('stops counting a session once the minute of its expiry has passed', async () => {
        const shop = newShop();
        const c = clock();
        await repo.create(guestKey(shop), record({ customData: '{}' }, ABSOLUTE, c.now), c);
        await login(userKey('u-st', shop), {}, c);
        expect(await counts(shop, c.now + IDLE - 1)).toEqual({ loggedIn: 1, guests: 1 });
        expect(await counts(shop, c.now + IDLE + MINUTE)).toEqual(none);
      });

      it('moves a slid session to its new expiry: counted once, past its first expiry, until the new one', async () => {
        const shop = newShop();
        const c = clock();
        const user = userKey('u-st', shop);
        const guest = guestKey(shop);
        await login(user, {}, c);
        await repo.create(guest, record({ customData: '{}' }, ABSOLUTE, c.now), c);
        // A longer idle timeout (the shop's setting changed) moves the expiry minutes ahead.
        const longer = { now: Date.now(), idleTimeoutMs: IDLE + 3 * MINUTE, touchAfterMs: 0 };
        const slidUser = await repo.resolve(user, longer);
        const slidGuest = await repo.resolve(guest, longer);
        expect(slidUser!.extended && slidGuest!.extended).toBe(true);
        expect(await counts(shop)).toEqual({ loggedIn: 1, guests: 1 });
        expect(await counts(shop, c.now + IDLE + MINUTE)).toEqual({ loggedIn: 1, guests: 1 });
        expect(await counts(shop, Math.max(slidUser!.expiresAt, slidGuest!.expiresAt) + MINUTE)).toEqual(none);
      });

      it('counts nothing for a slid session once destroyed, and nothing for sessions evicted by the limit', async () => {
        const shop = newShop();
        const user = userKey('u-st', shop);
        await login(user);
        expect((await repo.resolve(user, { now: Date.now(), idleTimeoutMs: IDLE + 3 * MINUTE, touchAfterMs: 0 }))!.extended).toBe(true);
        expect(await repo.destroy(user)).toBe(true);
        expect(await counts(shop)).toEqual(none);
        const limit = { max: 2, policy: 'evict-oldest' as const };
        for (let i = 0; i < 4; i++) await loginLimited(userKey('u-st', shop), limit);
        expect(await counts(shop)).toEqual({ loggedIn: 2, guests: 0 });
      });
    });
  });
}
