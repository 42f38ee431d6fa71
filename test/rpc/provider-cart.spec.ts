import { Patterns, type LoginResult, type ProviderCartResult, type ProviderTokenResult, type WishlistResult } from '#libs/contracts';
import { SessionClient } from '#libs/session-client';
import { serviceWithProviders } from '../support/service-with-providers.js';
import { mintToken } from '../support/service-tokens.js';

/** Shops whose cart lives at the provider (`cart.owner: provider`): the session keeps the provider's cart id. */
describe('provider-owned carts: the guest cart goes to the provider at login', () => {
  // Access tokens live 2 minutes: inside the 5-minute margin, so every providerToken() refreshes.
  const env = serviceWithProviders({
    ct: { accessTokenTtlSeconds: 120 },
    bc: { persistentCart: false },
    shops: (p) => ({
      bc: { provider: p.bigcommerce, cart: { owner: 'provider' } },
      ct: { provider: p.commercetools, cart: { owner: 'provider' } },
      'bc-session-cart': { provider: p.bigcommerce },
    }),
  });
  const { ct, bc } = env;
  const tokensScope = mintToken('session:read session:write session:tokens');

  const setCart = (shopId: string, session: string | null, data: object) =>
    env.svc.send<ProviderCartResult>(Patterns.providerCartSet, { shopId, session, data });
  const getCart = async (shopId: string, session: string) =>
    (await env.svc.send<ProviderCartResult>(Patterns.providerCartGet, { shopId, session })).data;
  const login = (shopId: string, session: string | null, email: string) =>
    env.svc.send<LoginResult>(Patterns.sessionLogin, { shopId, session, data: { credentials: { email, password: 'pw-ok' } } });

  describe('BigCommerce', () => {
    /** A guest whose storefront created a cart at BigCommerce and recorded its id in the session. */
    const guestWithCart = async (productEntityId: number, quantity: number) => {
      const cart = bc.addCart({ lineItems: [{ productEntityId, quantity }] });
      const res = await setCart('bc', null, { cartId: cart.entityId });
      expect(res.data).toEqual({ cartId: cart.entityId, lastOrderId: null });
      return { cartId: cart.entityId, cookie: res.session!.cookie!.value };
    };

    it('keeps the guest cart id in the session, and hands the cart to the customer at login (adopted)', async () => {
      const customer = bc.addCustomer({ email: 'ann@example.com', password: 'pw-ok' });
      const guest = await guestWithCart(11, 2);
      expect(await getCart('bc', guest.cookie)).toEqual({ cartId: guest.cartId, lastOrderId: null });

      const res = await login('bc', guest.cookie, 'ann@example.com');
      expect(res.data.providerCart).toEqual({ cartId: guest.cartId, outcome: 'adopted' });
      expect(bc.getCart(guest.cartId)!.customerEntityId).toBe(customer.entityId);
      expect(await getCart('bc', res.session!.cookie!.value)).toEqual({ cartId: guest.cartId, lastOrderId: null });
      // The guest ID died with the login: its cookie now opens an empty guest session.
      expect(await getCart('bc', guest.cookie)).toEqual({ cartId: null, lastOrderId: null });
    });

    it('reports a guest cart merged into the customer’s saved cart as combined', async () => {
      const customer = bc.addCustomer({ email: 'ben@example.com', password: 'pw-ok' });
      const saved = bc.addCart({ customerEntityId: customer.entityId, lineItems: [{ productEntityId: 1, quantity: 1 }] });
      const guest = await guestWithCart(12, 3);

      const res = await login('bc', guest.cookie, 'ben@example.com');
      expect(res.data.providerCart).toEqual({ cartId: saved.entityId, outcome: 'combined' });
      const lines = bc.getCart(saved.entityId)!.lineItems.map((l) => [l.productEntityId, l.quantity]);
      expect(lines).toEqual(
        expect.arrayContaining([
          [1, 1],
          [12, 3],
        ]),
      );
      expect(await getCart('bc', res.session!.cookie!.value)).toMatchObject({ cartId: saved.entityId });
    });

    it('reports the customer’s saved cart coming back to a guest without one as restored', async () => {
      const customer = bc.addCustomer({ email: 'cat@example.com', password: 'pw-ok' });
      const saved = bc.addCart({ customerEntityId: customer.entityId, lineItems: [{ productEntityId: 5, quantity: 1 }] });
      const res = await login('bc', null, 'cat@example.com');
      expect(res.data.providerCart).toEqual({ cartId: saved.entityId, outcome: 'restored' });
    });

    it('at logout keeps the cart BigCommerce hands back (no persistent cart) in a new guest session', async () => {
      bc.addCustomer({ email: 'dan@example.com', password: 'pw-ok' });
      const guest = await guestWithCart(13, 1);
      const loggedIn = (await login('bc', guest.cookie, 'dan@example.com')).session!;

      const out = await env.svc.send(Patterns.sessionLogout, { shopId: 'bc', session: loggedIn.cookie!.value });
      expect(out.session).toMatchObject({ userId: null, isNew: true, id: expect.any(String) });
      expect(out.session!.id).not.toBe(loggedIn.id);
      expect(out.session!.cookie!.maxAge).toBeGreaterThan(0);
      expect(bc.getCart(guest.cartId)!.customerEntityId).toBeNull();
      expect(await getCart('bc', out.session!.cookie!.value)).toEqual({ cartId: guest.cartId, lastOrderId: null });
      // The logged-in session itself is gone.
      expect((await env.svc.send(Patterns.sessionResolve, { shopId: 'bc', session: loggedIn.cookie!.value })).session!.userId).toBeNull();
    });

    it('refuses the session cart on a provider-owned shop, while the wishlist stays in the session and merges at login', async () => {
      const err = await env.svc.sendExpectingError(Patterns.cartAddItem, {
        shopId: 'bc',
        data: { productId: 'p1', variantId: 'v1', quantity: 1 },
      });
      expect(err.code).toBe('CART_AT_PROVIDER');

      bc.addCustomer({ email: 'eli@example.com', password: 'pw-ok' });
      const added = await env.svc.send<WishlistResult>(Patterns.wishlistAdd, { shopId: 'bc', data: { productId: 'p7' } });
      const res = await login('bc', added.session!.cookie!.value, 'eli@example.com');
      expect(res.data.wishlist).toMatchObject({ added: 1 });
      expect(res.data.providerCart).toEqual({ cartId: null, outcome: 'none' });
      const wishlist = await env.svc.send<WishlistResult>(Patterns.wishlistGet, { shopId: 'bc', session: res.session!.cookie!.value });
      expect(wishlist.data.items.map((i) => i.productId)).toEqual(['p7']);
    });

    it('records the order a cart became, and forgets the cart on request', async () => {
      const guest = await guestWithCart(14, 1);
      const done = await setCart('bc', guest.cookie, { cartId: null, lastOrderId: 'order-100' });
      expect(done.data).toEqual({ cartId: null, lastOrderId: 'order-100' });
      expect(await getCart('bc', guest.cookie)).toEqual({ cartId: null, lastOrderId: 'order-100' });
    });

    it('validates providerCart.set, and refuses it on a shop whose cart lives in the session', async () => {
      const bad = await env.svc.sendExpectingError(Patterns.providerCartSet, { shopId: 'bc', data: { cartId: 'not a cart id!' } });
      expect(bad).toMatchObject({ code: 'VALIDATION_FAILED', details: [{ field: 'data.cartId' }] });
      const wrongShop = await env.svc.sendExpectingError(Patterns.providerCartSet, { shopId: 'bc-session-cart', data: { cartId: 'c-1' } });
      expect(wrongShop).toMatchObject({ code: 'VALIDATION_FAILED', details: [{ field: 'shopId' }] });
    });

    it('ends the session when BigCommerce refuses the customer access token (INVALID_CUSTOMER_ACCESS_TOKEN)', async () => {
      bc.addCustomer({ email: 'fox@example.com', password: 'pw-ok' });
      const guest = await guestWithCart(15, 1);
      const cookie = (await login('bc', guest.cookie, 'fox@example.com')).session!.cookie!.value;
      const token = (
        await env.svc.send<ProviderTokenResult>(Patterns.sessionProviderToken, { auth: tokensScope, shopId: 'bc', session: cookie })
      ).data;
      expect(token.anonymous).toBe(false);
      bc.revokeCustomerAccessToken(token.accessToken);
      const err = await env.svc.sendExpectingError(Patterns.checkoutRedirectUrls, { shopId: 'bc', session: cookie });
      expect(err.code).toBe('NOT_LOGGED_IN');
      expect((await env.svc.send(Patterns.sessionResolve, { shopId: 'bc', session: cookie })).session!.userId).toBeNull();
    });

    it('is reachable through the typed SessionClient', async () => {
      const client = new SessionClient({ host: '127.0.0.1', port: env.svc.config.port, token: tokensScope, timeoutMs: 5000 });
      try {
        const customer = bc.addCustomer({ email: 'gay@example.com', password: 'pw-ok' });
        const cart = bc.addCart({ lineItems: [{ productEntityId: 16, quantity: 1 }] });
        const guest = await client.setProviderCart('bc', null, { cartId: cart.entityId });
        const loggedIn = await client.login('bc', guest.session!.cookie!.value, {
          credentials: { email: customer.email, password: 'pw-ok' },
        });
        const session = loggedIn.session!.cookie!.value;
        expect((await client.providerCart('bc', session)).data).toEqual({ cartId: cart.entityId, lastOrderId: null });
        expect((await client.providerToken('bc', session)).data.anonymous).toBe(false);
        expect((await client.checkoutRedirectUrls('bc', session)).data.checkoutUrl).toMatch(/^https?:\/\//);
        expect((await client.customerLoginUrl('bc', session)).data.url).toContain('/login/token/');
      } finally {
        await client.close();
      }
    });

    it('logs in even when the guest’s provider state was sealed under a key that has since been retired', async () => {
      const customer = bc.addCustomer({ email: 'hy@example.com', password: 'pw-ok' });
      const saved = bc.addCart({ customerEntityId: customer.entityId, lineItems: [{ productEntityId: 17, quantity: 1 }] });
      const guest = await guestWithCart(18, 1);
      const rotated = await env.startAnother({ SESSION_TOKEN_KEYS: 'another-token-key-0123456789abcdef012345678' });
      try {
        const res = await rotated.send<LoginResult>(Patterns.sessionLogin, {
          shopId: 'bc',
          session: guest.cookie,
          data: { credentials: { email: customer.email, password: 'pw-ok' } },
        });
        // The unreadable guest cart id could not go along: BigCommerce restored the customer's own cart.
        expect(res.data.providerCart).toEqual({ cartId: saved.entityId, outcome: 'restored' });
      } finally {
        await rotated.stop();
      }
    });

    it('has no provider token for a BigCommerce guest', async () => {
      const err = await env.svc.sendExpectingError(Patterns.sessionProviderToken, { auth: tokensScope, shopId: 'bc' });
      expect(err.code).toBe('NOT_LOGGED_IN');
    });
  });

  describe('commercetools', () => {
    const anonymousToken = async (session: string | null) =>
      env.svc.send<ProviderTokenResult>(Patterns.sessionProviderToken, { auth: tokensScope, shopId: 'ct', session });
    const createMyCart = async (accessToken: string, productId: string, quantity: number) => {
      const res = await fetch(`${ct.apiUrl}/shop/me/carts`, {
        method: 'POST',
        headers: { authorization: `Bearer ${accessToken}`, 'content-type': 'application/json' },
        body: JSON.stringify({ currency: 'EUR', lineItems: [{ productId, quantity }] }),
      });
      expect(res.status).toBe(201);
      return ((await res.json()) as { id: string }).id;
    };
    /** A guest that got an anonymous session token, created a cart with it and recorded the cart. */
    const guestWithCart = async (productId: string, quantity: number) => {
      const first = await anonymousToken(null);
      expect(first.data.anonymous).toBe(true);
      const cookie = first.session!.cookie!.value;
      const cartId = await createMyCart(first.data.accessToken, productId, quantity);
      await setCart('ct', cookie, { cartId });
      return { cookie, cartId, accessToken: first.data.accessToken };
    };

    it('makes an anonymous session token the first time a guest needs one, stores it sealed, and refreshes it', async () => {
      const guest = await guestWithCart('p1', 1);
      const again = await anonymousToken(guest.cookie);
      expect(again.data.anonymous).toBe(true);
      expect(again.data.accessToken).not.toBe(guest.accessToken); // within 5 minutes of expiry: refreshed
      expect(ct.getCart(guest.cartId)!.anonymousId).toEqual(expect.any(String));
      const stored = await env.storedStrings();
      for (const token of [guest.accessToken, again.data.accessToken]) expect(stored).not.toContain(token);
    });

    it('merges the anonymous cart into the customer’s active cart at login (me/login), keeping the customer cart id', async () => {
      const customer = ct.addCustomer({ email: 'fia@example.com', password: 'pw-ok' });
      const mine = ct.addCart({ customerId: customer.id, currency: 'EUR', lineItems: [{ productId: 'p1', quantity: 1 }] });
      const guest = await guestWithCart('p1', 3);

      const res = await login('ct', guest.cookie, 'fia@example.com');
      expect(res.data.providerCart).toEqual({ cartId: mine.id, outcome: 'combined' });
      expect(ct.getCart(mine.id)!.lineItems).toEqual([expect.objectContaining({ productId: 'p1', quantity: 3 })]); // max, not sum
      expect(ct.getCart(guest.cartId)!.cartState).toBe('Merged');
      const token = await env.svc.send<ProviderTokenResult>(Patterns.sessionProviderToken, {
        auth: tokensScope,
        shopId: 'ct',
        session: res.session!.cookie!.value,
      });
      expect(token.data.anonymous).toBe(false);
      expect(await getCart('ct', res.session!.cookie!.value)).toEqual({ cartId: mine.id, lastOrderId: null });
    });

    it('adopts the anonymous cart when the customer has none', async () => {
      const customer = ct.addCustomer({ email: 'gil@example.com', password: 'pw-ok' });
      const guest = await guestWithCart('p2', 2);
      const res = await login('ct', guest.cookie, 'gil@example.com');
      expect(res.data.providerCart).toEqual({ cartId: guest.cartId, outcome: 'adopted' });
      expect(ct.getCart(guest.cartId)).toMatchObject({ customerId: customer.id, cartState: 'Active' });
    });

    it('moves every cart of the anonymous session to the customer at login, not only the merged one', async () => {
      const customer = ct.addCustomer({ email: 'hal@example.com', password: 'pw-ok' });
      const guest = await guestWithCart('p4', 1);
      const second = await createMyCart(guest.accessToken, 'p5', 1); // now the active (most recently modified) cart
      await setCart('ct', guest.cookie, { cartId: second });
      const res = await login('ct', guest.cookie, 'hal@example.com');
      expect(res.data.providerCart).toEqual({ cartId: second, outcome: 'adopted' });
      expect(ct.getCart(second)).toMatchObject({ customerId: customer.id });
      expect(ct.getCart(guest.cartId)).toMatchObject({ customerId: customer.id });
    });

    it('logs in without the anonymous cart when the guest’s anonymous session can no longer be refreshed, and makes no new one', async () => {
      const customer = ct.addCustomer({ email: 'ida@example.com', password: 'pw-ok' });
      const guest = await guestWithCart('p6', 1);
      for (const record of ct.tokens.refreshTokens.values()) record.revoked = true;
      ct.clearRequests();
      const res = await login('ct', guest.cookie, 'ida@example.com');
      expect(res.session!.userId).toBe(customer.id);
      expect(ct.requests.map((r) => r.path)).not.toContainEqual(expect.stringMatching(/anonymous\/token|me\/login/));
      expect(ct.getCart(guest.cartId)!.customerId).toBeUndefined();
    });

    it('starts a new anonymous session when the old one can no longer be refreshed: a guest is never logged out', async () => {
      const guest = await guestWithCart('p3', 1);
      for (const record of ct.tokens.refreshTokens.values()) record.revoked = true;
      const res = await anonymousToken(guest.cookie);
      expect(res.data.anonymous).toBe(true);
      expect(res.session!.id).toBe(guest.cookie.slice(2, guest.cookie.lastIndexOf('.')));
      expect(await getCart('ct', guest.cookie)).toEqual({ cartId: null, lastOrderId: null });
    });
  });
});
