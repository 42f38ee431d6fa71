import { Patterns, type CartResult, type LoginResult, type WishlistResult } from '#libs/contracts';
import {
  planLoginMerge,
  readGuestBaskets,
  SESSION_REPOSITORY,
  sessionHandle,
  BasketService,
  SessionManager,
  type SessionRepository,
} from '#libs/session';
import { serviceWithRedis } from '../support/service-with-redis.js';

describe('guest → customer merge at login', () => {
  const env = serviceWithRedis({ inspect: true });
  const svc = () => env.svc;

  /** A guest with the given cart lines (productId → quantity) and a customer (logged in elsewhere) with theirs. */
  async function setUp(shopId: string, userId: string, guestLines: Record<string, number>, customerLines: Record<string, number>) {
    const guest = (await svc().send(Patterns.sessionResolve, { shopId })).session!.cookie!.value;
    for (const [productId, quantity] of Object.entries(guestLines)) {
      await svc().send(Patterns.cartAddItem, {
        shopId,
        session: guest,
        data: { productId, variantId: 'v', quantity, customData: { from: 'guest' } },
      });
    }
    const device = (await svc().send(Patterns.sessionLogin, { shopId, data: { user: { id: userId } } })).session!.cookie!.value;
    for (const [productId, quantity] of Object.entries(customerLines)) {
      await svc().send(Patterns.cartAddItem, { shopId, session: device, data: { productId, variantId: 'v', quantity } });
    }
    return { guest, device };
  }
  const lines = async (shopId: string, session: string) =>
    (await svc().send<CartResult>(Patterns.cartGet, { shopId, session })).data.lines.map((l) => [
      l.productId,
      l.quantity,
      l.customData ?? null,
    ]);
  const login = (shopId: string, session: string, userId: string) =>
    svc().send<LoginResult>(Patterns.sessionLogin, { shopId, session, data: { user: { id: userId } } });

  it('sums quantities by default (shop-a), customer lines first, reports it, and empties the guest cart', async () => {
    const { guest, device } = await setUp('shop-a', 'u-sum', { p1: 2, p3: 1 }, { p1: 1, p2: 5 });
    const res = await login('shop-a', guest, 'u-sum');
    expect(res.data.cart).toMatchObject({ strategy: 'sum', merged: 2, added: 1, capped: 0, dropped: [], alreadyMerged: false });
    expect(await lines('shop-a', device)).toEqual([
      ['p1', 3, null],
      ['p2', 5, null],
      ['p3', 1, { from: 'guest' }],
    ]);
    expect(await lines('shop-a', res.session!.cookie!.value)).toEqual(await lines('shop-a', device));
    expect(await env.inspect.keys('*:cart:{shop-a|g:*')).toEqual([]);
  });

  it.each([
    [
      'shop-max',
      [
        ['p1', 2, null],
        ['p2', 5, null],
        ['p3', 1, { from: 'guest' }],
      ],
    ],
    [
      'shop-replace',
      [
        ['p1', 2, { from: 'guest' }],
        ['p3', 1, { from: 'guest' }],
      ],
    ],
    [
      'shop-keep',
      [
        ['p1', 1, null],
        ['p2', 5, null],
      ],
    ],
  ])('applies the shop’s strategy: %s', async (shopId, expected) => {
    const { guest, device } = await setUp(shopId, `u-${shopId}`, { p1: 2, p3: 1 }, { p1: 1, p2: 5 });
    const res = await login(shopId, guest, `u-${shopId}`);
    expect(res.data.cart!.strategy).toBe(shopId.slice(5));
    expect(await lines(shopId, device)).toEqual(expected);
  });

  it('merges the wishlist as a union, keeping the earliest addedAt', async () => {
    const guest = (await svc().send(Patterns.sessionResolve, {})).session!.cookie!.value;
    await svc().send(Patterns.wishlistAdd, { session: guest, data: { productId: 'w1' } });
    await svc().send(Patterns.wishlistAdd, { session: guest, data: { productId: 'w2' } });
    const guestW1 = (await svc().send<WishlistResult>(Patterns.wishlistGet, { session: guest })).data.items[0]!.addedAt;
    const device = (await svc().send(Patterns.sessionLogin, { data: { user: { id: 'u-wish' } } })).session!.cookie!.value;
    await svc().send(Patterns.wishlistAdd, { session: device, data: { productId: 'w1' } });
    await svc().send(Patterns.wishlistAdd, { session: device, data: { productId: 'w3' } });
    const res = await login('shop-a', guest, 'u-wish');
    expect(res.data.wishlist).toMatchObject({ merged: 2, added: 1, alreadyMerged: false });
    const items = (await svc().send<WishlistResult>(Patterns.wishlistGet, { session: device })).data.items;
    expect(items.map((i) => i.productId)).toEqual(['w1', 'w3', 'w2']);
    expect(items[0]!.addedAt).toBe(guestW1);
  });

  it('merges exactly once when the same guest session logs in twice at once (two tabs)', async () => {
    for (let i = 0; i < 10; i++) {
      const userId = `u-tabs-${i}`;
      const { guest, device } = await setUp('shop-a', userId, { p1: 2 }, { p1: 1 });
      const results = await Promise.all([login('shop-a', guest, userId), login('shop-a', guest, userId)]);
      // The second tab either finds the merge marker, or (when it resolved after the clean-up) no guest baskets at all.
      const merges = results.map((r) => r.data.cart).filter((c) => c && !c.alreadyMerged);
      expect(merges).toHaveLength(1);
      expect(await lines('shop-a', device)).toEqual([['p1', 3, null]]);
      // A retried login with the old guest cookie finds nothing more to merge.
      await login('shop-a', guest, userId);
      expect(await lines('shop-a', device)).toEqual([['p1', 3, null]]);
    }
  });

  it('loses nothing and merges once when a login dies between the merge and the guest clean-up', async () => {
    const { guest, device } = await setUp('shop-a', 'u-crash', { p1: 2 }, { p1: 1 });
    // Play the first half of a login by hand: the atomic step (merge + new session) without the clean-up.
    const manager = svc().app.get(SessionManager);
    const baskets = svc().app.get(BasketService);
    const repo = svc().app.get<SessionRepository>(SESSION_REPOSITORY);
    const shop = svc().config.shops.get('shop-a')!;
    const state = await manager.resolve(shop, guest);
    const guestBaskets = await readGuestBaskets(baskets, { shopId: 'shop-a', guestHandle: state.handle! });
    const plan = await planLoginMerge(baskets, shop, 'u-crash', guestBaskets);
    const now = Date.now();
    const id = `u-crash:${crypto.randomUUID()}`;
    const outcome = await repo.createUserBound(
      { shopId: 'shop-a', handle: sessionHandle(id), userId: 'u-crash' },
      { createdAt: now, absoluteExpiresAt: now + 3_600_000, authenticatedAt: now, user: '{"id":"u-crash"}' },
      { now, idleTimeoutMs: shop.idleTimeoutMs },
      shop.absoluteTimeoutMs,
      { merge: plan.merge },
    );
    expect(outcome).toEqual({ status: 'created', merged: true });
    // "Crash": the guest cart is still there, and the customer's already holds the merge.
    expect(await lines('shop-a', guest)).toEqual([['p1', 2, { from: 'guest' }]]);
    expect(await lines('shop-a', device)).toEqual([['p1', 3, null]]);
    // The shopper retries the login: nothing is merged twice, and the guest cart is cleaned up.
    const retry = await login('shop-a', guest, 'u-crash');
    expect(retry.data.cart!.alreadyMerged).toBe(true);
    expect(await lines('shop-a', device)).toEqual([['p1', 3, null]]);
    expect(await lines('shop-a', guest)).toEqual([]);
  });

  it('reports nothing about baskets when the guest had none', async () => {
    const res = await login('shop-a', (await svc().send(Patterns.sessionResolve, {})).session!.cookie!.value, 'u-empty');
    expect(res.data).toEqual({ user: { id: 'u-empty' } });
  });
});
