import type { Cart, CartLine, CartLineRef } from './cart-line.js';
import { DEFAULT_CART_LIMITS, type CartLimits } from './cart-limits.js';
import { lineKey } from './line-key.js';

/**
 * How a guest cart is merged into the customer's cart at login (see docs/cart-merge-strategies.md).
 * - sum: quantities of the same productId+variantId are added, capped at maxQuantityPerLine
 *   (SCAYLE ADD_QUANTITY_TO_EXISTING).
 * - max: the larger quantity wins (commercetools MergeWithExistingCustomerCart).
 * - replace: a non-empty guest cart becomes the cart (commercetools UseAsNewActiveCustomerCart).
 * - keep: the customer's cart stays and the guest's is discarded.
 */
export const CART_MERGE_STRATEGIES = ['sum', 'max', 'replace', 'keep'] as const;
export type CartMergeStrategy = (typeof CART_MERGE_STRATEGIES)[number];

/** For validating a shop's configured strategy. */
export function isCartMergeStrategy(value: unknown): value is CartMergeStrategy {
  return (CART_MERGE_STRATEGIES as readonly unknown[]).includes(value);
}

export interface CartMergeReport {
  readonly strategy: CartMergeStrategy;
  /** Guest lines that changed a customer line's quantity or were added as new lines. */
  readonly merged: number;
  /** Of `merged`, the guest lines that were added as new lines. */
  readonly added: number;
  /** Guest lines whose quantity was clipped at maxQuantityPerLine. */
  readonly capped: number;
  /** Guest lines left out because the cart was full, in guest order. */
  readonly dropped: readonly CartLineRef[];
  /** Lines thrown away by the strategy itself: the guest's under `keep`, the customer's under `replace`. */
  readonly discarded: number;
}

export interface CartMergeResult {
  readonly cart: Cart;
  readonly report: CartMergeReport;
}

/**
 * Merges a guest cart into the customer's cart. Pure: inputs are not mutated.
 *
 * Rules common to all strategies:
 * - An empty guest cart leaves the customer's cart as it is.
 * - An empty customer cart takes the guest cart (commercetools does this in every mode, and it
 *   keeps a shopper's guest lines even under `keep`).
 * - Order: the customer's lines in their order, then the guest's new lines in theirs.
 * - On a match (same productId+variantId) only the quantity can change; the customer's line keeps
 *   its customData and addedAt, so the guest line's customData is dropped.
 * - The merge never lowers a customer line's quantity and never raises one above the cap.
 * - Line-count limit: the customer's lines are always kept; guest lines that would be new lines
 *   beyond maxLines are left out and listed in `report.dropped`.
 *
 * Retries: `max`, `keep` and `replace` are idempotent, merge(merge(c, g), g) equals merge(c, g),
 * so a retried login is harmless. `sum` is not: merging the same guest cart twice adds its
 * quantities twice. The caller must apply a `sum` merge exactly once, e.g. by emptying or
 * deleting the guest cart in the same atomic step that stores the result.
 */
export function mergeCarts(
  customer: Cart,
  guest: Cart,
  strategy: CartMergeStrategy,
  limits: CartLimits = DEFAULT_CART_LIMITS,
): CartMergeResult {
  if (guest.lines.length === 0) {
    return { cart: { lines: [...customer.lines] }, report: report(strategy, 0) };
  }
  switch (strategy) {
    case 'sum':
    case 'max':
      return combine(customer.lines, guest.lines, strategy, limits);
    case 'keep':
      if (customer.lines.length > 0) {
        return { cart: { lines: [...customer.lines] }, report: report(strategy, guest.lines.length) };
      }
      return adopt(guest, strategy, 0, limits);
    case 'replace':
      return adopt(guest, strategy, customer.lines.length, limits);
  }
}

function adopt(guest: Cart, strategy: CartMergeStrategy, discarded: number, limits: CartLimits): CartMergeResult {
  const result = combine([], guest.lines, strategy, limits);
  return { cart: result.cart, report: { ...result.report, discarded } };
}

function combine(
  customerLines: readonly CartLine[],
  guestLines: readonly CartLine[],
  strategy: CartMergeStrategy,
  limits: CartLimits,
): CartMergeResult {
  const cap = limits.maxQuantityPerLine;
  const lines = [...customerLines];
  const indexByKey = new Map(lines.map((line, i) => [lineKey(line), i]));
  const dropped: CartLineRef[] = [];
  let merged = 0;
  let added = 0;
  let capped = 0;

  for (const guestLine of guestLines) {
    const key = lineKey(guestLine);
    const index = indexByKey.get(key);
    if (index === undefined) {
      if (lines.length >= limits.maxLines) {
        dropped.push({ productId: guestLine.productId, variantId: guestLine.variantId });
        continue;
      }
      if (guestLine.quantity > cap) capped++;
      indexByKey.set(key, lines.length);
      lines.push({ ...guestLine, quantity: Math.min(guestLine.quantity, cap) });
      merged++;
      added++;
      continue;
    }
    const current = lines[index]!;
    const wanted = strategy === 'sum' ? current.quantity + guestLine.quantity : Math.max(current.quantity, guestLine.quantity);
    const quantity = Math.max(current.quantity, Math.min(wanted, cap));
    if (quantity < wanted) capped++;
    if (quantity !== current.quantity) {
      lines[index] = { ...current, quantity };
      merged++;
    }
  }
  return { cart: { lines }, report: { strategy, merged, added, capped, dropped, discarded: 0 } };
}

function report(strategy: CartMergeStrategy, discarded: number): CartMergeReport {
  return { strategy, merged: 0, added: 0, capped: 0, dropped: [], discarded };
}
