import { Patterns, type AdminStatsResult, type CartResult, type WishlistResult } from '#libs/contracts';
import { serviceWithRedis } from '../support/service-with-redis.js';

/** Shop shop-e: at most 3 lines, 5 per line, 2 wishlist items (TEST_SESSION_CONFIG). */
describe("a guest's baskets: stored only when they hold something, gone with the guest", () => {
  const env = serviceWithRedis({ inspect: true });
  const shopId = 'shop-e';

  const guestCookie = async () => (await env.svc.send(Patterns.sessionResolve, { shopId })).session!.cookie!.value;
  const send = <T = unknown>(pattern: string, session: string, data: object = {}) => env.svc.send<T>(pattern, { shopId, session, data });
  const guestsWithData = async () =>
    (await env.svc.send<AdminStatsResult>(Patterns.adminStats, { shopId, data: {} })).data.shops.find((s) => s.shopId === shopId)!
      .guestsWithData;
  /** Every key that names this guest, and every entry of the shop's guest count set. */
  const storedFor = async () => ({
    keys: (await env.inspect.keys('*')).filter((k) => k.includes(`{${shopId}|g:`)),
    counted: await env.inspect.keys(`*:st:{${shopId}}:guest`),
  });

  describe('refused and no-op changes on a guest with nothing stored store nothing', () => {
    it.each([
      [
        'cart.addItem over the quantity limit (LIMIT_EXCEEDED)',
        Patterns.cartAddItem,
        { productId: 'p', variantId: 'v', quantity: 6 },
        'LIMIT_EXCEEDED',
      ],
      [
        'cart.addItem with customData over the line limit',
        Patterns.cartAddItem,
        { productId: 'p', variantId: 'v', quantity: 1, customData: { text: 'x'.repeat(100) } },
        'VALIDATION_FAILED',
      ],
      [
        'cart.setQuantity of a missing line (VALIDATION_FAILED)',
        Patterns.cartSetQuantity,
        { productId: 'p', variantId: 'v', quantity: 2 },
        'VALIDATION_FAILED',
      ],
    ])('%s', async (_, pattern, data, code) => {
      const session = await guestCookie();
      expect((await env.svc.sendExpectingError(pattern, { shopId, session, data })).code).toBe(code);
      const after = await send(Patterns.sessionResolve, session);
      expect(after.session!.isNew).toBe(false);
      expect(await storedFor()).toEqual({ keys: [], counted: [] });
      expect(await guestsWithData()).toBe(0);
    });

    it.each([
      ['cart.clear', Patterns.cartClear, {}],
      ['cart.removeItem', Patterns.cartRemoveItem, { productId: 'p', variantId: 'v' }],
      ['cart.setQuantity to 0 of a missing line', Patterns.cartSetQuantity, { productId: 'p', variantId: 'v', quantity: 0 }],
      ['wishlist.clear', Patterns.wishlistClear, {}],
      ['wishlist.remove', Patterns.wishlistRemove, { productId: 'p' }],
    ])('a no-op %s: answers the empty basket, sends no cookie, stores nothing', async (_, pattern, data) => {
      const session = await guestCookie();
      const res = await send<CartResult | WishlistResult>(pattern, session, data);
      expect(res.data).toEqual(pattern.startsWith('cart') ? { lines: [] } : { items: [] });
      expect(res.session!.setCookie).toBeNull();
      expect(await storedFor()).toEqual({ keys: [], counted: [] });
      expect(await guestsWithData()).toBe(0);
    });

    it('an accepted add still stores the session and counts it', async () => {
      const session = await guestCookie();
      const res = await send<CartResult>(Patterns.cartAddItem, session, { productId: 'p', variantId: 'v', quantity: 1 });
      expect(res.session!.setCookie).not.toBeNull();
      expect(await guestsWithData()).toBe(1);
      await send(Patterns.sessionDestroy, session);
      expect(await guestsWithData()).toBe(0);
    });
  });

  it.each([
    ['session.logout', Patterns.sessionLogout],
    ['session.destroy', Patterns.sessionDestroy],
  ])("%s of a guest deletes the guest's cart and wishlist: the old cookie finds neither", async (_, pattern) => {
    const session = await guestCookie();
    await send(Patterns.cartAddItem, session, { productId: 'p1', variantId: 'v1', quantity: 2 });
    await send(Patterns.wishlistAdd, session, { productId: 'w1' });
    expect((await storedFor()).keys).toHaveLength(3); // session, cart, wishlist

    const out = await send(pattern, session);
    expect(out.session!.id).toBeNull();
    expect((await send<CartResult>(Patterns.cartGet, session)).data).toEqual({ lines: [] });
    expect((await send<WishlistResult>(Patterns.wishlistGet, session)).data).toEqual({ items: [] });
    expect(await storedFor()).toEqual({ keys: [], counted: [] });
  });

  it("a customer's logout leaves the customer's cart (it belongs to the customer, not the session)", async () => {
    const session = (await env.svc.send(Patterns.sessionLogin, { shopId, data: { user: { id: 'u-keeps-cart' } } })).session!.cookie!.value;
    await send(Patterns.cartAddItem, session, { productId: 'p1', variantId: 'v1', quantity: 1 });
    await send(Patterns.sessionLogout, session);
    const again = (await env.svc.send(Patterns.sessionLogin, { shopId, data: { user: { id: 'u-keeps-cart' } } })).session!.cookie!.value;
    expect((await send<CartResult>(Patterns.cartGet, again)).data.lines).toHaveLength(1);
  });
});
