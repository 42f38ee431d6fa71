/**
 * What the session event stream costs a login: logins with events off and on, alternated on
 * one private Redis in the same run (a ratio, never an absolute speed), Redis CPU per login
 * from INFO commandstats, and the stream's memory per event.
 */
import { randomUUID } from 'node:crypto';
import type { RedisClientType } from 'redis';
import { createRedisClients, RedisSessionRepository, sessionHandle, RedisConnection } from '#libs/session';

const ABSOLUTE_MS = 30 * 86_400_000;

export interface EventCost {
  logins: number;
  /** Wall time of a login+logout pair with events on, over off (same run, alternated rounds). */
  wallRatio: number;
  /** Redis CPU (µs) per script run (the login and logout scripts), events off and on. */
  loginScriptUsOff: number;
  loginScriptUsOn: number;
  /** MEMORY USAGE of the stream over its length. */
  bytesPerEvent: number;
}

async function repository(url: string, enabled: boolean): Promise<RedisSessionRepository> {
  const cache = await createRedisClients({ url, connectTimeoutMs: 2_000, onError: () => {} });
  for (let i = 0; i < 200 && !cache.isReady(); i++) await new Promise((r) => setTimeout(r, 10));
  return new RedisSessionRepository(new RedisConnection(cache, 'bench', 2_000), Date.now, { enabled, maxLength: 1_000_000, maxAgeMs: 0 });
}

async function loginStats(redis: RedisClientType): Promise<{ calls: number; usec: number }> {
  const info = await redis.info('commandstats');
  const m = /cmdstat_evalsha:calls=(\d+),usec=(\d+)/.exec(info);
  return { calls: Number(m?.[1] ?? 0), usec: Number(m?.[2] ?? 0) };
}

/** `rounds` alternated rounds of `perRound` login+logout pairs, 20 in flight, events off then on. */
export async function eventCost(url: string, redis: RedisClientType, rounds = 6, perRound = 2_000): Promise<EventCost> {
  const repos = { off: await repository(url, false), on: await repository(url, true) };
  const wall = { off: 0, on: 0 };
  const cpu = { off: { calls: 0, usec: 0 }, on: { calls: 0, usec: 0 } };
  for (let round = 0; round < rounds * 2; round++) {
    const which = round % 2 === 0 ? 'off' : 'on';
    const repo = repos[which];
    let next = 0;
    await redis.configResetStat();
    const started = process.hrtime.bigint();
    await Promise.all(
      Array.from({ length: 20 }, async () => {
        while (next < perRound) {
          const i = next++;
          const now = Date.now();
          const key = { shopId: 'bench-ev', handle: sessionHandle(`u${i}:${randomUUID()}`), userId: `u${i}` };
          const clock = { now, idleTimeoutMs: 600_000 };
          await repo.createUserBound(
            key,
            { createdAt: now, absoluteExpiresAt: now + ABSOLUTE_MS, authenticatedAt: now, user: '{"id":"u"}' },
            clock,
            ABSOLUTE_MS,
            { actor: 'bench' },
          );
          await repo.destroy(key, 'bench');
        }
      }),
    );
    wall[which] += Number(process.hrtime.bigint() - started) / 1e6;
    const s = await loginStats(redis);
    cpu[which].calls += s.calls;
    cpu[which].usec += s.usec;
  }
  const stream = 'bench:ev:{bench-ev}';
  const bytes = Number(await redis.sendCommand(['MEMORY', 'USAGE', stream, 'SAMPLES', '0']));
  const length = Number(await redis.sendCommand(['XLEN', stream]));
  await Promise.all([repos.off.close(), repos.on.close()]);
  return {
    logins: rounds * perRound,
    wallRatio: wall.on / wall.off,
    loginScriptUsOff: cpu.off.usec / cpu.off.calls,
    loginScriptUsOn: cpu.on.usec / cpu.on.calls,
    bytesPerEvent: bytes / length,
  };
}
