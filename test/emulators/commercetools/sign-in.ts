import { randomUUID } from 'node:crypto';
import type { Cart } from './cart-model.js';
import { mergeAnonymousCart, SIGN_IN_MODES, type SignInMode } from './cart-merge.js';
import type { ResolvedCommercetoolsOptions } from './commercetools-options.js';
import type { CommercetoolsState, CtCustomer } from './commercetools-state.js';
import { apiError, invalidOperation } from './errors.js';

// Shared by POST /{pk}/login, /{pk}/me/login and /{pk}/carts/customer-id={id}/merge (B2, C3).

export const invalidJson = (detail: string) =>
  apiError(400, 'InvalidJsonInput', 'Request body does not contain valid JSON.', { detailedErrorMessage: detail });

export function signInMode(value: unknown, field: string): SignInMode {
  if (value === undefined || value === null) return 'MergeWithExistingCustomerCart';
  if (!SIGN_IN_MODES.includes(value as SignInMode)) invalidJsonThrow(`${field}: Invalid enum value ${JSON.stringify(value)}`);
  return value as SignInMode;
}

function invalidJsonThrow(detail: string): never {
  throw invalidJson(detail);
}

/** Resolves `{ typeId: "cart", id }` or `{ typeId: "cart", key }`. */
export function resolveCartReference(state: CommercetoolsState, ref: unknown): Cart {
  const r = (ref ?? {}) as { id?: unknown; key?: unknown };
  const cart =
    typeof r.id === 'string'
      ? state.carts.get(r.id)
      : typeof r.key === 'string'
        ? [...state.carts.values()].find((c) => c.key === r.key)
        : undefined;
  if (!cart) {
    const shown = typeof r.id === 'string' ? r.id : String(r.key);
    throw apiError(
      400,
      'ReferencedResourceNotFound',
      `The referenced object of type 'cart' '${shown}' was not found. It either doesn't exist, or it can't be accessed from this endpoint.`,
      { typeId: 'cart', ...(typeof r.id === 'string' ? { id: r.id } : { key: r.key }) },
    );
  }
  return cart;
}

export interface SignInInput {
  customer: CtCustomer;
  anonymousCart?: Cart;
  anonymousId?: string;
  mode: SignInMode;
}

/** Applies the sign-in cart rules and returns the customer's active cart afterwards. */
export function applySignIn(state: CommercetoolsState, options: ResolvedCommercetoolsOptions, input: SignInInput): Cart | undefined {
  const { customer, anonymousCart, anonymousId } = input;
  if (anonymousCart && anonymousId !== undefined && anonymousCart.anonymousId !== anonymousId) {
    throw invalidOperation('The anonymousId does not match the anonymousId of the anonymous cart.');
  }
  if (anonymousCart?.customerId && anonymousCart.customerId !== customer.id) {
    throw invalidOperation(`Cart '${anonymousCart.id}' belongs to another customer.`);
  }

  // A cart the customer already owns, or one that is no longer Active (e.g. a retried
  // sign-in after it was merged), is left as it is.
  let keepAnonymous = false;
  if (anonymousCart && !anonymousCart.customerId && anonymousCart.cartState === 'Active') {
    const result = mergeAnonymousCart({
      anonymous: anonymousCart,
      target: state.activeCartOfCustomer(customer.id, anonymousCart.id),
      customerId: customer.id,
      mode: input.mode,
      now: state.nowIso(),
      anonymousShippingEligible: state.shippingEligibleForMerge(anonymousCart),
      copyCustomLineItems: options.copyCustomLineItemsOnMerge,
      copyUnmatchedLineItemCustomFields: options.copyUnmatchedLineItemCustomFields,
      newId: randomUUID,
    });
    keepAnonymous = result.outcome === 'notMerged';
    if (result.outcome === 'merged') {
      state.saveCart(result.anonymous);
      state.saveCart(result.target!); // saved last: the most recently modified active cart
    } else if (!keepAnonymous) {
      state.saveCart(result.anonymous);
    }
  }

  // With an anonymousId, every cart of that session now belongs to the customer. These
  // reassignments do not count as modifications for the active-cart lookup ([U]).
  if (anonymousId !== undefined) {
    for (const cart of state.carts.values()) {
      if (cart.anonymousId !== anonymousId || cart.customerId) continue;
      if (keepAnonymous && cart.id === anonymousCart?.id) continue;
      state.saveCart({ ...cart, customerId: customer.id }, false);
    }
  }
  return state.activeCartOfCustomer(customer.id);
}
