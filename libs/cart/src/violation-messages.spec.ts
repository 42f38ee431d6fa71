import type { Cart, CartLine } from './cart-line.js';
import { checkAddLine, checkSetQuantity, DEFAULT_CART_LIMITS, type AddLineInput } from './cart-limits.js';
import { checkId } from './id-rules.js';

/** The messages reach callers in `details` of VALIDATION_FAILED / LIMIT_EXCEEDED: they are pinned word for word. */
const line = (productId: string, quantity: number): CartLine => ({ productId, variantId: 'v', quantity, addedAt: 0 });
const cartOf = (...lines: CartLine[]): Cart => ({ lines });
const add = (over: Partial<AddLineInput> = {}): AddLineInput => ({ productId: 'p', variantId: 'v', quantity: 1, ...over });

describe('violation messages', () => {
  it('ids', () => {
    expect(checkId('productId', '', 128)).toEqual([
      { code: 'VALIDATION_FAILED', field: 'productId', message: 'productId must be a non-empty string' },
    ]);
    expect(checkId('variantId', 7, 128)).toEqual([
      { code: 'VALIDATION_FAILED', field: 'variantId', message: 'variantId must be a non-empty string' },
    ]);
    expect(checkId('productId', 'abcd', 3)).toEqual([
      { code: 'VALIDATION_FAILED', field: 'productId', message: 'productId is 4 characters; the limit is 3' },
    ]);
    // Code points, not UTF-16 units: three emoji are 3 characters.
    expect(checkId('productId', '😀😀😀', 3)).toEqual([]);
    expect(checkId('productId', '😀😀😀😀', 3)[0]!.message).toBe('productId is 4 characters; the limit is 3');
  });

  it('quantities', () => {
    expect(checkAddLine(cartOf(), add({ quantity: 0 }))).toEqual([
      { code: 'VALIDATION_FAILED', field: 'quantity', message: 'quantity must be an integer of at least 1' },
    ]);
    expect(checkSetQuantity(cartOf(), { productId: 'p', variantId: 'v', quantity: -1 })).toEqual([
      { code: 'VALIDATION_FAILED', field: 'quantity', message: 'quantity must be an integer of at least 0' },
    ]);
    expect(checkAddLine(cartOf(), add({ quantity: 100 }))).toEqual([
      { code: 'LIMIT_EXCEEDED', field: 'quantity', message: 'at most 99 are allowed per line' },
    ]);
    expect(checkAddLine(cartOf(line('p', 60)), add({ quantity: 40 }))).toEqual([
      { code: 'LIMIT_EXCEEDED', field: 'quantity', message: 'the line would hold 100; at most 99 are allowed' },
    ]);
    expect(checkAddLine(cartOf(line('p', 60)), add({ quantity: 39 }))).toEqual([]);
    expect(
      checkAddLine(cartOf(), add({ quantity: Number.MAX_SAFE_INTEGER + 1 }), {
        ...DEFAULT_CART_LIMITS,
        maxQuantityPerLine: Number.MAX_VALUE,
      })[0]!.code,
    ).toBe('VALIDATION_FAILED');
  });

  it('lines', () => {
    const limits = { ...DEFAULT_CART_LIMITS, maxLines: 2 };
    expect(checkAddLine(cartOf(line('a', 1)), add(), limits)).toEqual([]);
    expect(checkAddLine(cartOf(line('a', 1), line('b', 1)), add(), limits)).toEqual([
      { code: 'LIMIT_EXCEEDED', field: 'lines', message: 'the cart already holds the maximum of 2 lines' },
    ]);
    // Adding to a line that is there needs no new line.
    expect(checkAddLine(cartOf(line('a', 1), line('p', 1)), add(), limits)).toEqual([]);
    expect(checkSetQuantity(cartOf(), { productId: 'p', variantId: 'v', quantity: 2 })).toEqual([
      { code: 'VALIDATION_FAILED', field: 'productId', message: 'the cart has no line for this productId and variantId' },
    ]);
    expect(checkSetQuantity(cartOf(), { productId: 'p', variantId: 'v', quantity: 0 })).toEqual([]);
    expect(checkSetQuantity(cartOf(line('p', 1)), { productId: 'p', variantId: 'v', quantity: 99 })).toEqual([]);
  });

  it('customData', () => {
    expect(checkAddLine(cartOf(), add({ customData: 'x' as never }))).toEqual([
      { code: 'VALIDATION_FAILED', field: 'customData', message: 'customData must be a JSON object' },
    ]);
    expect(checkAddLine(cartOf(), add({ customData: { n: 1n } as never }))).toEqual([
      { code: 'VALIDATION_FAILED', field: 'customData', message: 'customData is not serialisable as JSON' },
    ]);
    const limits = { ...DEFAULT_CART_LIMITS, maxCustomDataBytes: 12 };
    expect(checkAddLine(cartOf(), add({ customData: { a: 'é' } }), limits)).toEqual([]); // {"a":"é"} is 10 bytes
    expect(checkAddLine(cartOf(), add({ customData: { a: 'éé' } }), limits)).toEqual([]); // 12 bytes
    expect(checkAddLine(cartOf(), add({ customData: { a: 'ééa' } }), limits)).toEqual([
      { code: 'VALIDATION_FAILED', field: 'customData', message: 'customData is 13 bytes as JSON; the limit is 12' },
    ]);
  });
});
