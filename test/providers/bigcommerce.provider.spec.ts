import { BigCommerceTokenProvider } from '../../libs/token-providers/src/index.js';
import { BigCommerceEmulator } from '../emulators/bigcommerce/index.js';

describe('BigCommerceTokenProvider against the BigCommerce emulator', () => {
  const now = Date.parse('2026-03-01T10:00:00.000Z');
  const bc = new BigCommerceEmulator({ now: () => now, customerAccessTokenTtlSeconds: 3600 });
  let provider: BigCommerceTokenProvider;
  let seq = 200;
  const newCustomer = () => {
    const entityId = ++seq;
    bc.addCustomer({ entityId, email: `bc${entityId}@example.com`, password: 'pw-ok', firstName: 'Jane', lastName: 'Doe' });
    return { entityId, email: `bc${entityId}@example.com` };
  };

  beforeAll(async () => {
    const { graphqlUrl } = await bc.start();
    provider = new BigCommerceTokenProvider({ graphqlUrl, storefrontToken: bc.options.storefrontToken });
  });
  afterAll(() => bc.stop());

  it('logs in without a guest cart: CAT with expiresAt, customer, no cart', async () => {
    const customer = newCustomer();
    const login = await provider.login({ email: customer.email, password: 'pw-ok' });
    expect(login).toEqual({
      tokens: { accessToken: expect.any(String), expirationTime: now + 3600 * 1000 },
      customerId: String(customer.entityId),
      cartId: null,
      customer: { email: customer.email, firstName: 'Jane', lastName: 'Doe' },
    });
    const req = bc.requests.at(-1)!;
    expect(req.headers['authorization']).toBe(`Bearer ${bc.options.storefrontToken}`);
    expect(req.query).toMatchObject({ operation: 'login', type: 'mutation' });
  });

  it('logs in with a guest cart: the guest cart is assigned to the customer', async () => {
    const customer = newCustomer();
    const guest = bc.addCart({ lineItems: [{ productEntityId: 77, quantity: 2 }] });
    const login = await provider.login({ email: customer.email, password: 'pw-ok' }, { cartId: guest.entityId });
    expect(login.cartId).toBe(guest.entityId);
    expect(bc.getCart(guest.entityId)!.customerEntityId).toBe(customer.entityId);
  });

  it('logs in with a guest cart and a saved cart: the guest lines merge into the saved cart', async () => {
    const customer = newCustomer();
    const saved = bc.addCart({ customerEntityId: customer.entityId, lineItems: [{ productEntityId: 1, quantity: 1 }] });
    const guest = bc.addCart({ lineItems: [{ productEntityId: 1, quantity: 2 }] });
    const login = await provider.login({ email: customer.email, password: 'pw-ok' }, { cartId: guest.entityId });
    expect(login.cartId).toBe(saved.entityId);
    expect(bc.getCart(saved.entityId)!.lineItems.map((li) => li.quantity)).toEqual([3]);
    expect(bc.getCart(guest.entityId)).toBeUndefined();
  });

  it('maps "Invalid credentials" to INVALID_CREDENTIALS without leaking the password', async () => {
    const customer = newCustomer();
    const err = await provider.login({ email: customer.email, password: 'wrong-pw' }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'INVALID_CREDENTIALS', details: { provider: 'bigcommerce', operation: 'login', status: 200 } });
    expect(JSON.stringify(err) + (err as Error).message).not.toContain('wrong-pw');
  });

  it('logout revokes the CAT and hands back the unassigned cart', async () => {
    const customer = newCustomer();
    const guest = bc.addCart({ lineItems: [{ productEntityId: 5, quantity: 1 }] });
    const login = await provider.login({ email: customer.email, password: 'pw-ok' }, { cartId: guest.entityId });
    await expect(provider.logout(login.tokens, login.cartId!)).resolves.toEqual({ guestCartId: guest.entityId });
    expect(bc.state.accessTokens.get(login.tokens.accessToken)!.revoked).toBe(true);
    expect(bc.getCart(guest.entityId)!.customerEntityId).toBeNull();
    const req = bc.requests.at(-1)!;
    expect(req.headers['x-bc-customer-access-token']).toBe(login.tokens.accessToken);
  });

  it('maps INVALID_CUSTOMER_ACCESS_TOKEN (revoked CAT) to NOT_LOGGED_IN', async () => {
    const customer = newCustomer();
    const { tokens } = await provider.login({ email: customer.email, password: 'pw-ok' });
    await provider.logout(tokens);
    await expect(provider.logout(tokens)).rejects.toMatchObject({
      code: 'NOT_LOGGED_IN',
      details: { operation: 'logout', codes: ['INVALID_CUSTOMER_ACCESS_TOKEN'] },
    });
  });

  it('maps a rejected storefront token (HTTP 401) to PROVIDER_ERROR', async () => {
    const bad = new BigCommerceTokenProvider({ graphqlUrl: `${bc.url}/graphql`, storefrontToken: 'nope' });
    await expect(bad.login({ email: 'x@example.com', password: 'pw' })).rejects.toMatchObject({
      code: 'PROVIDER_ERROR',
      details: { status: 401 },
    });
  });
});
