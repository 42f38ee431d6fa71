import fc from 'fast-check';
import type { Cart, CartLine } from './cart-line.js';
import { DEFAULT_CART_LIMITS, type CartLimits } from './cart-limits.js';
import { lineKey } from './line-key.js';
import { CART_MERGE_STRATEGIES, isCartMergeStrategy, mergeCarts, type CartMergeStrategy } from './merge-carts.js';
import { deepCopy, deepFreeze } from '../../../test/support/plain-data.js';

// 4 products x 3 variants = 12 keys against at most 8 lines: matches and overflow both come up often.
const limitsArb = fc.record({
  maxQuantityPerLine: fc.integer({ min: 1, max: 10 }),
  maxLines: fc.integer({ min: 1, max: 8 }),
  maxIdLength: fc.constant(DEFAULT_CART_LIMITS.maxIdLength),
  maxCustomDataBytes: fc.constant(DEFAULT_CART_LIMITS.maxCustomDataBytes),
});
const cartArb = (limits: CartLimits): fc.Arbitrary<Cart> =>
  fc
    .uniqueArray(
      fc.record(
        {
          productId: fc.constantFrom('p1', 'p2', 'p3', 'p4'),
          variantId: fc.constantFrom('v1', 'v2', 'v3'),
          quantity: fc.integer({ min: 1, max: limits.maxQuantityPerLine }),
          customData: fc.record({ note: fc.string({ maxLength: 4 }) }, { noNullPrototype: true }),
          addedAt: fc.integer({ min: 0, max: 1e12 }),
        },
        { requiredKeys: ['productId', 'variantId', 'quantity', 'addedAt'], noNullPrototype: true },
      ),
      { selector: lineKey, maxLength: limits.maxLines },
    )
    .map((lines) => deepFreeze({ lines }));
const scenarioArb = (strategies: readonly CartMergeStrategy[] = CART_MERGE_STRATEGIES) =>
  limitsArb.chain((limits) =>
    fc.record({
      limits: fc.constant(limits),
      customer: cartArb(limits),
      guest: cartArb(limits),
      strategy: fc.constantFrom(...strategies),
    }),
  );

const keys = (lines: readonly { productId: string; variantId: string }[]) => lines.map(lineKey);
const byKey = (cart: Cart) => new Map(cart.lines.map((line) => [lineKey(line), line]));

/** The guest's keys that the customer's cart does not have, in guest order. */
const newGuestKeys = (customer: Cart, guest: Cart) => {
  const own = new Set(keys(customer.lines));
  return keys(guest.lines).filter((k) => !own.has(k));
};

