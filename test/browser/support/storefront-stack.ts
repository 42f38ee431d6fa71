import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SessionClient } from '#libs/session-client';
import { createDemoApp } from '../../../apps/storefront-demo/src/demo-app.js';
import type { DemoShop } from '../../../apps/storefront-demo/src/demo-options.js';
import { CommercetoolsEmulator } from '../../emulators/commercetools/index.js';
import { RedisServer } from '../../support/redis-server.js';
import { ServiceHarness, TEST_COOKIE_SECRET } from '../../support/session-service.harness.js';
import { mintToken } from '../../support/service-tokens.js';

/** 1001 merges carts by sum (the default), 1002 by max; 1003 logs in through the commercetools emulator. */
export const SHOPS: readonly DemoShop[] = [
  { id: '1001', name: 'Northwind Outfitters' },
  { id: '1002', name: 'Harbour Goods' },
  { id: '1003', name: 'Commercetools Corner', passwordLogin: true },
];

const TOKEN_KEYS = { SESSION_TOKEN_KEYS: 'browser-token-key-0123456789abcdef012345' };

/**
 * The demo storefront on a free port, talking through the client library to the real
 * service, which stores sessions in a private redis-server; the service can be restarted
 * on the same ports while the storefront keeps running.
 */
export class StorefrontStack {
  private constructor(
    readonly redis: RedisServer,
    readonly ct: CommercetoolsEmulator,
    private sessionConfig: object,
    public svc: ServiceHarness,
    private readonly clients: SessionClient[],
    private readonly server: Server,
  ) {}

  static async start(): Promise<StorefrontStack> {
    const redis = await RedisServer.start();
    const ct = new CommercetoolsEmulator({ projectKey: 'demo' });
    await ct.start();
    const provider = ct.shopProvider;
    const sessionConfig = {
      session: { secret: TEST_COOKIE_SECRET },
      shops: { '1001': {}, '1002': { cart: { mergeStrategy: 'max' } }, '1003': { provider } },
    };
    const svc = await ServiceHarness.start({ redisUrl: redis.url, sessionConfig, env: TOKEN_KEYS });
    const open = (scope: string) =>
      new SessionClient({ host: '127.0.0.1', port: svc.config.port, token: mintToken(scope), timeoutMs: 5000 });
    const clients = [open('session:read session:write'), open('session:read session:admin')];
    const server = createServer(createDemoApp({ client: clients[0]!, accountClient: clients[1]!, shops: SHOPS }));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return new StorefrontStack(redis, ct, sessionConfig, svc, clients, server);
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  shopUrl(shopId: string, path = '/'): string {
    return `${this.url}/shop/${shopId}${path}`;
  }

  /** Stops the service and starts a new one on the same ports and the same Redis. */
  async restartService(): Promise<void> {
    await this.stopService();
    await this.startService();
  }

  private stopped = false;

  async stopService(): Promise<void> {
    await this.svc.stop();
    this.stopped = true;
  }

  async startService(): Promise<void> {
    const ports = { port: this.svc.config.port, httpPort: this.svc.config.httpPort };
    this.svc = await ServiceHarness.start({ redisUrl: this.redis.url, sessionConfig: this.sessionConfig, env: TOKEN_KEYS, ports });
    this.stopped = false;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise((resolve) => this.server.close(resolve));
    await Promise.all(this.clients.map((c) => c.close()));
    if (!this.stopped) await this.svc.stop();
    await this.ct.stop();
    await this.redis.stop();
  }
}
