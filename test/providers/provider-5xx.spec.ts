import { Patterns, type LoginResult } from '#libs/contracts';
import { serviceWithProviders } from '../support/service-with-providers.js';

/**
 * A provider answering 5xx is a provider that is unavailable: callers get the retryable
 * PROVIDER_UNAVAILABLE (reason http_5xx, with the status), and the failures count toward the
 * circuit breaker (5 in a row open it for 10 s; each shop has its own).
 */
describe('provider 5xx over RPC, against the emulators', () => {
  const env = serviceWithProviders({
    shops: (p) => ({
      'ct-5xx': { provider: p.commercetools },
      'bc-5xx': { provider: p.bigcommerce },
      'ct-once': { provider: p.commercetools },
    }),
  });
  const { ct, bc } = env;
  const login = (shopId: string, email: string, password: string) =>
    env.svc.sendExpectingError(Patterns.sessionLogin, { shopId, data: { credentials: { email, password } } });

  beforeEach(() => {
    ct.faults.clear();
    bc.faults.clear();
  });

  it('commercetools: a 503 is PROVIDER_UNAVAILABLE; five in a row open the breaker, which then fails fast without calling the provider', async () => {
    ct.addCustomer({ email: 'five@example.com', password: 'pw-ok' });
    ct.faults.failNext(5, 503);
    for (let i = 0; i < 5; i++) {
      const err = await login('ct-5xx', 'five@example.com', 'pw-ok');
      expect(err).toMatchObject({ code: 'PROVIDER_UNAVAILABLE', details: { provider: 'commercetools', reason: 'http_5xx', status: 503 } });
    }
    const before = ct.requests.length;
    const open = await login('ct-5xx', 'five@example.com', 'pw-ok');
    expect(open).toMatchObject({ code: 'PROVIDER_UNAVAILABLE', details: { provider: 'commercetools', reason: 'circuit_open' } });
    expect(ct.requests.length).toBe(before);
  });

  it('BigCommerce: a 502 is PROVIDER_UNAVAILABLE with its status', async () => {
    bc.addCustomer({ email: 'bc5@example.com', password: 'pw-ok' });
    bc.faults.failNext(1, 502);
    const err = await login('bc-5xx', 'bc5@example.com', 'pw-ok');
    expect(err).toMatchObject({ code: 'PROVIDER_UNAVAILABLE', details: { provider: 'bigcommerce', status: 502 } });
  });

  it('a single 500 leaves the breaker closed: the retry succeeds, and stores nothing for the failed call', async () => {
    const customer = ct.addCustomer({ email: 'once@example.com', password: 'pw-ok' });
    ct.faults.failNext(1, 500);
    expect(await login('ct-once', 'once@example.com', 'pw-ok')).toMatchObject({ code: 'PROVIDER_UNAVAILABLE', details: { status: 500 } });
    expect(await env.inspect.keys('*ct-once*')).toEqual([]);
    const ok = await env.svc.send<LoginResult>(Patterns.sessionLogin, {
      shopId: 'ct-once',
      data: { credentials: { email: 'once@example.com', password: 'pw-ok' } },
    });
    expect(ok.session!.userId).toBe(customer.id);
  });
});
