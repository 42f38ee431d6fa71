import { randomUUID } from 'node:crypto';
import {
  MemorySessionRepository,
  RedisSessionRepository,
  sessionHandle,
  type SessionKey,
  type SessionRepository,
  type StoredSession,
} from '#libs/session';
import { RedisServer, sleep } from '../support/redis-server.js';
import { connectRedisStore } from '../support/redis-store-connection.js';

const IDLE = 60_000;
const ABSOLUTE = 3_600_000;

/** SessionRepository.rotate (re-authentication), on both backends. */
function rotationContract(name: string, open: () => Promise<SessionRepository>): void {
  describe(`SessionRepository.rotate: ${name}`, () => {
    let repo: SessionRepository;
    beforeEach(async () => {
      repo = await open();
    });
    afterEach(() => repo.close());

    const clock = () => ({ now: Date.now(), idleTimeoutMs: IDLE });
    const userKey = (userId: string): SessionKey => ({ shopId: 'shop-a', handle: sessionHandle(`${userId}:${randomUUID()}`), userId });
    const login = async (key: SessionKey, extra: Partial<StoredSession> = {}, createdAt = Date.now() - 5_000) => {
      const c = clock();
      const session: StoredSession = {
        createdAt,
        absoluteExpiresAt: createdAt + ABSOLUTE,
        authenticatedAt: c.now - 4_000,
        authMethod: 'credentials',
        user: JSON.stringify({ id: key.userId }),
        customData: '{"k":[1]}',
        ...extra,
      };
      expect(await repo.createUserBound(key, session, c, ABSOLUTE)).toEqual({ status: 'created', merged: false });
      return session;
    };

    it('moves the session to the new handle with a new authenticatedAt, keeping everything else', async () => {
      const from = userKey('u-rot');
      const before = await login(from, { providerSession: 'sealed-1' });
      const to = sessionHandle(`u-rot:${randomUUID()}`);
      const c = clock();
      const out = await repo.rotate(from, to, { authMethod: 'sso', providerSession: 'sealed-2' }, c);
      expect(out).toMatchObject({ status: 'rotated' });
      if (out.status !== 'rotated') return;
      expect(Math.abs(out.authenticatedAt - c.now)).toBeLessThan(1_000);
      expect(await repo.resolve(from, clock())).toBeNull();
      const moved = await repo.resolve({ ...from, handle: to }, clock());
      expect(moved!.session).toMatchObject({
        user: before.user,
        customData: before.customData,
        providerSession: 'sealed-2',
        authMethod: 'sso',
        absoluteExpiresAt: expect.any(Number),
        createdAt: expect.any(Number),
      });
      // Creation and absolute end stay (to the ms, modulo the clock translation of the Redis store).
      expect(Math.abs(moved!.session.createdAt - before.createdAt)).toBeLessThan(50);
      expect(Math.abs(moved!.session.absoluteExpiresAt - before.absoluteExpiresAt)).toBeLessThan(50);
      expect(moved!.session.authenticatedAt!).toBeGreaterThan(before.authenticatedAt! + 3_000);
      const listed = await repo.listForUser('shop-a', 'u-rot', clock());
      expect(listed.map((s) => s.handle)).toEqual([to]);
    });

    it('writes the session events of a login replacing the session, marked reauthenticated, under the actor', async () => {
      const from = userKey('u-events');
      await login(from);
      const to = sessionHandle(`u-events:${randomUUID()}`);
      expect((await repo.rotate(from, to, { authMethod: 'trusted' }, clock(), 'svc-reauth')).status).toBe('rotated');
      const events = (await repo.events.read('shop-a')).filter((e) => e.userId === 'u-events');
      expect(events.map(({ type, handle, actor, reason }) => ({ type, handle, actor, reason }))).toEqual([
        { type: 'session.loggedIn', handle: from.handle, actor: '', reason: undefined },
        { type: 'session.loggedIn', handle: to, actor: 'svc-reauth', reason: 'reauthenticated' },
        { type: 'session.loggedOut', handle: from.handle, actor: 'svc-reauth', reason: 'reauthenticated' },
      ]);

      // A session found gone writes nothing.
      const gone = userKey('u-events-gone');
      expect(
        (await repo.rotate(gone, sessionHandle(`u-events-gone:${randomUUID()}`), { authMethod: 'trusted' }, clock(), 'svc-reauth')).status,
      ).toBe('gone');
      expect((await repo.events.read('shop-a')).filter((e) => e.userId === 'u-events-gone')).toEqual([]);
    });

    it('keeps the provider session when none is given', async () => {
      const from = userKey('u-keep');
      await login(from, { providerSession: 'sealed-keep' });
      const to = sessionHandle(`u-keep:${randomUUID()}`);
      await repo.rotate(from, to, { authMethod: 'trusted' }, clock());
      expect((await repo.resolve({ ...from, handle: to }, clock()))!.session.providerSession).toBe('sealed-keep');
    });

    it('does not rotate a missing or revoked session, and does not count against the session limit', async () => {
      const gone = userKey('u-gone');
      expect(await repo.rotate(gone, sessionHandle(`u-gone:${randomUUID()}`), { authMethod: 'trusted' }, clock())).toEqual({
        status: 'gone',
      });

      const revoked = userKey('u-rev');
      await login(revoked);
      await sleep(3);
      await repo.destroyForUser('shop-a', 'u-rev', [], clock(), ABSOLUTE);
      const to = sessionHandle(`u-rev:${randomUUID()}`);
      expect(await repo.rotate(revoked, to, { authMethod: 'trusted' }, clock())).toEqual({ status: 'gone' });
      expect(await repo.resolve({ ...revoked, handle: to }, clock())).toBeNull();

      const full = userKey('u-full');
      await login(full);
      // The user is at a limit of 1 with policy refuse: a rotation still works.
      expect(
        (
          await repo.createUserBound(
            userKey('u-full'),
            { createdAt: Date.now(), absoluteExpiresAt: Date.now() + ABSOLUTE, authenticatedAt: Date.now() },
            clock(),
            ABSOLUTE,
            { limit: { max: 1, policy: 'refuse' } },
          )
        ).status,
      ).toBe('too-many');
      expect((await repo.rotate(full, sessionHandle(`u-full:${randomUUID()}`), { authMethod: 'trusted' }, clock())).status).toBe('rotated');
    });

    it('the rotated session survives a force-logout that keeps it, and dies with one that does not', async () => {
      const from = userKey('u-fl');
      await login(from);
      const to = sessionHandle(`u-fl:${randomUUID()}`);
      await repo.rotate(from, to, { authMethod: 'trusted' }, clock());
      await sleep(3);
      await repo.destroyForUser('shop-a', 'u-fl', [to], clock(), ABSOLUTE);
      expect(await repo.resolve({ ...from, handle: to }, clock())).not.toBeNull();
      await sleep(3);
      await repo.destroyForUser('shop-a', 'u-fl', [], clock(), ABSOLUTE);
      expect(await repo.resolve({ ...from, handle: to }, clock())).toBeNull();
    });
  });
}

let redis: RedisServer;
beforeAll(async () => {
  redis = await RedisServer.start();
});
afterAll(() => redis.stop());

rotationContract('memory', async () => new MemorySessionRepository());
rotationContract('redis', async () => new RedisSessionRepository((await connectRedisStore(redis.url)).calls));