describe('mergeCarts (properties)', () => {
  it('never mutates its inputs', () => {
    fc.assert(
      fc.property(scenarioArb(), ({ limits, customer, guest, strategy }) => {
        const before = deepCopy({ customer, guest });
        const { cart } = mergeCarts(customer, guest, strategy, limits);
        expect({ customer, guest }).toStrictEqual(before);
        expect(cart.lines).not.toBe(customer.lines);
        expect(cart.lines).not.toBe(guest.lines);
      }),
    );
  });

  it('sum/max: every line of either cart appears exactly once, or is reported as dropped', () => {
    fc.assert(
      fc.property(scenarioArb(['sum', 'max']), ({ limits, customer, guest, strategy }) => {
        const { cart, report } = mergeCarts(customer, guest, strategy, limits);
        const out = keys(cart.lines);
        const dropped = keys(report.dropped);
        expect([...out, ...dropped].sort()).toEqual([...new Set([...keys(customer.lines), ...keys(guest.lines)])].sort());
      }),
    );
  });

  it('keeps the line limit: the customer lines first, then new guest lines in guest order until full', () => {
    fc.assert(
      fc.property(scenarioArb(['sum', 'max']), ({ limits, customer, guest, strategy }) => {
        const { cart, report } = mergeCarts(customer, guest, strategy, limits);
        const fresh = newGuestKeys(customer, guest);
        const room = Math.max(0, limits.maxLines - customer.lines.length);
        expect(keys(cart.lines)).toEqual([...keys(customer.lines), ...fresh.slice(0, room)]);
        expect(keys(report.dropped)).toEqual(fresh.slice(room));
        expect(cart.lines.length).toBeLessThanOrEqual(limits.maxLines);
        expect(report.added).toBe(Math.min(room, fresh.length));
      }),
    );
  });

  it('sets quantities by the strategy, within 1..cap, and keeps the customer line on a match', () => {
    fc.assert(
      fc.property(scenarioArb(['sum', 'max']), ({ limits, customer, guest, strategy }) => {
        const { cart, report } = mergeCarts(customer, guest, strategy, limits);
        const mine = byKey(customer);
        const theirs = byKey(guest);
        const cap = limits.maxQuantityPerLine;
        let changed = 0;
        let capped = 0;
        for (const line of cart.lines) {
          const c = mine.get(lineKey(line));
          const g = theirs.get(lineKey(line));
          let quantity: number;
          if (c && g) {
            quantity = strategy === 'sum' ? Math.min(c.quantity + g.quantity, cap) : Math.max(c.quantity, g.quantity);
            if (quantity !== c.quantity) changed++;
            if (strategy === 'sum' && c.quantity + g.quantity > cap) capped++;
          } else {
            quantity = (c ?? g)!.quantity;
          }
          // On a match the customer's line wins except for the quantity; the guest's customData is dropped.
          expect(line).toStrictEqual({ ...(c ?? g)!, quantity });
          expect(line.quantity).toBeGreaterThanOrEqual(1);
          expect(line.quantity).toBeLessThanOrEqual(cap);
        }
        expect(report).toEqual({
          strategy,
          merged: changed + report.added,
          added: report.added,
          capped,
          dropped: report.dropped,
          discarded: 0,
        });
      }),
    );
  });

  it('keep: the customer cart stays, unless it is empty and then the guest cart is taken', () => {
    fc.assert(
      fc.property(scenarioArb(['keep']), ({ limits, customer, guest }) => {
        const { cart, report } = mergeCarts(customer, guest, 'keep', limits);
        const customerWins = customer.lines.length > 0 || guest.lines.length === 0;
        expect(cart.lines).toStrictEqual(customerWins ? customer.lines : guest.lines);
        expect(report.discarded).toBe(customerWins ? guest.lines.length : 0);
      }),
    );
  });

  it('replace: a non-empty guest cart becomes the cart, otherwise the customer cart stays', () => {
    fc.assert(
      fc.property(scenarioArb(['replace']), ({ limits, customer, guest }) => {
        const { cart, report } = mergeCarts(customer, guest, 'replace', limits);
        const guestWins = guest.lines.length > 0;
        expect(cart.lines).toStrictEqual(guestWins ? guest.lines : customer.lines);
        expect(report.discarded).toBe(guestWins ? customer.lines.length : 0);
        expect(report.added).toBe(guestWins ? guest.lines.length : 0);
      }),
    );
  });

  it('with an empty guest cart, leaves the customer cart as it is; with an empty customer cart, takes the guest cart', () => {
    fc.assert(
      fc.property(scenarioArb(), ({ limits, customer, guest, strategy }) => {
        expect(mergeCarts(customer, { lines: [] }, strategy, limits)).toStrictEqual({
          cart: customer,
          report: { strategy, merged: 0, added: 0, capped: 0, dropped: [], discarded: 0 },
        });
        expect(mergeCarts({ lines: [] }, guest, strategy, limits).cart).toStrictEqual(guest);
      }),
    );
  });

  it('max, keep and replace are idempotent: merging the same guest cart again changes nothing', () => {
    fc.assert(
      fc.property(scenarioArb(['max', 'keep', 'replace']), ({ limits, customer, guest, strategy }) => {
        const once = mergeCarts(customer, guest, strategy, limits);
        const twice = mergeCarts(once.cart, guest, strategy, limits);
        expect(twice.cart).toStrictEqual(once.cart);
        expect(twice.report.dropped).toStrictEqual(once.report.dropped);
        if (strategy === 'max') expect(twice.report.merged).toBe(0);
      }),
    );
  });

  it('sum is not idempotent: a second merge adds the guest quantities again (capped)', () => {
    fc.assert(
      fc.property(scenarioArb(['sum']), ({ limits, customer, guest }) => {
        const once = mergeCarts(customer, guest, 'sum', limits).cart;
        const twice = mergeCarts(once, guest, 'sum', limits).cart;
        const mine = byKey(customer);
        const theirs = byKey(guest);
        expect(keys(twice.lines)).toEqual(keys(once.lines));
        for (const line of twice.lines) {
          const c = mine.get(lineKey(line))?.quantity ?? 0;
          const g = theirs.get(lineKey(line))?.quantity ?? 0;
          expect(line.quantity).toBe(Math.min(c + 2 * g, limits.maxQuantityPerLine));
        }
      }),
    );
  });
});

