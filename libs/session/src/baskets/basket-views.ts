import type { Cart } from '#libs/cart';
import type { CartResult, WishlistResult } from '#libs/contracts';
import type { Wishlist } from '#libs/wishlist';

/** Contract views of the stored cart and wishlist (times as ISO strings). */
export function cartView(cart: Cart): CartResult {
  return {
    lines: cart.lines.map((l) => ({
      productId: l.productId,
      variantId: l.variantId,
      quantity: l.quantity,
      ...(l.customData ? { customData: { ...l.customData } } : {}),
      addedAt: new Date(l.addedAt).toISOString(),
    })),
  };
}

export function wishlistView(wishlist: Wishlist): WishlistResult {
  return {
    items: wishlist.items.map((i) => ({
      productId: i.productId,
      ...(i.variantId === undefined ? {} : { variantId: i.variantId }),
      addedAt: new Date(i.addedAt).toISOString(),
    })),
  };
}
