import { addItem, type Cart } from '#libs/cart';
import { ErrorCodes } from '#libs/contracts';
import { memoryCore, type MemoryCore } from './support/memory-core.js';

const EMPTY: Cart = { lines: [] };
const TTL = 60_000;
const isEmpty = (c: Cart) => c.lines.length === 0;

describe('BasketService on the memory store (manual clock)', () => {
  let core: MemoryCore;
  beforeEach(() => (core = memoryCore()));
  afterEach(() => core.close());

  const owner = { shopId: 'shop', guestHandle: 'g1' };
  const add = (quantity: number) => (c: Cart) => addItem(c, { productId: 'p', variantId: 'v', quantity }, core.clock.now);

  it('an empty basket is never stored, and beforeWrite runs only before a real write', async () => {
    let stored = 0;
    const beforeWrite = async () => stored++;
    await core.baskets.update(owner, 'cart', EMPTY, (c) => ({ ok: true, value: c }), TTL, isEmpty, beforeWrite);
    expect(stored).toBe(0);
    expect(await core.basketRepo.read(owner, 'cart')).toBeNull();

    await core.baskets.update(owner, 'cart', EMPTY, add(1), TTL, isEmpty, beforeWrite);
    expect(stored).toBe(1);
    expect((await core.baskets.read(owner, 'cart', EMPTY)).version).toBe(1);

    // Emptied: deleted, not written as an empty document.
    await core.baskets.update(owner, 'cart', EMPTY, () => ({ ok: true, value: EMPTY }), TTL, isEmpty, beforeWrite);
    expect(await core.basketRepo.read(owner, 'cart')).toBeNull();
  });

  it('a refused change writes nothing and reports its violations', async () => {
    await expect(core.baskets.update(owner, 'cart', EMPTY, add(0), TTL, isEmpty)).rejects.toMatchObject({
      code: ErrorCodes.validationFailed,
    });
    expect(await core.basketRepo.read(owner, 'cart')).toBeNull();
  });

  it('concurrent changes of one basket all land (no update lost)', async () => {
    await Promise.all(Array.from({ length: 20 }, () => core.baskets.update(owner, 'cart', EMPTY, add(1), TTL, isEmpty)));
    const cart = await core.baskets.read(owner, 'cart', EMPTY);
    expect(cart.value.lines[0]!.quantity).toBe(20);
    expect(cart.version).toBe(20);
  });

  it('a write by another instance in between is retried on the new version', async () => {
    await core.baskets.update(owner, 'cart', EMPTY, add(1), TTL, isEmpty);
    let interfered = false;
    await core.baskets.update(
      owner,
      'cart',
      EMPTY,
      (c) => {
        if (!interfered) {
          interfered = true;
          // Another instance writes between this read and its compare-and-set.
          void core.basketRepo.write(owner, 'cart', JSON.stringify({ lines: [{ ...c.lines[0]!, quantity: 5 }] }), 1, TTL);
        }
        return add(1)(c);
      },
      TTL,
      isEmpty,
    );
    expect((await core.baskets.read(owner, 'cart', EMPTY)).value.lines[0]!.quantity).toBe(6);
  });

  it('removeIfUnchanged leaves a basket that changed since it was read', async () => {
    await core.baskets.update(owner, 'cart', EMPTY, add(1), TTL, isEmpty);
    await core.baskets.update(owner, 'cart', EMPTY, add(1), TTL, isEmpty);
    expect(await core.baskets.removeIfUnchanged(owner, 'cart', 1)).toBe(false);
    expect(await core.baskets.removeIfUnchanged(owner, 'cart', 2)).toBe(true);
    expect(await core.basketRepo.read(owner, 'cart')).toBeNull();
  });

  it('a basket expires with its TTL on the injected clock', async () => {
    await core.baskets.update(owner, 'cart', EMPTY, add(1), TTL, isEmpty);
    core.clock.advance(TTL - 1);
    expect(await core.basketRepo.read(owner, 'cart')).not.toBeNull();
    core.clock.advance(1);
    expect(await core.basketRepo.read(owner, 'cart')).toBeNull();
  });
});
