import jwt from 'jsonwebtoken';
import { BigCommerceEmulator } from './bigcommerce-emulator.js';
import { signCustomerLoginJwt, verifyCustomerLoginJwt, type CustomerLoginCheck } from './customer-login-jwt.js';
import { gql, LOGIN_WITH_JWT_MUTATION } from './graphql-test-client.js';

const NOW_S = 1_772_000_000;

describe('verifyCustomerLoginJwt (commerce-apis.md A3)', () => {
  const secret = 'client-secret';
  const claims = {
    iss: 'client-id',
    iat: NOW_S,
    jti: 'a6d8a6a2-1c55-4f3c-9e52-0c1b2b4b8f11',
    operation: 'customer_login',
    store_hash: 'abc123',
    customer_id: 42,
  };
  const check = (over: Partial<CustomerLoginCheck> = {}): CustomerLoginCheck => ({
    clientId: 'client-id',
    clientSecret: secret,
    storeHash: 'abc123',
    channelId: 1,
    nowSeconds: NOW_S,
    maxAgeSeconds: 30,
    maxFutureSkewSeconds: 5,
    requestIp: '127.0.0.1',
    customerExists: (id) => id === 42,
    consumeJti: () => true,
    ...over,
  });

  it('produces HS256 tokens that an independent implementation verifies', () => {
    const token = signCustomerLoginJwt(claims, secret);
    expect(JSON.parse(Buffer.from(token.split('.')[0]!, 'base64url').toString())).toEqual({ alg: 'HS256', typ: 'JWT' });
    expect(jwt.verify(token, secret, { algorithms: ['HS256'] })).toMatchObject(claims);
  });

  it('accepts a token minted by jsonwebtoken with the documented claims', () => {
    const token = jwt.sign(claims, secret, { algorithm: 'HS256' });
    expect(verifyCustomerLoginJwt(token, check())).toEqual({ ok: true, claims });
  });

  it.each([
    ['wrong secret', signCustomerLoginJwt(claims, 'other'), 'signature'],
    [
      'alg none',
      `${Buffer.from('{"alg":"none","typ":"JWT"}').toString('base64url')}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.`,
      'header',
    ],
    ['HS512', jwt.sign(claims, secret, { algorithm: 'HS512' }), 'header'],
    ['wrong iss', signCustomerLoginJwt({ ...claims, iss: 'x' }, secret), 'iss'],
    ['wrong operation', signCustomerLoginJwt({ ...claims, operation: 'login' }, secret), 'operation'],
    ['wrong store_hash', signCustomerLoginJwt({ ...claims, store_hash: 'zzz' }, secret), 'store_hash'],
    ['iat 31 s old', signCustomerLoginJwt({ ...claims, iat: NOW_S - 31 }, secret), 'expired'],
    ['iat in the future', signCustomerLoginJwt({ ...claims, iat: NOW_S + 6 }, secret), 'future'],
    ['unknown customer', signCustomerLoginJwt({ ...claims, customer_id: 7 }, secret), 'customer not found'],
    ['fractional customer_id', signCustomerLoginJwt({ ...claims, customer_id: 42.5 }, secret), 'integer'],
    ['other channel', signCustomerLoginJwt({ ...claims, channel_id: 2 }, secret), 'channel_id'],
    ['other request_ip', signCustomerLoginJwt({ ...claims, request_ip: '10.0.0.9' }, secret), 'request_ip'],
    ['absolute redirect_to', signCustomerLoginJwt({ ...claims, redirect_to: '//evil.example' }, secret), 'redirect_to'],
    ['no jti', signCustomerLoginJwt({ ...claims, jti: undefined }, secret), 'jti'],
    [
      'tampered payload',
      signCustomerLoginJwt(claims, secret).replace(
        /\.[^.]+\./,
        `.${Buffer.from(JSON.stringify({ ...claims, customer_id: 43 })).toString('base64url')}.`,
      ),
      'signature',
    ],
  ])('rejects %s', (_name, token, reason) => {
    const result = verifyCustomerLoginJwt(token, check());
    expect(result.ok).toBe(false);
    expect(!result.ok && result.reason).toContain(reason);
  });

  it('accepts iat exactly 30 s old, a matching request_ip and channel', () => {
    const token = signCustomerLoginJwt({ ...claims, iat: NOW_S - 30, request_ip: '127.0.0.1', channel_id: 1 }, secret);
    expect(verifyCustomerLoginJwt(token, check()).ok).toBe(true);
  });

  it('honours a configured window', () => {
    const token = signCustomerLoginJwt({ ...claims, iat: NOW_S - 100 }, secret);
    expect(verifyCustomerLoginJwt(token, check({ maxAgeSeconds: 120 })).ok).toBe(true);
  });
});

