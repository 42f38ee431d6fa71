import { createServer, type Server, type Socket } from 'node:net';
import { jest } from '@jest/globals';
import { Test } from '@nestjs/testing';
import type { DestroyResult, FieldError, ReauthenticateResult, ResolveResult, RpcResponse, SessionUser } from '#libs/contracts';
import { SessionClient, SessionClientModule, SessionServiceError, setSessionCookie, type SessionClientOptions } from '#libs/session-client';
import { freePort } from '../support/free-port.js';
import { ALL_SCOPES, ServiceHarness } from '../support/session-service.harness.js';
import { mintToken } from '../support/service-tokens.js';

const SHOP = 'shop-a';

/** Resolves with the error a call rejected with; fails if it resolved. */
async function failure(call: Promise<unknown>): Promise<SessionServiceError> {
  const outcome = await call.then(
    (value) => new Error(`expected a failure, got ${JSON.stringify(value)}`),
    (e: unknown) => e,
  );
  if (!(outcome instanceof SessionServiceError)) throw outcome;
  return outcome;
}

/** The raw cookie value a browser would send back, from a response that set one. */
function cookieOf(res: RpcResponse<unknown>): string {
  return res.session!.cookie!.value;
}

describe('SessionClient against the real service', () => {
  let svc: ServiceHarness;
  let client: SessionClient;
  const clients: SessionClient[] = [];
  const open = (options: Partial<SessionClientOptions> = {}): SessionClient => {
    const c = new SessionClient({
      host: '127.0.0.1',
      port: svc.config.port,
      token: mintToken(ALL_SCOPES),
      timeoutMs: 2000,
      ...options,
    } as SessionClientOptions);
    clients.push(c);
    return c;
  };

  beforeAll(async () => {
    svc = await ServiceHarness.start();
    client = open();
  });
  afterAll(async () => {
    await Promise.all(clients.map((c) => c.close()));
    await svc.stop();
  });

  it('calls every pattern with typed results and full responses', async () => {
    const guest = await client.resolve(SHOP, null);
    expect(guest.data).toEqual({ user: null, customData: {} });
    expect(guest.session).toMatchObject({ isNew: true, userId: null });
    expect(guest.session!.setCookie).toMatch(/^\$session-shop-a=/);

    const stored = await client.updateCustomData(SHOP, cookieOf(guest), { customData: { cart: 'c-1' } });
    expect(stored.data).toEqual({ user: null, customData: { cart: 'c-1' } });

    const first = await client.login(SHOP, cookieOf(guest), { user: { id: 'client-user', name: 'Ada' } });
    const user: SessionUser = first.data.user;
    expect(user).toEqual({ id: 'client-user', name: 'Ada' });
    expect(first.session!.id).toMatch(/^client-user:/);
    expect(first.session).toMatchObject({ authMethod: 'trusted', authenticatedAt: expect.any(String) });

    // session.reauthenticate: the ID rotates, the session (user, custom data) stays.
    const login = await client.reauthenticate(SHOP, cookieOf(first), { trusted: true });
    const reauth: ReauthenticateResult = login.data;
    expect(reauth).toEqual({ authMethod: 'trusted', authenticatedAt: expect.any(String) });
    expect(login.session!.id).toMatch(/^client-user:/);
    expect(login.session!.id).not.toBe(first.session!.id);
    expect((await client.resolve(SHOP, cookieOf(first))).data.user).toBeNull();
    const session = cookieOf(login);

    const updated = await client.updateUser(SHOP, session, { user: { id: 'client-user', name: 'Ada L.' } });
    expect(updated.data).toEqual({ user: { id: 'client-user', name: 'Ada L.' }, customData: { cart: 'c-1' } });
    const resolved: ResolveResult = (await client.resolve(SHOP, session)).data;
    expect(resolved.user).toEqual({ id: 'client-user', name: 'Ada L.' });

    const other = cookieOf(await client.login(SHOP, null, { user: { id: 'client-user' } }));
    const list = await client.listSessions(SHOP, { userId: 'client-user' });
    expect(list.session).toBeNull();
    expect(list.data.sessions).toHaveLength(2);
    expect(list.data.sessions[0]).toEqual({
      id: expect.any(String),
      createdAt: expect.any(String),
      lastSeenAt: expect.any(String),
      expiresAt: expect.any(String),
    });

    const others: DestroyResult = (await client.logoutOtherDevices(SHOP, session)).data;
    expect(others).toEqual({ destroyed: 1 });
    expect((await client.resolve(SHOP, other)).data.user).toBeNull();

    const logout = await client.logout(SHOP, session);
    expect(logout.data).toBeNull();
    expect(logout.session).toMatchObject({ id: null });
    expect(logout.session!.setCookie).toMatch(/Max-Age=0/);

    const again = cookieOf(await client.login(SHOP, null, { user: { id: 'client-user' } }));
    const destroyed = await client.destroy(SHOP, again);
    expect(destroyed.data).toBeNull();
    expect(destroyed.session!.setCookie).toMatch(/Max-Age=0/);

    const third = cookieOf(await client.login(SHOP, null, { user: { id: 'client-user' } }));
    const forUser = await client.destroyForUser(SHOP, third, { userId: 'client-user' });
    expect(forUser.data).toEqual({ destroyed: 1 });
    expect(forUser.session!.setCookie).toMatch(/Max-Age=0/); // the caller's own session went too
  });

  it('calls the cart and wishlist patterns', async () => {
    const added = await client.addCartItem(SHOP, null, { productId: 'p1', variantId: 'v1', quantity: 2 });
    const guest = cookieOf(added);
    expect(added.data.lines).toEqual([expect.objectContaining({ productId: 'p1', variantId: 'v1', quantity: 2 })]);
    expect((await client.setCartQuantity(SHOP, guest, { productId: 'p1', variantId: 'v1', quantity: 5 })).data.lines[0]!.quantity).toBe(5);
    await client.addCartItem(SHOP, guest, { productId: 'p2', variantId: 'v2', quantity: 1 });
    expect((await client.removeCartItem(SHOP, guest, { productId: 'p1', variantId: 'v1' })).data.lines.map((l) => l.productId)).toEqual([
      'p2',
    ]);
    expect((await client.cart(SHOP, guest)).data.lines).toHaveLength(1);
    expect((await client.clearCart(SHOP, guest)).data.lines).toEqual([]);

    expect((await client.addWishlistItem(SHOP, guest, { productId: 'w1' })).data.items.map((i) => i.productId)).toEqual(['w1']);
    await client.addWishlistItem(SHOP, guest, { productId: 'w2' });
    expect((await client.removeWishlistItem(SHOP, guest, { productId: 'w1' })).data.items.map((i) => i.productId)).toEqual(['w2']);
    expect((await client.wishlist(SHOP, guest)).data.items).toHaveLength(1);
    expect((await client.clearWishlist(SHOP, guest)).data.items).toEqual([]);
  });

  it('reads admin.stats for every shop (here on the embedded memory store)', async () => {
    await client.login('shop-b', null, { user: { id: 'stats-user' } });
    const guest = cookieOf(await client.resolve('shop-b', null));
    await client.updateCustomData('shop-b', guest, { customData: { a: 1 } });
    const stats = await client.adminStats(SHOP);
    expect(stats.session).toBeNull();
    expect(stats.data.shops.map((s) => s.shopId)).toEqual([...svc.config.shops.keys()]);
    expect(stats.data.shops.find((s) => s.shopId === 'shop-b')).toEqual({
      shopId: 'shop-b',
      liveSessions: 2,
      loggedInSessions: 1,
      guestsWithData: 1,
    });
  });

  it('turns the response into a Set-Cookie next to the headers already set', async () => {
    const headers = new Map<string, string | string[]>([['set-cookie', 'theme=dark']]);
    const res = {
      getHeader: (name: string) => headers.get(name.toLowerCase()),
      setHeader: (name: string, value: string | string[]) => void headers.set(name.toLowerCase(), value),
    };
    const guest = await client.resolve(SHOP, null);
    expect(setSessionCookie(res, guest)).toBe(true);
    expect(headers.get('set-cookie')).toEqual(['theme=dark', guest.session!.setCookie]);

    // The same session again within touchAfter: the service asks for no cookie, nothing is sent.
    expect(setSessionCookie(res, await client.resolve(SHOP, cookieOf(guest)))).toBe(false);
    expect(setSessionCookie(res, await client.listSessions(SHOP, { userId: 'nobody' }))).toBe(false);
    expect(headers.get('set-cookie')).toHaveLength(2);
  });

  it('asks the token provider on every call', async () => {
    const tokens = [mintToken('session:read', { sub: 'a' }), mintToken('session:read', { sub: 'b' })];
    let calls = 0;
    const rotating = open({ tokenProvider: async () => tokens[calls++ % 2]!, token: undefined });
    await rotating.resolve(SHOP, null);
    await rotating.resolve(SHOP, null);
    expect(calls).toBe(2);
  });

  it('rejects with typed contract errors', async () => {
    const badToken = await failure(open({ token: 'not-a-token' }).resolve(SHOP, null));
    expect(badToken).toBeInstanceOf(Error);
    expect(badToken).toMatchObject({ name: 'SessionServiceError', code: 'UNAUTHENTICATED' });

    const forbidden = await failure(open({ token: mintToken('session:read') }).login(SHOP, null, { user: { id: 'u1' } }));
    expect(forbidden.code).toBe('FORBIDDEN');
    expect(forbidden.details).toMatchObject({ missing: ['session:write'] });

    const invalid = await failure(client.login(SHOP, null, { user: { id: 'not valid!' } }));
    expect(invalid.code).toBe('VALIDATION_FAILED');
    expect((invalid.details as FieldError[]).map((d) => d.field)).toContain('data.user.id');

    expect((await failure(client.resolve('no-such-shop', null))).code).toBe('UNKNOWN_SHOP');
    expect((await failure(client.logoutOtherDevices(SHOP, null))).code).toBe('NOT_LOGGED_IN');
    // Other patterns go through call(); one the service does not know answers UNKNOWN_PATTERN.
    expect((await failure(client.call('no.such.pattern', SHOP, null, {}))).code).toBe('UNKNOWN_PATTERN');
  });

  it('is provided by SessionClientModule and closes with the module', async () => {
    const moduleRef = await Test.createTestingModule({
      imports: [
        SessionClientModule.register({ host: '127.0.0.1', port: svc.config.port, token: mintToken('session:read'), timeoutMs: 2000 }),
      ],
    }).compile();
    const injected = moduleRef.get(SessionClient);
    expect((await injected.resolve(SHOP, null)).session!.isNew).toBe(true);
    const close = jest.spyOn(injected, 'close');
    await moduleRef.close();
    expect(close).toHaveBeenCalledTimes(1);
  });
});

