/**
 * Carts and wishlists, behind the same store as sessions: versioned JSON documents written
 * with compare-and-set, so a concurrent change is detected instead of overwritten. The cart
 * and wishlist rules stay in TypeScript (libs/cart, libs/wishlist); the store only guarantees
 * that a write applies to the version it was computed from.
 */
export type BasketKind = 'cart' | 'wishlist';

/** A guest's basket belongs to its session; a customer's to (shop, user), shared by all devices. */
export type BasketOwner = { shopId: string; userId: string } | { shopId: string; guestHandle: string };

export interface VersionedDocument {
  json: string;
  /** 1 for the first write; 0 means "absent" in compare-and-set. */
  version: number;
}

export interface BasketRepository {
  read(owner: BasketOwner, kind: BasketKind): Promise<VersionedDocument | null>;
  /** Writes when the stored version is still `expectedVersion` (0: absent). Returns the new version, or null on conflict. */
  write(owner: BasketOwner, kind: BasketKind, json: string, expectedVersion: number, ttlMs: number): Promise<number | null>;
  /** Deletes when the stored version is still `expectedVersion`. False on conflict. */
  remove(owner: BasketOwner, kind: BasketKind, expectedVersion: number): Promise<boolean>;
}

export const BASKET_REPOSITORY = Symbol('BASKET_REPOSITORY');
