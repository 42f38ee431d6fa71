import type { Cart, LineItem } from './cart-model.js';
import { recalculate } from './cart-model.js';

// Anonymous-cart sign-in rules, commerce-apis.md B2 (SDL enum text) and the C3 oracle.
// Pure: takes snapshots, returns new cart objects.

export type SignInMode = 'MergeWithExistingCustomerCart' | 'UseAsNewActiveCustomerCart';
export const SIGN_IN_MODES: readonly SignInMode[] = ['MergeWithExistingCustomerCart', 'UseAsNewActiveCustomerCart'];

export interface MergeInput {
  anonymous: Cart;
  /** The customer's most recently modified Active cart (origin Customer), not the anonymous one. */
  target: Cart | undefined;
  customerId: string;
  mode: SignInMode;
  now: string;
  /** False when the anonymous cart's shipping method is inactive or scoped to another store. */
  anonymousShippingEligible: boolean;
  copyCustomLineItems: boolean;
  copyUnmatchedLineItemCustomFields: boolean;
  newId: () => string;
}

export type MergeOutcome =
  /** No active customer cart: the anonymous cart becomes it (both modes). */
  | 'assigned'
  /** UseAsNewActiveCustomerCart: the anonymous cart replaces the active cart, nothing is copied. */
  | 'usedAsNew'
  /** MergeWithExistingCustomerCart: anonymous lines folded into the target, anonymous cart Merged. */
  | 'merged'
  /** The anonymous cart is not merged (shipping method rule). */
  | 'notMerged';

export interface MergeResult {
  outcome: MergeOutcome;
  anonymous: Cart;
  target: Cart | undefined;
  /** The cart that is now the customer's active cart. */
  active: Cart | undefined;
}

const bump = (cart: Cart, now: string) => {
  cart.version += 1;
  cart.lastModifiedAt = now;
};

export function mergeAnonymousCart(input: MergeInput): MergeResult {
  const anonymous = structuredClone(input.anonymous);
  const target = input.target && structuredClone(input.target);

  if (!target || input.mode === 'UseAsNewActiveCustomerCart') {
    anonymous.customerId = input.customerId;
    bump(anonymous, input.now);
    return { outcome: target ? 'usedAsNew' : 'assigned', anonymous, target, active: anonymous };
  }
  if (!input.anonymousShippingEligible) return { outcome: 'notMerged', anonymous, target, active: target };

  for (const line of anonymous.lineItems) {
    const match = target.lineItems.find((t) => t.productId === line.productId && t.variant.id === line.variant.id);
    if (match) {
      // Maximum of both quantities, not the sum; the anonymous line's custom fields are dropped.
      match.quantity = Math.max(match.quantity, line.quantity);
      match.lastModifiedAt = input.now;
    } else {
      target.lineItems.push(copyLine(line, input));
    }
  }
  // CustomLineItems and cart-level CustomFields are not copied (SDL text); the flag models the 2017 note.
  if (input.copyCustomLineItems) {
    for (const line of anonymous.customLineItems) target.customLineItems.push({ ...structuredClone(line), id: input.newId() });
  }
  recalculate(target);
  bump(target, input.now);
  anonymous.cartState = 'Merged';
  bump(anonymous, input.now);
  return { outcome: 'merged', anonymous, target, active: target };
}

function copyLine(line: LineItem, input: MergeInput): LineItem {
  const copy: LineItem = { ...structuredClone(line), id: input.newId(), addedAt: input.now, lastModifiedAt: input.now };
  if (!input.copyUnmatchedLineItemCustomFields) delete copy.custom;
  return copy;
}
