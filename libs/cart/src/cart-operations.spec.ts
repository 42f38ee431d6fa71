import fc from 'fast-check';
import type { Cart, CartLine } from './cart-line.js';
import { checkAddLine, checkSetQuantity, DEFAULT_CART_LIMITS, type CartLimits } from './cart-limits.js';
import { addItem, clearCart, removeItem, setQuantity } from './cart-operations.js';
import { lineKey } from './line-key.js';
import { deepCopy, deepFreeze } from '../../../test/support/plain-data.js';

// Small limits and id pools so that matches, the cap and a full cart all come up often.
const limitsArb = fc.record({
  maxQuantityPerLine: fc.integer({ min: 1, max: 10 }),
  maxLines: fc.integer({ min: 1, max: 6 }),
  maxIdLength: fc.constant(DEFAULT_CART_LIMITS.maxIdLength),
  maxCustomDataBytes: fc.constant(DEFAULT_CART_LIMITS.maxCustomDataBytes),
});
const refArb = fc.record(
  { productId: fc.constantFrom('p1', 'p2', 'p3'), variantId: fc.constantFrom('v1', 'v2', 'v3') },
  { noNullPrototype: true },
);
const customDataArb = fc.record({ note: fc.string({ maxLength: 4 }) }, { noNullPrototype: true });
const cartArb = (limits: CartLimits): fc.Arbitrary<Cart> =>
  fc
    .uniqueArray(
      fc.record(
        {
          productId: fc.constantFrom('p1', 'p2', 'p3'),
          variantId: fc.constantFrom('v1', 'v2', 'v3'),
          quantity: fc.integer({ min: 1, max: limits.maxQuantityPerLine }),
          customData: customDataArb,
          addedAt: fc.integer({ min: 0, max: 1e12 }),
        },
        { requiredKeys: ['productId', 'variantId', 'quantity', 'addedAt'], noNullPrototype: true },
      ),
      { selector: lineKey, maxLength: limits.maxLines },
    )
    .map((lines) => deepFreeze({ lines }));

const opArb = fc.oneof(
  fc.record({
    kind: fc.constant('add' as const),
    ref: refArb,
    quantity: fc.integer({ min: -1, max: 12 }),
    customData: fc.option(customDataArb, { nil: undefined }),
  }),
  fc.record({ kind: fc.constant('set' as const), ref: refArb, quantity: fc.integer({ min: -1, max: 12 }) }),
  fc.record({ kind: fc.constant('remove' as const), ref: refArb }),
);

const scenarioArb = limitsArb.chain((limits) =>
  fc.record({ limits: fc.constant(limits), cart: cartArb(limits), ops: fc.array(opArb, { maxLength: 20 }) }),
);

const keys = (cart: Cart) => cart.lines.map(lineKey);
const find = (cart: Cart, ref: { productId: string; variantId: string }) => cart.lines.find((l) => lineKey(l) === lineKey(ref));

function expectValid(cart: Cart, limits: CartLimits) {
  expect(new Set(keys(cart)).size).toBe(cart.lines.length);
  expect(cart.lines.length).toBeLessThanOrEqual(limits.maxLines);
  for (const line of cart.lines) {
    expect(Number.isInteger(line.quantity)).toBe(true);
    expect(line.quantity).toBeGreaterThanOrEqual(1);
    expect(line.quantity).toBeLessThanOrEqual(limits.maxQuantityPerLine);
  }
}

