import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Controller, Module, type INestMicroservice } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { ClientProxyFactory, Transport, type ClientProxy, type CustomStrategy } from '@nestjs/microservices';
import { firstValueFrom, timeout } from 'rxjs';
import { method, Patterns, Scopes, type LoginResult, type ReauthenticateResult, type RpcResponse } from '#libs/contracts';
import { loadServiceConfig, RpcMethod, RpcMethodExplorer, SessionModule, type RpcContext } from '#libs/session';
import { SessionTcpServer } from '../../apps/session-service/src/transport/session-tcp.server.js';
import { freePort } from '../support/free-port.js';
import { mintToken, TEST_AUTH_SECRET } from '../support/service-tokens.js';
import { TEST_COOKIE_SECRET } from '../support/session-service.harness.js';

/** A team's own contract entries. */
const OrderContract = {
  list: method<void, { userId: string }>()({ pattern: 'orders.list', client: 'listOrders', scopes: [Scopes.read], session: true }),
  cancel: method<void, { cancelled: boolean }>()({
    pattern: 'orders.cancel',
    client: 'cancelOrder',
    scopes: [Scopes.write],
    session: true,
  }),
} as const;

/** A team's own methods: one marked with the decorator's `recentLogin` option, one asking in its handler. */
@Controller()
class OrderMethods {
  @RpcMethod(OrderContract.list, { recentLogin: 300 })
  list(ctx: RpcContext): { userId: string } {
    return { userId: ctx.user!.id };
  }

  @RpcMethod(OrderContract.cancel)
  cancel(ctx: RpcContext): { cancelled: boolean } {
    ctx.requireRecentLogin(60);
    return { cancelled: true };
  }
}

describe("a team's methods marked for a recent login (memory store, injected clock)", () => {
  let now = Date.parse('2026-05-01T08:00:00.000Z');
  let app: INestMicroservice;
  let client: ClientProxy;
  const auth = mintToken('session:read session:write');

  beforeAll(async () => {
    const dir = mkdtempSync(join(tmpdir(), 'team-method-'));
    writeFileSync(join(dir, 'session.json'), JSON.stringify({ session: { secret: TEST_COOKIE_SECRET }, shops: { 'shop-a': {} } }));
    const port = await freePort();
    const config = loadServiceConfig({
      SESSION_CONFIG: join(dir, 'session.json'),
      SESSION_SERVICE_AUTH_SECRET: TEST_AUTH_SECRET,
      PORT: String(port),
    });
    config.wallClock = () => now;
    @Module({ imports: [SessionModule.forRoot(config)], controllers: [OrderMethods] })
    class TeamModule {}
    // The service's transport, answering every @RpcMethod handler (the team's included) as the service does.
    const tcp = new SessionTcpServer({ host: '127.0.0.1', port, limits: config.transport });
    app = await NestFactory.createMicroservice<CustomStrategy>(TeamModule, { strategy: tcp, logger: false });
    for (const route of app.get(RpcMethodExplorer).routes()) tcp.route(route.pattern, route.handle);
    await app.listen();
    client = ClientProxyFactory.create({ transport: Transport.TCP, options: { host: '127.0.0.1', port } });
    await client.connect();
  });
  afterAll(async () => {
    client?.close();
    await app?.close();
  });

  const send = <T>(pattern: string, session: string | null, data: object = {}) =>
    firstValueFrom(client.send<RpcResponse<T>>(pattern, { auth, shopId: 'shop-a', session, data }).pipe(timeout(5000)));
  const error = (pattern: string, session: string | null) =>
    send(pattern, session).then(
      (r) => {
        throw new Error(`expected an error, got ${JSON.stringify(r)}`);
      },
      (e: { code: string; details?: unknown }) => e,
    );

  it('answers until the login is older than the option, then REAUTH_REQUIRED with the age; reauthenticate lets it through again', async () => {
    const login = await send<LoginResult>(Patterns.sessionLogin, null, { user: { id: 'u-team' } });
    let cookie = login.session!.cookie!.value;
    expect((await send<{ userId: string }>('orders.list', cookie)).data).toEqual({ userId: 'u-team' });

    now += 301_000;
    const refused = await error('orders.list', cookie);
    expect(refused).toMatchObject({
      code: 'REAUTH_REQUIRED',
      details: { maxAgeSeconds: 300, ageSeconds: 301, authenticatedAt: '2026-05-01T08:00:00.000Z' },
    });

    const re = await send<ReauthenticateResult>(Patterns.sessionReauthenticate, cookie, { trusted: true });
    expect(re.data).toEqual({ authMethod: 'trusted', authenticatedAt: new Date(now).toISOString() });
    expect(re.session!.id).not.toBe(login.session!.id);
    cookie = re.session!.cookie!.value;
    expect((await send<{ userId: string }>('orders.list', cookie)).data).toEqual({ userId: 'u-team' });
    expect((await error('orders.list', login.session!.cookie!.value)).code).toBe('NOT_LOGGED_IN'); // the old ID is a guest now
  });

  it('RpcContext.requireRecentLogin in a handler answers the same way', async () => {
    const login = await send<LoginResult>(Patterns.sessionLogin, null, { user: { id: 'u-cancel' } });
    const cookie = login.session!.cookie!.value;
    now += 60_000;
    expect((await send<{ cancelled: boolean }>('orders.cancel', cookie)).data).toEqual({ cancelled: true });
    now += 1_000;
    expect(await error('orders.cancel', cookie)).toMatchObject({ code: 'REAUTH_REQUIRED', details: { maxAgeSeconds: 60, ageSeconds: 61 } });
  });
});
