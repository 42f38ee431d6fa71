import { Patterns } from '#libs/contracts';
import { serviceWithProviders } from '../support/service-with-providers.js';
import type { ServiceHarness } from '../support/session-service.harness.js';

/** The value of one sample line of the exposition text (`name{labels} value`), or 0 when absent. */
function sample(text: string, series: string): number {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? 0 : Number(line.slice(series.length + 1));
}

async function scrape(svc: ServiceHarness): Promise<string> {
  return (await fetch(svc.healthUrl().replace(/\/health$/, '/metrics'))).text();
}

/** GET /metrics also measures what the service depends on: Redis calls, provider calls and their breakers. */
describe('dependency metrics', () => {
  const env = serviceWithProviders({
    shops: (p) => ({ 'ct-m': { provider: p.commercetools }, 'ct-m-5xx': { provider: p.commercetools } }),
  });

  it('counts Redis calls by command and outcome, and a stalled Redis as unavailable', async () => {
    const before = await scrape(env.svc);
    const login = await env.svc.send(Patterns.sessionLogin, { shopId: 'ct-m', data: { user: { id: 'u-metrics' } } });
    await env.svc.send(Patterns.sessionResolve, { shopId: 'ct-m', session: login.session!.cookie!.value });
    const after = await scrape(env.svc);
    const mget = 'session_store_call_duration_seconds_count{command="MGET",outcome="ok"}';
    expect(sample(after, mget) - sample(before, mget)).toBe(1);
    expect(sample(after, 'session_store_call_duration_seconds_count{command="EVALSHA",outcome="ok"}')).toBeGreaterThan(
      sample(before, 'session_store_call_duration_seconds_count{command="EVALSHA",outcome="ok"}'),
    );

    env.redis.pause();
    try {
      const err = await env.svc.sendExpectingError(Patterns.sessionResolve, { shopId: 'ct-m', session: login.session!.cookie!.value });
      expect(err.code).toBe('STORE_UNAVAILABLE');
    } finally {
      env.redis.resume();
    }
    const failed = await scrape(env.svc);
    expect(sample(failed, 'session_store_call_failures_total{command="MGET",outcome="unavailable"}')).toBe(1);
  });

  it('times provider calls by outcome and counts the open circuit breaker', async () => {
    env.ct.addCustomer({ email: 'm5@example.com', password: 'pw-ok' });
    const login = () =>
      env.svc.sendExpectingError(Patterns.sessionLogin, {
        shopId: 'ct-m-5xx',
        data: { credentials: { email: 'm5@example.com', password: 'pw-ok' } },
      });
    env.ct.faults.failNext(5, 503);
    for (let i = 0; i < 5; i++) expect((await login()).code).toBe('PROVIDER_UNAVAILABLE');
    const open = await scrape(env.svc);
    expect(sample(open, 'session_provider_circuits_open{provider="commercetools"}')).toBe(1);
    expect(open).toMatch(
      /session_provider_call_duration_seconds_count\{provider="commercetools",operation="[^"]+",outcome="http_5xx"\} 5\n/,
    );

    expect((await login()).details).toMatchObject({ reason: 'circuit_open' });
    expect(await scrape(env.svc)).toMatch(
      /session_provider_call_duration_seconds_count\{provider="commercetools",operation="[^"]+",outcome="circuit_open"\} 1\n/,
    );
  });
});
