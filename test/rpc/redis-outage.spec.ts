import { Patterns } from '#libs/contracts';
import { sleep } from '../support/redis-server.js';
import { serviceWithRedis } from '../support/service-with-redis.js';
import { TEST_SESSION_CONFIG } from '../support/session-service.harness.js';

describe('when Redis goes away', () => {
  // A store call that stalls fails after commandTimeoutMs: 300 ms here (800 by default), so
  // "within a second" keeps 700 ms of slack on a loaded machine.
  const env = serviceWithRedis({ setup: () => ({ sessionConfig: { ...TEST_SESSION_CONFIG, store: { commandTimeoutMs: 300 } } }) });

  it('fails fast with STORE_UNAVAILABLE, keeps serving, and recovers without a restart', async () => {
    const cookie = (await env.svc.send(Patterns.sessionLogin, { data: { user: { id: 'u-outage' } } })).session!.cookie!.value;
    expect((await fetch(env.svc.healthUrl())).status).toBe(200);

    await env.redis.stop();
    for (const pattern of [Patterns.sessionResolve, Patterns.sessionLogin, Patterns.sessionDestroyForUser]) {
      const started = Date.now();
      const err = await env.svc.sendExpectingError(pattern, { session: cookie, data: { user: { id: 'u-outage' }, userId: 'u-outage' } });
      expect(err.code).toBe('STORE_UNAVAILABLE');
      expect(Date.now() - started).toBeLessThan(1000);
    }
    expect((await fetch(env.svc.healthUrl())).status).toBe(503);
    // A new visitor needs no store round trip, so it is still served.
    expect((await env.svc.send(Patterns.sessionResolve, {})).session!.isNew).toBe(true);

    await env.redis.restart();
    await env.svc.waitHealthy();
    // Redis kept nothing on disk, so the session is gone: a fresh guest, not an error.
    const after = await env.svc.send(Patterns.sessionResolve, { session: cookie });
    expect(after.session!.isNew).toBe(true);
    const relogin = await env.svc.send(Patterns.sessionLogin, { data: { user: { id: 'u-outage' } } });
    expect(relogin.session!.userId).toBe('u-outage');
  });

  it('answers STORE_UNAVAILABLE within a second when Redis hangs instead of dying', async () => {
    const cookie = (await env.svc.send(Patterns.sessionLogin, { data: { user: { id: 'u-hang' } } })).session!.cookie!.value;
    env.redis.pause();
    try {
      const started = Date.now();
      const err = await env.svc.sendExpectingError(Patterns.sessionResolve, { session: cookie });
      expect(err.code).toBe('STORE_UNAVAILABLE');
      expect(Date.now() - started).toBeLessThan(1000);
    } finally {
      env.redis.resume();
    }
    let ok = false;
    for (let i = 0; i < 50 && !ok; i++) {
      ok = await env.svc.send(Patterns.sessionResolve, { session: cookie }).then(
        (r) => r.session!.userId === 'u-hang',
        () => false,
      );
      if (!ok) await sleep(100);
    }
    expect(ok).toBe(true);
  });
});
