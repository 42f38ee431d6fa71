import { checkAddWishlistItem } from './wishlist-limits.js';

describe('wishlist violation messages (they reach callers in details)', () => {
  const limits = { maxItems: 1, maxIdLength: 3 };
  const full = { items: [{ productId: 'a', addedAt: 0 }] };

  it('a full wishlist', () => {
    expect(checkAddWishlistItem(full, { productId: 'b' }, limits)).toEqual([
      { code: 'LIMIT_EXCEEDED', field: 'items', message: 'the wishlist already holds the maximum of 1 items' },
    ]);
    // An item already there is no new item.
    expect(checkAddWishlistItem(full, { productId: 'a' }, limits)).toEqual([]);
    expect(checkAddWishlistItem({ items: [] }, { productId: 'b' }, limits)).toEqual([]);
  });

  it('ids: productId always, variantId when given', () => {
    expect(checkAddWishlistItem({ items: [] }, { productId: 'abcd', variantId: '' }, limits)).toEqual([
      { code: 'VALIDATION_FAILED', field: 'productId', message: 'productId is 4 characters; the limit is 3' },
      { code: 'VALIDATION_FAILED', field: 'variantId', message: 'variantId must be a non-empty string' },
    ]);
    expect(checkAddWishlistItem({ items: [] }, { productId: 'abc' }, limits)).toEqual([]);
  });
});
