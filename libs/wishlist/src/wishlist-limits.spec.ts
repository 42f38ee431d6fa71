import type { Wishlist } from './wishlist-item.js';
import { checkAddWishlistItem, DEFAULT_WISHLIST_LIMITS } from './wishlist-limits.js';

const codes = (violations: readonly { code: string; field: string }[]) => violations.map((v) => `${v.code} ${v.field}`);
const full: Wishlist = { items: Array.from({ length: 200 }, (_, i) => ({ productId: `p${i}`, addedAt: i })) };

describe('checkAddWishlistItem', () => {
  it('has the documented defaults', () => {
    expect(DEFAULT_WISHLIST_LIMITS).toEqual({ maxItems: 200, maxIdLength: 128 });
  });

  it('accepts an item with or without a variant', () => {
    expect(checkAddWishlistItem({ items: [] }, { productId: 'p' })).toEqual([]);
    expect(checkAddWishlistItem({ items: [] }, { productId: 'p', variantId: 'v' })).toEqual([]);
  });

  it.each([
    ['an empty productId', { productId: '' }, 'VALIDATION_FAILED productId'],
    ['a 129-character productId', { productId: 'x'.repeat(129) }, 'VALIDATION_FAILED productId'],
    ['an empty variantId', { productId: 'p', variantId: '' }, 'VALIDATION_FAILED variantId'],
    ['a null variantId', { productId: 'p', variantId: null as never }, 'VALIDATION_FAILED variantId'],
  ])('rejects %s', (_, input, expected) => {
    expect(codes(checkAddWishlistItem({ items: [] }, input))).toEqual([expected]);
  });

  it('reports LIMIT_EXCEEDED for a new item in a full wishlist, but not for one already there', () => {
    expect(codes(checkAddWishlistItem(full, { productId: 'new' }))).toEqual(['LIMIT_EXCEEDED items']);
    expect(codes(checkAddWishlistItem(full, { productId: 'p3', variantId: 'v' }))).toEqual(['LIMIT_EXCEEDED items']);
    expect(checkAddWishlistItem(full, { productId: 'p3' })).toEqual([]);
  });

  it('applies per-shop limits', () => {
    const limits = { maxItems: 1, maxIdLength: 2 };
    expect(codes(checkAddWishlistItem({ items: [] }, { productId: 'abc' }, limits))).toEqual(['VALIDATION_FAILED productId']);
    expect(codes(checkAddWishlistItem({ items: [{ productId: 'a', addedAt: 0 }] }, { productId: 'b' }, limits))).toEqual([
      'LIMIT_EXCEEDED items',
    ]);
  });
});
