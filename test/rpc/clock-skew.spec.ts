import { Patterns, type DestroyResult, type ResolveResult, type SessionListResult } from '#libs/contracts';
import { SessionManager } from '#libs/session';
import { RedisServer } from '../support/redis-server.js';
import { ServiceHarness } from '../support/session-service.harness.js';

/**
 * Two replicas of the service on one Redis; one's wall clock is off by 5 s. Revocation is
 * decided on Redis's clock, so the skew changes nothing a shopper or an admin can see.
 */
describe.each([5_000, -5_000])('a replica whose clock is off by %i ms', (skewMs) => {
  let redis: RedisServer;
  let skewed: ServiceHarness;
  let honest: ServiceHarness;

  beforeAll(async () => {
    redis = await RedisServer.start();
    skewed = await ServiceHarness.start({ redisUrl: redis.url, wallClock: () => Date.now() + skewMs });
    honest = await ServiceHarness.start({ redisUrl: redis.url });
  });
  afterAll(async () => {
    await skewed?.stop();
    await honest?.stop();
    await redis?.stop();
  });

  const isLoggedIn = async (svc: ServiceHarness, cookie: string) =>
    (await svc.send<ResolveResult>(Patterns.sessionResolve, { session: cookie })).data.user !== null;

  it('lets none of 20 logins it received before another replica’s force-logout survive it', async () => {
    const manager = skewed.app.get(SessionManager);
    const shop = skewed.config.shops.get('shop-a')!;
    await skewed.send(Patterns.sessionResolve, {}); // the replica is up and has talked to Redis
    // Received (authenticated) on the skewed replica; their writes land after the force-logout.
    const inFlight = await Promise.all(
      Array.from({ length: 20 }, async () => ({ guest: await manager.resolve(shop, null), receivedAt: skewed.config.wallClock() })),
    );
    await new Promise((r) => setTimeout(r, 3));
    const destroyed = await honest.send<DestroyResult>(Patterns.sessionDestroyForUser, { data: { userId: 'u-skew' } });
    expect(destroyed.data.destroyed).toBe(0);
    const outcomes = await Promise.allSettled(inFlight.map(({ guest, receivedAt }) => manager.login(guest, { id: 'u-skew' }, receivedAt)));
    expect(outcomes.map((o) => (o.status === 'rejected' ? (o.reason as { code: string }).code : 'survived'))).toEqual(
      Array(20).fill('SESSION_REVOKED'),
    );
    expect((await honest.send<SessionListResult>(Patterns.adminSessionsList, { data: { userId: 'u-skew' } })).data.sessions).toEqual([]);
  });

  it('accepts logins after the force-logout at once, and both replicas resolve them', async () => {
    await honest.send(Patterns.sessionDestroyForUser, { data: { userId: 'u-after' } });
    await new Promise((r) => setTimeout(r, 3));
    const cookie = (await skewed.send(Patterns.sessionLogin, { data: { user: { id: 'u-after' } } })).session!.cookie!.value;
    expect(await isLoggedIn(honest, cookie)).toBe(true);
    expect(await isLoggedIn(skewed, cookie)).toBe(true);
    // The cookie's lifetime follows the server-side expiry, whatever this replica's clock says.
    const view = (await skewed.send(Patterns.sessionLogin, { data: { user: { id: 'u-after-2' } } })).session!;
    expect(Math.abs(view.cookie!.maxAge - skewed.config.shops.get('shop-a')!.idleTimeoutMs / 1000)).toBeLessThanOrEqual(1);
  });

  it('a force-logout through the skewed replica ends sessions made on the honest one', async () => {
    const cookie = (await honest.send(Patterns.sessionLogin, { data: { user: { id: 'u-other-way' } } })).session!.cookie!.value;
    await new Promise((r) => setTimeout(r, 3));
    expect((await skewed.send<DestroyResult>(Patterns.sessionDestroyForUser, { data: { userId: 'u-other-way' } })).data.destroyed).toBe(1);
    expect(await isLoggedIn(honest, cookie)).toBe(false);
  });
});
