import { randomUUID } from 'node:crypto';
import { sessionHandle, type SessionKey, type SessionRepository, type StoredSession } from '#libs/session';
import { sleep } from '../support/redis-server.js';

const IDLE = 60_000;
const ABSOLUTE = 3_600_000;

/**
 * The behaviour every SessionRepository backend must have. Time is real (Redis expires
 * keys on its own clock), so expiry cases use TTLs of a second or two, with margins of
 * several hundred milliseconds for a loaded machine.
 */
export function sessionRepositoryContract(name: string, open: () => Promise<SessionRepository>, close: (repo: SessionRepository) => Promise<void>): void {
  describe(`SessionRepository contract: ${name}`, () => {
    let repo: SessionRepository;
    beforeEach(async () => {
      repo = await open();
    });
    afterEach(() => close(repo));

    const clock = (idleTimeoutMs = IDLE) => ({ now: Date.now(), idleTimeoutMs });
    const guestKey = (shopId = 'shop-a'): SessionKey => ({ shopId, handle: sessionHandle(randomUUID()), userId: null });
    const userKey = (userId: string, shopId = 'shop-a'): SessionKey => ({ shopId, handle: sessionHandle(`${userId}:${randomUUID()}`), userId });
    const record = (extra: Partial<StoredSession> = {}, absoluteMs = ABSOLUTE, now = Date.now()): StoredSession => ({
      createdAt: now,
      absoluteExpiresAt: now + absoluteMs,
      ...extra,
    });
    // One instant for the record and the clock, as SessionManager.login does.
    const login = async (key: SessionKey, extra: Partial<StoredSession> = {}, c = clock()) =>
      repo.createUserBound(key, record({ authenticatedAt: c.now, user: JSON.stringify({ id: key.userId }), ...extra }, ABSOLUTE, c.now), c, ABSOLUTE);

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
      expect(listed!.lastSeenAt).toBeGreaterThanOrEqual(eager!.expiresAt - IDLE);
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

      expect(await repo.destroyForUser('shop-a', 'u-many', [keep.handle], clock(), ABSOLUTE)).toBe(3);
      for (const k of others) expect(await repo.resolve(k, clock())).toBeNull();
      expect(await repo.resolve(keep, clock())).not.toBeNull();
      expect(await repo.resolve(otherShop, clock())).not.toBeNull();
      expect(await repo.resolve(otherUser, clock())).not.toBeNull();
      expect((await repo.listForUser('shop-a', 'u-many', clock())).map((s) => s.handle)).toEqual([keep.handle]);
      expect(await repo.destroyForUser('shop-a', 'u-many', [], clock(), ABSOLUTE)).toBe(1);
      expect(await repo.resolve(keep, clock())).toBeNull();
    });

    it('refuses a login authenticated before a force-logout, and accepts one after it', async () => {
      const before = Date.now() - 5;
      await repo.destroyForUser('shop-a', 'u-race', [], clock(), ABSOLUTE);
      const late = userKey('u-race');
      expect(await repo.createUserBound(late, record({ authenticatedAt: before, user: '{"id":"u-race"}' }), clock(), ABSOLUTE)).toEqual({ status: 'revoked' });
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
        expect(await repo.createUserBound(late, record({ authenticatedAt: before, user: '{"id":"u-st"}' }), clock(), ABSOLUTE)).toEqual({ status: 'revoked' });
        expect(await counts(shop)).toEqual(none);
      });

      it("drops a user's destroyed sessions, keeping the kept ones and other users'", async () => {
        const shop = newShop();
        const keep = userKey('u-st', shop);
        for (const k of [keep, userKey('u-st', shop), userKey('u-st', shop), userKey('u-other', shop)]) await login(k);
        await login(userKey('u-st', 'shop-b'));
        expect(await counts(shop)).toEqual({ loggedIn: 4, guests: 0 });
        expect(await repo.destroyForUser(shop, 'u-st', [keep.handle], clock(), ABSOLUTE)).toBe(2);
        expect(await counts(shop)).toEqual({ loggedIn: 2, guests: 0 });
        expect(await repo.resolve(keep, clock())).not.toBeNull();
      });

      it('stops counting a session once its expiry has passed', async () => {
        const shop = newShop();
        const c = clock();
        await repo.create(guestKey(shop), record({ customData: '{}' }, ABSOLUTE, c.now), c);
        await login(userKey('u-st', shop), {}, c);
        expect(await counts(shop, c.now + IDLE - 1)).toEqual({ loggedIn: 1, guests: 1 });
        expect(await counts(shop, c.now + IDLE)).toEqual(none);
      });

      it('keeps a slid session counted past its first expiry, until the new one', async () => {
        const shop = newShop();
        const c = clock();
        const user = userKey('u-st', shop);
        const guest = guestKey(shop);
        await login(user, {}, c);
        await repo.create(guest, record({ customData: '{}' }, ABSOLUTE, c.now), c);
        const later = { now: c.now + IDLE / 2, idleTimeoutMs: IDLE, touchAfterMs: 0 };
        expect((await repo.resolve(user, later))!.extended).toBe(true);
        expect((await repo.resolve(guest, later))!.extended).toBe(true);
        expect(await counts(shop, c.now + IDLE)).toEqual({ loggedIn: 1, guests: 1 });
        expect(await counts(shop, later.now + IDLE)).toEqual(none);
      });

      it('never adds an entry on a slide, so a slide landing after a destroy cannot bring one back', async () => {
        const shop = newShop();
        const c = clock();
        const user = userKey('u-st', shop);
        await login(user, {}, c);
        // The entry is pruned (read at its expiry) while the session itself is still there.
        expect(await counts(shop, c.now + IDLE)).toEqual(none);
        expect((await repo.resolve(user, { ...clock(), touchAfterMs: 0 }))!.extended).toBe(true);
        expect(await counts(shop)).toEqual(none);
      });
    });
  });
}
