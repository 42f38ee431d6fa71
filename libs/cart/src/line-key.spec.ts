import fc from 'fast-check';
import { lineKey, sameLine, toLineRef } from './line-key.js';

const refArb = fc.record(
  { productId: fc.string({ maxLength: 6 }), variantId: fc.string({ maxLength: 6 }) },
  { requiredKeys: ['productId'] },
);

describe('lineKey', () => {
  it('gives equal keys exactly for the same (productId, variantId)', () => {
    fc.assert(
      fc.property(refArb, refArb, (a, b) => {
        expect(lineKey(a) === lineKey(b)).toBe(sameLine(a, b));
      }),
    );
  });

  it('does not collide when ids contain separators or quotes', () => {
    expect(lineKey({ productId: 'a","b', variantId: 'c' })).not.toBe(lineKey({ productId: 'a', variantId: 'b","c' }));
    expect(lineKey({ productId: 'a:b', variantId: 'c' })).not.toBe(lineKey({ productId: 'a', variantId: 'b:c' }));
  });

  it('tells a product-level item from one with a variant', () => {
    expect(lineKey({ productId: 'p' })).not.toBe(lineKey({ productId: 'p', variantId: '' }));
    expect(lineKey({ productId: 'p' })).toBe(lineKey({ productId: 'p', variantId: undefined }));
  });

  it('toLineRef keeps only the ids', () => {
    expect(toLineRef({ productId: 'p', variantId: 'v', addedAt: 1 } as never)).toStrictEqual({ productId: 'p', variantId: 'v' });
    expect(toLineRef({ productId: 'p', variantId: undefined })).toStrictEqual({ productId: 'p' });
  });
});
