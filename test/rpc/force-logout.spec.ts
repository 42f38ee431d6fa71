import { Patterns, type DestroyResult, type ResolveResult, type SessionListResult } from '#libs/contracts';
import { SessionManager, SESSION_REPOSITORY, type SessionRepository } from '#libs/session';
import { mintToken } from '../support/service-tokens.js';
import { serviceWithRedis } from '../support/service-with-redis.js';

describe('force-logout: destroySessionsForUserId and friends', () => {
  const env = serviceWithRedis();

  const writer = mintToken('session:read session:write');
  const loginDevices = async (userId: string, n: number, shopId = 'shop-a') => {
    const cookies: string[] = [];
    for (let i = 0; i < n; i++)
      cookies.push((await env.svc.send(Patterns.sessionLogin, { shopId, data: { user: { id: userId } } })).session!.cookie!.value);
    return cookies;
  };
  const isLoggedIn = async (cookie: string, shopId = 'shop-a') =>
    (await env.svc.send<ResolveResult>(Patterns.sessionResolve, { shopId, session: cookie })).data.user !== null;

  it('lets an admin destroy a user’s sessions, keeping some, and reports the count', async () => {
    const [keep, ...rest] = await loginDevices('u-admin', 4);
    const otherShop = await loginDevices('u-admin', 1, 'shop-b');
    const keepId = (await env.svc.send(Patterns.sessionResolve, { session: keep })).session!.id!;
    const res = await env.svc.send<DestroyResult>(Patterns.sessionDestroyForUser, {
      data: { userId: 'u-admin', sessionsToKeep: [keepId] },
    });
    expect(res.data).toEqual({ destroyed: 3 });
    expect(await isLoggedIn(keep!)).toBe(true);
    for (const c of rest) expect(await isLoggedIn(c)).toBe(false);
    expect(await isLoggedIn(otherShop[0]!, 'shop-b')).toBe(true);
  });

  it('accepts session handles from admin.sessions.list in sessionsToKeep', async () => {
    await loginDevices('u-handles', 3);
    const listed = (await env.svc.send<SessionListResult>(Patterns.adminSessionsList, { data: { userId: 'u-handles' } })).data.sessions;
    expect(listed).toHaveLength(3);
    for (const s of listed) {
      expect(s.id).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(Date.parse(s.createdAt)).toBeLessThanOrEqual(Date.parse(s.lastSeenAt));
      expect(Date.parse(s.expiresAt)).toBeGreaterThan(Date.now());
    }
    const res = await env.svc.send<DestroyResult>(Patterns.sessionDestroyForUser, {
      data: { userId: 'u-handles', sessionsToKeep: [listed[0]!.id] },
    });
    expect(res.data.destroyed).toBe(2);
    const after = (await env.svc.send<SessionListResult>(Patterns.adminSessionsList, { data: { userId: 'u-handles' } })).data.sessions;
    expect(after.map((s) => s.id)).toEqual([listed[0]!.id]);
  });

  it('lets a user destroy their own sessions without the admin scope, and clears the caller’s cookie', async () => {
    const [mine, other] = await loginDevices('u-self', 2);
    const res = await env.svc.send<DestroyResult>(Patterns.sessionDestroyForUser, {
      auth: writer,
      session: mine,
      data: { userId: 'u-self' },
    });
    expect(res.data.destroyed).toBe(2);
    expect(res.session).toMatchObject({ id: null, cookie: { maxAge: 0 } });
    expect(await isLoggedIn(other!)).toBe(false);
  });

  it('refuses destroying another user’s sessions without the admin scope, and destroys nothing', async () => {
    const [victim] = await loginDevices('u-victim', 1);
    const [attacker] = await loginDevices('u-attacker', 1);
    const err = await env.svc.sendExpectingError(Patterns.sessionDestroyForUser, {
      auth: writer,
      session: attacker,
      data: { userId: 'u-victim' },
    });
    expect(err.code).toBe('FORBIDDEN');
    expect(await isLoggedIn(victim!)).toBe(true);
  });

  it('account.logoutOtherDevices keeps only the calling device', async () => {
    const [here, ...elsewhere] = await loginDevices('u-devices', 3);
    const res = await env.svc.send<DestroyResult>(Patterns.accountLogoutOtherDevices, { auth: writer, session: here });
    expect(res.data).toEqual({ destroyed: 2 });
    expect(res.session).toMatchObject({ userId: 'u-devices', setCookie: null }); // this device keeps its cookie
    expect(await isLoggedIn(here!)).toBe(true);
    for (const c of elsewhere) expect(await isLoggedIn(c)).toBe(false);
    expect((await env.svc.sendExpectingError(Patterns.accountLogoutOtherDevices, { auth: writer })).code).toBe('NOT_LOGGED_IN');
  });

  it('does not let a login that was in flight survive a force-logout that returned before it landed', async () => {
    const manager = env.svc.app.get(SessionManager);
    const repo = env.svc.app.get<SessionRepository>(SESSION_REPOSITORY);
    const shop = env.svc.config.shops.get('shop-a')!;
    // The shopper was verified (authenticatedAt) before the admin's destroy; its write lands after.
    const guest = await manager.resolve(shop, null);
    const authenticatedAt = Date.now();
    await new Promise((r) => setTimeout(r, 5));
    expect(await manager.destroyForUser(shop, 'u-inflight', [], {})).toBe(0);
    await expect(manager.login(guest, { id: 'u-inflight' }, authenticatedAt)).rejects.toMatchObject({ code: 'SESSION_REVOKED' });
    expect(await repo.listForUser('shop-a', 'u-inflight', { now: Date.now(), idleTimeoutMs: shop.idleTimeoutMs })).toEqual([]);
    // A login that starts after the destroy returned is fine.
    await env.svc.send(Patterns.sessionLogin, { data: { user: { id: 'u-inflight' } } });
    expect(
      (await env.svc.send<SessionListResult>(Patterns.adminSessionsList, { data: { userId: 'u-inflight' } })).data.sessions,
    ).toHaveLength(1);
  });

  it('accounts for every login racing a force-logout over TCP: destroyed by it, or written after it', async () => {
    const logins = Array.from({ length: 20 }, () =>
      env.svc.send(Patterns.sessionLogin, { data: { user: { id: 'u-race' } } }).then(
        (r) => r.session!.cookie!.value,
        () => null,
      ),
    );
    await new Promise((r) => setTimeout(r, 2));
    const destroyed = await env.svc.send<DestroyResult>(Patterns.sessionDestroyForUser, { data: { userId: 'u-race' } });
    const cookies = (await Promise.all(logins)).filter((c): c is string => c !== null);
    const survivors = (await env.svc.send<SessionListResult>(Patterns.adminSessionsList, { data: { userId: 'u-race' } })).data.sessions;
    // Each successful login wrote exactly one session: the destroy deleted it, or it was written after.
    expect(destroyed.data.destroyed + survivors.length).toBe(cookies.length);
    let alive = 0;
    for (const c of cookies) if (await isLoggedIn(c)) alive++;
    expect(alive).toBe(survivors.length);
  });
});
