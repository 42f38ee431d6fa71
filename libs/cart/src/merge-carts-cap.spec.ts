import type { CartLine } from './cart-line.js';
import { DEFAULT_CART_LIMITS } from './cart-limits.js';
import { mergeCarts } from './merge-carts.js';

const line = (productId: string, quantity: number): CartLine => ({ productId, variantId: 'v', quantity, addedAt: 1 });

describe('mergeCarts: a guest line above the cap that the customer does not have', () => {
  // A guest cart written before the shop lowered its cap.
  const limits = { ...DEFAULT_CART_LIMITS, maxQuantityPerLine: 5 };

  it.each(['sum', 'max'] as const)('%s: is added at the cap and counted as capped', (strategy) => {
    const result = mergeCarts({ lines: [line('a', 1)] }, { lines: [line('b', 8), line('c', 5)] }, strategy, limits);
    expect(result.cart.lines.map((l) => [l.productId, l.quantity])).toEqual([
      ['a', 1],
      ['b', 5],
      ['c', 5],
    ]);
    expect(result.report).toMatchObject({ merged: 2, added: 2, capped: 1 });
  });
});
