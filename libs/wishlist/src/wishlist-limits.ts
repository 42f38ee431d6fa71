import { checkId, limitExceeded, sameLine, type LineRef, type Violation } from '#libs/cart';
import type { Wishlist } from './wishlist-item.js';

/** Per-shop wishlist limits. */
export interface WishlistLimits {
  readonly maxItems: number;
  readonly maxIdLength: number;
}

export const DEFAULT_WISHLIST_LIMITS: WishlistLimits = Object.freeze({
  maxItems: 200,
  maxIdLength: 128,
});

/** Everything that stops `addWishlistItem` from applying. Adding an item that is already there is allowed. */
export function checkAddWishlistItem(wishlist: Wishlist, input: LineRef, limits: WishlistLimits = DEFAULT_WISHLIST_LIMITS): Violation[] {
  const invalid = [
    ...checkId('productId', input.productId, limits.maxIdLength),
    ...(input.variantId === undefined ? [] : checkId('variantId', input.variantId, limits.maxIdLength)),
  ];
  if (invalid.length > 0) return invalid;
  if (wishlist.items.some((item) => sameLine(item, input))) return [];
  return wishlist.items.length >= limits.maxItems
    ? [limitExceeded('items', `the wishlist already holds the maximum of ${limits.maxItems} items`)]
    : [];
}
