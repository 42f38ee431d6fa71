import { sameLine, toLineRef, type LineRef, type OperationResult } from '#libs/cart';
import type { Wishlist } from './wishlist-item.js';
import { checkAddWishlistItem, DEFAULT_WISHLIST_LIMITS, type WishlistLimits } from './wishlist-limits.js';

/** Saves an item with `addedAt = now`. Idempotent: an item already there is kept as it is, with its original addedAt. */
export function addWishlistItem(
  wishlist: Wishlist,
  input: LineRef,
  now: number,
  limits: WishlistLimits = DEFAULT_WISHLIST_LIMITS,
): OperationResult<Wishlist> {
  const violations = checkAddWishlistItem(wishlist, input, limits);
  if (violations.length > 0) return { ok: false, violations };
  if (wishlist.items.some((item) => sameLine(item, input))) {
    return { ok: true, value: { items: [...wishlist.items] } };
  }
  return { ok: true, value: { items: [...wishlist.items, { ...toLineRef(input), addedAt: now }] } };
}

/** Removes exactly the item with this (productId, variantId); a missing item is not an error. */
export function removeWishlistItem(wishlist: Wishlist, ref: LineRef): Wishlist {
  return { items: wishlist.items.filter((item) => !sameLine(item, ref)) };
}

export function clearWishlist(): Wishlist {
  return { items: [] };
}
