import { addLineItem, customLineItemFromDraft, lineItemFromDraft, recalculate, type Cart } from './cart-model.js';
import { apiError, invalidInput } from './errors.js';

// POST /{pk}/carts/{id} and /{pk}/me/carts/{id}: `{ version, actions }` with the actions a
// sign-in test needs. MyCartUpdateAction has no addCustomLineItem.

const SHARED_ACTIONS = new Set(['addLineItem', 'removeLineItem', 'changeLineItemQuantity', 'setShippingMethod']);
const MERCHANT_ONLY_ACTIONS = new Set(['addCustomLineItem']);

export function applyCartUpdate(current: Cart, body: unknown, ctx: { now: string; me: boolean }): Cart {
  const update = (body ?? {}) as { version?: unknown; actions?: unknown };
  if (!Number.isInteger(update.version)) throw invalidInput('version is required.');
  if (update.version !== current.version) {
    throw apiError(
      409,
      'ConcurrentModification',
      `Object ${current.id} has a different version than expected. Expected: ${String(update.version)} - Actual: ${current.version}.`,
      { currentVersion: current.version },
    );
  }
  if (!Array.isArray(update.actions)) throw invalidInput('actions must be a list.');
  if (update.actions.length === 0) return current;

  const cart = structuredClone(current);
  const currency = cart.totalPrice.currencyCode;
  for (const raw of update.actions as Array<Record<string, unknown>>) {
    const action = String(raw?.action);
    if (!SHARED_ACTIONS.has(action) && (ctx.me || !MERCHANT_ONLY_ACTIONS.has(action))) {
      throw invalidInput(`Unsupported update action: ${action}`);
    }
    if (action === 'addLineItem') addLineItem(cart, lineItemFromDraft(raw, currency, ctx.now));
    else if (action === 'addCustomLineItem') cart.customLineItems.push(customLineItemFromDraft(raw, currency));
    else if (action === 'setShippingMethod') {
      const ref = raw.shippingMethod as { id?: unknown } | undefined;
      if (ref && typeof ref.id === 'string') {
        cart.shippingInfo = { shippingMethodName: ref.id, shippingMethod: { typeId: 'shipping-method', id: ref.id } };
      } else {
        delete cart.shippingInfo;
      }
    } else {
      const line = cart.lineItems.find((l) => l.id === raw.lineItemId);
      if (!line) throw invalidInput(`A line item with ID '${String(raw.lineItemId)}' not found.`);
      const quantity =
        action === 'changeLineItemQuantity'
          ? (raw.quantity as number)
          : raw.quantity === undefined
            ? 0
            : line.quantity - (raw.quantity as number);
      if (!Number.isInteger(quantity)) throw invalidInput('quantity must be an integer.');
      if (quantity <= 0) cart.lineItems = cart.lineItems.filter((l) => l !== line);
      else {
        line.quantity = quantity;
        line.lastModifiedAt = ctx.now;
      }
    }
  }
  recalculate(cart);
  cart.version += 1;
  cart.lastModifiedAt = ctx.now;
  return cart;
}
