import { Patterns, type ResolveResult, type SessionListResult } from '#libs/contracts';
import { TEST_COOKIE_SECRET } from '../support/session-service.harness.js';
import { serviceWithRedis } from '../support/service-with-redis.js';

describe('session.maxSessionsPerUser over TCP', () => {
  const env = serviceWithRedis({
    setup: () => ({
      sessionConfig: {
        session: { secret: TEST_COOKIE_SECRET, maxSessionsPerUser: 3 },
        shops: { 'shop-a': {}, 'shop-refuse': { session: { maxSessionsPolicy: 'refuse' } } },
      },
    }),
  });

  const login = (shopId: string, userId: string) => env.svc.send(Patterns.sessionLogin, { shopId, data: { user: { id: userId } } });
  const isLoggedIn = async (shopId: string, cookie: string) =>
    (await env.svc.send<ResolveResult>(Patterns.sessionResolve, { shopId, session: cookie })).data.user !== null;
  const listed = async (shopId: string, userId: string) =>
    (await env.svc.send<SessionListResult>(Patterns.adminSessionsList, { shopId, data: { userId } })).data.sessions.length;

  it('evict-oldest (the default): a fourth login ends the least recently seen session', async () => {
    const cookies: string[] = [];
    for (let i = 0; i < 4; i++) {
      cookies.push((await login('shop-a', 'u-evict')).session!.cookie!.value);
      await new Promise((r) => setTimeout(r, 3));
    }
    expect(await isLoggedIn('shop-a', cookies[0]!)).toBe(false);
    for (const c of cookies.slice(1)) expect(await isLoggedIn('shop-a', c)).toBe(true);
    expect(await listed('shop-a', 'u-evict')).toBe(3);
  });

  it('refuse: a fourth login fails with TOO_MANY_SESSIONS and the three stay; a logout makes room', async () => {
    const cookies: string[] = [];
    for (let i = 0; i < 3; i++) cookies.push((await login('shop-refuse', 'u-refuse')).session!.cookie!.value);
    const err = await env.svc.sendExpectingError(Patterns.sessionLogin, { shopId: 'shop-refuse', data: { user: { id: 'u-refuse' } } });
    expect(err).toMatchObject({ code: 'TOO_MANY_SESSIONS', details: { maxSessionsPerUser: 3 } });
    for (const c of cookies) expect(await isLoggedIn('shop-refuse', c)).toBe(true);
    await env.svc.send(Patterns.sessionDestroy, { shopId: 'shop-refuse', session: cookies[0]! });
    expect((await login('shop-refuse', 'u-refuse')).session!.userId).toBe('u-refuse');
    expect(await listed('shop-refuse', 'u-refuse')).toBe(3);
  });
});
