import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { INestApplication, LoggerService } from '@nestjs/common';
import { ClientProxyFactory, Transport, type ClientProxy } from '@nestjs/microservices';
import { firstValueFrom, timeout } from 'rxjs';
import type { RpcRequest, RpcResponse } from '#libs/contracts';
import { loadServiceConfig, type ProviderRegistry, type ServiceConfig } from '#libs/session';
import { startSessionService, type StartOptions } from '../../apps/session-service/src/bootstrap.js';
import { freePort } from './free-port.js';
import { mintToken, TEST_AUTH_SECRET } from './service-tokens.js';

export const TEST_COOKIE_SECRET = 'test-cookie-master-secret-0123456789abcdef';

/** shop-a and shop-b share the top-level secret; shop-c has its own; shop-d slides on every call; shop-e/f have small/large cart limits. */
export const TEST_SESSION_CONFIG = {
  session: { secret: TEST_COOKIE_SECRET },
  shops: {
    'shop-a': {},
    'shop-b': {},
    'shop-c': { session: { secret: 'shop-c-own-secret', sameSite: 'strict', domain: 'shop-c.example' } },
    'shop-d': { session: { touchAfter: 0, maxAge: 3600 } },
    'shop-e': { cart: { maxLines: 3, maxQuantityPerLine: 5, maxCustomDataBytes: 64 }, wishlist: { maxItems: 2 } },
    'shop-f': { cart: { maxQuantityPerLine: 1000 } },
    'shop-max': { cart: { mergeStrategy: 'max' } },
    'shop-replace': { cart: { mergeStrategy: 'replace' } },
    'shop-keep': { cart: { mergeStrategy: 'keep' } },
  },
};

export const ALL_SCOPES = 'session:read session:write session:admin';

/** The real service (TCP + HTTP) on free ports, and a stock ClientProxy talking to it. */
export class ServiceHarness {
  private constructor(
    readonly app: INestApplication,
    readonly client: ClientProxy,
    readonly config: ServiceConfig,
    readonly token: string,
  ) {}

  /** `ports` pins the TCP and HTTP ports (e.g. to restart a service where a client expects it); free ones otherwise. */
  static async start(
    options: {
      redisUrl?: string;
      redisClusterNodes?: string;
      sessionConfig?: object;
      env?: Record<string, string>;
      logger?: LoggerService;
      ports?: { port: number; httpPort: number };
      /** This instance's wall clock (a replica whose clock is off). */
      wallClock?: () => number;
      /** A store or node-redis client passed to SessionModule.forRoot instead of the configured one. */
      store?: StartOptions['store'];
      /** Provider types the config may name (the built-in ones when absent). */
      providers?: ProviderRegistry;
    } = {},
  ): Promise<ServiceHarness> {
    const dir = mkdtempSync(join(tmpdir(), 'session-test-'));
    const configPath = join(dir, 'session.json');
    writeFileSync(configPath, JSON.stringify(options.sessionConfig ?? TEST_SESSION_CONFIG));
    const config = loadServiceConfig(
      {
        SESSION_CONFIG: configPath,
        SESSION_SERVICE_AUTH_SECRET: TEST_AUTH_SECRET,
        PORT: String(options.ports?.port ?? (await freePort())),
        HTTP_PORT: String(options.ports?.httpPort ?? (await freePort())),
        ...(options.redisUrl ? { REDIS_URL: options.redisUrl } : {}),
        ...(options.redisClusterNodes ? { REDIS_CLUSTER_NODES: options.redisClusterNodes } : {}),
        ...options.env,
      },
      options.providers ? { providers: options.providers } : {},
    );
    if (options.wallClock) config.wallClock = options.wallClock;
    const app = await startSessionService(config, {
      logger: options.logger ?? (process.env.TEST_LOG ? ['error', 'warn', 'log'] : false),
      ...(options.store ? { store: options.store } : {}),
    });
    const client = ClientProxyFactory.create({ transport: Transport.TCP, options: { host: '127.0.0.1', port: config.port } });
    await client.connect();
    const harness = new ServiceHarness(app, client, config, mintToken(ALL_SCOPES));
    await harness.waitHealthy();
    return harness;
  }

  /** Sends one message; rejects with the contract error payload `{ code, message, details? }`. */
  send<T = unknown>(pattern: string, request: Partial<RpcRequest<object>> & { shopId?: string }): Promise<RpcResponse<T>> {
    const payload = { auth: this.token, shopId: 'shop-a', ...request };
    return firstValueFrom(this.client.send<RpcResponse<T>>(pattern, payload).pipe(timeout(5000)));
  }

  /** Like send(), but resolves with the error payload and fails the test if the call succeeded. */
  async sendExpectingError(
    pattern: string,
    request: Partial<RpcRequest<object>> & { shopId?: string },
  ): Promise<{ code: string; message: string; details?: unknown }> {
    try {
      const reply = await this.send(pattern, request);
      throw new Error(`expected ${pattern} to fail, got ${JSON.stringify(reply)}`);
    } catch (e) {
      if (e instanceof Error) throw e;
      return e as { code: string; message: string; details?: unknown };
    }
  }

  /** Waits for GET /health to answer 200, as a readiness probe would (the store connects in the background). */
  async waitHealthy(timeoutMs = 5000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (
      (await fetch(this.healthUrl()).then(
        (r) => r.status,
        () => 0,
      )) !== 200
    ) {
      if (Date.now() > deadline) throw new Error('the service never became healthy');
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  healthUrl(): string {
    return `http://127.0.0.1:${this.config.httpPort}/health`;
  }

  async stop(): Promise<void> {
    await this.client.close();
    await this.app.close();
  }
}
