import { ErrorCodes } from '#libs/contracts';
import { addItem, type Cart } from '#libs/cart';
import { CartAccess, type SessionManager } from '#libs/session';
import { memoryCore, type MemoryCore } from './support/memory-core.js';

const MIN = 60_000;
type SessionState = Awaited<ReturnType<SessionManager['resolve']>>;

describe('SessionManager on the memory store (manual clock)', () => {
  let core: MemoryCore;
  beforeEach(() => (core = memoryCore()));
  afterEach(() => core.close());

  const cookieOf = (state: SessionState, shop = core.shop()) => shop.signer.sign(state.id!);
  const resolve = (cookie: string | null, shopId = 'shop') => core.manager.resolve(core.shop(shopId), cookie);

  async function loggedIn(userId: string, shopId = 'shop'): Promise<SessionState> {
    const state = await resolve(null, shopId);
    await core.manager.login(state, { id: userId }, core.clock.now);
    return state;
  }

  it('a fresh guest costs nothing until it holds something', async () => {
    const guest = await resolve(null);
    expect(guest.isNew).toBe(true);
    const again = await resolve(cookieOf(guest));
    expect(again).toMatchObject({ id: guest.id, isNew: false, stored: null, cookie: 'none' });
    await core.manager.updateCustomData(again, { theme: 'dark' });
    expect((await resolve(cookieOf(guest))).customData).toEqual({ theme: 'dark' });
    // Emptied again: the stored record goes.
    const later = await resolve(cookieOf(guest));
    await core.manager.updateCustomData(later, {});
    expect((await resolve(cookieOf(guest))).stored).toBeNull();
  });

  it('login rotates the ID: the old cookie is dead, the new one carries the user and the guest data', async () => {
    const guest = await resolve(null);
    await core.manager.updateCustomData(guest, { locale: 'de' });
    const oldCookie = cookieOf(guest);
    const oldId = guest.id;
    await core.manager.login(guest, { id: 'u1', name: 'Ada' }, core.clock.now);
    expect(guest.id).not.toBe(oldId);
    expect(guest.id!.startsWith('u1:')).toBe(true);
    expect(guest.cookie).toBe('set');

    const after = await resolve(cookieOf(guest));
    expect(after).toMatchObject({ userId: 'u1', user: { id: 'u1', name: 'Ada' }, customData: { locale: 'de' } });
    const old = await resolve(oldCookie);
    expect(old.stored).toBeNull();
    expect(old.customData).toEqual({});
  });

  it('a user-bound session idles out after the idle timeout', async () => {
    const state = await loggedIn('u1');
    core.clock.advance(10 * MIN - 1);
    expect((await resolve(cookieOf(state))).userId).toBe('u1');
    core.clock.advance(10 * MIN);
    const expired = await resolve(cookieOf(state));
    expect(expired).toMatchObject({ userId: null, isNew: true });
  });

  it('sliding never carries a session past its absolute expiry', async () => {
    const state = await loggedIn('u1');
    const absoluteEnd = core.clock.now + 60 * MIN;
    for (let t = 0; t < 55; t += 5) {
      core.clock.advance(5 * MIN);
      const seen = await resolve(cookieOf(state));
      expect(seen.userId).toBe('u1');
      expect(seen.expiresAt).toBeLessThanOrEqual(absoluteEnd);
    }
    core.clock.advance(5 * MIN);
    expect((await resolve(cookieOf(state))).userId).toBeNull();
  });

  it('a resolve slides the expiry (and re-sends the cookie) only once touchAfter has passed', async () => {
    const state = await loggedIn('u1');
    const firstExpiry = state.expiresAt;
    core.clock.advance(30_000);
    const early = await resolve(cookieOf(state));
    expect(early).toMatchObject({ cookie: 'none', expiresAt: firstExpiry });
    core.clock.advance(31_000);
    const due = await resolve(cookieOf(state));
    expect(due.cookie).toBe('set');
    expect(due.expiresAt).toBe(core.clock.now + 10 * MIN);
  });

  it('destroyForUser ends every session but the kept ones, and revokes logins authenticated before it', async () => {
    const a = await loggedIn('u1');
    const b = await loggedIn('u1');
    const c = await loggedIn('u1');
    const authenticatedBefore = core.clock.now;
    core.clock.advance(1_000);
    const destroyed = await core.manager.destroyForUser(core.shop(), 'u1', [c.id!], {});
    expect(destroyed).toBe(2);
    expect((await resolve(cookieOf(a))).userId).toBeNull();
    expect((await resolve(cookieOf(b))).userId).toBeNull();
    expect((await resolve(cookieOf(c))).userId).toBe('u1');

    const late = await resolve(null);
    await expect(core.manager.login(late, { id: 'u1' }, authenticatedBefore)).rejects.toMatchObject({ code: ErrorCodes.sessionRevoked });
    core.clock.advance(1_000);
    await core.manager.login(late, { id: 'u1' }, core.clock.now);
    expect((await resolve(cookieOf(late))).userId).toBe('u1');
    expect(await core.manager.listForUser(core.shop(), 'u1')).toHaveLength(2);
  });

  it('max sessions per user: evict-oldest ends the least recently seen session', async () => {
    const shop = core.shop('limited');
    const first = await loggedIn('u1', 'limited');
    core.clock.advance(2 * MIN);
    const second = await loggedIn('u1', 'limited');
    core.clock.advance(2 * MIN);
    // The first one is seen again (and slides): now the second is the least recently seen.
    expect((await resolve(cookieOf(first, shop), 'limited')).cookie).toBe('set');
    core.clock.advance(MIN);
    const third = await loggedIn('u1', 'limited');
    expect((await resolve(cookieOf(second, shop), 'limited')).userId).toBeNull();
    expect((await resolve(cookieOf(first, shop), 'limited')).userId).toBe('u1');
    expect((await resolve(cookieOf(third, shop), 'limited')).userId).toBe('u1');
  });

  it('max sessions per user: refuse fails the login with TOO_MANY_SESSIONS and writes nothing', async () => {
    await loggedIn('u1', 'strict');
    await loggedIn('u1', 'strict');
    const third = await resolve(null, 'strict');
    await expect(core.manager.login(third, { id: 'u1' }, core.clock.now)).rejects.toMatchObject({
      code: ErrorCodes.tooManySessions,
      details: { maxSessionsPerUser: 2 },
    });
    expect(await core.manager.listForUser(core.shop('strict'), 'u1')).toHaveLength(2);
  });

  it("a guest is stored by its first basket write, and its cart merges into the customer's at login", async () => {
    const shop = core.shop();
    const customer = { shopId: 'shop', userId: 'u1' };
    await core.baskets.update<Cart>(
      customer,
      'cart',
      { lines: [] },
      (c) => addItem(c, { productId: 'p1', variantId: 'v1', quantity: 1 }, core.clock.now),
      shop.cart.customerTtlMs,
      (c) => c.lines.length === 0,
    );

    const guest = await resolve(null);
    const cart = new CartAccess(core.baskets, shop, (forWrite) => core.manager.basketOwner(guest, forWrite), shop.cart.customerTtlMs);
    await cart.addItem({ productId: 'p1', variantId: 'v1', quantity: 2 }, core.clock.now);
    await cart.addItem({ productId: 'p2', variantId: 'v2', quantity: 1 }, core.clock.now);
    expect(guest.stored?.hasBasket).toBe(true);
    const guestOwner = { shopId: 'shop', guestHandle: guest.handle! };

    const report = await core.manager.login(guest, { id: 'u1' }, core.clock.now);
    expect(report.cart).toMatchObject({ strategy: 'sum', alreadyMerged: false });
    const merged = await core.baskets.read<Cart>(customer, 'cart', { lines: [] });
    expect(merged.value.lines.map((l) => [l.productId, l.quantity])).toEqual([
      ['p1', 3],
      ['p2', 1],
    ]);
    expect(await core.basketRepo.read(guestOwner, 'cart')).toBeNull();
  });

  it('updateUser on a session destroyed elsewhere fails with NOT_LOGGED_IN and clears the cookie', async () => {
    const state = await loggedIn('u1');
    const seen = await resolve(cookieOf(state));
    await core.manager.destroyForUser(core.shop(), 'u1', [], {});
    await expect(core.manager.updateUser(seen, { id: 'u1', name: 'x' })).rejects.toMatchObject({ code: ErrorCodes.notLoggedIn });
    expect(seen.cookie).toBe('clear');
  });
});
