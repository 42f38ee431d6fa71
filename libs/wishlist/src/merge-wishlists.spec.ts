import fc from 'fast-check';
import { lineKey } from '#libs/cart';
import type { Wishlist } from './wishlist-item.js';
import type { WishlistLimits } from './wishlist-limits.js';
import { mergeWishlists } from './merge-wishlists.js';
import { deepFreeze } from '../../../test/support/plain-data.js';

// 4 products x (none, v1, v2) = 12 keys against at most 8 items; a narrow addedAt range gives ties.
const limitsArb = fc.record({ maxItems: fc.integer({ min: 1, max: 8 }), maxIdLength: fc.constant(128) });
const wishlistArb = (limits: WishlistLimits): fc.Arbitrary<Wishlist> =>
  fc
    .uniqueArray(
      fc.record(
        {
          productId: fc.constantFrom('p1', 'p2', 'p3', 'p4'),
          variantId: fc.constantFrom('v1', 'v2'),
          addedAt: fc.integer({ min: 0, max: 20 }),
        },
        { requiredKeys: ['productId', 'addedAt'], noNullPrototype: true },
      ),
      { selector: lineKey, maxLength: limits.maxItems },
    )
    .map((items) => deepFreeze({ items }));
const scenarioArb = limitsArb.chain((limits) =>
  fc.record({ limits: fc.constant(limits), customer: wishlistArb(limits), guest: wishlistArb(limits) }),
);

const keys = (items: readonly { productId: string; variantId?: string }[]) => items.map(lineKey);
const addedAtByKey = (w: Wishlist) => new Map(w.items.map((item) => [lineKey(item), item.addedAt]));

describe('mergeWishlists (properties)', () => {
  it('is a union: every item of either list appears exactly once, or is reported as dropped', () => {
    fc.assert(
      fc.property(scenarioArb, ({ limits, customer, guest }) => {
        const { wishlist, report } = mergeWishlists(customer, guest, limits);
        const all = new Set([...keys(customer.items), ...keys(guest.items)]);
        expect([...keys(wishlist.items), ...keys(report.dropped)].sort()).toEqual([...all].sort());
      }),
    );
  });

  it('orders the customer items first, then new guest items in guest order, dropping only what does not fit', () => {
    fc.assert(
      fc.property(scenarioArb, ({ limits, customer, guest }) => {
        const { wishlist, report } = mergeWishlists(customer, guest, limits);
        const own = new Set(keys(customer.items));
        const fresh = keys(guest.items).filter((k) => !own.has(k));
        const room = Math.max(0, limits.maxItems - customer.items.length);
        expect(keys(wishlist.items)).toEqual([...keys(customer.items), ...fresh.slice(0, room)]);
        expect(keys(report.dropped)).toEqual(fresh.slice(room));
        expect(wishlist.items.length).toBeLessThanOrEqual(limits.maxItems);
        expect(report.added).toBe(Math.min(room, fresh.length));
      }),
    );
  });

  it('keeps the earliest addedAt of a shared item', () => {
    fc.assert(
      fc.property(scenarioArb, ({ limits, customer, guest }) => {
        const { wishlist, report } = mergeWishlists(customer, guest, limits);
        const mine = addedAtByKey(customer);
        const theirs = addedAtByKey(guest);
        let earlier = 0;
        for (const item of wishlist.items) {
          const c = mine.get(lineKey(item)) ?? Infinity;
          const g = theirs.get(lineKey(item)) ?? Infinity;
          expect(item.addedAt).toBe(Math.min(c, g));
          if (c !== Infinity && g < c) earlier++;
        }
        expect(report.merged).toBe(report.added + earlier);
      }),
    );
  });

  it('is idempotent: merging the same guest list again changes nothing', () => {
    fc.assert(
      fc.property(scenarioArb, ({ limits, customer, guest }) => {
        const once = mergeWishlists(customer, guest, limits);
        const twice = mergeWishlists(once.wishlist, guest, limits);
        expect(twice.wishlist).toStrictEqual(once.wishlist);
        expect(twice.report).toStrictEqual({ merged: 0, added: 0, dropped: once.report.dropped });
      }),
    );
  });

  it('gives the same items whichever side is the customer, when nothing is dropped', () => {
    fc.assert(
      fc.property(scenarioArb, ({ limits, customer, guest }) => {
        const ab = mergeWishlists(customer, guest, limits);
        const ba = mergeWishlists(guest, customer, limits);
        fc.pre(ab.report.dropped.length === 0 && ba.report.dropped.length === 0);
        expect(addedAtByKey(ab.wishlist)).toEqual(addedAtByKey(ba.wishlist));
      }),
    );
  });

  it('does not mutate its inputs (they are frozen) and returns a new list', () => {
    fc.assert(
      fc.property(scenarioArb, ({ limits, customer, guest }) => {
        const { wishlist } = mergeWishlists(customer, guest, limits);
        expect(wishlist.items).not.toBe(customer.items);
        expect(Object.isFrozen(customer.items) && Object.isFrozen(guest.items)).toBe(true);
      }),
    );
  });
});

describe('mergeWishlists (examples)', () => {
  it('unions by (productId, variantId) with the earliest addedAt, customer items first', () => {
    const customer = {
      items: [
        { productId: 'shoe', variantId: '42', addedAt: 300 },
        { productId: 'bag', addedAt: 100 },
      ],
    };
    const guest = {
      items: [
        { productId: 'hat', addedAt: 50 },
        { productId: 'shoe', variantId: '42', addedAt: 200 },
        { productId: 'bag', addedAt: 150 },
        { productId: 'shoe', variantId: '43', addedAt: 250 },
      ],
    };
    expect(mergeWishlists(customer, guest)).toStrictEqual({
      wishlist: {
        items: [
          { productId: 'shoe', variantId: '42', addedAt: 200 },
          { productId: 'bag', addedAt: 100 },
          { productId: 'hat', addedAt: 50 },
          { productId: 'shoe', variantId: '43', addedAt: 250 },
        ],
      },
      report: { merged: 3, added: 2, dropped: [] },
    });
  });

  it('keeps the customer items and drops the guest items that do not fit', () => {
    const customer = { items: [{ productId: 'a', addedAt: 5 }] };
    const guest = {
      items: [
        { productId: 'b', addedAt: 1 },
        { productId: 'a', addedAt: 1 },
        { productId: 'c', variantId: 'x', addedAt: 1 },
      ],
    };
    expect(mergeWishlists(customer, guest, { maxItems: 2, maxIdLength: 128 })).toStrictEqual({
      wishlist: {
        items: [
          { productId: 'a', addedAt: 1 },
          { productId: 'b', addedAt: 1 },
        ],
      },
      report: { merged: 2, added: 1, dropped: [{ productId: 'c', variantId: 'x' }] },
    });
  });
});
