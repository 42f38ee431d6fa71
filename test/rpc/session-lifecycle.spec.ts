import { Patterns, type LoginResult, type ResolveResult } from '#libs/contracts';
import { serviceWithRedis } from '../support/service-with-redis.js';

describe('session lifecycle over TCP with Redis', () => {
  const env = serviceWithRedis({ inspect: true });
  beforeEach(() => env.inspect.flushAll());
  /** Keys holding session state: the shop's event stream, which records the changes, is not one. */
  const stateKeys = async () => (await env.inspect.keys('*')).filter((k) => !k.includes(':ev:{')).length;

  it('issues a signed guest cookie to a visitor without one, and stores nothing', async () => {
    const res = await env.svc.send<ResolveResult>(Patterns.sessionResolve, {});
    const s = res.session!;
    expect(s.isNew).toBe(true);
    expect(s.userId).toBeNull();
    expect(s.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(s.cookie).toMatchObject({
      name: '$session-shop-a',
      maxAge: 86400,
      httpOnly: true,
      secure: true,
      sameSite: 'lax',
      path: '/',
      domain: null,
    });
    expect(s.cookie!.value).toMatch(new RegExp(`^s:${s.id}\\.[A-Za-z0-9+/]{43}$`));
    expect(s.setCookie).toBe(
      `$session-shop-a=${encodeURIComponent(s.cookie!.value)}; Path=/; Max-Age=86400; Expires=${new Date(Date.parse(s.expiresAt)).toUTCString()}; HttpOnly; Secure; SameSite=Lax`,
    );
    expect(res.data).toEqual({ user: null, customData: {} });
    expect(await stateKeys()).toBe(0);
  });

  it('keeps a signed guest ID stable without writing anything', async () => {
    const first = (await env.svc.send(Patterns.sessionResolve, {})).session!;
    for (let i = 0; i < 3; i++) {
      const again = (await env.svc.send(Patterns.sessionResolve, { session: first.cookie!.value })).session!;
      expect(again.id).toBe(first.id);
      expect(again.isNew).toBe(false);
    }
    expect(await stateKeys()).toBe(0);
  });

  it('stores a guest session once it holds custom data, and drops it when emptied', async () => {
    const cookie = (await env.svc.send(Patterns.sessionResolve, {})).session!.cookie!.value;
    await env.svc.send(Patterns.sessionUpdateCustomData, { session: cookie, data: { customData: { locale: 'de-DE', tags: [] } } });
    expect(await stateKeys()).toBe(2); // the session, and its shop's guest count set
    const res = await env.svc.send<ResolveResult>(Patterns.sessionResolve, { session: cookie });
    expect(res.data.customData).toEqual({ locale: 'de-DE', tags: [] });
    await env.svc.send(Patterns.sessionUpdateCustomData, { session: cookie, data: { customData: {} } });
    expect(await stateKeys()).toBe(0);
  });

  it('rotates the ID at login, carries guest data over, and kills the old ID at once', async () => {
    const guest = (await env.svc.send(Patterns.sessionResolve, {})).session!;
    await env.svc.send(Patterns.sessionUpdateCustomData, { session: guest.cookie!.value, data: { customData: { locale: 'fr-FR' } } });

    const login = await env.svc.send<LoginResult>(Patterns.sessionLogin, {
      session: guest.cookie!.value,
      data: { user: { id: 'u-42', email: 'a@example.com' } },
    });
    const s = login.session!;
    expect(s.id).toMatch(/^u-42:[0-9a-f-]{36}$/);
    expect(s.userId).toBe('u-42');
    expect(s.setCookie).not.toBeNull();
    expect(login.data.user).toEqual({ id: 'u-42', email: 'a@example.com' });

    const resumed = await env.svc.send<ResolveResult>(Patterns.sessionResolve, { session: s.cookie!.value });
    expect(resumed.session!.id).toBe(s.id);
    expect(resumed.data).toEqual({ user: { id: 'u-42', email: 'a@example.com' }, customData: { locale: 'fr-FR' } });

    const old = await env.svc.send<ResolveResult>(Patterns.sessionResolve, { session: guest.cookie!.value });
    expect(old.data).toEqual({ user: null, customData: {} });
  });

  it('updates the user of a logged-in session and refuses a change of user id', async () => {
    const cookie = (await env.svc.send(Patterns.sessionLogin, { data: { user: { id: 'u-1', name: 'Ann' } } })).session!.cookie!.value;
    const updated = await env.svc.send<ResolveResult>(Patterns.sessionUpdateUser, {
      session: cookie,
      data: { user: { id: 'u-1', name: 'Anne', roles: [] } },
    });
    expect(updated.data.user).toEqual({ id: 'u-1', name: 'Anne', roles: [] });
    expect((await env.svc.send<ResolveResult>(Patterns.sessionResolve, { session: cookie })).data.user).toEqual({
      id: 'u-1',
      name: 'Anne',
      roles: [],
    });

    const err = await env.svc.sendExpectingError(Patterns.sessionUpdateUser, { session: cookie, data: { user: { id: 'u-2' } } });
    expect(err).toMatchObject({ code: 'VALIDATION_FAILED', details: [{ field: 'user.id' }] });
    const guestErr = await env.svc.sendExpectingError(Patterns.sessionUpdateUser, { data: { user: { id: 'u-1' } } });
    expect(guestErr.code).toBe('NOT_LOGGED_IN');
  });

  it('logs out: deletes the session and clears the cookie with Max-Age=0', async () => {
    const cookie = (await env.svc.send(Patterns.sessionLogin, { data: { user: { id: 'u-9' } } })).session!.cookie!.value;
    const out = await env.svc.send(Patterns.sessionLogout, { session: cookie });
    expect(out.session).toMatchObject({ id: null, userId: null, cookie: { name: '$session-shop-a', value: '', maxAge: 0 } });
    expect(out.session!.setCookie).toMatch(
      /^\$session-shop-a=; Path=\/; Max-Age=0; Expires=Thu, 01 Jan 1970 00:00:00 GMT; HttpOnly; Secure; SameSite=Lax$/,
    );
    const after = await env.svc.send<ResolveResult>(Patterns.sessionResolve, { session: cookie });
    expect(after.session!.isNew).toBe(true);
    expect(after.data.user).toBeNull();
    expect(await stateKeys()).toBe(0);
  });

  it('loses no field when the user and the custom data are updated concurrently', async () => {
    const cookie = (await env.svc.send(Patterns.sessionLogin, { data: { user: { id: 'u-conc' } } })).session!.cookie!.value;
    await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        i % 2
          ? env.svc.send(Patterns.sessionUpdateUser, { session: cookie, data: { user: { id: 'u-conc', n: i } } })
          : env.svc.send(Patterns.sessionUpdateCustomData, { session: cookie, data: { customData: { n: i } } }),
      ),
    );
    const res = await env.svc.send<ResolveResult>(Patterns.sessionResolve, { session: cookie });
    expect(res.data.user).toMatchObject({ id: 'u-conc', n: expect.any(Number) });
    expect(res.data.customData).toMatchObject({ n: expect.any(Number) });
  });

  it('refuses to update the user of a logged-out session, and stores nothing', async () => {
    const cookie = (await env.svc.send(Patterns.sessionLogin, { data: { user: { id: 'u-zombie' } } })).session!.cookie!.value;
    await env.svc.send(Patterns.sessionLogout, { session: cookie });
    const err = await env.svc.sendExpectingError(Patterns.sessionUpdateUser, { session: cookie, data: { user: { id: 'u-zombie' } } });
    expect(err.code).toBe('NOT_LOGGED_IN');
    expect(await stateKeys()).toBe(0);
  });
});
