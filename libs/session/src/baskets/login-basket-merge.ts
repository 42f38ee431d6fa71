import { mergeCarts, type Cart } from '#libs/cart';
import type { CartMergeSummary, WishlistMergeSummary } from '#libs/contracts';
import { mergeWishlists, type Wishlist } from '#libs/wishlist';
import type { ShopSettings } from '../config/service-config.js';
import type { BasketOwner } from '../store/basket-repository.js';
import type { LoginBasketMerge } from '../store/session-repository.js';
import { EMPTY_CART, EMPTY_WISHLIST } from './basket-access.js';
import type { BasketService } from './basket.service.js';

interface Versioned<T> {
  value: T;
  version: number;
}

/** A guest's baskets as read before the login, with the versions that their removal checks. */
export interface GuestBaskets {
  owner: BasketOwner & { guestHandle: string };
  cart: Versioned<Cart>;
  wishlist: Versioned<Wishlist>;
}

export interface LoginMergePlan {
  merge: LoginBasketMerge;
  cart: CartMergeSummary;
  wishlist: WishlistMergeSummary;
}

export async function readGuestBaskets(baskets: BasketService, owner: GuestBaskets['owner']): Promise<GuestBaskets> {
  const [cart, wishlist] = await Promise.all([baskets.read(owner, 'cart', EMPTY_CART), baskets.read(owner, 'wishlist', EMPTY_WISHLIST)]);
  return { owner, cart, wishlist };
}

/**
 * Reads the customer's baskets and merges the guest's into them with the shop's strategy
 * (pure functions of libs/cart and libs/wishlist). The session store applies the result
 * atomically with the login, at most once per guest session.
 */
export async function planLoginMerge(
  baskets: BasketService,
  shop: ShopSettings,
  userId: string,
  guest: GuestBaskets,
): Promise<LoginMergePlan> {
  const customer = { shopId: shop.shopId, userId };
  const [cart, wishlist] = await Promise.all([
    baskets.read(customer, 'cart', EMPTY_CART),
    baskets.read(customer, 'wishlist', EMPTY_WISHLIST),
  ]);
  const mergedCart = mergeCarts(cart.value, guest.cart.value, shop.cart.mergeStrategy, shop.cart.limits);
  const mergedWishlist = mergeWishlists(wishlist.value, guest.wishlist.value, shop.wishlist.limits);
  return {
    merge: {
      guestHandle: guest.owner.guestHandle,
      cart: { expectedVersion: cart.version, json: mergedCart.cart.lines.length ? JSON.stringify(mergedCart.cart) : null },
      wishlist: {
        expectedVersion: wishlist.version,
        json: mergedWishlist.wishlist.items.length ? JSON.stringify(mergedWishlist.wishlist) : null,
      },
      basketTtlMs: shop.cart.customerTtlMs,
      markerTtlMs: shop.absoluteTimeoutMs,
    },
    cart: { ...mergedCart.report, dropped: [...mergedCart.report.dropped], alreadyMerged: false },
    wishlist: { ...mergedWishlist.report, dropped: [...mergedWishlist.report.dropped], alreadyMerged: false },
  };
}

/** The report of a login that found this guest session merged already. */
export function alreadyMerged(plan: LoginMergePlan): Pick<LoginMergePlan, 'cart' | 'wishlist'> {
  const none = { merged: 0, added: 0, dropped: [], alreadyMerged: true };
  return { cart: { ...none, strategy: plan.cart.strategy, capped: 0, discarded: 0 }, wishlist: none };
}
