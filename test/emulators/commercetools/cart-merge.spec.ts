import { mergeAnonymousCart, type MergeInput } from './cart-merge.js';
import { cartFromDraft, type Cart } from './cart-model.js';
import { lines } from './ct-test-client.js';

const T0 = '2026-01-01T00:00:00.000Z';
const T1 = '2026-01-02T00:00:00.000Z';
const typeRef = { typeId: 'type', key: 'line-extras' };

function cart(draft: Record<string, unknown>): Cart {
  return cartFromDraft({ currency: 'EUR', ...draft }, { now: T0 });
}

describe('commercetools cart merge rules (commerce-apis.md B2, C3 oracle)', () => {
  let n = 0;
  const base = (over: Partial<MergeInput>): MergeInput => ({
    anonymous: cart({ anonymousId: 'anon-1' }),
    target: undefined,
    customerId: 'cust-1',
    mode: 'MergeWithExistingCustomerCart',
    now: T1,
    anonymousShippingEligible: true,
    copyCustomLineItems: false,
    copyUnmatchedLineItemCustomFields: true,
    newId: () => `new-${++n}`,
    ...over,
  });

  const anonymous = cart({
    anonymousId: 'anon-1',
    lineItems: [
      { productId: 'p1', variantId: 1, quantity: 5, custom: { type: typeRef, fields: { note: 'from-anon' } } },
      { productId: 'p1', variantId: 2, quantity: 1 },
      { productId: 'p2', variantId: 1, quantity: 1, externalPrice: { currencyCode: 'EUR', centAmount: 250 } },
      { productId: 'p3', variantId: 1, quantity: 2, custom: { type: typeRef, fields: { note: 'keep?' } } },
    ],
    customLineItems: [{ name: { en: 'Gift wrap' }, slug: 'gift-wrap', quantity: 1, money: { currencyCode: 'EUR', centAmount: 300 } }],
    custom: { type: { typeId: 'type', key: 'cart-extras' }, fields: { channel: 'web' } },
  });
  const customerCart = cart({
    customerId: 'cust-1',
    lineItems: [
      { productId: 'p1', variantId: 1, quantity: 2, custom: { type: typeRef, fields: { note: 'from-customer' } } },
      { productId: 'p2', variantId: 1, quantity: 7, externalPrice: { currencyCode: 'EUR', centAmount: 250 } },
    ],
  });

  it('MergeWithExistingCustomerCart: match on product+variant, max quantity, unmatched lines copied', () => {
    const result = mergeAnonymousCart(base({ anonymous, target: customerCart }));
    expect(result.outcome).toBe('merged');
    expect(result.active).toBe(result.target);
    expect(lines(result.target!)).toEqual(['p1/1x5', 'p2/1x7', 'p1/2x1', 'p3/1x2']);
  });

  it("drops the anonymous line's custom fields on a match and keeps the customer's", () => {
    const result = mergeAnonymousCart(base({ anonymous, target: customerCart }));
    expect(result.target!.lineItems[0]!.custom?.fields).toEqual({ note: 'from-customer' });
  });

  it('does not copy CustomLineItems or cart-level custom fields', () => {
    const result = mergeAnonymousCart(base({ anonymous, target: customerCart }));
    expect(result.target!.customLineItems).toEqual([]);
    expect(result.target!.custom).toBeUndefined();
    expect(result.target!.totalPrice.centAmount).toBe(7 * 250);
  });

  it('sets the anonymous cart to Merged, keeps the target Active, bumps both versions', () => {
    const result = mergeAnonymousCart(base({ anonymous, target: customerCart }));
    expect(result.anonymous.cartState).toBe('Merged');
    expect(result.target!.cartState).toBe('Active');
    expect([result.anonymous.version, result.target!.version]).toEqual([2, 2]);
    expect(result.target!.lastModifiedAt).toBe(T1);
  });

  it('leaves its inputs untouched', () => {
    const before = structuredClone([anonymous, customerCart]);
    mergeAnonymousCart(base({ anonymous, target: customerCart }));
    expect([anonymous, customerCart]).toEqual(before);
  });

  it('gives copied lines new ids; custom fields of unmatched lines follow the flag', () => {
    const kept = mergeAnonymousCart(base({ anonymous, target: customerCart }));
    const copied = kept.target!.lineItems.find((l) => l.productId === 'p3')!;
    expect(copied.id).toMatch(/^new-/);
    expect(copied.custom?.fields).toEqual({ note: 'keep?' });
    const dropped = mergeAnonymousCart(base({ anonymous, target: customerCart, copyUnmatchedLineItemCustomFields: false }));
    expect(dropped.target!.lineItems.find((l) => l.productId === 'p3')!.custom).toBeUndefined();
  });

  it('copies CustomLineItems when the 2017 behaviour is switched on', () => {
    const result = mergeAnonymousCart(base({ anonymous, target: customerCart, copyCustomLineItems: true }));
    expect(result.target!.customLineItems.map((c) => c.slug)).toEqual(['gift-wrap']);
    expect(result.target!.totalPrice.centAmount).toBe(7 * 250 + 300);
  });

  it('no active customer cart: the anonymous cart becomes it, in both modes', () => {
    for (const mode of ['MergeWithExistingCustomerCart', 'UseAsNewActiveCustomerCart'] as const) {
      const result = mergeAnonymousCart(base({ anonymous, mode }));
      expect(result.outcome).toBe('assigned');
      expect(result.active).toBe(result.anonymous);
      expect(result.anonymous).toMatchObject({ customerId: 'cust-1', cartState: 'Active' });
      expect(lines(result.anonymous)).toEqual(lines(anonymous));
      expect(result.anonymous.customLineItems).toHaveLength(1);
    }
  });

  it('UseAsNewActiveCustomerCart: the anonymous cart replaces the active one, nothing is merged', () => {
    const result = mergeAnonymousCart(base({ anonymous, target: customerCart, mode: 'UseAsNewActiveCustomerCart' }));
    expect(result.outcome).toBe('usedAsNew');
    expect(result.active).toBe(result.anonymous);
    expect(lines(result.anonymous)).toEqual(lines(anonymous));
    expect(result.target).toEqual(customerCart);
  });

  it('does not merge when the shipping method rule excludes the anonymous cart', () => {
    const result = mergeAnonymousCart(base({ anonymous, target: customerCart, anonymousShippingEligible: false }));
    expect(result.outcome).toBe('notMerged');
    expect(result.active).toBe(result.target);
    expect(result.target).toEqual(customerCart);
    expect(result.anonymous).toEqual(anonymous);
  });
});
