import { Patterns } from '#libs/contracts';
import { RedisServer, sleep } from '../support/redis-server.js';
import { ServiceHarness } from '../support/session-service.harness.js';

describe('when Redis goes away', () => {
  let redis: RedisServer;
  let svc: ServiceHarness;
  beforeAll(async () => {
    redis = await RedisServer.start();
    svc = await ServiceHarness.start({ redisUrl: redis.url });
  });
  afterAll(async () => {
    await svc.stop();
    await redis.stop();
  });

  it('fails fast with STORE_UNAVAILABLE, keeps serving, and recovers without a restart', async () => {
    const cookie = (await svc.send(Patterns.sessionLogin, { data: { user: { id: 'u-outage' } } })).session!.cookie!.value;
    expect((await fetch(svc.healthUrl())).status).toBe(200);

    await redis.stop();
    for (const pattern of [Patterns.sessionResolve, Patterns.sessionLogin, Patterns.sessionDestroyForUser]) {
      const started = Date.now();
      const err = await svc.sendExpectingError(pattern, { session: cookie, data: { user: { id: 'u-outage' }, userId: 'u-outage' } });
      expect(err.code).toBe('STORE_UNAVAILABLE');
      expect(Date.now() - started).toBeLessThan(1000);
    }
    expect((await fetch(svc.healthUrl())).status).toBe(503);
    // A new visitor needs no store round trip, so it is still served.
    expect((await svc.send(Patterns.sessionResolve, {})).session!.isNew).toBe(true);

    await redis.restart();
    let recovered = false;
    for (let i = 0; i < 50 && !recovered; i++) {
      recovered = (await fetch(svc.healthUrl())).status === 200;
      if (!recovered) await sleep(100);
    }
    expect(recovered).toBe(true);
    // Redis kept nothing on disk, so the session is gone: a fresh guest, not an error.
    const after = await svc.send(Patterns.sessionResolve, { session: cookie });
    expect(after.session!.isNew).toBe(true);
    const relogin = await svc.send(Patterns.sessionLogin, { data: { user: { id: 'u-outage' } } });
    expect(relogin.session!.userId).toBe('u-outage');
  });

  it('answers STORE_UNAVAILABLE within a second when Redis hangs instead of dying', async () => {
    const cookie = (await svc.send(Patterns.sessionLogin, { data: { user: { id: 'u-hang' } } })).session!.cookie!.value;
    redis.pause();
    try {
      const started = Date.now();
      const err = await svc.sendExpectingError(Patterns.sessionResolve, { session: cookie });
      expect(err.code).toBe('STORE_UNAVAILABLE');
      expect(Date.now() - started).toBeLessThan(1000);
    } finally {
      redis.resume();
    }
    let ok = false;
    for (let i = 0; i < 50 && !ok; i++) {
      ok = await svc.send(Patterns.sessionResolve, { session: cookie }).then((r) => r.session!.userId === 'u-hang', () => false);
      if (!ok) await sleep(100);
    }
    expect(ok).toBe(true);
  });
});
