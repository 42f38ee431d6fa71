import {
  addItem,
  clearCart,
  removeItem,
  setQuantity,
  type AddLineInput,
  type Cart,
  type CartLineRef,
  type LineRef,
  type SetQuantityInput,
} from '#libs/cart';
import { addWishlistItem, clearWishlist, removeWishlistItem, type Wishlist } from '#libs/wishlist';
import type { ShopSettings } from '../config/service-config.js';
import type { BasketOwner } from '../store/basket-repository.js';
import type { BasketService } from './basket.service.js';

export const EMPTY_CART: Cart = { lines: [] };
export const EMPTY_WISHLIST: Wishlist = { items: [] };
const ok = <T>(value: T) => ({ ok: true as const, value });

/**
 * The cart of the current session's owner: the guest session's, or the customer's (shared by
 * all devices). `owner(true)` stores a guest session that held nothing; it is called only
 * right before a basket is written, so a refused or no-op change stores nothing.
 */
export class CartAccess {
  constructor(
    private readonly baskets: BasketService,
    private readonly shop: ShopSettings,
    private readonly owner: (forWrite: boolean) => Promise<BasketOwner>,
    private readonly ttlMs: number,
  ) {}

  async get(): Promise<Cart> {
    return (await this.baskets.read(await this.owner(false), 'cart', EMPTY_CART)).value;
  }

  addItem(input: AddLineInput, now = Date.now()): Promise<Cart> {
    return this.change((cart) => addItem(cart, input, now, this.shop.cart.limits));
  }

  setQuantity(input: SetQuantityInput): Promise<Cart> {
    return this.change((cart) => setQuantity(cart, input, this.shop.cart.limits));
  }

  removeItem(ref: CartLineRef): Promise<Cart> {
    return this.change((cart) => ok(removeItem(cart, ref)));
  }

  clear(): Promise<Cart> {
    return this.change(() => ok(clearCart()));
  }

  private async change(apply: (cart: Cart) => ReturnType<typeof addItem>): Promise<Cart> {
    const isEmpty = (c: Cart) => c.lines.length === 0;
    return this.baskets.update(await this.owner(false), 'cart', EMPTY_CART, apply, this.ttlMs, isEmpty, () => this.owner(true));
  }
}

export class WishlistAccess {
  constructor(
    private readonly baskets: BasketService,
    private readonly shop: ShopSettings,
    private readonly owner: (forWrite: boolean) => Promise<BasketOwner>,
    private readonly ttlMs: number,
  ) {}

  async get(): Promise<Wishlist> {
    return (await this.baskets.read(await this.owner(false), 'wishlist', EMPTY_WISHLIST)).value;
  }

  add(ref: LineRef, now = Date.now()): Promise<Wishlist> {
    return this.change((w) => addWishlistItem(w, ref, now, this.shop.wishlist.limits));
  }

  remove(ref: LineRef): Promise<Wishlist> {
    return this.change((w) => ok(removeWishlistItem(w, ref)));
  }

  clear(): Promise<Wishlist> {
    return this.change(() => ok(clearWishlist()));
  }

  private async change(apply: (w: Wishlist) => ReturnType<typeof addWishlistItem>): Promise<Wishlist> {
    const isEmpty = (w: Wishlist) => w.items.length === 0;
    return this.baskets.update(await this.owner(false), 'wishlist', EMPTY_WISHLIST, apply, this.ttlMs, isEmpty, () => this.owner(true));
  }
}
