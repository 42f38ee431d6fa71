import { createServer, type Server } from 'node:http';
import express, { type Request } from 'express';
import { SessionClient, sessionOf, storefrontSession, type SessionAdapterOptions } from '#libs/session-client';
import { freePort } from '../support/free-port.js';
import { ALL_SCOPES } from '../support/session-service.harness.js';
import { serviceWithRedis } from '../support/service-with-redis.js';
import { mintToken } from '../support/service-tokens.js';
import { close, CookieJarClient, listen } from './http-client.js';

const COOKIE = '$session-shop-a';

/** A small storefront on the adapter: every way a handler can answer. */
function storefront(options: SessionAdapterOptions<Request>): Server {
  const app = express();
  app.use(storefrontSession(options));
  app.get('/', (req, res) => {
    const s = sessionOf(req);
    res.json({ user: s.user?.id ?? null, available: s.available, shop: s.shopId });
  });
  app.get('/cart', async (req, res) => res.json(await sessionOf(req).cart.get()));
  app.post('/cart/:product', async (req, res) => {
    await sessionOf(req).cart.add({ productId: req.params.product as string, variantId: 'v', quantity: 1 });
    res.redirect(303, '/cart'); // ends the response itself
  });
  app.post('/login/:user', async (req, res) => {
    await sessionOf(req).login({ user: { id: req.params.user as string } });
    res.writeHead(204).end(); // raw node API, no Express helper
  });
  app.post('/login-then-fail/:user', async (req) => {
    await sessionOf(req).login({ user: { id: req.params.user as string } });
    throw new Error('the page broke after the login');
  });
  app.post('/reauth', async (req, res) => res.json(await sessionOf(req).reauthenticate({ trusted: true })));
  app.post('/logout', async (req, res) => {
    await sessionOf(req).logout();
    res.type('text').send('bye');
  });
  app.get('/stream', (_req, res) => {
    res.write('a');
    setTimeout(() => res.end('b'), 10);
  });
  return createServer(app);
}

