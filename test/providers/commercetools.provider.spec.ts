import { CommercetoolsTokenProvider } from '../../libs/token-providers/src/index.js';
import { CommercetoolsEmulator } from '../emulators/commercetools/index.js';

const qty = (lineItems: Array<{ productId: string; quantity: number }>) =>
  Object.fromEntries(lineItems.map((li) => [li.productId, li.quantity]));

describe('CommercetoolsTokenProvider against the commercetools emulator', () => {
  let now = Date.parse('2026-05-01T08:00:00.000Z');
  const ct = new CommercetoolsEmulator({ projectKey: 'shop', accessTokenTtlSeconds: 3600, now: () => now });
  let provider: CommercetoolsTokenProvider;
  let seq = 0;
  const newCustomer = () => ct.addCustomer({ email: `c${++seq}@example.com`, password: 'pw-ok', firstName: 'Ada' });

  beforeAll(async () => {
    const { authUrl, apiUrl } = await ct.start();
    provider = new CommercetoolsTokenProvider({
      authUrl,
      apiUrl,
      projectKey: 'shop',
      clientId: ct.options.clientId,
      clientSecret: ct.options.clientSecret,
      now: () => now,
    });
  });
  afterAll(() => ct.stop());

  it('password flow: tokens with refresh token and expiry, customer id from scope, active cart id', async () => {
    const customer = newCustomer();
    const cart = ct.addCart({ customerId: customer.id, lineItems: [{ productId: 'p1', quantity: 1 }] });
    const login = await provider.login({ email: customer.email, password: 'pw-ok' });
    expect(login).toEqual({
      tokens: { accessToken: expect.any(String), refreshToken: expect.any(String), expirationTime: now + 3600 * 1000 },
      customerId: customer.id,
      cartId: cart.id,
    });
    expect((await provider.introspect(login.tokens.accessToken)).scope).toContain(`customer_id:${customer.id}`);
  });

  it('password flow without a cart gives cartId null', async () => {
    const customer = newCustomer();
    expect((await provider.login({ email: customer.email, password: 'pw-ok' })).cartId).toBeNull();
  });

  it('anonymous → password login merges the anonymous cart into the customer cart via me/login', async () => {
    const customer = newCustomer();
    const saved = ct.addCart({ customerId: customer.id, lineItems: [{ productId: 'p1', quantity: 2 }] });
    const anon = await provider.anonymousToken();
    expect(anon.anonymousId).toEqual(expect.any(String));
    expect(anon.tokens.refreshToken).toEqual(expect.any(String));
    const guestCart = ct.addCart({
      anonymousId: anon.anonymousId,
      lineItems: [
        { productId: 'p1', quantity: 3 },
        { productId: 'p2', quantity: 1 },
      ],
    });

    const login = await provider.login(
      { email: customer.email.toUpperCase(), password: 'pw-ok' },
      { anonymousAccessToken: anon.tokens.accessToken },
    );
    expect(login.customerId).toBe(customer.id);
    expect(login.cartId).toBe(saved.id);
    expect(login.customer).toEqual({ email: customer.email, firstName: 'Ada' });
    expect(qty(ct.getCart(saved.id)!.lineItems)).toEqual({ p1: 3, p2: 1 });
    expect(ct.getCart(guestCart.id)!.cartState).toBe('Merged');
    const meLogin = ct.requests.find((r) => r.path === '/shop/me/login')!;
    expect(JSON.parse(meLogin.body)).toMatchObject({ activeCartSignInMode: 'MergeWithExistingCustomerCart' });
  });

  it('anonymous cart becomes the customer cart when the customer has none', async () => {
    const customer = newCustomer();
    const anon = await provider.anonymousToken();
    const guestCart = ct.addCart({ anonymousId: anon.anonymousId, lineItems: [{ productId: 'p9', quantity: 1 }] });
    const login = await provider.login({ email: customer.email, password: 'pw-ok' }, { anonymousAccessToken: anon.tokens.accessToken });
    expect(login.cartId).toBe(guestCart.id);
    expect(ct.getCart(guestCart.id)!.customerId).toBe(customer.id);
  });

  it('refresh returns a new access token and keeps the old refresh token', async () => {
    const customer = newCustomer();
    const { tokens } = await provider.login({ email: customer.email, password: 'pw-ok' });
    now += 60_000;
    const refreshed = await provider.refresh(tokens);
    expect(refreshed.accessToken).not.toBe(tokens.accessToken);
    expect(refreshed.refreshToken).toBe(tokens.refreshToken);
    expect(refreshed.expirationTime).toBe(now + 3600 * 1000);
    expect((await provider.introspect(refreshed.accessToken)).active).toBe(true);
    // The kept refresh token still works for the next refresh.
    const again = await provider.refresh(refreshed);
    expect(again.refreshToken).toBe(tokens.refreshToken);
    expect(again.accessToken).not.toBe(refreshed.accessToken);
  });

  it('logout revokes the tokens: introspection reports inactive and refresh gives NOT_LOGGED_IN', async () => {
    const customer = newCustomer();
    const { tokens } = await provider.login({ email: customer.email, password: 'pw-ok' });
    expect((await provider.introspect(tokens.accessToken)).active).toBe(true);
    await expect(provider.logout(tokens)).resolves.toEqual({ guestCartId: null });
    expect(await provider.introspect(tokens.accessToken)).toEqual({ active: false });
    await expect(provider.refresh(tokens)).rejects.toMatchObject({
      code: 'NOT_LOGGED_IN',
      details: { provider: 'commercetools', operation: 'refresh', status: 400, codes: ['invalid_grant'] },
    });
  });

  it('maps wrong credentials to INVALID_CREDENTIALS on both the password flow and me/login', async () => {
    const customer = newCustomer();
    await expect(provider.login({ email: customer.email, password: 'wrong' })).rejects.toMatchObject({
      code: 'INVALID_CREDENTIALS',
      details: { operation: 'password-token', codes: ['invalid_customer_account_credentials'] },
    });
    const anon = await provider.anonymousToken();
    const err = await provider
      .login({ email: customer.email, password: 'wrong' }, { anonymousAccessToken: anon.tokens.accessToken })
      .catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'INVALID_CREDENTIALS', details: { operation: 'me-login', codes: ['InvalidCredentials'] } });
    expect(JSON.stringify(err) + (err as Error).message).not.toContain('wrong');
  });

  it('maps an unknown refresh token (invalid_grant) to NOT_LOGGED_IN', async () => {
    await expect(provider.refresh({ accessToken: 'x', refreshToken: 'shop:unknown', expirationTime: 0 })).rejects.toMatchObject({
      code: 'NOT_LOGGED_IN',
    });
    await expect(provider.refresh({ accessToken: 'x', expirationTime: 0 })).rejects.toMatchObject({ code: 'NOT_LOGGED_IN' });
  });

  it('maps bad client credentials to PROVIDER_ERROR', async () => {
    const bad = new CommercetoolsTokenProvider({
      authUrl: ct.authUrl,
      apiUrl: ct.apiUrl,
      projectKey: 'shop',
      clientId: ct.options.clientId,
      clientSecret: 'not-the-secret',
    });
    const err = await bad.anonymousToken().catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'PROVIDER_ERROR', details: { status: 401, codes: ['invalid_client'] } });
    expect(JSON.stringify(err) + (err as Error).message).not.toContain('not-the-secret');
  });
});
