import { BigCommerceTokenProvider, CustomerLoginJwtMinter } from '../../libs/token-providers/src/index.js';
import { BigCommerceEmulator } from '../emulators/bigcommerce/index.js';

const decodePart = (jwt: string, i: number) => JSON.parse(Buffer.from(jwt.split('.')[i]!, 'base64url').toString('utf8'));

describe('CustomerLoginJwtMinter against the BigCommerce emulator', () => {
  let now = Date.parse('2026-03-01T10:00:00.000Z');
  const bc = new BigCommerceEmulator({ now: () => now, storeHash: 'hash9', channelId: 2 });
  let provider: BigCommerceTokenProvider;
  const minter = (secret = bc.options.clientSecret) =>
    new CustomerLoginJwtMinter({ clientId: bc.options.clientId, clientSecret: secret, storeHash: 'hash9', now: () => now });

  beforeAll(async () => {
    const { graphqlUrl } = await bc.start();
    bc.addCustomer({ entityId: 42, email: 'jwt@example.com', password: 'pw', firstName: 'J', lastName: 'W' });
    provider = new BigCommerceTokenProvider({ graphqlUrl, storefrontToken: bc.options.storefrontToken });
  });
  afterAll(() => bc.stop());

  it('mints HS256 tokens with the documented claims and a fresh jti each time', () => {
    const a = minter().mint({ customerId: 42.7, channelId: 2, redirectTo: '/account/orders', requestIp: '127.0.0.1' });
    const b = minter().mint({ customerId: 42 });
    expect(decodePart(a, 0)).toEqual({ alg: 'HS256', typ: 'JWT' });
    expect(decodePart(a, 1)).toEqual({
      iss: bc.options.clientId,
      iat: Math.floor(now / 1000),
      jti: expect.stringMatching(/^[0-9a-f-]{36}$/),
      operation: 'customer_login',
      store_hash: 'hash9',
      customer_id: 42,
      channel_id: 2,
      redirect_to: '/account/orders',
      request_ip: '127.0.0.1',
    });
    expect(decodePart(b, 1)).not.toHaveProperty('channel_id');
    expect(decodePart(b, 1).jti).not.toBe(decodePart(a, 1).jti);
  });

  it('logs in with loginWithCustomerLoginJwt and a replayed jti is rejected', async () => {
    const jwt = minter().mint({ customerId: 42, channelId: 2 });
    const login = await provider.loginWithCustomerLoginJwt(jwt);
    expect(login).toMatchObject({ customerId: '42', cartId: null, customer: { email: 'jwt@example.com' } });
    await expect(provider.loginWithCustomerLoginJwt(jwt)).rejects.toMatchObject({
      code: 'PROVIDER_ERROR',
      details: { operation: 'loginWithCustomerLoginJwt' },
    });
  });

  it('is accepted at GET /login/token/{jwt} and rejected when signed with another secret', async () => {
    const ok = await fetch(`${bc.url}/login/token/${minter().mint({ customerId: 42, redirectTo: '/account/orders' })}`, {
      redirect: 'manual',
    });
    expect(ok.status).toBe(302);
    expect(ok.headers.get('location')).toBe('/account/orders');
    const bad = await fetch(`${bc.url}/login/token/${minter('other-secret').mint({ customerId: 42 })}`, { redirect: 'manual' });
    expect(bad.status).toBe(401);
  });

  it('is rejected once iat is older than the emulator window', async () => {
    const jwt = minter().mint({ customerId: 42 });
    now += 31_000;
    await expect(provider.loginWithCustomerLoginJwt(jwt)).rejects.toMatchObject({ code: 'PROVIDER_ERROR' });
    // A token minted at the new time works.
    await expect(provider.loginWithCustomerLoginJwt(minter().mint({ customerId: 42 }))).resolves.toMatchObject({ customerId: '42' });
  });
});