describe('Express middleware against the real service on Redis', () => {
  const env = serviceWithRedis();
  const clients: SessionClient[] = [];
  const servers: Server[] = [];
  const open = async (options: Partial<SessionAdapterOptions<Request>> = {}, port?: number): Promise<CookieJarClient> => {
    const client = new SessionClient({
      host: '127.0.0.1',
      port: port ?? env.svc.config.port,
      token: mintToken(ALL_SCOPES),
      timeoutMs: 3000,
    });
    clients.push(client);
    const server = await listen(storefront({ client, shop: 'shop-a', ...options }));
    servers.push(server);
    return CookieJarClient.of(server);
  };
  afterAll(async () => {
    await Promise.all(servers.map(close));
    await Promise.all(clients.map((c) => c.close()));
  });

  it('gives a new visitor a guest cookie once, HttpOnly and SameSite=Lax, and keeps the session after', async () => {
    const browser = await open();
    const first = await browser.request('/');
    expect(first.status).toBe(200);
    expect(JSON.parse(first.body)).toEqual({ user: null, available: true, shop: 'shop-a' });
    expect(first.setCookies).toHaveLength(1);
    expect(first.setCookies[0]).toMatch(
      /^\$session-shop-a=s%3A[0-9a-f-]{36}\.[^;]+; Path=\/; Max-Age=86400; Expires=[^;]+; HttpOnly; Secure; SameSite=Lax$/,
    );
    const again = await browser.request('/');
    expect(again.setCookies).toEqual([]); // a signed guest ID stays, nothing to resend
  });

  it('writes the cookie on a response the handler ends itself (redirect), and the cart follows it', async () => {
    const browser = await open();
    const added = await browser.request('/cart/p-1', { method: 'POST' });
    expect(added).toMatchObject({ status: 303, location: '/cart' });
    expect(added.setCookies).toHaveLength(1);
    const cart = JSON.parse((await browser.request('/cart')).body) as { lines: Array<{ productId: string; quantity: number }> };
    expect(cart.lines).toMatchObject([{ productId: 'p-1', quantity: 1 }]);
  });

  it('writes the rotated cookie from a login on a raw writeHead response and on an error page', async () => {
    const browser = await open();
    await browser.request('/cart/p-2', { method: 'POST' });
    const guestCookie = browser.cookie(COOKIE)!;

    const login = await browser.request('/login/adapter-user-1', { method: 'POST' });
    expect(login.status).toBe(204);
    expect(login.setCookies).toHaveLength(1); // only the last cookie of the request, not the resolve's too
    expect(browser.cookie(COOKIE)).not.toBe(guestCookie);
    expect(decodeURIComponent(browser.cookie(COOKIE)!)).toMatch(/^s:adapter-user-1:/);
    expect(JSON.parse((await browser.request('/')).body)).toMatchObject({ user: 'adapter-user-1' });
    expect(JSON.parse((await browser.request('/cart')).body).lines).toMatchObject([{ productId: 'p-2' }]);
    // The guest cookie is dead after the login: it resolves to a fresh guest.
    expect(JSON.parse((await browser.request('/', { cookie: `${COOKIE}=${guestCookie}` })).body)).toMatchObject({ user: null });

    const other = await open();
    const failed = await other.request('/login-then-fail/adapter-user-2', { method: 'POST' });
    expect(failed.status).toBe(500);
    expect(failed.setCookies).toHaveLength(1);
    expect(JSON.parse((await other.request('/')).body)).toMatchObject({ user: 'adapter-user-2' });
  });

  it('writes the rotated cookie of a re-authentication; the user stays and the old cookie is dead', async () => {
    const browser = await open();
    await browser.request('/login/adapter-user-4', { method: 'POST' });
    const before = browser.cookie(COOKIE)!;
    const re = await browser.request('/reauth', { method: 'POST' });
    expect(JSON.parse(re.body)).toEqual({ authMethod: 'trusted', authenticatedAt: expect.any(String) });
    expect(re.setCookies).toHaveLength(1);
    expect(browser.cookie(COOKIE)).not.toBe(before);
    expect(decodeURIComponent(browser.cookie(COOKIE)!)).toMatch(/^s:adapter-user-4:/);
    expect(JSON.parse((await browser.request('/')).body)).toMatchObject({ user: 'adapter-user-4' });
    expect(JSON.parse((await browser.request('/', { cookie: `${COOKIE}=${before}` })).body)).toMatchObject({ user: null });
  });

  it('clears the cookie at logout and serves a streamed response with its cookie', async () => {
    const browser = await open();
    await browser.request('/login/adapter-user-3', { method: 'POST' });
    const out = await browser.request('/logout', { method: 'POST' });
    expect(out.setCookies).toEqual([
      expect.stringMatching(/^\$session-shop-a=; Path=\/; Max-Age=0; Expires=Thu, 01 Jan 1970 00:00:00 GMT; HttpOnly/),
    ]);
    expect(browser.cookie(COOKIE)).toBeUndefined();
    const streamed = await browser.request('/stream');
    expect(streamed).toMatchObject({ status: 200, body: 'ab' });
    expect(streamed.setCookies).toHaveLength(1); // the new guest's
  });

  it('turns a tampered cookie into a fresh guest with a 200, and keeps shops apart when the shop comes from the request', async () => {
    const browser = await open();
    await browser.request('/login/adapter-user-4', { method: 'POST' });
    const cookie = browser.cookie(COOKIE)!;
    const tampered = await browser.request('/', { cookie: `${COOKIE}=${cookie.slice(0, -2)}xx` });
    expect(tampered.status).toBe(200);
    expect(JSON.parse(tampered.body)).toMatchObject({ user: null });
    expect(tampered.setCookies[0]).toMatch(/^\$session-shop-a=s%3A[0-9a-f-]{36}\./);

    const byHost = await open({ shop: (req) => (req.url.startsWith('/?b') ? 'shop-b' : 'shop-a') });
    await byHost.request('/login/adapter-user-5', { method: 'POST' });
    const b = await byHost.request('/?b');
    expect(JSON.parse(b.body)).toEqual({ user: null, available: true, shop: 'shop-b' });
    expect(b.setCookies[0]).toMatch(/^\$session-shop-b=/);
    expect(JSON.parse((await byHost.request('/')).body)).toMatchObject({ user: 'adapter-user-5', shop: 'shop-a' });
  });

  it('serves a guest without a cookie, or answers 503, when nothing listens at the service address', async () => {
    const nobody = await freePort();
    const guest = await open({}, nobody);
    const served = await guest.request('/', { cookie: `${COOKIE}=s%3Akept.sig` });
    expect(served.status).toBe(200);
    expect(JSON.parse(served.body)).toEqual({ user: null, available: false, shop: 'shop-a' });
    expect(served.setCookies).toEqual([]);
    expect(JSON.parse((await guest.request('/cart')).body)).toEqual({ lines: [] });

    const strict = await open({ whenUnavailable: 'fail' }, nobody);
    expect((await strict.request('/')).status).toBe(503);
  });

  it('does the same when the service answers STORE_UNAVAILABLE, and recovers with the same cookie', async () => {
    const guest = await open();
    const strict = await open({ whenUnavailable: 'fail' });
    await guest.request('/login/adapter-user-6', { method: 'POST' });
    strict.jar.set(COOKIE, guest.cookie(COOKIE)!);
    env.redis.pause(); // Redis stops answering: the service's command timeout answers STORE_UNAVAILABLE
    try {
      const served = await guest.request('/');
      expect(served.status).toBe(200);
      expect(JSON.parse(served.body)).toMatchObject({ user: null, available: false });
      expect(served.setCookies).toEqual([]);
      expect((await strict.request('/')).status).toBe(503);
    } finally {
      env.redis.resume();
    }
    // The service reconnects to Redis on its own schedule; the cookie the browser kept through the outage works again.
    let after = JSON.parse((await guest.request('/')).body) as { user: string | null; available: boolean };
    for (let i = 0; i < 100 && !after.available; i++) {
      await new Promise((r) => setTimeout(r, 100));
      after = JSON.parse((await guest.request('/')).body) as typeof after;
    }
    expect(after).toMatchObject({ user: 'adapter-user-6', available: true });
  });
});