describe('BigCommerce emulator: loginWithCustomerLoginJwt and /login/token (C1.3, C1.8)', () => {
  let now = NOW_S * 1000;
  const bc = new BigCommerceEmulator({ now: () => now, clientId: 'cid', clientSecret: 'csecret', storeHash: 'h4sh', channelId: 1 });

  beforeAll(async () => {
    await bc.start();
    bc.addCustomer({ entityId: 9, email: 'sso@example.com', password: 'x', firstName: 'Sam', lastName: 'Sso' });
  });
  afterAll(() => bc.stop());

  it('logs in with a valid token and returns the login shape', async () => {
    const res = await gql(bc, LOGIN_WITH_JWT_MUTATION, { jwt: bc.signCustomerLoginJwt({ customer_id: 9 }) });
    expect(res.body).toEqual({
      data: {
        loginWithCustomerLoginJwt: {
          customerAccessToken: { value: expect.any(String) },
          customer: { entityId: 9, firstName: 'Sam', lastName: 'Sso', email: 'sso@example.com' },
          cart: null,
        },
      },
    });
  });

  it('refuses a second use of the same jti', async () => {
    const token = bc.signCustomerLoginJwt({ customer_id: 9 });
    expect((await gql(bc, LOGIN_WITH_JWT_MUTATION, { jwt: token })).body.errors).toBeUndefined();
    const replay = await gql(bc, LOGIN_WITH_JWT_MUTATION, { jwt: token });
    expect(replay.body.data).toBeNull();
    expect(replay.body.errors).toEqual([
      {
        message: expect.stringContaining('jti has already been used'),
        path: ['loginWithCustomerLoginJwt'],
        locations: [{ line: 3, column: 3 }],
      },
    ]);
  });

  it('enforces the 30 s iat window against the emulator clock', async () => {
    const fresh = bc.signCustomerLoginJwt({ customer_id: 9 });
    const stale = bc.signCustomerLoginJwt({ customer_id: 9 });
    now += 30_000;
    expect((await gql(bc, LOGIN_WITH_JWT_MUTATION, { jwt: fresh })).body.errors).toBeUndefined();
    now += 1_000;
    const res = await gql(bc, LOGIN_WITH_JWT_MUTATION, { jwt: stale });
    expect(res.body.errors?.[0]?.message).toContain('expired');
  });

  it('rejects a token signed with another secret', async () => {
    const res = await gql(bc, LOGIN_WITH_JWT_MUTATION, { jwt: bc.signCustomerLoginJwt({ customer_id: 9 }, 'wrong') });
    expect(res.body.errors?.[0]?.message).toContain('signature');
  });

  it('GET /login/token/{jwt} redirects to redirect_to, default /account.php, once', async () => {
    const token = bc.signCustomerLoginJwt({ customer_id: 9 });
    const first = await fetch(`${bc.url}/login/token/${token}`, { redirect: 'manual' });
    expect(first.status).toBe(302);
    expect(first.headers.get('location')).toBe('/account.php');
    expect(first.headers.get('set-cookie')).toMatch(/^SHOP_SESSION_TOKEN=/);
    expect(bc.storefrontLogins.at(-1)).toMatchObject({ customerEntityId: 9, redirectTo: '/account.php' });

    const again = await fetch(`${bc.url}/login/token/${token}`, { redirect: 'manual' });
    expect(again.status).toBe(401);
    expect(await again.text()).toContain('jti has already been used');

    const custom = await fetch(`${bc.url}/login/token/${bc.signCustomerLoginJwt({ customer_id: 9, redirect_to: '/account/orders' })}`, {
      redirect: 'manual',
    });
    expect(custom.headers.get('location')).toBe('/account/orders');
  });

  it('shares the jti register between GraphQL and /login/token', async () => {
    const token = bc.signCustomerLoginJwt({ customer_id: 9 });
    await fetch(`${bc.url}/login/token/${token}`, { redirect: 'manual' });
    const res = await gql(bc, LOGIN_WITH_JWT_MUTATION, { jwt: token });
    expect(res.body.errors?.[0]?.message).toContain('jti');
  });
});
