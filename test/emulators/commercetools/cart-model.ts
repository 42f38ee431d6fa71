import { randomUUID } from 'node:crypto';
import { invalidInput } from './errors.js';

// The subset of the commercetools Cart representation the emulator keeps.

export interface Money {
  type: 'centPrecision';
  currencyCode: string;
  centAmount: number;
  fractionDigits: number;
}

export interface CustomFields {
  type: { typeId: 'type'; id?: string; key?: string };
  fields: Record<string, unknown>;
}

export interface LineItem {
  id: string;
  productId: string;
  name: Record<string, string>;
  variant: { id: number; sku?: string };
  price: { id: string; value: Money };
  quantity: number;
  totalPrice: Money;
  priceMode: 'Platform' | 'ExternalPrice';
  lineItemMode: 'Standard';
  addedAt: string;
  lastModifiedAt: string;
  custom?: CustomFields;
}

export interface CustomLineItem {
  id: string;
  name: Record<string, string>;
  money: Money;
  slug: string;
  quantity: number;
  totalPrice: Money;
  custom?: CustomFields;
}

export type CartState = 'Active' | 'Merged' | 'Ordered' | 'Frozen';
export type CartOrigin = 'Customer' | 'Merchant' | 'Quote';

export interface Cart {
  id: string;
  key?: string;
  version: number;
  createdAt: string;
  lastModifiedAt: string;
  customerId?: string;
  customerEmail?: string;
  anonymousId?: string;
  store?: { typeId: 'store'; key: string };
  cartState: CartState;
  origin: CartOrigin;
  lineItems: LineItem[];
  customLineItems: CustomLineItem[];
  totalPrice: Money;
  taxMode: 'Platform';
  inventoryMode: 'None';
  shippingMode: 'Single';
  shippingInfo?: { shippingMethodName: string; shippingMethod: { typeId: 'shipping-method'; id: string } };
  discountCodes: unknown[];
  custom?: CustomFields;
}

export const money = (currencyCode: string, centAmount: number): Money => ({
  type: 'centPrecision',
  currencyCode,
  centAmount,
  fractionDigits: 2,
});

type Draft = Record<string, unknown>;

function asRecord(value: unknown, what: string): Draft {
  if (!value || typeof value !== 'object' || Array.isArray(value)) throw invalidInput(`${what} must be an object.`);
  return value as Draft;
}

function moneyFromDraft(value: unknown, currency: string, what: string): Money {
  const draft = asRecord(value, what);
  if (!Number.isInteger(draft.centAmount)) throw invalidInput(`${what}.centAmount must be an integer.`);
  const currencyCode = typeof draft.currencyCode === 'string' ? draft.currencyCode : currency;
  if (currencyCode !== currency) throw invalidInput(`${what}.currencyCode must match the cart currency ${currency}.`);
  return money(currencyCode, draft.centAmount as number);
}

function customFromDraft(value: unknown): CustomFields | undefined {
  if (value === undefined) return undefined;
  const draft = asRecord(value, 'custom');
  const type = asRecord(draft.type, 'custom.type');
  return {
    type: {
      typeId: 'type',
      ...(typeof type.id === 'string' ? { id: type.id } : {}),
      ...(typeof type.key === 'string' ? { key: type.key } : {}),
    },
    fields: (draft.fields as Record<string, unknown> | undefined) ?? {},
  };
}

function quantityFromDraft(value: unknown): number {
  const quantity = value ?? 1;
  if (!Number.isInteger(quantity) || (quantity as number) < 1) throw invalidInput('quantity must be a positive integer.');
  return quantity as number;
}

/**
 * LineItemDraft. Without a product catalogue the emulator needs `productId` (SKU-only
 * drafts cannot be resolved); `variantId` defaults to 1 (the master variant). `externalPrice`
 * sets the unit price, otherwise the price is 0.
 */
export function lineItemFromDraft(value: unknown, currency: string, now: string): LineItem {
  const draft = asRecord(value, 'lineItem');
  if (typeof draft.productId !== 'string') throw invalidInput('The emulator needs a productId on every line item draft.');
  const variantId = draft.variantId ?? 1;
  if (!Number.isInteger(variantId)) throw invalidInput('variantId must be an integer.');
  const external = draft.externalPrice !== undefined;
  const unit = external ? moneyFromDraft(draft.externalPrice, currency, 'externalPrice') : money(currency, 0);
  const quantity = quantityFromDraft(draft.quantity);
  const custom = customFromDraft(draft.custom);
  return {
    id: randomUUID(),
    productId: draft.productId,
    name: { en: `Product ${draft.productId}` },
    variant: { id: variantId as number, ...(typeof draft.sku === 'string' ? { sku: draft.sku } : {}) },
    price: { id: randomUUID(), value: unit },
    quantity,
    totalPrice: money(currency, unit.centAmount * quantity),
    priceMode: external ? 'ExternalPrice' : 'Platform',
    lineItemMode: 'Standard',
    addedAt: now,
    lastModifiedAt: now,
    ...(custom ? { custom } : {}),
  };
}