describe('mergeCarts (examples)', () => {
  const line = (productId: string, variantId: string, quantity: number, extra: Partial<CartLine> = {}): CartLine => ({
    productId,
    variantId,
    quantity,
    addedAt: 1000,
    ...extra,
  });

  // commercetools C3 (MergeWithExistingCustomerCart): same product+variant takes max(a, b), the
  // anonymous line's custom fields are dropped, unmatched anonymous lines are appended.
  it('max: commercetools MergeWithExistingCustomerCart', () => {
    const customer = { lines: [line('shirt', 'M', 2, { customData: { engraving: 'A' } }), line('sock', '42', 4)] };
    const guest = {
      lines: [
        line('shirt', 'M', 3, { customData: { engraving: 'B' }, addedAt: 5 }),
        line('sock', '42', 1),
        line('shirt', 'L', 1),
        line('cap', 'one', 1, { customData: { gift: true } }),
      ],
    };
    expect(mergeCarts(customer, guest, 'max')).toEqual({
      cart: {
        lines: [
          line('shirt', 'M', 3, { customData: { engraving: 'A' } }),
          line('sock', '42', 4),
          line('shirt', 'L', 1),
          line('cap', 'one', 1, { customData: { gift: true } }),
        ],
      },
      report: { strategy: 'max', merged: 3, added: 2, capped: 0, dropped: [], discarded: 0 },
    });
  });

  // SCAYLE §7 mergeBaskets: ADD_QUANTITY_TO_EXISTING adds the quantities together.
  it('sum: SCAYLE ADD_QUANTITY_TO_EXISTING', () => {
    const customer = { lines: [line('shirt', 'M', 2), line('sock', '42', 98)] };
    const guest = { lines: [line('sock', '42', 5), line('shirt', 'M', 3), line('cap', 'one', 1)] };
    expect(mergeCarts(customer, guest, 'sum')).toEqual({
      cart: { lines: [line('shirt', 'M', 5), line('sock', '42', 99), line('cap', 'one', 1)] },
      report: { strategy: 'sum', merged: 3, added: 1, capped: 1, dropped: [], discarded: 0 },
    });
  });

  it('sum twice doubles the guest quantities, so the caller must merge exactly once', () => {
    const customer = { lines: [line('shirt', 'M', 1)] };
    const guest = { lines: [line('shirt', 'M', 2)] };
    const once = mergeCarts(customer, guest, 'sum').cart;
    expect(once.lines[0]!.quantity).toBe(3);
    expect(mergeCarts(once, guest, 'sum').cart.lines[0]!.quantity).toBe(5);
  });

  // commercetools UseAsNewActiveCustomerCart: the anonymous cart becomes the active cart, nothing is merged.
  it('replace: commercetools UseAsNewActiveCustomerCart', () => {
    const customer = { lines: [line('shirt', 'M', 2)] };
    const guest = { lines: [line('cap', 'one', 1), line('shirt', 'M', 7)] };
    expect(mergeCarts(customer, guest, 'replace')).toEqual({
      cart: guest,
      report: { strategy: 'replace', merged: 2, added: 2, capped: 0, dropped: [], discarded: 1 },
    });
    expect(mergeCarts(customer, { lines: [] }, 'replace').cart).toEqual(customer);
  });

  it('keep: discards the guest cart, but an empty customer cart takes it', () => {
    const customer = { lines: [line('shirt', 'M', 2)] };
    const guest = { lines: [line('cap', 'one', 1)] };
    expect(mergeCarts(customer, guest, 'keep')).toEqual({
      cart: customer,
      report: { strategy: 'keep', merged: 0, added: 0, capped: 0, dropped: [], discarded: 1 },
    });
    expect(mergeCarts({ lines: [] }, guest, 'keep').cart).toEqual(guest);
  });

  it('drops the guest lines that do not fit and reports them', () => {
    const limits = { ...DEFAULT_CART_LIMITS, maxLines: 3 };
    const customer = { lines: [line('a', 'v', 1), line('b', 'v', 1)] };
    const guest = { lines: [line('c', 'v', 1), line('a', 'v', 4), line('d', 'v', 1), line('e', 'v', 1)] };
    expect(mergeCarts(customer, guest, 'max', limits)).toEqual({
      cart: { lines: [line('a', 'v', 4), line('b', 'v', 1), line('c', 'v', 1)] },
      report: {
        strategy: 'max',
        merged: 2,
        added: 1,
        capped: 0,
        dropped: [
          { productId: 'd', variantId: 'v' },
          { productId: 'e', variantId: 'v' },
        ],
        discarded: 0,
      },
    });
  });

  it('keeps every customer line when limits were lowered below what the cart holds', () => {
    const limits = { ...DEFAULT_CART_LIMITS, maxLines: 1, maxQuantityPerLine: 3 };
    const customer = { lines: [line('a', 'v', 5), line('b', 'v', 1)] };
    const guest = { lines: [line('a', 'v', 2), line('b', 'v', 9), line('c', 'v', 1)] };
    expect(mergeCarts(customer, guest, 'sum', limits)).toEqual({
      cart: { lines: [line('a', 'v', 5), line('b', 'v', 3)] },
      report: { strategy: 'sum', merged: 1, added: 0, capped: 2, dropped: [{ productId: 'c', variantId: 'v' }], discarded: 0 },
    });
  });

  it('validates a configured strategy name', () => {
    expect(CART_MERGE_STRATEGIES.every(isCartMergeStrategy)).toBe(true);
    expect(isCartMergeStrategy('merge')).toBe(false);
    expect(isCartMergeStrategy(undefined)).toBe(false);
  });
});
