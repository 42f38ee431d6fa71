import { Patterns, type LoginResult, type ProviderTokenResult, type ResolveResult } from '#libs/contracts';
import { serviceWithProviders } from '../support/service-with-providers.js';
import { mintToken } from '../support/service-tokens.js';

describe('logins through the commerce providers (emulators), tokens sealed in the session', () => {
  // Access tokens live 2 minutes: inside the 5-minute margin, so every providerToken() refreshes.
  const env = serviceWithProviders({
    ct: { accessTokenTtlSeconds: 120 },
    shops: (p) => ({ 'ct-shop': { provider: p.commercetools }, 'bc-shop': { provider: p.bigcommerce }, plain: {} }),
  });
  const { ct, bc } = env;
  const tokensScope = mintToken('session:read session:write session:tokens');

  const loginCt = (email: string, password: string) =>
    env.svc.send<LoginResult>(Patterns.sessionLogin, { shopId: 'ct-shop', data: { credentials: { email, password } } });
  const introspect = async (token: string) =>
    (await (
      await fetch(`${ct.authUrl}/oauth/introspect?token=${encodeURIComponent(token)}`, {
        method: 'POST',
        headers: { authorization: ct.basicAuth },
      })
    ).json()) as { active: boolean };

  it('logs a shopper in with commercetools credentials: the customer becomes the session user', async () => {
    const customer = ct.addCustomer({ email: 'ada@example.com', password: 'pw-ok', firstName: 'Ada' });
    const res = await loginCt('ada@example.com', 'pw-ok');
    expect(res.session!.userId).toBe(customer.id);
    expect(res.data.user).toMatchObject({ id: customer.id });
    expect(JSON.stringify(res)).not.toMatch(/accessToken|refreshToken/);
  });

  it('hands out the provider token only with session:tokens, never stores it in the clear, and refreshes it', async () => {
    ct.addCustomer({ email: 'bob@example.com', password: 'pw-ok' });
    const cookie = (await loginCt('bob@example.com', 'pw-ok')).session!.cookie!.value;
    const refused = await env.svc.sendExpectingError(Patterns.sessionProviderToken, { shopId: 'ct-shop', session: cookie });
    expect(refused.code).toBe('FORBIDDEN');

    const first = (
      await env.svc.send<ProviderTokenResult>(Patterns.sessionProviderToken, { auth: tokensScope, shopId: 'ct-shop', session: cookie })
    ).data;
    const second = (
      await env.svc.send<ProviderTokenResult>(Patterns.sessionProviderToken, { auth: tokensScope, shopId: 'ct-shop', session: cookie })
    ).data;
    expect(second.accessToken).not.toBe(first.accessToken); // each call was within 5 minutes of expiry: refreshed
    expect((await introspect(second.accessToken)).active).toBe(true);
    const stored = await env.storedStrings();
    for (const token of [first.accessToken, second.accessToken]) expect(stored).not.toContain(token);
  });

  it('answers INVALID_CREDENTIALS for a wrong password, and stores nothing but the throttle count', async () => {
    ct.addCustomer({ email: 'eve@example.com', password: 'pw-ok' });
    const sessionKeys = async () => (await env.inspect.keys('*')).filter((k) => !k.includes(':lt:')).length;
    const before = await sessionKeys();
    const err = await env.svc.sendExpectingError(Patterns.sessionLogin, {
      shopId: 'ct-shop',
      data: { credentials: { email: 'eve@example.com', password: 'wrong' } },
    });
    expect(err.code).toBe('INVALID_CREDENTIALS');
    expect(JSON.stringify(err)).not.toContain('wrong');
    expect(await sessionKeys()).toBe(before);
  });

  it('logs out at the provider too: the token is revoked', async () => {
    ct.addCustomer({ email: 'cy@example.com', password: 'pw-ok' });
    const cookie = (await loginCt('cy@example.com', 'pw-ok')).session!.cookie!.value;
    const { accessToken } = (
      await env.svc.send<ProviderTokenResult>(Patterns.sessionProviderToken, { auth: tokensScope, shopId: 'ct-shop', session: cookie })
    ).data;
    const out = await env.svc.send(Patterns.sessionLogout, { shopId: 'ct-shop', session: cookie });
    expect(out.session!.id).toBeNull();
    expect((await introspect(accessToken)).active).toBe(false);
  });

  it('logs the session out when the provider refuses the refresh (invalid_grant)', async () => {
    ct.addCustomer({ email: 'dee@example.com', password: 'pw-ok' });
    const cookie = (await loginCt('dee@example.com', 'pw-ok')).session!.cookie!.value;
    for (const record of ct.tokens.refreshTokens.values()) record.revoked = true;
    const err = await env.svc.sendExpectingError(Patterns.sessionProviderToken, { auth: tokensScope, shopId: 'ct-shop', session: cookie });
    expect(err.code).toBe('NOT_LOGGED_IN');
    expect((await env.svc.send<ResolveResult>(Patterns.sessionResolve, { shopId: 'ct-shop', session: cookie })).data.user).toBeNull();
  });

  it('logs a shopper in with BigCommerce credentials and logs out there too', async () => {
    const customer = bc.addCustomer({ email: 'fay@example.com', password: 'pw-ok', firstName: 'Fay' });
    const res = await env.svc.send<LoginResult>(Patterns.sessionLogin, {
      shopId: 'bc-shop',
      data: { credentials: { email: 'fay@example.com', password: 'pw-ok' } },
    });
    expect(res.session!.userId).toBe(String(customer.entityId));
    const token = (
      await env.svc.send<ProviderTokenResult>(Patterns.sessionProviderToken, {
        auth: tokensScope,
        shopId: 'bc-shop',
        session: res.session!.cookie!.value,
      })
    ).data;
    expect(token.accessToken).toEqual(expect.any(String));
    await env.svc.send(Patterns.sessionLogout, { shopId: 'bc-shop', session: res.session!.cookie!.value });
    expect(bc.requests.some((r) => r.rootFields?.includes('logout'))).toBe(true);
    const bad = await env.svc.sendExpectingError(Patterns.sessionLogin, {
      shopId: 'bc-shop',
      data: { credentials: { email: 'fay@example.com', password: 'nope' } },
    });
    expect(bad.code).toBe('INVALID_CREDENTIALS');
  });

  it('refuses credentials for a shop without a provider, and both user and credentials at once', async () => {
    const none = await env.svc.sendExpectingError(Patterns.sessionLogin, {
      shopId: 'plain',
      data: { credentials: { email: 'a@example.com', password: 'x' } },
    });
    expect(none).toMatchObject({ code: 'VALIDATION_FAILED', details: [{ field: 'data.credentials' }] });
    const both = await env.svc.sendExpectingError(Patterns.sessionLogin, {
      shopId: 'plain',
      data: { user: { id: 'u' }, credentials: { email: 'a@example.com', password: 'x' } },
    });
    expect(both.code).toBe('VALIDATION_FAILED');
    const neither = await env.svc.sendExpectingError(Patterns.sessionLogin, { shopId: 'plain', data: {} });
    expect(neither.code).toBe('VALIDATION_FAILED');
  });

  it('logs in with a BigCommerce Customer Login JWT, and mints single-use SSO links for the hosted storefront', async () => {
    const customer = bc.addCustomer({ email: 'gus@example.com', password: 'pw-ok' });
    const jwt = bc.signCustomerLoginJwt({ customer_id: customer.entityId });
    const res = await env.svc.send<LoginResult>(Patterns.sessionLogin, { shopId: 'bc-shop', data: { customerLoginJwt: jwt } });
    expect(res.session!.userId).toBe(String(customer.entityId));
    const replay = await env.svc.sendExpectingError(Patterns.sessionLogin, { shopId: 'bc-shop', data: { customerLoginJwt: jwt } });
    expect(replay.code).toBe('PROVIDER_ERROR'); // the jti is single-use: the provider refuses the replay

    const cookie = res.session!.cookie!.value;
    const { url } = (
      await env.svc.send<{ url: string }>(Patterns.ssoCustomerLoginUrl, {
        shopId: 'bc-shop',
        session: cookie,
        data: { redirectTo: '/account/orders' },
      })
    ).data;
    expect(url.startsWith(`${bc.url}/login/token/`)).toBe(true);
    const visit = await fetch(url, { redirect: 'manual' });
    expect(visit.status).toBe(302);
    expect(visit.headers.get('location')).toContain('/account/orders');

    const guest = await env.svc.sendExpectingError(Patterns.ssoCustomerLoginUrl, { shopId: 'bc-shop', data: {} });
    expect(guest.code).toBe('NOT_LOGGED_IN');
    const notBc = await env.svc.sendExpectingError(Patterns.sessionLogin, { shopId: 'ct-shop', data: { customerLoginJwt: jwt } });
    expect(notBc).toMatchObject({ code: 'VALIDATION_FAILED', details: [{ field: 'data.customerLoginJwt' }] });
  });

  it('hands out hosted-checkout URLs for the BigCommerce customer’s cart', async () => {
    const customer = bc.addCustomer({ email: 'hal@example.com', password: 'pw-ok' });
    bc.addCart({ customerEntityId: customer.entityId, lineItems: [{ productEntityId: 1, quantity: 2 }] });
    const withCart = (
      await env.svc.send(Patterns.sessionLogin, {
        shopId: 'bc-shop',
        data: { credentials: { email: 'hal@example.com', password: 'pw-ok' } },
      })
    ).session!.cookie!.value;
    const urls = (
      await env.svc.send<{ checkoutUrl: string; embeddedCheckoutUrl: string }>(Patterns.checkoutRedirectUrls, {
        shopId: 'bc-shop',
        session: withCart,
      })
    ).data;
    expect(urls).toEqual({
      checkoutUrl: expect.stringMatching(/^https?:\/\//),
      embeddedCheckoutUrl: expect.stringMatching(/^https?:\/\//),
    });

    bc.addCustomer({ email: 'ivy@example.com', password: 'pw-ok' });
    const noCart = (
      await env.svc.send(Patterns.sessionLogin, {
        shopId: 'bc-shop',
        data: { credentials: { email: 'ivy@example.com', password: 'pw-ok' } },
      })
    ).session!.cookie!.value;
    expect((await env.svc.sendExpectingError(Patterns.checkoutRedirectUrls, { shopId: 'bc-shop', session: noCart })).code).toBe(
      'VALIDATION_FAILED',
    );
    expect((await env.svc.sendExpectingError(Patterns.checkoutRedirectUrls, { shopId: 'bc-shop' })).code).toBe('NOT_LOGGED_IN');
  });
});