describe('cart operations (properties)', () => {
  it('keep a cart valid through any sequence of operations, and never mutate their input', () => {
    fc.assert(
      fc.property(scenarioArb, ({ limits, cart, ops }) => {
        let current = cart;
        let now = 1e12;
        for (const op of ops) {
          const input = current;
          const before = deepCopy(input);
          if (op.kind === 'add') {
            const add = { ...op.ref, quantity: op.quantity, ...(op.customData && { customData: op.customData }) };
            const result = addItem(current, add, ++now, limits);
            expect(result.ok).toBe(checkAddLine(current, add, limits).length === 0);
            if (result.ok) current = result.value;
          } else if (op.kind === 'set') {
            const set = { ...op.ref, quantity: op.quantity };
            const result = setQuantity(current, set, limits);
            expect(result.ok).toBe(checkSetQuantity(current, set, limits).length === 0);
            if (result.ok) current = result.value;
          } else {
            current = removeItem(current, op.ref);
          }
          expect(input).toStrictEqual(before);
          expectValid(current, limits);
        }
      }),
    );
  });

  it('addItem sums into an existing line in place, or appends a new line stamped with now', () => {
    fc.assert(
      fc.property(
        limitsArb.chain((limits) => fc.tuple(fc.constant(limits), cartArb(limits))),
        refArb,
        fc.integer({ min: 1, max: 10 }),
        fc.option(customDataArb, { nil: undefined }),
        ([limits, cart], ref, quantity, customData) => {
          const snapshot = deepCopy(cart);
          const existing = find(cart, ref);
          const result = addItem(cart, { ...ref, quantity, customData }, 42, limits);
          expect(cart).toStrictEqual(snapshot);

          const total = (existing?.quantity ?? 0) + quantity;
          const fits = total <= limits.maxQuantityPerLine && (existing !== undefined || cart.lines.length < limits.maxLines);
          expect(result.ok).toBe(fits);
          if (!result.ok) {
            expect(result.violations.map((v) => v.code)).toEqual(['LIMIT_EXCEEDED']);
            return;
          }
          const after = result.value;
          if (existing) {
            expect(keys(after)).toEqual(keys(cart));
            expect(find(after, ref)).toEqual({
              ...existing,
              quantity: total,
              ...(customData && { customData }),
            });
          } else {
            expect(keys(after)).toEqual([...keys(cart), lineKey(ref)]);
            expect(after.lines.at(-1)).toEqual({ ...ref, quantity, customData, addedAt: 42 });
          }
          for (const line of cart.lines) if (lineKey(line) !== lineKey(ref)) expect(find(after, line)).toBe(line);
        },
      ),
    );
  });

  it('setQuantity sets in place, 0 removes, and removeItem takes out exactly one line', () => {
    fc.assert(
      fc.property(
        limitsArb.chain((limits) => fc.tuple(fc.constant(limits), cartArb(limits))),
        fc.nat(),
        fc.integer({ min: 0, max: 10 }),
        ([limits, cart], pick, quantity) => {
          fc.pre(cart.lines.length > 0 && quantity <= limits.maxQuantityPerLine);
          const target = cart.lines[pick % cart.lines.length]!;
          const result = setQuantity(cart, { productId: target.productId, variantId: target.variantId, quantity }, limits);
          expect(result.ok).toBe(true);
          if (!result.ok) return;
          const removed = removeItem(cart, target);
          expect(keys(removed)).toEqual(keys(cart).filter((k) => k !== lineKey(target)));
          if (quantity === 0) {
            expect(result.value).toEqual(removed);
          } else {
            expect(result.value.lines).toEqual(cart.lines.map((l) => (l === target ? { ...l, quantity } : l)));
          }
        },
      ),
    );
  });
});

describe('cart operations (examples)', () => {
  const line = (productId: string, quantity: number, extra: Partial<CartLine> = {}): CartLine => ({
    productId,
    variantId: 'v',
    quantity,
    addedAt: 1,
    ...extra,
  });

  it('rejects a sum over the cap with LIMIT_EXCEEDED and changes nothing', () => {
    const cart: Cart = { lines: [line('a', 98)] };
    const result = addItem(cart, { productId: 'a', variantId: 'v', quantity: 2 }, 5);
    expect(result).toEqual({
      ok: false,
      violations: [{ code: 'LIMIT_EXCEEDED', field: 'quantity', message: expect.any(String) }],
    });
    expect(cart).toEqual({ lines: [line('a', 98)] });
  });

  it('keeps customData when adding without it and replaces it when given', () => {
    const cart: Cart = { lines: [line('a', 1, { customData: { engraving: 'A' } })] };
    const kept = addItem(cart, { productId: 'a', variantId: 'v', quantity: 1 }, 5);
    const replaced = addItem(cart, { productId: 'a', variantId: 'v', quantity: 1, customData: { engraving: 'B' } }, 5);
    expect(kept.ok && kept.value.lines).toEqual([line('a', 2, { customData: { engraving: 'A' } })]);
    expect(replaced.ok && replaced.value.lines).toEqual([line('a', 2, { customData: { engraving: 'B' } })]);
  });

  it('does not store an absent customData as a key', () => {
    const result = addItem({ lines: [] }, { productId: 'a', variantId: 'v', quantity: 1 }, 5);
    expect(result.ok && result.value.lines[0]).toStrictEqual({ productId: 'a', variantId: 'v', quantity: 1, addedAt: 5 });
  });

  it('setQuantity 0 on a missing line and removeItem of a missing line are no-ops', () => {
    const cart: Cart = { lines: [line('a', 1)] };
    expect(setQuantity(cart, { productId: 'b', variantId: 'v', quantity: 0 })).toEqual({ ok: true, value: cart });
    expect(removeItem(cart, { productId: 'b', variantId: 'v' })).toEqual(cart);
  });

  it('clearCart returns an empty cart', () => {
    expect(clearCart()).toEqual({ lines: [] });
  });
});
