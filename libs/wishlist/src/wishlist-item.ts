/**
 * A saved product, optionally narrowed to one variant. (productId) and (productId, variantId)
 * are different items, so a wishlist can hold both.
 */
export interface WishlistItem {
  readonly productId: string;
  readonly variantId?: string;
  /** When the item was first saved, in ms since the epoch. */
  readonly addedAt: number;
}

/** A wishlist holds each (productId, variantId) at most once, in the order the items were added. */
export interface Wishlist {
  readonly items: readonly WishlistItem[];
}
