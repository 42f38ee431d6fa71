import {
  Patterns,
  type CartResult,
  type LoginResult,
  type ReauthenticateResult,
  type ResolveResult,
  type SessionView,
} from '#libs/contracts';
import { serviceWithProviders } from '../support/service-with-providers.js';
import { ageLogin, emulatorShops } from './security-helpers.js';

const TWENTY_MINUTES = 20 * 60_000;

describe('re-authentication over both provider emulators (Redis)', () => {
  const recentLogin = { maxAgeSeconds: 300, patterns: ['session.updateCustomData', 'cart.*'] };
  const env = serviceWithProviders({
    shops: (p) => ({
      ct: { provider: p.commercetools, security: { recentLogin } },
      bc: { provider: p.bigcommerce, security: { recentLogin } },
      plain: { security: { recentLogin } },
    }),
  });
  const { ct, bc } = env;
  const shops = emulatorShops(ct, bc);

  const login = (shopId: string, email: string, password = 'pw-ok') =>
    env.svc.send<LoginResult>(Patterns.sessionLogin, { shopId, data: { credentials: { email, password } } });
  const reauth = (shopId: string, session: string, data: object) =>
    env.svc.send<ReauthenticateResult>(Patterns.sessionReauthenticate, { shopId, session, data });

  describe.each(shops)('shop $shopId', ({ shopId, add, logins }) => {
    it('records how and when the user logged in, in the session view', async () => {
      const userId = add(`view-${shopId}@example.com`);
      const res = await login(shopId, `view-${shopId}@example.com`);
      expect(res.session).toMatchObject({ userId, authMethod: 'credentials', authenticatedAt: expect.any(String) });
      const resolved = await env.svc.send<ResolveResult>(Patterns.sessionResolve, { shopId, session: res.session!.cookie!.value });
      // The same instant, up to the translation between this process's clock and Redis's (a few ms at most).
      expect(Math.abs(Date.parse(resolved.session!.authenticatedAt!) - Date.parse(res.session!.authenticatedAt!))).toBeLessThan(50);
    });

    it('refuses a marked method with REAUTH_REQUIRED and the age; reauthenticate rotates the ID, keeps cart and data, merges nothing', async () => {
      const email = `flow-${shopId}@example.com`;
      const userId = add(email);
      const first = await login(shopId, email);
      let cookie = first.session!.cookie!.value;
      await env.svc.send(Patterns.sessionUpdateCustomData, { shopId, session: cookie, data: { customData: { locale: 'de' } } });
      await env.svc.send(Patterns.cartAddItem, { shopId, session: cookie, data: { productId: 'p-1', variantId: 'v-1', quantity: 2 } });

      await ageLogin(env.inspect, shopId, first.session!.id!, TWENTY_MINUTES);
      const refused = await env.svc.sendExpectingError(Patterns.sessionUpdateCustomData, {
        shopId,
        session: cookie,
        data: { customData: { locale: 'fr' } },
      });
      expect(refused.code).toBe('REAUTH_REQUIRED');
      const details = refused.details as { maxAgeSeconds: number; ageSeconds: number; authenticatedAt: string };
      expect(details.maxAgeSeconds).toBe(300);
      expect(details.ageSeconds).toBeGreaterThanOrEqual(1200);
      expect(details.ageSeconds).toBeLessThan(1200 + 60);
      // Unmarked methods still answer.
      expect((await env.svc.send<ResolveResult>(Patterns.sessionResolve, { shopId, session: cookie })).data.customData).toEqual({
        locale: 'de',
      });

      const before = logins();
      const loginsInIndex = await env.inspect.zCard(`ss:ix:{${shopId}|u:${userId}}`);
      const res = await reauth(shopId, cookie, { credentials: { email, password: 'pw-ok' } });
      expect(logins()).toBe(before + 1);
      expect(res.data.authMethod).toBe('credentials');
      expect(Date.parse(res.data.authenticatedAt)).toBeGreaterThan(Date.parse(details.authenticatedAt) + TWENTY_MINUTES - 60_000);
      const view: SessionView = res.session!;
      expect(view.userId).toBe(userId);
      expect(view.id).not.toBe(first.session!.id);
      expect(view.authenticatedAt).toBe(res.data.authenticatedAt);
      expect(res.data).not.toHaveProperty('cart');
      expect(await env.inspect.zCard(`ss:ix:{${shopId}|u:${userId}}`)).toBe(loginsInIndex); // rotated, not added

      const old = await env.svc.send<ResolveResult>(Patterns.sessionResolve, { shopId, session: cookie });
      expect(old.data.user).toBeNull(); // the old ID is dead
      cookie = view.cookie!.value;
      const resumed = await env.svc.send<ResolveResult>(Patterns.sessionResolve, { shopId, session: cookie });
      expect(resumed.data).toEqual({ user: expect.objectContaining({ id: userId }), customData: { locale: 'de' } });
      expect((await env.svc.send<CartResult>(Patterns.cartGet, { shopId, session: cookie })).data.lines).toEqual([
        expect.objectContaining({ productId: 'p-1', variantId: 'v-1', quantity: 2 }),
      ]);
      await env.svc.send(Patterns.sessionUpdateCustomData, { shopId, session: cookie, data: { customData: { locale: 'fr' } } });
    });

    it('refuses another customer’s credentials (FORBIDDEN) and a wrong password, leaving the session as it was', async () => {
      const email = `own-${shopId}@example.com`;
      add(email);
      add(`other-${shopId}@example.com`);
      const first = await login(shopId, email);
      const cookie = first.session!.cookie!.value;
      const other = await env.svc.sendExpectingError(Patterns.sessionReauthenticate, {
        shopId,
        session: cookie,
        data: { credentials: { email: `other-${shopId}@example.com`, password: 'pw-ok' } },
      });
      expect(other.code).toBe('FORBIDDEN');
      const wrong = await env.svc.sendExpectingError(Patterns.sessionReauthenticate, {
        shopId,
        session: cookie,
        data: { credentials: { email, password: 'nope' } },
      });
      expect(wrong.code).toBe('INVALID_CREDENTIALS');
      const still = await env.svc.send<ResolveResult>(Patterns.sessionResolve, { shopId, session: cookie });
      expect(still.session!.id).toBe(first.session!.id);
      expect(Math.abs(Date.parse(still.session!.authenticatedAt!) - Date.parse(first.session!.authenticatedAt!))).toBeLessThan(50);
    });
  });

  it('a guest cannot re-authenticate, nor call a marked method (NOT_LOGGED_IN)', async () => {
    const guest = await env.svc.send(Patterns.sessionResolve, { shopId: 'plain' });
    const cookie = guest.session!.cookie!.value;
    expect(
      (await env.svc.sendExpectingError(Patterns.sessionReauthenticate, { shopId: 'plain', session: cookie, data: { trusted: true } }))
        .code,
    ).toBe('NOT_LOGGED_IN');
    expect((await env.svc.sendExpectingError(Patterns.cartGet, { shopId: 'plain', session: cookie })).code).toBe('NOT_LOGGED_IN');
  });

  it('a trusted re-authentication (shop without a provider) refreshes authenticatedAt and records the method', async () => {
    const first = await env.svc.send<LoginResult>(Patterns.sessionLogin, { shopId: 'plain', data: { user: { id: 'u-trusted' } } });
    expect(first.session!.authMethod).toBe('trusted');
    await ageLogin(env.inspect, 'plain', first.session!.id!, TWENTY_MINUTES);
    expect((await env.svc.sendExpectingError(Patterns.cartGet, { shopId: 'plain', session: first.session!.cookie!.value })).code).toBe(
      'REAUTH_REQUIRED',
    );
    const res = await reauth('plain', first.session!.cookie!.value, { trusted: true });
    expect(res.data.authMethod).toBe('trusted');
    expect((await env.svc.send<CartResult>(Patterns.cartGet, { shopId: 'plain', session: res.session!.cookie!.value })).data.lines).toEqual(
      [],
    );
  });

  it('rejects a reauthenticate call with no proof or two', async () => {
    const first = await env.svc.send<LoginResult>(Patterns.sessionLogin, { shopId: 'plain', data: { user: { id: 'u-two' } } });
    const cookie = first.session!.cookie!.value;
    expect((await env.svc.sendExpectingError(Patterns.sessionReauthenticate, { shopId: 'plain', session: cookie, data: {} })).code).toBe(
      'VALIDATION_FAILED',
    );
    const two = await env.svc.sendExpectingError(Patterns.sessionReauthenticate, {
      shopId: 'plain',
      session: cookie,
      data: { trusted: true, credentials: { email: 'a@example.com', password: 'x' } },
    });
    expect(two.code).toBe('VALIDATION_FAILED');
  });
});
