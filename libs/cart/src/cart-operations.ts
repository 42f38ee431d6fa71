import type { Cart, CartLine, CartLineRef } from './cart-line.js';
import {
  checkAddLine,
  checkSetQuantity,
  DEFAULT_CART_LIMITS,
  type AddLineInput,
  type CartLimits,
  type SetQuantityInput,
} from './cart-limits.js';
import { sameLine } from './line-key.js';
import type { OperationResult } from './violation.js';

/**
 * Adds `input.quantity` of a variant. An existing line for the same productId+variantId gets the
 * quantities summed and keeps its place and `addedAt`; a given `customData` replaces the line's,
 * an absent one keeps it. A new line is appended with `addedAt = now`. On any violation (including
 * a sum over the cap, which is LIMIT_EXCEEDED rather than clamped) the cart is left as it was.
 */
export function addItem(cart: Cart, input: AddLineInput, now: number, limits: CartLimits = DEFAULT_CART_LIMITS): OperationResult<Cart> {
  const violations = checkAddLine(cart, input, limits);
  if (violations.length > 0) return { ok: false, violations };

  const index = cart.lines.findIndex((line) => sameLine(line, input));
  if (index === -1) {
    return { ok: true, value: { lines: [...cart.lines, newLine(input, now)] } };
  }
  const existing = cart.lines[index]!;
  const updated: CartLine = {
    ...existing,
    quantity: existing.quantity + input.quantity,
    ...(input.customData === undefined ? {} : { customData: input.customData }),
  };
  return { ok: true, value: { lines: cart.lines.with(index, updated) } };
}

/** Sets a line's quantity, keeping its place; 0 removes it. */
export function setQuantity(cart: Cart, input: SetQuantityInput, limits: CartLimits = DEFAULT_CART_LIMITS): OperationResult<Cart> {
  const violations = checkSetQuantity(cart, input, limits);
  if (violations.length > 0) return { ok: false, violations };
  if (input.quantity === 0) return { ok: true, value: removeItem(cart, input) };
  return {
    ok: true,
    value: { lines: cart.lines.map((line) => (sameLine(line, input) ? { ...line, quantity: input.quantity } : line)) },
  };
}

/** Removes the line for a productId+variantId; a missing line is not an error. */
export function removeItem(cart: Cart, ref: CartLineRef): Cart {
  return { lines: cart.lines.filter((line) => !sameLine(line, ref)) };
}

export function clearCart(): Cart {
  return { lines: [] };
}

function newLine(input: AddLineInput, now: number): CartLine {
  const { productId, variantId, quantity, customData } = input;
  return customData === undefined
    ? { productId, variantId, quantity, addedAt: now }
    : { productId, variantId, quantity, customData, addedAt: now };
}
