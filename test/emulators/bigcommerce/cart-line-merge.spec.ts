import type { BcLineItem } from './bigcommerce-state.js';
import { mergeLineItems, type BigCommerceLineMergePolicy } from './cart-line-merge.js';

const line = (entityId: string, productEntityId: number, variantEntityId: number | null, quantity: number): BcLineItem => ({
  entityId,
  productEntityId,
  variantEntityId,
  quantity,
  name: `P${productEntityId}`,
});

describe('BigCommerce guest-cart line merge policy (configurable, [U] in commerce-apis.md A4)', () => {
  const customer = [line('c1', 1, 10, 2), line('c2', 2, null, 1)];
  const guest = [line('g1', 1, 10, 3), line('g2', 1, 11, 1), line('g3', 3, null, 4)];
  let n = 0;
  const newId = () => `new-${++n}`;

  type Summary = [productEntityId: number, variantEntityId: number | null, quantity: number][];
  const summary = (lines: BcLineItem[]): Summary => lines.map((l) => [l.productEntityId, l.variantEntityId, l.quantity]);

  it.each<{ policy: BigCommerceLineMergePolicy; rule: string; expected: Summary }>([
    {
      policy: 'sum',
      rule: 'adds quantities of the same product+variant and appends the rest',
      expected: [
        [1, 10, 5],
        [2, null, 1],
        [1, 11, 1],
        [3, null, 4],
      ],
    },
    {
      policy: 'max',
      rule: 'keeps the larger quantity',
      expected: [
        [1, 10, 3],
        [2, null, 1],
        [1, 11, 1],
        [3, null, 4],
      ],
    },
    {
      policy: 'append',
      rule: 'copies every guest line as its own line',
      expected: [
        [1, 10, 2],
        [2, null, 1],
        [1, 10, 3],
        [1, 11, 1],
        [3, null, 4],
      ],
    },
  ])('$policy $rule', ({ policy, expected }) => {
    expect(summary(mergeLineItems(customer, guest, policy, newId))).toEqual(expected);
  });

  it('max keeps the customer quantity when it is the larger one', () => {
    expect(summary(mergeLineItems([line('c', 1, 10, 9)], [line('g', 1, 10, 3)], 'max', newId))).toEqual([[1, 10, 9]]);
  });

  it('gives copied lines new ids and leaves the inputs untouched', () => {
    const result = mergeLineItems(customer, guest, 'sum', newId);
    expect(result.slice(2).every((l) => l.entityId.startsWith('new-'))).toBe(true);
    expect(customer[0]!.quantity).toBe(2);
    expect(guest[0]!.quantity).toBe(3);
  });
});
