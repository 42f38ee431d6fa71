import { randomUUID } from 'node:crypto';
import type { BasketOwner, BasketRepository } from '#libs/session';
import { sleep } from '../support/redis-server.js';

const TTL = 60_000;

/** The compare-and-set behaviour every BasketRepository backend must have. */
export function basketRepositoryContract(name: string, open: () => Promise<BasketRepository>, close: () => Promise<void>): void {
  describe(`BasketRepository contract: ${name}`, () => {
    let repo: BasketRepository;
    beforeEach(async () => {
      repo = await open();
    });
    afterEach(close);

    const guest = (): BasketOwner => ({ shopId: 'shop-a', guestHandle: randomUUID() });
    const customer = (): BasketOwner => ({ shopId: 'shop-a', userId: `u-${randomUUID().slice(0, 8)}` });

    it('reads nothing for an owner without a basket', async () => {
      expect(await repo.read(guest(), 'cart')).toBeNull();
      expect(await repo.read(customer(), 'wishlist')).toBeNull();
    });

    it('creates at version 1 and counts versions up', async () => {
      const owner = customer();
      expect(await repo.write(owner, 'cart', '{"lines":[]}', 0, TTL)).toBe(1);
      expect(await repo.read(owner, 'cart')).toEqual({ json: '{"lines":[]}', version: 1 });
      expect(await repo.write(owner, 'cart', '{"lines":[1]}', 1, TTL)).toBe(2);
      expect(await repo.read(owner, 'cart')).toEqual({ json: '{"lines":[1]}', version: 2 });
    });

    it('refuses a write computed from a stale version, and keeps the stored document', async () => {
      const owner = guest();
      await repo.write(owner, 'cart', 'a', 0, TTL);
      await repo.write(owner, 'cart', 'b', 1, TTL);
      expect(await repo.write(owner, 'cart', 'stale', 1, TTL)).toBeNull();
      expect(await repo.write(owner, 'cart', 'create', 0, TTL)).toBeNull();
      expect(await repo.read(owner, 'cart')).toEqual({ json: 'b', version: 2 });
    });

    it('lets exactly one of many concurrent writers of the same version win', async () => {
      const owner = customer();
      await repo.write(owner, 'cart', 'base', 0, TTL);
      const results = await Promise.all(Array.from({ length: 20 }, (_, i) => repo.write(owner, 'cart', `w${i}`, 1, TTL)));
      expect(results.filter((r) => r === 2)).toHaveLength(1);
      expect(results.filter((r) => r === null)).toHaveLength(19);
    });

    it('keeps carts and wishlists, guests and customers, and shops apart', async () => {
      const owner = customer();
      await repo.write(owner, 'cart', 'cart', 0, TTL);
      expect(await repo.read(owner, 'wishlist')).toBeNull();
      expect(await repo.read({ ...owner, shopId: 'shop-b' }, 'cart')).toBeNull();
      expect(await repo.read({ shopId: 'shop-a', guestHandle: (owner as { userId: string }).userId }, 'cart')).toBeNull();
    });

    it('removes only the version it was told about', async () => {
      const owner = guest();
      await repo.write(owner, 'wishlist', 'x', 0, TTL);
      expect(await repo.remove(owner, 'wishlist', 7)).toBe(false);
      expect(await repo.read(owner, 'wishlist')).not.toBeNull();
      expect(await repo.remove(owner, 'wishlist', 1)).toBe(true);
      expect(await repo.read(owner, 'wishlist')).toBeNull();
    });

    it('expires a basket after its TTL', async () => {
      const owner = guest();
      await repo.write(owner, 'cart', 'x', 0, 150);
      await sleep(550); // 400 ms past the TTL, for a write that reached Redis late
      expect(await repo.read(owner, 'cart')).toBeNull();
    });
  });
}
