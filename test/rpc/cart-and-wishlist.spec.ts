import { Patterns, type CartResult, type WishlistResult } from '#libs/contracts';
import { serviceWithRedis } from '../support/service-with-redis.js';
import { ServiceHarness } from '../support/session-service.harness.js';

describe('carts and wishlists over TCP with Redis', () => {
  const env = serviceWithRedis({ inspect: true });
  const guestCookie = async (shopId = 'shop-a') => (await env.svc.send(Patterns.sessionResolve, { shopId })).session!.cookie!.value;
  const cart = async (session: string, shopId = 'shop-a') => (await env.svc.send<CartResult>(Patterns.cartGet, { shopId, session })).data;
  const add = (session: string, data: object, shopId = 'shop-a') =>
    env.svc.send<CartResult>(Patterns.cartAddItem, { shopId, session, data });

  it('keeps a guest cart in the session: add, set, remove, clear, each returning the whole cart', async () => {
    const session = await guestCookie();
    expect(await cart(session)).toEqual({ lines: [] });
    const added = await add(session, { productId: 'p1', variantId: 'v1', quantity: 2, customData: { engraving: 'A' } });
    expect(added.data.lines).toEqual([
      { productId: 'p1', variantId: 'v1', quantity: 2, customData: { engraving: 'A' }, addedAt: expect.any(String) },
    ]);
    expect(added.session!.setCookie).not.toBeNull(); // the session now holds something: its expiry and cookie start
    await add(session, { productId: 'p1', variantId: 'v1', quantity: 3 });
    await add(session, { productId: 'p2', variantId: 'v9', quantity: 1 });
    expect((await cart(session)).lines.map((l) => [l.productId, l.quantity])).toEqual([
      ['p1', 5],
      ['p2', 1],
    ]);

    const set = await env.svc.send<CartResult>(Patterns.cartSetQuantity, {
      session,
      data: { productId: 'p2', variantId: 'v9', quantity: 4 },
    });
    expect(set.data.lines[1]!.quantity).toBe(4);
    const zero = await env.svc.send<CartResult>(Patterns.cartSetQuantity, {
      session,
      data: { productId: 'p2', variantId: 'v9', quantity: 0 },
    });
    expect(zero.data.lines.map((l) => l.productId)).toEqual(['p1']);
    const removed = await env.svc.send<CartResult>(Patterns.cartRemoveItem, { session, data: { productId: 'p1', variantId: 'v1' } });
    expect(removed.data).toEqual({ lines: [] });
    await add(session, { productId: 'p3', variantId: 'v3', quantity: 1 });
    expect((await env.svc.send<CartResult>(Patterns.cartClear, { session })).data).toEqual({ lines: [] });
    expect(await cart(session)).toEqual({ lines: [] });
    // Only the session is left: an empty cart is not stored.
    expect(await env.inspect.keys('*cart*')).toEqual([]);
  });

  it('shares a customer’s cart between devices, and leaves it with the customer at logout', async () => {
    const phone = (await env.svc.send(Patterns.sessionLogin, { data: { user: { id: 'u-cart' } } })).session!.cookie!.value;
    const laptop = (await env.svc.send(Patterns.sessionLogin, { data: { user: { id: 'u-cart' } } })).session!.cookie!.value;
    await add(phone, { productId: 'p1', variantId: 'v1', quantity: 1 });
    expect((await cart(laptop)).lines).toHaveLength(1);

    const out = await env.svc.send(Patterns.sessionLogout, { session: phone });
    expect(out.session!.id).toBeNull();
    const fresh = await guestCookie();
    expect(await cart(fresh)).toEqual({ lines: [] });
    expect((await cart(laptop)).lines).toHaveLength(1);
    const again = (await env.svc.send(Patterns.sessionLogin, { data: { user: { id: 'u-cart' } } })).session!.cookie!.value;
    expect((await cart(again)).lines[0]!.productId).toBe('p1');
  });

  it('keeps carts of different shops apart', async () => {
    const session = (await env.svc.send(Patterns.sessionLogin, { data: { user: { id: 'u-shops' } } })).session!.cookie!.value;
    await add(session, { productId: 'p1', variantId: 'v1', quantity: 1 });
    const other = (await env.svc.send(Patterns.sessionLogin, { shopId: 'shop-b', data: { user: { id: 'u-shops' } } })).session!.cookie!
      .value;
    expect(await cart(other, 'shop-b')).toEqual({ lines: [] });
  });

  describe('limits (shop-e: 3 lines, 5 per line, 64 bytes of customData, 2 wishlist items)', () => {
    it('answers LIMIT_EXCEEDED over the quantity cap or the line count, and stores nothing', async () => {
      const session = await guestCookie('shop-e');
      await add(session, { productId: 'p1', variantId: 'v1', quantity: 4 }, 'shop-e');
      const over = await env.svc.sendExpectingError(Patterns.cartAddItem, {
        shopId: 'shop-e',
        session,
        data: { productId: 'p1', variantId: 'v1', quantity: 2 },
      });
      expect(over).toMatchObject({ code: 'LIMIT_EXCEEDED', details: [{ field: 'quantity' }] });
      const setOver = await env.svc.sendExpectingError(Patterns.cartSetQuantity, {
        shopId: 'shop-e',
        session,
        data: { productId: 'p1', variantId: 'v1', quantity: 6 },
      });
      expect(setOver.code).toBe('LIMIT_EXCEEDED');
      await add(session, { productId: 'p2', variantId: 'v1', quantity: 1 }, 'shop-e');
      await add(session, { productId: 'p3', variantId: 'v1', quantity: 1 }, 'shop-e');
      const full = await env.svc.sendExpectingError(Patterns.cartAddItem, {
        shopId: 'shop-e',
        session,
        data: { productId: 'p4', variantId: 'v1', quantity: 1 },
      });
      expect(full).toMatchObject({ code: 'LIMIT_EXCEEDED', details: [{ field: 'lines' }] });
      expect((await cart(session, 'shop-e')).lines.map((l) => [l.productId, l.quantity])).toEqual([
        ['p1', 4],
        ['p2', 1],
        ['p3', 1],
      ]);
    });

    it.each([
      ['a quantity of 0 on add', { productId: 'p', variantId: 'v', quantity: 0 }, 'data.quantity'],
      ['a fractional quantity', { productId: 'p', variantId: 'v', quantity: 1.5 }, 'data.quantity'],
      ['a missing variant', { productId: 'p', quantity: 1 }, 'data.variantId'],
      ['an empty product id', { productId: '', variantId: 'v', quantity: 1 }, 'data.productId'],
      ['a product id of 129 characters', { productId: 'x'.repeat(129), variantId: 'v', quantity: 1 }, 'data.productId'],
      ['customData that is not an object', { productId: 'p', variantId: 'v', quantity: 1, customData: [1] }, 'data.customData'],
      [
        'customData over the shop’s limit',
        { productId: 'p', variantId: 'v', quantity: 1, customData: { text: 'x'.repeat(100) } },
        'customData',
      ],
    ])('answers VALIDATION_FAILED for %s, and stores nothing', async (_, data, field) => {
      const session = await guestCookie('shop-e');
      const err = await env.svc.sendExpectingError(Patterns.cartAddItem, { shopId: 'shop-e', session, data });
      expect(err.code).toBe('VALIDATION_FAILED');
      expect(err.details).toEqual(expect.arrayContaining([expect.objectContaining({ field })]));
      expect(await cart(session, 'shop-e')).toEqual({ lines: [] });
    });

    it('keeps a wishlist to its size, idempotent by product and variant', async () => {
      const session = await guestCookie('shop-e');
      const wl = (data: object, pattern: string = Patterns.wishlistAdd) =>
        env.svc.send<WishlistResult>(pattern, { shopId: 'shop-e', session, data });
      await wl({ productId: 'p1' });
      await wl({ productId: 'p1' });
      const two = await wl({ productId: 'p1', variantId: 'v2' });
      expect(two.data.items.map((i) => [i.productId, i.variantId ?? null])).toEqual([
        ['p1', null],
        ['p1', 'v2'],
      ]);
      const full = await env.svc.sendExpectingError(Patterns.wishlistAdd, { shopId: 'shop-e', session, data: { productId: 'p9' } });
      expect(full.code).toBe('LIMIT_EXCEEDED');
      expect((await wl({ productId: 'p1' }, Patterns.wishlistRemove)).data.items).toEqual([
        { productId: 'p1', variantId: 'v2', addedAt: expect.any(String) },
      ]);
      expect((await wl({}, Patterns.wishlistClear)).data).toEqual({ items: [] });
      expect((await env.svc.send<WishlistResult>(Patterns.wishlistGet, { shopId: 'shop-e', session })).data).toEqual({ items: [] });
    });
  });

  it('counts every one of 200 concurrent adds to one cart, across two service instances', async () => {
    const second = await ServiceHarness.start({ ...env.store });
    try {
      const session = (await env.svc.send(Patterns.sessionLogin, { shopId: 'shop-f', data: { user: { id: 'u-burst' } } })).session!.cookie!
        .value;
      await Promise.all(
        Array.from({ length: 200 }, (_, i) =>
          (i % 2 ? env.svc : second).send(Patterns.cartAddItem, {
            shopId: 'shop-f',
            session,
            data: { productId: 'p1', variantId: 'v1', quantity: 1 },
          }),
        ),
      );
      expect((await cart(session, 'shop-f')).lines).toEqual([expect.objectContaining({ productId: 'p1', quantity: 200 })]);
    } finally {
      await second.stop();
    }
  });
});