describe('SessionClient when the service is slow, down or restarted', () => {
  it('times out with TIMEOUT when the service never answers', async () => {
    const sockets = new Set<Socket>();
    const silent: Server = createServer((socket) => void sockets.add(socket));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const client = new SessionClient({ host: '127.0.0.1', port: (silent.address() as { port: number }).port, token: 't', timeoutMs: 300 });
    try {
      const started = Date.now();
      const error = await failure(client.resolve(SHOP, null));
      const elapsed = Date.now() - started;
      expect(error.code).toBe('TIMEOUT');
      expect(elapsed).toBeGreaterThanOrEqual(290);
      expect(elapsed).toBeLessThan(3_000); // the configured 300 ms, not the 5 s default; slack for a loaded machine
    } finally {
      await client.close();
      sockets.forEach((s) => s.destroy());
      await new Promise((resolve) => silent.close(resolve));
    }
  });

  it('fails fast with UNAVAILABLE when nothing listens', async () => {
    const client = new SessionClient({ host: '127.0.0.1', port: await freePort(), token: 't', timeoutMs: 5000 });
    try {
      const started = Date.now();
      const error = await failure(client.resolve(SHOP, null));
      expect(error.code).toBe('UNAVAILABLE');
      expect(error.message).toMatch(/ECONNREFUSED/);
      expect(Date.now() - started).toBeLessThan(1000);
      // and again: a refused connection is not cached
      expect((await failure(client.resolve(SHOP, null))).code).toBe('UNAVAILABLE');
    } finally {
      await client.close();
    }
  });

  it('reconnects after the service restarts on the same port', async () => {
    const ports = { port: await freePort(), httpPort: await freePort() };
    let svc = await ServiceHarness.start({ ports });
    const client = new SessionClient({ host: '127.0.0.1', port: ports.port, token: mintToken(ALL_SCOPES), timeoutMs: 2000 });
    try {
      expect((await client.resolve(SHOP, null)).session!.isNew).toBe(true);

      // Restarted between two calls: the next call reaches the new process.
      await svc.stop();
      svc = await ServiceHarness.start({ ports });
      expect((await client.resolve(SHOP, null)).session!.isNew).toBe(true);

      // A call while it is down fails fast; the first call after the restart succeeds.
      await svc.stop();
      expect((await failure(client.resolve(SHOP, null))).code).toBe('UNAVAILABLE');
      svc = await ServiceHarness.start({ ports });
      expect((await client.resolve(SHOP, null)).session!.isNew).toBe(true);
    } finally {
      await client.close();
      await svc.stop();
    }
  });
});