export function customLineItemFromDraft(value: unknown, currency: string): CustomLineItem {
  const draft = asRecord(value, 'customLineItem');
  if (typeof draft.slug !== 'string') throw invalidInput('customLineItem.slug is required.');
  const name = asRecord(draft.name, 'customLineItem.name') as Record<string, string>;
  const unit = moneyFromDraft(draft.money, currency, 'customLineItem.money');
  const quantity = quantityFromDraft(draft.quantity);
  const custom = customFromDraft(draft.custom);
  return {
    id: randomUUID(),
    name,
    money: unit,
    slug: draft.slug,
    quantity,
    totalPrice: money(currency, unit.centAmount * quantity),
    ...(custom ? { custom } : {}),
  };
}

export interface CartDraftContext {
  now: string;
  customerId?: string;
  anonymousId?: string;
}

/** CartDraft / MyCartDraft. `customerId`/`anonymousId` from the context win over the draft (me endpoints). */
export function cartFromDraft(value: unknown, ctx: CartDraftContext): Cart {
  const draft = asRecord(value ?? {}, 'cart draft');
  if (typeof draft.currency !== 'string') throw invalidInput('currency is required.');
  const currency = draft.currency;
  const origin = (draft.origin as CartOrigin | undefined) ?? 'Customer';
  if (!['Customer', 'Merchant', 'Quote'].includes(origin)) throw invalidInput(`Invalid origin ${String(origin)}.`);
  const customerId = ctx.customerId ?? (typeof draft.customerId === 'string' ? draft.customerId : undefined);
  const anonymousId = ctx.anonymousId ?? (typeof draft.anonymousId === 'string' ? draft.anonymousId : undefined);
  const storeKey = asOptionalStoreKey(draft.store);
  const shippingMethod = draft.shippingMethod ? asRecord(draft.shippingMethod, 'shippingMethod') : undefined;
  const custom = customFromDraft(draft.custom);
  const cart: Cart = {
    id: randomUUID(),
    ...(typeof draft.key === 'string' ? { key: draft.key } : {}),
    version: 1,
    createdAt: ctx.now,
    lastModifiedAt: ctx.now,
    ...(customerId ? { customerId } : {}),
    ...(anonymousId ? { anonymousId } : {}),
    ...(storeKey ? { store: { typeId: 'store', key: storeKey } } : {}),
    cartState: 'Active',
    origin,
    lineItems: [],
    customLineItems: [],
    totalPrice: money(currency, 0),
    taxMode: 'Platform',
    inventoryMode: 'None',
    shippingMode: 'Single',
    discountCodes: [],
    ...(shippingMethod && typeof shippingMethod.id === 'string'
      ? { shippingInfo: { shippingMethodName: shippingMethod.id, shippingMethod: { typeId: 'shipping-method', id: shippingMethod.id } } }
      : {}),
    ...(custom ? { custom } : {}),
  };
  for (const line of (draft.lineItems as unknown[] | undefined) ?? []) addLineItem(cart, lineItemFromDraft(line, currency, ctx.now));
  for (const line of (draft.customLineItems as unknown[] | undefined) ?? []) {
    cart.customLineItems.push(customLineItemFromDraft(line, currency));
  }
  recalculate(cart);
  return cart;
}

function asOptionalStoreKey(value: unknown): string | undefined {
  if (value === undefined) return undefined;
  const ref = asRecord(value, 'store');
  if (typeof ref.key !== 'string') throw invalidInput('store must be a StoreResourceIdentifier with a key.');
  return ref.key;
}

const sameCustom = (a?: CustomFields, b?: CustomFields) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

/** addLineItem: an identical line (product, variant, custom fields) gets its quantity raised. */
export function addLineItem(cart: Cart, line: LineItem): void {
  const existing = cart.lineItems.find(
    (l) => l.productId === line.productId && l.variant.id === line.variant.id && sameCustom(l.custom, line.custom),
  );
  if (existing) {
    existing.quantity += line.quantity;
    existing.lastModifiedAt = line.lastModifiedAt;
  } else {
    cart.lineItems.push(line);
  }
}

export function recalculate(cart: Cart): void {
  const currency = cart.totalPrice.currencyCode;
  let total = 0;
  for (const line of cart.lineItems) {
    line.totalPrice = money(currency, line.price.value.centAmount * line.quantity);
    total += line.totalPrice.centAmount;
  }
  for (const line of cart.customLineItems) {
    line.totalPrice = money(currency, line.money.centAmount * line.quantity);
    total += line.totalPrice.centAmount;
  }
  cart.totalPrice = money(currency, total);
}
