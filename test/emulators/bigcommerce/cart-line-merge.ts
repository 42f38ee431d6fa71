import type { BcLineItem } from './bigcommerce-state.js';

/**
 * How guest-cart lines combine with the customer's cart at login. BigCommerce documents
 * no rule, so this is a knob (commerce-apis.md A4 and C1.7, marked [U]):
 * - `sum`: same product+variant lines add their quantities;
 * - `max`: same product+variant lines keep the larger quantity;
 * - `append`: every guest line is copied as a separate line.
 */
export type BigCommerceLineMergePolicy = 'sum' | 'max' | 'append';

export const sameProductVariant = (a: BcLineItem, b: BcLineItem) =>
  a.productEntityId === b.productEntityId && a.variantEntityId === b.variantEntityId;

/** Returns the customer's lines after the guest lines were folded in; inputs are not mutated. */
export function mergeLineItems(
  customerLines: readonly BcLineItem[],
  guestLines: readonly BcLineItem[],
  policy: BigCommerceLineMergePolicy,
  newLineId: () => string,
): BcLineItem[] {
  const result = customerLines.map((line) => ({ ...line }));
  for (const guest of guestLines) {
    const match = policy === 'append' ? undefined : result.find((line) => sameProductVariant(line, guest));
    if (!match) {
      result.push({ ...guest, entityId: newLineId() });
    } else if (policy === 'sum') {
      match.quantity += guest.quantity;
    } else {
      match.quantity = Math.max(match.quantity, guest.quantity);
    }
  }
  return result;
}
