/**
 * Bounded work per Redis command, at scale: a user with many sessions listed and
 * force-logged-out, and admin.stats over count buckets that were not pruned for a day.
 * Reports each step's slowest command (SLOWLOG, wall time: inflated on a busy machine) and
 * Redis's CPU time per script (INFO cpu, the steadier figure).
 */
import type { RedisClientType } from 'redis';
import {
  COUNT_BUCKETS,
  createRedisClients,
  encodeSessionValue,
  RedisSessionRepository,
  SessionKeys,
  sessionHandle,
  RedisConnection,
} from '#libs/session';
import { slowestLogged, startSlowlog } from './slowlog.js';

const IDLE_MS = 86_400_000;
const PREFIX = 'bench';

export interface StepFigures {
  step: string;
  scripts: number;
  cpuMsPerScript: number;
  slowestMs: number;
  slowestCommand: string;
}

export async function boundedWork(url: string, redis: RedisClientType, sessionsOfOneUser: number): Promise<StepFigures[]> {
  const cache = await createRedisClients({ url, connectTimeoutMs: 5_000, onError: () => {} });
  for (let i = 0; i < 500 && !cache.isReady(); i++) await new Promise((r) => setTimeout(r, 10));
  const repo = new RedisSessionRepository(new RedisConnection(cache, PREFIX, 30_000));
  const keys = new SessionKeys(PREFIX);
  await redis.flushAll();
  const [s] = (await redis.sendCommand(['TIME'])) as string[];
  const now = Number(s) * 1000;
  for (let start = 0; start < sessionsOfOneUser; start += 5_000) {
    const batch = redis.multi();
    for (let i = start; i < Math.min(start + 5_000, sessionsOfOneUser); i++) {
      const handle = sessionHandle(`u-many:${i}`);
      const value = encodeSessionValue({ c: now, x: now + IDLE_MS, a: now - 1_000, u: `{"id":"u-many","bio":"${'x'.repeat(270)}"}` });
      batch.set(keys.session({ shopId: 'shop', handle, userId: 'u-many' }), value, { PX: IDLE_MS });
      batch.zAdd(keys.index('shop', 'u-many'), { score: now - i, value: handle });
    }
    await batch.exec(false);
  }
  // Every minute of a 24 h idle window to come, and a day of passed minutes nobody pruned.
  const minute = Math.floor(now / 60_000);
  const fields: Record<string, string> = { n: String(2_881 * 700), lo: String(minute - 1_440) };
  for (let m = minute - 1_440; m <= minute + 1_440; m++) fields[String(m)] = '700';
  for (let b = 0; b < COUNT_BUCKETS; b++) {
    await redis.hSet(keys.stats('shop', 'user', b), fields);
    await redis.hSet(keys.stats('shop', 'guest', b), fields);
  }

  const cpuSeconds = async () => {
    const info = await redis.info('cpu');
    return Number(/used_cpu_user:([\d.]+)/.exec(info)![1]) + Number(/used_cpu_sys:([\d.]+)/.exec(info)![1]);
  };
  const scriptCalls = async () => Number(/cmdstat_evalsha:calls=(\d+)/.exec(await redis.info('commandstats'))?.[1] ?? 0);
  await startSlowlog(redis);
  const out: StepFigures[] = [];
  const step = async (name: string, run: () => Promise<unknown>) => {
    await redis.sendCommand(['SLOWLOG', 'RESET']);
    const [cpu0, calls0] = [await cpuSeconds(), await scriptCalls()];
    await run();
    const [cpu1, calls1] = [await cpuSeconds(), await scriptCalls()];
    const slowest = await slowestLogged(redis);
    out.push({
      step: name,
      scripts: calls1 - calls0,
      cpuMsPerScript: ((cpu1 - cpu0) * 1000) / Math.max(1, calls1 - calls0),
      slowestMs: slowest.ms,
      slowestCommand: slowest.command,
    });
  };
  const clock = { now: Date.now(), idleTimeoutMs: IDLE_MS };
  await step(`list a user with ${sessionsOfOneUser.toLocaleString('en')} sessions`, () => repo.listForUser('shop', 'u-many', clock));
  await step(`force-logout of that user (with its count writes)`, () => repo.destroyForUser('shop', 'u-many', [], clock, IDLE_MS));
  await step('admin.stats over 32 buckets of 2 × 1,440 minutes (a day unpruned)', () => repo.stats(['shop'], Date.now()));
  await step('1,000 guest creates with their count writes and pruning steps', async () => {
    for (let i = 0; i < 1_000; i++) {
      const t = Date.now();
      await repo.create(
        { shopId: 'shop', handle: sessionHandle(`g-${i}`), userId: null },
        { createdAt: t, absoluteExpiresAt: t + IDLE_MS, customData: '{}' },
        { now: t, idleTimeoutMs: IDLE_MS },
      );
    }
    await new Promise((r) => setTimeout(r, 200));
  });
  await redis.sendCommand(['CONFIG', 'SET', 'slowlog-log-slower-than', '10000']);
  await repo.close();
  return out;
}
