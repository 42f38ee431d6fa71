import type { Cart, CartLine } from './cart-line.js';
import { checkAddLine, checkSetQuantity, DEFAULT_CART_LIMITS, type AddLineInput } from './cart-limits.js';

const line = (productId: string, variantId: string, quantity: number): CartLine => ({
  productId,
  variantId,
  quantity,
  addedAt: 0,
});
const cartOf = (...lines: CartLine[]): Cart => ({ lines });
const fullCart = cartOf(...Array.from({ length: 100 }, (_, i) => line(`p${i}`, 'v', 1)));
const add = (over: Partial<AddLineInput> = {}): AddLineInput => ({ productId: 'p', variantId: 'v', quantity: 1, ...over });
const codes = (violations: readonly { code: string; field: string }[]) => violations.map((v) => `${v.code} ${v.field}`);

describe('DEFAULT_CART_LIMITS', () => {
  it('has the documented defaults', () => {
    expect(DEFAULT_CART_LIMITS).toEqual({ maxQuantityPerLine: 99, maxLines: 100, maxIdLength: 128, maxCustomDataBytes: 2048 });
  });
});

describe('checkAddLine', () => {
  const empty = cartOf();

  it('accepts a valid line', () => {
    expect(checkAddLine(empty, add({ quantity: 99, customData: { note: 'hi' } }))).toEqual([]);
  });

  it.each([
    ['empty productId', add({ productId: '' }), 'VALIDATION_FAILED productId'],
    ['blank variantId', add({ variantId: '  ' }), 'VALIDATION_FAILED variantId'],
    ['non-string productId', add({ productId: 42 as never }), 'VALIDATION_FAILED productId'],
    ['129-character id', add({ productId: 'x'.repeat(129) }), 'VALIDATION_FAILED productId'],
    ['quantity 0', add({ quantity: 0 }), 'VALIDATION_FAILED quantity'],
    ['fractional quantity', add({ quantity: 1.5 }), 'VALIDATION_FAILED quantity'],
    ['NaN quantity', add({ quantity: Number.NaN }), 'VALIDATION_FAILED quantity'],
    ['string quantity', add({ quantity: '2' as never }), 'VALIDATION_FAILED quantity'],
    ['quantity over the cap', add({ quantity: 100 }), 'LIMIT_EXCEEDED quantity'],
    ['array customData', add({ customData: [] as never }), 'VALIDATION_FAILED customData'],
    ['null customData', add({ customData: null as never }), 'VALIDATION_FAILED customData'],
  ])('rejects %s', (_, input, expected) => {
    expect(codes(checkAddLine(empty, input))).toEqual([expected]);
  });

  it('reports every malformed field at once', () => {
    expect(codes(checkAddLine(empty, add({ productId: '', variantId: '', quantity: -1 })))).toEqual([
      'VALIDATION_FAILED productId',
      'VALIDATION_FAILED variantId',
      'VALIDATION_FAILED quantity',
    ]);
  });

  it('counts id length in characters (code points)', () => {
    expect(checkAddLine(empty, add({ productId: '😀'.repeat(128) }))).toEqual([]);
    expect(codes(checkAddLine(empty, add({ productId: '😀'.repeat(129) })))).toEqual(['VALIDATION_FAILED productId']);
  });

  it('limits customData to 2048 bytes of UTF-8 JSON', () => {
    // {"k":"…"} is 8 bytes plus the string.
    expect(checkAddLine(empty, add({ customData: { k: 'x'.repeat(2040) } }))).toEqual([]);
    expect(codes(checkAddLine(empty, add({ customData: { k: 'x'.repeat(2041) } })))).toEqual(['VALIDATION_FAILED customData']);
    expect(codes(checkAddLine(empty, add({ customData: { k: 'é'.repeat(1021) } })))).toEqual(['VALIDATION_FAILED customData']);
  });

  it('rejects customData that cannot be serialised', () => {
    const cyclic: Record<string, unknown> = {};
    cyclic['self'] = cyclic;
    expect(codes(checkAddLine(empty, add({ customData: cyclic })))).toEqual(['VALIDATION_FAILED customData']);
    expect(codes(checkAddLine(empty, add({ customData: { n: 1n } })))).toEqual(['VALIDATION_FAILED customData']);
  });

  it('allows a summed quantity up to the cap and reports LIMIT_EXCEEDED beyond it', () => {
    const cart = cartOf(line('p', 'v', 60));
    expect(checkAddLine(cart, add({ quantity: 39 }))).toEqual([]);
    expect(codes(checkAddLine(cart, add({ quantity: 40 })))).toEqual(['LIMIT_EXCEEDED quantity']);
  });

  it('reports LIMIT_EXCEEDED for a new line in a full cart, but not for an existing line', () => {
    expect(codes(checkAddLine(fullCart, add()))).toEqual(['LIMIT_EXCEEDED lines']);
    expect(checkAddLine(fullCart, add({ productId: 'p7' }))).toEqual([]);
  });

  it('applies per-shop limits', () => {
    const limits = { ...DEFAULT_CART_LIMITS, maxQuantityPerLine: 5, maxLines: 1, maxIdLength: 3 };
    expect(codes(checkAddLine(empty, add({ quantity: 6 }), limits))).toEqual(['LIMIT_EXCEEDED quantity']);
    expect(codes(checkAddLine(empty, add({ productId: 'abcd' }), limits))).toEqual(['VALIDATION_FAILED productId']);
    expect(codes(checkAddLine(cartOf(line('a', 'b', 1)), add(), limits))).toEqual(['LIMIT_EXCEEDED lines']);
  });
});

describe('checkSetQuantity', () => {
  const cart = cartOf(line('p', 'v', 3));

  it('accepts 0..cap on an existing line', () => {
    expect(checkSetQuantity(cart, { productId: 'p', variantId: 'v', quantity: 0 })).toEqual([]);
    expect(checkSetQuantity(cart, { productId: 'p', variantId: 'v', quantity: 99 })).toEqual([]);
  });

  it('accepts 0 on a missing line (removal is idempotent)', () => {
    expect(checkSetQuantity(cart, { productId: 'q', variantId: 'v', quantity: 0 })).toEqual([]);
  });

  it.each([
    ['a missing line', { productId: 'q', variantId: 'v', quantity: 2 }, 'VALIDATION_FAILED productId'],
    ['a negative quantity', { productId: 'p', variantId: 'v', quantity: -1 }, 'VALIDATION_FAILED quantity'],
    ['a fractional quantity', { productId: 'p', variantId: 'v', quantity: 0.5 }, 'VALIDATION_FAILED quantity'],
    ['a quantity over the cap', { productId: 'p', variantId: 'v', quantity: 100 }, 'LIMIT_EXCEEDED quantity'],
    ['an empty variantId', { productId: 'p', variantId: '', quantity: 1 }, 'VALIDATION_FAILED variantId'],
  ])('rejects %s', (_, input, expected) => {
    expect(codes(checkSetQuantity(cart, input))).toEqual([expected]);
  });
});
