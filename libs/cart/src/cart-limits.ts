import type { Cart, CartLine } from './cart-line.js';
import { checkId } from './id-rules.js';
import { sameLine } from './line-key.js';
import { limitExceeded, validationFailed, type Violation } from './violation.js';

/** Per-shop cart limits. */
export interface CartLimits {
  readonly maxQuantityPerLine: number;
  readonly maxLines: number;
  readonly maxIdLength: number;
  /** Size of `customData` as UTF-8 JSON. */
  readonly maxCustomDataBytes: number;
}

export const DEFAULT_CART_LIMITS: CartLimits = Object.freeze({
  maxQuantityPerLine: 99,
  maxLines: 100,
  maxIdLength: 128,
  maxCustomDataBytes: 2048,
});

export interface AddLineInput {
  readonly productId: string;
  readonly variantId: string;
  readonly quantity: number;
  readonly customData?: CartLine['customData'];
}

export interface SetQuantityInput {
  readonly productId: string;
  readonly variantId: string;
  /** 0 removes the line. */
  readonly quantity: number;
}

/**
 * Everything that stops `addItem` from applying. Adding to an existing line sums the
 * quantities; a sum over the cap is LIMIT_EXCEEDED (it is not clamped).
 */
export function checkAddLine(cart: Cart, input: AddLineInput, limits: CartLimits = DEFAULT_CART_LIMITS): Violation[] {
  const invalid = [
    ...checkLineIds(input, limits),
    ...checkQuantity(input.quantity, 1, limits),
    ...checkCustomData(input.customData, limits),
  ];
  if (invalid.length > 0) return invalid;

  const existing = cart.lines.find((line) => sameLine(line, input));
  if (existing) {
    const total = existing.quantity + input.quantity;
    return total > limits.maxQuantityPerLine
      ? [limitExceeded('quantity', `the line would hold ${total}; at most ${limits.maxQuantityPerLine} are allowed`)]
      : [];
  }
  return cart.lines.length >= limits.maxLines
    ? [limitExceeded('lines', `the cart already holds the maximum of ${limits.maxLines} lines`)]
    : [];
}

/** Everything that stops `setQuantity` from applying. Setting 0 on a line that is not there is allowed (a no-op). */
export function checkSetQuantity(cart: Cart, input: SetQuantityInput, limits: CartLimits = DEFAULT_CART_LIMITS): Violation[] {
  const invalid = [...checkLineIds(input, limits), ...checkQuantity(input.quantity, 0, limits)];
  if (invalid.length > 0) return invalid;
  if (input.quantity > 0 && !cart.lines.some((line) => sameLine(line, input))) {
    return [validationFailed('productId', 'the cart has no line for this productId and variantId')];
  }
  return [];
}

function checkLineIds(input: { productId: unknown; variantId: unknown }, limits: CartLimits): Violation[] {
  return [...checkId('productId', input.productId, limits.maxIdLength), ...checkId('variantId', input.variantId, limits.maxIdLength)];
}

function checkQuantity(quantity: unknown, min: number, limits: CartLimits): Violation[] {
  if (typeof quantity !== 'number' || !Number.isSafeInteger(quantity) || quantity < min) {
    return [validationFailed('quantity', `quantity must be an integer of at least ${min}`)];
  }
  if (quantity > limits.maxQuantityPerLine) {
    return [limitExceeded('quantity', `at most ${limits.maxQuantityPerLine} are allowed per line`)];
  }
  return [];
}

function checkCustomData(customData: unknown, limits: CartLimits): Violation[] {
  if (customData === undefined) return [];
  if (typeof customData !== 'object' || customData === null || Array.isArray(customData)) {
    return [validationFailed('customData', 'customData must be a JSON object')];
  }
  let json: string;
  try {
    json = JSON.stringify(customData);
  } catch {
    return [validationFailed('customData', 'customData is not serialisable as JSON')];
  }
  const bytes = new TextEncoder().encode(json).length;
  const max = limits.maxCustomDataBytes;
  return bytes > max ? [validationFailed('customData', `customData is ${bytes} bytes as JSON; the limit is ${max}`)] : [];
}
