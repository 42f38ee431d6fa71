import { loginCartOutcome } from './login-cart-outcome.js';
import { ProviderSession } from './provider-session.js';

describe('ProviderSession (the ctpSession shape)', () => {
  const token = { accessToken: 'a', refreshToken: 'r', expirationTime: 2_000 };

  it('sets the customer only through signin, and round-trips through JSON', () => {
    const session = new ProviderSession({ cartId: 'c-1', anonymousId: 'anon-1' });
    session.token = token;
    expect(session.isAnonymous).toBe(true);
    expect(session.customerId).toBeNull();
    session.signin({ ...token, accessToken: 'b' }, 'cust-1');
    expect(session.isAnonymous).toBe(false);
    const copy = new ProviderSession(JSON.parse(JSON.stringify(session)));
    expect(copy.toJSON()).toEqual({
      token: { ...token, accessToken: 'b' },
      customerId: 'cust-1',
      anonymousId: 'anon-1',
      cartId: 'c-1',
      lastOrderId: null,
    });
  });

  it('has a valid token only before its expiration time, and clear() forgets everything', () => {
    const session = new ProviderSession({ token, customerId: 'cust-1', lastOrderId: 'o-1' });
    expect(session.hasValidToken(1_999)).toBe(true);
    expect(session.hasValidToken(2_000)).toBe(false);
    session.clear();
    expect(session.isEmpty).toBe(true);
    expect(session.hasValidToken(0)).toBe(false);
  });
});

describe('loginCartOutcome (Catalyst’s reading of the login cart)', () => {
  it.each([
    [null, null, 'none'],
    ['g', null, 'none'],
    [null, 'c', 'restored'],
    ['g', 'g', 'adopted'],
    ['g', 'c', 'combined'],
  ] as const)('guest %s, customer %s -> %s', (guest, customer, outcome) => {
    expect(loginCartOutcome(guest, customer)).toBe(outcome);
  });
});
