import { lineKey, toLineRef, type LineRef } from '#libs/cart';
import type { Wishlist, WishlistItem } from './wishlist-item.js';
import { DEFAULT_WISHLIST_LIMITS, type WishlistLimits } from './wishlist-limits.js';

export interface WishlistMergeReport {
  /** Guest items that were added, or that gave a customer item an earlier addedAt. */
  readonly merged: number;
  /** Of `merged`, the guest items that were added as new items. */
  readonly added: number;
  /** Guest items left out because the wishlist was full, in guest order. */
  readonly dropped: readonly LineRef[];
}

export interface WishlistMergeResult {
  readonly wishlist: Wishlist;
  readonly report: WishlistMergeReport;
}

/**
 * Merges a guest wishlist into the customer's as a union by (productId, variantId). Pure.
 * - A shared item keeps the earlier addedAt of the two.
 * - Order: the customer's items in their order, then the guest's new items in theirs.
 * - The customer's items are always kept; guest items beyond maxItems are left out and reported.
 * - Idempotent: merge(merge(c, g), g) equals merge(c, g), so a retried login is harmless.
 */
export function mergeWishlists(customer: Wishlist, guest: Wishlist, limits: WishlistLimits = DEFAULT_WISHLIST_LIMITS): WishlistMergeResult {
  const items: WishlistItem[] = [...customer.items];
  const indexByKey = new Map(items.map((item, i) => [lineKey(item), i]));
  const dropped: LineRef[] = [];
  let merged = 0;
  let added = 0;

  for (const guestItem of guest.items) {
    const key = lineKey(guestItem);
    const index = indexByKey.get(key);
    if (index === undefined) {
      if (items.length >= limits.maxItems) {
        dropped.push(toLineRef(guestItem));
        continue;
      }
      indexByKey.set(key, items.length);
      items.push({ ...toLineRef(guestItem), addedAt: guestItem.addedAt });
      merged++;
      added++;
    } else if (guestItem.addedAt < items[index]!.addedAt) {
      items[index] = { ...items[index]!, addedAt: guestItem.addedAt };
      merged++;
    }
  }
  return { wishlist: { items }, report: { merged, added, dropped } };
}
