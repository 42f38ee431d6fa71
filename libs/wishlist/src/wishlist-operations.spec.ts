import fc from 'fast-check';
import { lineKey } from '#libs/cart';
import type { Wishlist } from './wishlist-item.js';
import type { WishlistLimits } from './wishlist-limits.js';
import { addWishlistItem, clearWishlist, removeWishlistItem } from './wishlist-operations.js';
import { deepFreeze } from '../../../test/support/plain-data.js';

const refArb = fc.record(
  { productId: fc.constantFrom('p1', 'p2', 'p3'), variantId: fc.constantFrom('v1', 'v2') },
  { requiredKeys: ['productId'], noNullPrototype: true },
);
const limitsArb = fc.record({ maxItems: fc.integer({ min: 1, max: 6 }), maxIdLength: fc.constant(128) });
const wishlistArb = (limits: WishlistLimits): fc.Arbitrary<Wishlist> =>
  fc
    .uniqueArray(
      fc.tuple(refArb, fc.integer({ min: 0, max: 1e12 })).map(([ref, addedAt]) => ({ ...ref, addedAt })),
      { selector: lineKey, maxLength: limits.maxItems },
    )
    .map((items) => deepFreeze({ items }));
const scenarioArb = limitsArb.chain((limits) => fc.record({ limits: fc.constant(limits), wishlist: wishlistArb(limits), ref: refArb }));
const keys = (w: Wishlist) => w.items.map(lineKey);

describe('wishlist operations (properties)', () => {
  it('add is idempotent and keeps the original addedAt', () => {
    fc.assert(
      fc.property(scenarioArb, ({ limits, wishlist, ref }) => {
        const once = addWishlistItem(wishlist, ref, 1, limits);
        if (!once.ok) return;
        const twice = addWishlistItem(once.value, ref, 2, limits);
        expect(twice).toStrictEqual(once);
      }),
    );
  });

  it('add appends a new item stamped with now, or reports LIMIT_EXCEEDED when full', () => {
    fc.assert(
      fc.property(scenarioArb, ({ limits, wishlist, ref }) => {
        const present = keys(wishlist).includes(lineKey(ref));
        const result = addWishlistItem(wishlist, ref, 7, limits);
        if (present) {
          expect(result).toStrictEqual({ ok: true, value: wishlist });
        } else if (wishlist.items.length >= limits.maxItems) {
          expect(result.ok || result.violations.map((v) => v.code)).toEqual(['LIMIT_EXCEEDED']);
        } else {
          expect(result).toStrictEqual({ ok: true, value: { items: [...wishlist.items, { ...ref, addedAt: 7 }] } });
        }
      }),
    );
  });

  it('remove takes out exactly the item with that (productId, variantId)', () => {
    fc.assert(
      fc.property(scenarioArb, ({ wishlist, ref }) => {
        expect(removeWishlistItem(wishlist, ref).items).toStrictEqual(wishlist.items.filter((item) => lineKey(item) !== lineKey(ref)));
      }),
    );
  });
});

describe('wishlist operations (examples)', () => {
  it('keeps a product-level item and a variant-level item apart', () => {
    const wishlist = { items: [{ productId: 'p', addedAt: 1 }] };
    const result = addWishlistItem(wishlist, { productId: 'p', variantId: 'v' }, 2);
    expect(result.ok && result.value.items).toStrictEqual([
      { productId: 'p', addedAt: 1 },
      { productId: 'p', variantId: 'v', addedAt: 2 },
    ]);
    expect(removeWishlistItem(result.ok ? result.value : wishlist, { productId: 'p' }).items).toStrictEqual([
      { productId: 'p', variantId: 'v', addedAt: 2 },
    ]);
  });

  it('does not store an undefined variantId as a key', () => {
    const result = addWishlistItem({ items: [] }, { productId: 'p', variantId: undefined }, 3);
    expect(result.ok && result.value.items).toStrictEqual([{ productId: 'p', addedAt: 3 }]);
  });

  it('clearWishlist returns an empty wishlist', () => {
    expect(clearWishlist()).toEqual({ items: [] });
  });
});
