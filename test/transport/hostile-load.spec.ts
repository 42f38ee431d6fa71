import { writeFileSync } from 'node:fs';
import { ClientProxyFactory, Transport, type ClientProxy } from '@nestjs/microservices';
import { firstValueFrom, timeout } from 'rxjs';
import { Patterns } from '#libs/contracts';
import { RedisServer } from '../support/redis-server.js';
import { runHostileClients, ServiceProcess } from '../support/service-process.js';
import { mintToken } from '../support/service-tokens.js';
import { ALL_SCOPES } from '../support/session-service.harness.js';

const MiB = 1_048_576;
const token = mintToken(ALL_SCOPES);

/** The real service process under hostile connection patterns; figures of latency are in `npm run bench:hostile`. */
describe('hostile connections against the service process', () => {
  let redis: RedisServer;
  let service: ServiceProcess | undefined;
  const clients: ClientProxy[] = [];

  beforeAll(async () => {
    redis = await RedisServer.start();
  });
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((c) => c.close()));
    await service?.stop();
  });
  afterAll(() => redis.stop());

  const connect = async (port: number) => {
    const client = ClientProxyFactory.create({ transport: Transport.TCP, options: { host: '127.0.0.1', port } });
    clients.push(client);
    await client.connect();
    return client;
  };
  const resolve = (client: ClientProxy) =>
    firstValueFrom(
      client.send<{ session: { isNew: boolean } }>(Patterns.sessionResolve, { auth: token, shopId: 'shop-a' }).pipe(timeout(10_000)),
    );

  /** Resolves in a loop until `until` settles; every call must succeed. */
  const normalCaller = async (client: ClientProxy, until: Promise<unknown>) => {
    let done = false;
    void until.finally(() => (done = true));
    let served = 0;
    while (!done) {
      expect((await resolve(client)).session.isNew).toBe(true);
      served++;
    }
    return served;
  };

  it('1,000 connections each trickling a 1 MiB partial frame: RSS grows by at most 64 MB, and normal callers are served', async () => {
    service = await ServiceProcess.start({ redisUrl: redis.url });
    const client = await connect(service.port);
    for (let i = 0; i < 200; i++) await resolve(client); // warm
    const baselineKiB = service.memoryKiB('VmRSS');
    writeFileSync(`/proc/${service.pid}/clear_refs`, '5'); // restart VmHWM (peak RSS) from here
    const attack = runHostileClients({
      pattern: 'trickle',
      port: service.port,
      connections: 1_000,
      frameChars: MiB,
      chunkBytes: 64 * 1024,
      trickleEveryMs: 1_000,
      durationMs: 12_000,
    });
    const served = await normalCaller(client, attack);
    const outcome = await attack;
    const growthMiB = (service.memoryKiB('VmHWM') - baselineKiB) / 1024;
    console.log(
      `trickling 1 MiB frames: ${JSON.stringify(outcome)}; normal calls served: ${served}; RSS ${Math.round(baselineKiB / 1024)} MiB + peak growth ${growthMiB.toFixed(1)} MiB`,
    );
    expect(outcome.opened).toBe(1_000);
    // The buffer budget (4 MiB by default) closed connections long before each held 1 MiB.
    expect(outcome.closedByService).toBeGreaterThan(100);
    expect(outcome.bytesSent).toBeGreaterThan(64 * MiB);
    expect(growthMiB).toBeLessThanOrEqual(64);
    expect(served).toBeGreaterThan(10);
    expect(service.output()).toMatch(/partial frames above the buffer budget/);
    expect(service.isRunning()).toBe(true);
  }, 180_000);

  it('the same flood with no other caller: RSS grows by at most 32 MiB, as reads leave no buffers behind', async () => {
    service = await ServiceProcess.start({ redisUrl: redis.url });
    const client = await connect(service.port);
    for (let i = 0; i < 200; i++) await resolve(client); // warm
    const baselineKiB = service.memoryKiB('VmRSS');
    writeFileSync(`/proc/${service.pid}/clear_refs`, '5');
    const outcome = await runHostileClients({
      pattern: 'trickle',
      port: service.port,
      connections: 1_000,
      frameChars: MiB,
      chunkBytes: 64 * 1024,
      trickleEveryMs: 1_000,
      durationMs: 8_000,
    });
    const growthMiB = (service.memoryKiB('VmHWM') - baselineKiB) / 1024;
    console.log(
      `trickling 1 MiB frames, no other caller: ${JSON.stringify(outcome)}; RSS ${Math.round(baselineKiB / 1024)} MiB + peak growth ${growthMiB.toFixed(1)} MiB`,
    );
    expect(outcome.opened).toBe(1_000);
    expect(outcome.bytesSent).toBeGreaterThan(64 * MiB);
    // Sockets and their objects (about 5 MiB) and the 4 MiB pool. With no caller there is little
    // to start a collection: when each read had a buffer of its own, 35-43 MiB of them stayed.
    expect(growthMiB).toBeLessThanOrEqual(32);
    expect((await resolve(client)).session.isNew).toBe(true);
  }, 180_000);

  it('2,000 silent connections under a 1,024 open-file limit: connected callers and /health are served, new callers again after the idle timeout', async () => {
    service = await ServiceProcess.start({ redisUrl: redis.url, openFiles: 1_024, sessionConfig: { transport: { idleTimeoutMs: 3_000 } } });
    const svc = service;
    expect(svc.output()).toMatch(/at most 896 connections/);
    const client = await connect(svc.port);
    await resolve(client);
    const flood = runHostileClients({ pattern: 'silent', port: svc.port, count: 2_000, holdMs: 12_000 });
    // While the 2,000 connections are held: the connected caller and /health are served.
    await svc.waitForLine(/refused a TCP connection/, 30_000);
    for (let i = 0; i < 20; i++) expect((await resolve(client)).session.isNew).toBe(true);
    expect((await fetch(svc.healthUrl)).status).toBe(200);
    const outcome = await flood;
    expect(outcome.opened).toBe(2_000); // the kernel accepts them all; the service closes those over its cap at once
    // The rest were closed by the idle timeout (3 s, plus a sweep) within the 12 s they were held.
    expect(outcome.closedByService).toBe(2_000);
    expect(svc.output().match(/refused a TCP connection/g)?.length).toBeLessThanOrEqual(2);
    expect((await resolve(await connect(svc.port))).session.isNew).toBe(true);
    expect(svc.output()).not.toMatch(/EMFILE|too many open files/i);
  }, 180_000);
});
