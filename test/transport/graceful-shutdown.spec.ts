import { createConnection } from 'node:net';
import { ClientProxyFactory, Transport, type ClientProxy } from '@nestjs/microservices';
import { createClient } from 'redis';
import { firstValueFrom, timeout } from 'rxjs';
import { ErrorCodes, Patterns, type RpcResponse } from '#libs/contracts';
import { RedisServer } from '../support/redis-server.js';
import { ServiceProcess } from '../support/service-process.js';
import { mintToken } from '../support/service-tokens.js';
import { ALL_SCOPES } from '../support/session-service.harness.js';
import { decodeSessionValue } from '../../libs/session/src/store/redis/session-value.js';
import { ReplyHoldingProxy } from '../store/reply-holding-proxy.js';

const CALLS = 30;
const token = mintToken(ALL_SCOPES);

function connectRefused(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', () => resolve(true));
  });
}

/** SIGTERM to the real service process while its calls wait on Redis (a proxy holds Redis's replies). */
describe('graceful shutdown on SIGTERM', () => {
  let redis: RedisServer;
  let proxy: ReplyHoldingProxy;
  let client: ClientProxy;
  let service: ServiceProcess | undefined;

  beforeAll(async () => {
    redis = await RedisServer.start();
    proxy = await ReplyHoldingProxy.start(redis.port);
  });
  afterEach(async () => {
    proxy.release();
    await client?.close();
    await service?.stop();
  });
  afterAll(async () => {
    await proxy.close();
    await redis.stop();
  });

  const start = async (transport: object = {}) => {
    // A long command timeout: the held replies must not count as a Redis outage.
    service = await ServiceProcess.start({ redisUrl: proxy.url, sessionConfig: { transport, store: { commandTimeoutMs: 10_000 } } });
    client = ClientProxyFactory.create({ transport: Transport.TCP, options: { host: '127.0.0.1', port: service.port } });
    await client.connect();
    return service;
  };
  const write = (n: number) =>
    firstValueFrom(
      client
        .send<RpcResponse<{ customData: { n: number } }>>(Patterns.sessionUpdateCustomData, {
          auth: token,
          shopId: 'shop-a',
          data: { customData: { n } },
        })
        .pipe(timeout(30_000)),
    );

  it('answers every call in flight, refuses new work, reports draining, then closes Redis and exits 0', async () => {
    const svc = await start();
    proxy.hold();
    const calls = Array.from({ length: CALLS }, (_, n) =>
      write(n).then(
        (r) => ({ ok: r }),
        (e: unknown) => ({ error: e }),
      ),
    );
    await new Promise((r) => setTimeout(r, 1_000)); // the calls reach the service and wait on Redis
    svc.child.kill('SIGTERM');
    await svc.waitForLine(new RegExp(`draining ${CALLS} calls`));

    const health = await fetch(svc.healthUrl);
    expect(health.status).toBe(503);
    expect(await health.json()).toMatchObject({ status: 'draining' });
    expect(await connectRefused(svc.port)).toBe(true);
    // A request that arrives during the drain on an open connection is not executed.
    await expect(write(999)).rejects.toEqual({ code: ErrorCodes.shuttingDown, message: expect.any(String) });

    proxy.release();
    const results = await Promise.all(calls);
    expect(results.filter((r) => 'error' in r)).toEqual([]);
    expect(await svc.exited).toEqual({ code: 0, signal: null });
    expect(svc.output()).toMatch(/stopped/);
    expect(svc.output()).not.toMatch(/Connection closed|store unavailable/i);

    // Every acknowledged write is in Redis, and the refused one is not.
    const inspect = createClient({ url: redis.url });
    await inspect.connect();
    const stored: number[] = [];
    for await (const key of inspect.scanIterator({ MATCH: 'ss:s:*', COUNT: 1000 })) {
      const value = decodeSessionValue((await inspect.get(key))!) as { d?: string };
      if (value.d) stored.push((JSON.parse(value.d) as { n: number }).n);
    }
    await inspect.quit();
    expect(stored.sort((a, b) => a - b)).toEqual(Array.from({ length: CALLS }, (_, n) => n));
  }, 120_000);

  it('stops after the grace period when calls do not finish, and says how many were left', async () => {
    const svc = await start({ shutdownGraceMs: 1_000 });
    proxy.hold();
    const calls = Array.from({ length: 3 }, (_, n) => write(n).catch((e: unknown) => e));
    await new Promise((r) => setTimeout(r, 1_000));
    const signalled = Date.now();
    svc.child.kill('SIGTERM');
    expect(await svc.exited).toEqual({ code: 0, signal: null });
    // 1 s of grace, plus up to 5 s for a Redis that does not answer QUIT.
    expect(Date.now() - signalled).toBeLessThan(15_000);
    expect(svc.output()).toMatch(/draining 3 calls/);
    expect(svc.output()).toMatch(/grace period over: 3 calls left unanswered/);
    expect(svc.output()).toMatch(/stopped/);
    await Promise.all(calls);
  }, 120_000);
});
