/** Identifies a cart line or wishlist item. A wishlist item may omit the variant. */
export interface LineRef {
  readonly productId: string;
  readonly variantId?: string;
}

/**
 * Collision-free map key for a (productId, variantId) pair. A missing variant is its own key,
 * so a product-level wishlist entry and a variant-level one are different items.
 */
export function lineKey(ref: LineRef): string {
  return JSON.stringify([ref.productId, ref.variantId ?? null]);
}

export function sameLine(a: LineRef, b: LineRef): boolean {
  return a.productId === b.productId && a.variantId === b.variantId;
}

/** The bare (productId, variantId) of a line, for reports. */
export function toLineRef(ref: LineRef): LineRef {
  return ref.variantId === undefined ? { productId: ref.productId } : { productId: ref.productId, variantId: ref.variantId };
}
