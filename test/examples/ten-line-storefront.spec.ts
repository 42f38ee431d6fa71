import { createServer, type Server } from 'node:http';
import { SessionClient } from '#libs/session-client';
import { close, CookieJarClient, listen } from '../http-adapter/http-client.js';
import { ServiceHarness } from '../support/session-service.harness.js';
import { mintToken } from '../support/service-tokens.js';
import { tenLineStorefront } from './ten-line-storefront.example.js';

describe('the docs/rpc.md ten-line storefront', () => {
  let svc: ServiceHarness;
  let client: SessionClient;
  let server: Server;
  beforeAll(async () => {
    svc = await ServiceHarness.start({ sessionConfig: { session: { secret: 'example-secret' }, shops: { '1001': {} } } });
    client = new SessionClient({
      host: '127.0.0.1',
      port: svc.config.port,
      token: mintToken('session:read session:write'),
      timeoutMs: 2000,
    });
    server = await listen(createServer(tenLineStorefront(client)));
  });
  afterAll(async () => {
    await close(server);
    await client.close();
    await svc.stop();
  });

  it('greets a guest, keeps its cart through a login, and starts over after logout', async () => {
    const browser = CookieJarClient.of(server);
    const form = async (path: string, body: Record<string, string>) => {
      const reply = await fetch(browser.baseUrl + path, {
        method: 'POST',
        redirect: 'manual',
        body: new URLSearchParams(body),
        headers: { cookie: [...browser.jar].map(([k, v]) => `${k}=${v}`).join('; ') },
      });
      for (const header of reply.headers.getSetCookie()) {
        const [name, value] = header.split(';')[0]!.split('=') as [string, string];
        if (/Max-Age=0/.test(header)) browser.jar.delete(name);
        else browser.jar.set(name, value);
      }
      return reply.status;
    };
    expect((await browser.request('/')).body).toBe('Hello guest: 0 lines in your cart');
    expect(await form('/cart', { product: 'p-1', variant: 'v-1' })).toBe(303);
    expect(await form('/login', { user: 'ten-line-user' })).toBe(303);
    expect((await browser.request('/')).body).toBe('Hello ten-line-user: 1 lines in your cart');
    expect(await form('/logout', {})).toBe(303);
    expect((await browser.request('/')).body).toBe('Hello guest: 0 lines in your cart');
  });
});
