import 'reflect-metadata';
import { Controller, Get, HttpCode, Module, Param, Post, type INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { Server } from 'node:http';
import { SessionClient, ShopSession, StorefrontSessionGuard, type StorefrontSession } from '#libs/session-client';
import { freePort } from '../support/free-port.js';
import { ALL_SCOPES } from '../support/session-service.harness.js';
import { serviceWithRedis } from '../support/service-with-redis.js';
import { mintToken } from '../support/service-tokens.js';
import { CookieJarClient } from './http-client.js';

@Controller()
class PagesController {
  @Get()
  home(@ShopSession() session: StorefrontSession) {
    return { user: session.user?.id ?? null, available: session.available };
  }

  @Post('login/:user')
  @HttpCode(204)
  async login(@ShopSession() session: StorefrontSession, @Param('user') user: string): Promise<void> {
    await session.login({ user: { id: user } });
  }

  @Post('wish/:product')
  async wish(@ShopSession() session: StorefrontSession, @Param('product') productId: string) {
    await session.wishlist.add({ productId });
    throw new Error('failed after the change'); // the cookie must still reach the browser
  }
}

@Module({ controllers: [PagesController] })
class PagesModule {}

describe('Nest guard + @ShopSession against the real service on Redis', () => {
  const env = serviceWithRedis();
  const apps: INestApplication[] = [];
  const clients: SessionClient[] = [];

  async function open(options: { port?: number; whenUnavailable?: 'guest' | 'fail' } = {}): Promise<CookieJarClient> {
    const client = new SessionClient({
      host: '127.0.0.1',
      port: options.port ?? env.svc.config.port,
      token: mintToken(ALL_SCOPES),
      timeoutMs: 3000,
    });
    clients.push(client);
    const app = await NestFactory.create(PagesModule, { logger: false });
    app.useGlobalGuards(new StorefrontSessionGuard({ client, shop: 'shop-a', whenUnavailable: options.whenUnavailable }));
    await app.listen(0, '127.0.0.1');
    apps.push(app);
    return CookieJarClient.of(app.getHttpServer() as Server);
  }
  afterAll(async () => {
    await Promise.all(apps.map((a) => a.close()));
    await Promise.all(clients.map((c) => c.close()));
  });

  it('resolves the session, rotates it at login, and writes the cookie on an error response', async () => {
    const browser = await open();
    const first = await browser.request('/');
    expect(JSON.parse(first.body)).toEqual({ user: null, available: true });
    expect(first.setCookies[0]).toMatch(/^\$session-shop-a=.*; HttpOnly; Secure; SameSite=Lax$/);
    const guest = browser.cookie('$session-shop-a');

    const login = await browser.request('/login/nest-user-1', { method: 'POST' });
    expect(login.status).toBe(204);
    expect(browser.cookie('$session-shop-a')).not.toBe(guest);
    expect(JSON.parse((await browser.request('/')).body)).toEqual({ user: 'nest-user-1', available: true });

    const other = await open();
    const failed = await other.request('/wish/p-1', { method: 'POST' });
    expect(failed.status).toBe(500);
    expect(failed.setCookies).toHaveLength(1); // the guest that now holds a wishlist
  });

  it('serves a guest, or answers 503 with whenUnavailable: fail, when the service is unreachable', async () => {
    const nobody = await freePort();
    const guest = await open({ port: nobody });
    const served = await guest.request('/');
    expect(served).toMatchObject({ status: 200, setCookies: [] });
    expect(JSON.parse(served.body)).toEqual({ user: null, available: false });
    const strict = await open({ port: nobody, whenUnavailable: 'fail' });
    expect((await strict.request('/')).status).toBe(503);
  });
});
