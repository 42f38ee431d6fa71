import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ErrorCodes, Patterns } from '#libs/contracts';
import { RedisServer, sleep } from '../support/redis-server.js';
import { ServiceHarness } from '../support/session-service.harness.js';

interface Acked {
  cookie: string;
  value: string;
}

/**
 * Redis with AOF and `appendfsync always` is killed with SIGKILL while the service writes,
 * then restarted on the same files: every write the service acknowledged is there.
 */
describe('kill -9 of Redis under write load (AOF, appendfsync always)', () => {
  let redis: RedisServer;
  let svc: ServiceHarness;

  beforeAll(async () => {
    const dir = mkdtempSync(join(tmpdir(), 'redis-aof-'));
    redis = await RedisServer.start(['--appendonly', 'yes', '--appendfsync', 'always', '--dir', dir]);
    svc = await ServiceHarness.start({ redisUrl: redis.url });
  });
  afterAll(async () => {
    await svc?.stop();
    await redis?.stop();
  });

  it('keeps every acknowledged write; calls during the outage fail with STORE_UNAVAILABLE', async () => {
    const acked: Acked[] = [];
    const failures = new Map<string, number>();
    let writing = true;
    let next = 0;
    // Each write stores a new guest session holding a unique value; the cookie finds it again.
    const worker = async () => {
      while (writing) {
        const value = `v${next++}`;
        try {
          const reply = await svc.send(Patterns.sessionUpdateCustomData, { data: { customData: { value } } });
          acked.push({ cookie: reply.session!.cookie!.value, value });
        } catch (e) {
          const code = (e as { code?: string }).code ?? String(e);
          failures.set(code, (failures.get(code) ?? 0) + 1);
          await sleep(5);
        }
      }
    };
    const workers = Array.from({ length: 8 }, worker);

    // Kill once writes are flowing, however slowly a loaded machine gets there.
    for (let waited = 0; acked.length <= 20 && waited < 30_000; waited += 50) await sleep(50);
    const beforeKill = acked.length;
    await redis.stop(); // SIGKILL
    await sleep(500);
    await redis.restart(); // the same port and --dir: the AOF is replayed
    await svc.waitHealthy(15_000);
    await sleep(500);
    writing = false;
    await Promise.all(workers);

    expect(beforeKill).toBeGreaterThan(20);
    expect(acked.length).toBeGreaterThan(beforeKill);
    expect([...failures.keys()].filter((code) => code !== ErrorCodes.storeUnavailable)).toEqual([]);
    const lost: Acked[] = [];
    for (const write of acked) {
      const reply = await svc.send<{ customData: { value?: string } }>(Patterns.sessionResolve, { session: write.cookie });
      if (reply.session!.isNew || reply.data.customData.value !== write.value) lost.push(write);
    }
    expect({ acknowledged: acked.length, lost }).toEqual({ acknowledged: acked.length, lost: [] });
  }, 120_000);
});
