import {
  Patterns,
  type AdminRevokeResult,
  type AdminStatsResult,
  type AuditTailResult,
  type SessionView,
  type ShopSessionStats,
} from '#libs/contracts';
import { RedisMonitor } from '../support/redis-monitor.js';
import { serviceWithRedis } from '../support/service-with-redis.js';
import { ALL_SCOPES } from '../support/session-service.harness.js';
import { mintToken } from '../support/service-tokens.js';

describe('admin.stats', () => {
  const env = serviceWithRedis();
  let monitor: RedisMonitor;
  beforeAll(async () => {
    monitor = await RedisMonitor.attach(env.redis.port);
  });
  afterAll(() => monitor.close());

  const stats = async (shopId = 'shop-a', auth = mintToken(ALL_SCOPES)) =>
    (await env.svc.send<AdminStatsResult>(Patterns.adminStats, { shopId, auth, data: {} })).data;
  const byShop = (result: AdminStatsResult): Record<string, ShopSessionStats> => Object.fromEntries(result.shops.map((s) => [s.shopId, s]));
  const counts = (shopId: string, loggedIn: number, guests: number): ShopSessionStats => ({
    shopId,
    liveSessions: loggedIn + guests,
    loggedInSessions: loggedIn,
    guestsWithData: guests,
  });
  const send = async (pattern: string, shopId: string, session: string | null, data: object = {}): Promise<SessionView> =>
    (await env.svc.send(pattern, { shopId, session, data })).session!;
  const visit = async (shopId: string) => (await send(Patterns.sessionResolve, shopId, null)).cookie!.value;
  const login = async (shopId: string, userId: string, session: string | null = null) =>
    send(Patterns.sessionLogin, shopId, session, { user: { id: userId } });

  it('starts at zero for every configured shop, in config order', async () => {
    const result = await stats();
    expect(result.shops).toEqual([...env.svc.config.shops.keys()].map((shopId) => counts(shopId, 0, 0)));
    expect(Math.abs(Date.parse(result.at) - Date.now())).toBeLessThan(10_000);
  });

  it('counts logged-in sessions and guests holding data, per shop, whichever shop the envelope names', async () => {
    const loggingIn = await visit('shop-a');
    await send(Patterns.sessionUpdateCustomData, 'shop-a', loggingIn, { customData: { step: 1 } });
    const stays = await visit('shop-a');
    await send(Patterns.sessionUpdateCustomData, 'shop-a', stays, { customData: { step: 2 } });
    await visit('shop-a'); // holds nothing: never stored, never counted
    const withCart = await visit('shop-b');
    await send(Patterns.cartAddItem, 'shop-b', withCart, { productId: 'p1', variantId: 'v1', quantity: 1 });
    expect(byShop(await stats())).toMatchObject({ 'shop-a': counts('shop-a', 0, 2), 'shop-b': counts('shop-b', 0, 1) });

    await login('shop-a', 'u-st-1', loggingIn); // the guest session goes, a logged-in one comes
    await login('shop-a', 'u-st-2');
    const leaving = await login('shop-b', 'u-st-3');
    await send(Patterns.sessionLogout, 'shop-b', leaving.cookie!.value);
    await login('shop-c', 'u-st-4');

    const result = await stats('shop-c');
    expect(byShop(result)).toMatchObject({
      'shop-a': counts('shop-a', 2, 1),
      'shop-b': counts('shop-b', 0, 1),
      'shop-c': counts('shop-c', 1, 0),
    });
    const rest = result.shops.filter((s) => !['shop-a', 'shop-b', 'shop-c'].includes(s.shopId));
    expect(rest).toEqual(rest.map((s) => counts(s.shopId, 0, 0)));
  });

  it('follows a force-logout', async () => {
    await login('shop-d', 'u-st-5');
    await login('shop-d', 'u-st-5');
    await login('shop-d', 'u-st-6');
    expect(byShop(await stats())['shop-d']).toEqual(counts('shop-d', 3, 0));
    const revoked = await env.svc.send<AdminRevokeResult>(Patterns.adminSessionsRevoke, { shopId: 'shop-d', data: { userId: 'u-st-5' } });
    expect(revoked.data.destroyed).toBe(2);
    expect(byShop(await stats())['shop-d']).toEqual(counts('shop-d', 1, 0));
  });

  it('is audited under the caller, with the number of shops as the count', async () => {
    await stats('shop-b', mintToken('session:admin', { sub: 'ops-stats' }));
    const [entry] = (await env.svc.send<AuditTailResult>(Patterns.adminAuditTail, { data: { count: 1 } })).data.entries;
    expect(entry).toEqual({
      at: expect.any(String),
      actor: 'ops-stats',
      action: 'admin.stats',
      shopId: 'shop-b',
      userId: null,
      count: env.svc.config.shops.size,
    });
  });

  it('refuses a token without session:admin, and records nothing', async () => {
    const tail = async () => (await env.svc.send<AuditTailResult>(Patterns.adminAuditTail, { data: { count: 1000 } })).data.entries.length;
    const before = await tail();
    const err = await env.svc.sendExpectingError(Patterns.adminStats, { auth: mintToken('session:read session:write'), data: {} });
    expect(err.code).toBe('FORBIDDEN');
    expect(await tail()).toBe(before);
  });

  it('still needs the envelope to name a configured shop', async () => {
    const err = await env.svc.sendExpectingError(Patterns.adminStats, { shopId: 'no-such-shop', data: {} });
    expect(err.code).toBe('UNKNOWN_SHOP');
  });

  it('costs 2 × 16 bucket reads per shop plus the audit entry, and no scan; a resolve that does not slide stays one read', async () => {
    const shops = env.svc.config.shops.size;
    const sent = await monitor.roundTripsOf(() => stats());
    const statsCommands = sent.filter((l) => /"evalsha" "\w+" "1" "[^"]*:st:\{[^|]+\|\d+\}:(user|guest)"/i.test(l));
    expect(statsCommands).toHaveLength(2 * 16 * shops);
    expect(sent.filter((l) => !statsCommands.includes(l))).toEqual([expect.stringMatching(/"xadd"/i)]);
    expect(sent.filter((l) => /"(scan|keys)"/i.test(l))).toEqual([]);

    const user = (await login('shop-a', 'u-st-rt')).cookie!.value;
    const resolve = await monitor.roundTripsOf(() => send(Patterns.sessionResolve, 'shop-a', user));
    expect(resolve).toEqual([expect.stringMatching(/"mget"/i), expect.stringMatching(/"pexpiretime"/i)]);
    // shop-d slides on every call: the read finds the slide due and moves the expiry, no script.
    const sliding = (await login('shop-d', 'u-st-rt')).cookie!.value;
    await new Promise((r) => setTimeout(r, 5));
    const slid = await monitor.roundTripsOf(() => send(Patterns.sessionResolve, 'shop-d', sliding));
    // The user's only session in shop-d is its primary one: no index entry to move.
    expect(slid.slice(0, 4)).toEqual([
      expect.stringMatching(/"mget"/i),
      expect.stringMatching(/"pexpiretime"/i),
      expect.stringMatching(/"pexpire" .* "GT"$/i),
      expect.stringMatching(/"pexpiretime"/i),
    ]);
    expect(slid.filter((l) => /"evalsha" "\w+" "[13]" "[^"]*:s:/i.test(l))).toEqual([]);
  });
});
