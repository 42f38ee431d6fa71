import { randomUUID } from 'node:crypto';
import type { SessionEvent } from '#libs/contracts';
import { compareIds, sessionHandle, type SessionKey, type SessionRepository, type StoredSession } from '#libs/session';
import { sleep } from '../support/redis-server.js';

const IDLE = 60_000;
const ABSOLUTE = 3_600_000;

/**
 * The session events every SessionRepository backend writes with its changes: one per change,
 * in the shop's stream, carrying handles (never raw IDs) and the actor. A shop of its own per
 * test: the Redis backends share one server.
 */
export function sessionEventsContract(
  name: string,
  open: () => Promise<SessionRepository>,
  close: (repo: SessionRepository) => Promise<void>,
): void {
  describe(`session events contract: ${name}`, () => {
    let repo: SessionRepository;
    let shop: string;
    beforeEach(async () => {
      repo = await open();
      shop = `ev-${randomUUID()}`;
    });
    afterEach(() => close(repo));

    const clock = (idleTimeoutMs = IDLE) => ({ now: Date.now(), idleTimeoutMs });
    const guestKey = (): SessionKey => ({ shopId: shop, handle: sessionHandle(randomUUID()), userId: null });
    const userKey = (userId: string): SessionKey => ({ shopId: shop, handle: sessionHandle(`${userId}:${randomUUID()}`), userId });
    const record = (extra: Partial<StoredSession> = {}, now = Date.now()): StoredSession => ({
      createdAt: now,
      absoluteExpiresAt: now + ABSOLUTE,
      ...extra,
    });
    const login = (key: SessionKey, actor = 'svc-login', c = clock(), limit?: { max: number; policy: 'evict-oldest' | 'refuse' }) =>
      repo.createUserBound(key, record({ authenticatedAt: c.now, user: JSON.stringify({ id: key.userId }) }, c.now), c, ABSOLUTE, {
        actor,
        ...(limit ? { limit } : {}),
      });
    /** The shop's events without their IDs and times (checked on their own). */
    const events = async (): Promise<Array<Partial<SessionEvent>>> =>
      (await repo.events.read(shop)).map(({ id: _id, at: _at, ...rest }) => rest);
    const ev = (
      type: SessionEvent['type'],
      key: Pick<SessionKey, 'userId'> & { handle: string | null },
      actor: string,
      extra: Partial<SessionEvent> = {},
    ) => ({
      type,
      shopId: shop,
      userId: key.userId,
      handle: key.handle,
      actor,
      ...extra,
    });

    it('writes session.created when a guest session is first stored, by create or by a seeded patch', async () => {
      const a = guestKey();
      const b = guestKey();
      const before = Date.now();
      await repo.create(a, record({ customData: '{}' }), clock(), 'svc-a');
      expect(await repo.patch(b, { customData: '{"k":1}' }, clock(), record(), 'svc-b')).toBe(true);
      // Writes to a session already stored, or to none, are no event.
      expect(await repo.patch(b, { customData: '{"k":2}' }, clock(), record(), 'svc-b')).toBe(true);
      expect(await repo.patch(guestKey(), { customData: '{}' }, clock(), undefined, 'svc-b')).toBe(false);
      expect(await events()).toEqual([ev('session.created', a, 'svc-a'), ev('session.created', b, 'svc-b')]);
      const stored = await repo.events.read(shop);
      expect(stored[0]!.at).toBeGreaterThanOrEqual(before - 1000); // Redis's clock: a margin for skew
      expect(compareIds(stored[0]!.id, stored[1]!.id)).toBeLessThan(0);
    });

    it('writes loggedIn, userUpdated and loggedOut for a user-bound session, and destroyed for a guest', async () => {
      const guest = guestKey();
      await repo.create(guest, record({ customData: '{}' }), clock(), 'svc');
      const user = userKey('u1');
      expect(await login(user, 'svc')).toEqual({ status: 'created', merged: false });
      expect(await repo.destroy(guest, 'svc')).toBe(true); // as SessionManager.login drops the guest session
      expect(await repo.patch(user, { user: '{"id":"u1","name":"N"}' }, clock(), undefined, 'svc-profile')).toBe(true);
      expect(await repo.patch(user, { customData: '{"x":1}' }, clock(), undefined, 'svc-profile')).toBe(true);
      expect(await repo.destroy(user, 'svc-logout')).toBe(true);
      expect(await repo.destroy(user, 'svc-logout')).toBe(false);
      expect(await repo.patch(user, { user: '{"id":"u1"}' }, clock(), undefined, 'svc-profile')).toBe(false);
      expect(await events()).toEqual([
        ev('session.created', guest, 'svc'),
        ev('session.loggedIn', user, 'svc'),
        ev('session.destroyed', guest, 'svc'),
        ev('session.userUpdated', user, 'svc-profile'),
        ev('session.loggedOut', user, 'svc-logout'),
      ]);
    });

    it('writes one session.revoked per force-logout, with the count and the actor, and nothing for a refused login', async () => {
      const keep = userKey('u2');
      for (const k of [keep, userKey('u2'), userKey('u2')]) await login(k);
      await sleep(3);
      expect(await repo.destroyForUser(shop, 'u2', [keep.handle], clock(), ABSOLUTE, 'operator')).toBe(2);
      const late = userKey('u2');
      const refused = await repo.createUserBound(
        late,
        record({ authenticatedAt: Date.now() - 1000, user: '{"id":"u2"}' }),
        clock(),
        ABSOLUTE,
        { actor: 'svc-login' },
      );
      expect(refused).toEqual({ status: 'revoked' });
      const all = await events();
      expect(all.filter((e) => e.type === 'session.loggedIn')).toHaveLength(3);
      expect(all.slice(3)).toEqual([ev('session.revoked', { userId: 'u2', handle: null }, 'operator', { count: 2 })]);
    });

    it('writes session.destroyed (reason evicted) for a session the per-user limit ends', async () => {
      const first = userKey('u3');
      await login(first, 'svc', clock(), { max: 1, policy: 'evict-oldest' });
      await sleep(3);
      const second = userKey('u3');
      await login(second, 'svc', clock(), { max: 1, policy: 'evict-oldest' });
      expect(await events()).toEqual([
        ev('session.loggedIn', first, 'svc'),
        ev('session.destroyed', first, 'svc', { reason: 'evicted' }),
        ev('session.loggedIn', second, 'svc'),
      ]);
    });

    /**
     * A user's long-lived session, logged in first: on Redis it is the user's primary session,
     * which has no index entry, so the sessions logged in after it are the indexed ones.
     * `seen()` resolves it with a slide, so pruning by a short idle timeout spares it.
     */
    const anchor = async (userId: string) => {
      const key = userKey(userId);
      await login(key, 'svc', clock());
      return { key, seen: () => repo.resolve(key, { ...clock(), touchAfterMs: 0 }) };
    };

    it('writes session.expired, without an actor, once for an index entry whose session idled out', async () => {
      const kept = await anchor('u4');
      const key = userKey('u4');
      await login(key, 'svc', clock(200));
      await sleep(600); // 400 ms past the idle timeout, for a login that reached Redis late
      await kept.seen();
      expect((await repo.listForUser(shop, 'u4', clock(200))).map((s) => s.handle)).toEqual([kept.key.handle]);
      expect((await repo.listForUser(shop, 'u4', clock(200))).map((s) => s.handle)).toEqual([kept.key.handle]);
      expect(await repo.destroyForUser(shop, 'u4', [kept.key.handle], clock(200), ABSOLUTE, 'operator')).toBe(0);
      expect(await events()).toEqual([
        ev('session.loggedIn', kept.key, 'svc'),
        ev('session.loggedIn', key, 'svc'),
        ev('session.expired', key, ''),
        ev('session.revoked', { userId: 'u4', handle: null }, 'operator', { count: 0 }),
      ]);
    });

    it('reports a session that expired unseen when a login or a force-logout prunes it', async () => {
      const first = await anchor('u5');
      const gone = userKey('u5');
      await login(gone, 'svc', clock(200));
      await sleep(600);
      await first.seen();
      const next = userKey('u5');
      await login(next, 'svc', clock(200)); // the shop's idle timeout: entries idle longer are pruned
      const kept = await anchor('u6');
      const other = userKey('u6');
      await login(other, 'svc', clock(200));
      await sleep(600);
      await kept.seen();
      expect(await repo.destroyForUser(shop, 'u6', [kept.key.handle], clock(200), ABSOLUTE, 'operator')).toBe(0);
      expect(await events()).toEqual([
        ev('session.loggedIn', first.key, 'svc'),
        ev('session.loggedIn', gone, 'svc'),
        ev('session.expired', gone, ''),
        ev('session.loggedIn', next, 'svc'),
        ev('session.loggedIn', kept.key, 'svc'),
        ev('session.loggedIn', other, 'svc'),
        ev('session.expired', other, ''),
        ev('session.revoked', { userId: 'u6', handle: null }, 'operator', { count: 0 }),
      ]);
    });

    it("keeps each shop's events in its own stream, and reads on after an entry ID", async () => {
      await repo.create(guestKey(), record({ customData: '{}' }), clock(), 'svc');
      await repo.create({ ...guestKey(), shopId: `${shop}-other` }, record({ customData: '{}' }), clock(), 'svc');
      await repo.create(guestKey(), record({ customData: '{}' }), clock(), 'svc');
      const all = await repo.events.read(shop);
      expect(all).toHaveLength(2);
      expect(await repo.events.read(shop, { after: all[0]!.id })).toEqual([all[1]]);
      expect(await repo.events.read(shop, { count: 1 })).toEqual([all[0]]);
      expect(await repo.events.read(`${shop}-other`)).toHaveLength(1);
    });
  });
}
