import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import { CircuitBreaker } from './circuit-breaker.js';
import { circuitChannel, type CircuitEvent } from './provider-diagnostics.js';
import { ProviderError } from './provider-error.js';

const unavailable = () => new ProviderError('PROVIDER_UNAVAILABLE', 'down', { provider: 'p', operation: 'op' });
const isFailure = (err: unknown) => err instanceof ProviderError && err.code === 'PROVIDER_UNAVAILABLE';

describe('CircuitBreaker', () => {
  let now = 1_000_000;
  let breaker: CircuitBreaker;
  const fail = () => breaker.run('op', () => Promise.reject(unavailable()), isFailure);
  const succeed = () => breaker.run('op', () => Promise.resolve('ok'), isFailure);

  beforeEach(() => {
    now = 1_000_000;
    breaker = new CircuitBreaker('p', { failureThreshold: 3, coolDownMs: 1000, now: () => now });
  });

  it('opens after N consecutive failures and then fails fast without calling fn', async () => {
    for (let i = 0; i < 3; i++) await expect(fail()).rejects.toMatchObject({ code: 'PROVIDER_UNAVAILABLE' });
    expect(breaker.state).toBe('open');
    let calls = 0;
    const fn = () => {
      calls++;
      return Promise.resolve('ok');
    };
    await expect(breaker.run('op', fn, isFailure)).rejects.toMatchObject({
      code: 'PROVIDER_UNAVAILABLE',
      details: { reason: 'circuit_open', provider: 'p', operation: 'op' },
    });
    expect(calls).toBe(0);
  });

  it('a success resets the consecutive-failure count', async () => {
    await expect(fail()).rejects.toThrow();
    await expect(fail()).rejects.toThrow();
    await expect(succeed()).resolves.toBe('ok');
    await expect(fail()).rejects.toThrow();
    await expect(fail()).rejects.toThrow();
    expect(breaker.state).toBe('closed');
  });

  it('errors that are not provider failures do not count', async () => {
    const badPassword = () =>
      breaker.run('op', () => Promise.reject(new ProviderError('INVALID_CREDENTIALS', 'x', { provider: 'p', operation: 'op' })), isFailure);
    for (let i = 0; i < 5; i++) await expect(badPassword()).rejects.toMatchObject({ code: 'INVALID_CREDENTIALS' });
    expect(breaker.state).toBe('closed');
  });

  it('half-opens after the cool-down; a successful trial closes it', async () => {
    for (let i = 0; i < 3; i++) await expect(fail()).rejects.toThrow();
    now += 999;
    expect(breaker.state).toBe('open');
    now += 1;
    expect(breaker.state).toBe('half-open');
    await expect(succeed()).resolves.toBe('ok');
    expect(breaker.state).toBe('closed');
    expect(breaker.consecutiveFailures).toBe(0);
  });

  it('a failed trial re-opens it for another cool-down', async () => {
    for (let i = 0; i < 3; i++) await expect(fail()).rejects.toThrow();
    now += 1000;
    await expect(fail()).rejects.toMatchObject({ details: { operation: 'op' } });
    expect(breaker.state).toBe('open');
    now += 1000;
    expect(breaker.state).toBe('half-open');
  });

  it('lets only one trial through while half-open', async () => {
    for (let i = 0; i < 3; i++) await expect(fail()).rejects.toThrow();
    now += 1000;
    let release!: () => void;
    const trial = breaker.run('op', () => new Promise<string>((r) => (release = () => r('ok'))), isFailure);
    await expect(succeed()).rejects.toMatchObject({ details: { reason: 'circuit_open' } });
    release();
    await expect(trial).resolves.toBe('ok');
    expect(breaker.state).toBe('closed');
  });

  it('publishes each opening and closing (not every failure) on the circuit channel', async () => {
    const seen: string[] = [];
    const listener = (m: unknown) => {
      const event = m as CircuitEvent;
      if (event.breaker === breaker) seen.push(event.state);
    };
    subscribe(circuitChannel.name, listener);
    try {
      for (let i = 0; i < 3; i++) await expect(fail()).rejects.toThrow();
      now += 1000;
      await expect(fail()).rejects.toThrow(); // the failed trial re-opens: already open, nothing new
      now += 1000;
      await expect(succeed()).resolves.toBe('ok');
      await expect(succeed()).resolves.toBe('ok');
    } finally {
      unsubscribe(circuitChannel.name, listener);
    }
    expect(seen).toEqual(['open', 'closed']);
  });
});
