import { Patterns } from '#libs/contracts';
import { RedisMonitor } from '../support/redis-monitor.js';
import { serviceWithRedis } from '../support/service-with-redis.js';

describe('what reaches Redis', () => {
  const env = serviceWithRedis({ inspect: true });
  let monitor: RedisMonitor;
  beforeAll(async () => {
    monitor = await RedisMonitor.attach(env.redis.port);
  });
  afterAll(() => monitor.close());

  it('resolves an existing user-bound session in exactly one round trip: a plain read while it cannot slide', async () => {
    const cookie = (await env.svc.send(Patterns.sessionLogin, { data: { user: { id: 'u-rt' } } })).session!.cookie!.value;
    const trips = await monitor.roundTripsOf(() => env.svc.send(Patterns.sessionResolve, { session: cookie }));
    expect(trips).toHaveLength(1);
    // The session and the user's revocation mark, in one command; no script for Redis to run.
    expect(trips[0]).toMatch(/"mget" "[^"]+" "[^"]+:rv:[^"]+"$/i);
  });

  it('resolves a stored guest session in one round trip, an empty guest in one, and a new visitor in none', async () => {
    const guest = (await env.svc.send(Patterns.sessionResolve, {})).session!.cookie!.value;
    expect(await monitor.roundTripsOf(() => env.svc.send(Patterns.sessionResolve, { session: guest }))).toHaveLength(1);
    await env.svc.send(Patterns.sessionUpdateCustomData, { session: guest, data: { customData: { a: 1 } } });
    expect(await monitor.roundTripsOf(() => env.svc.send(Patterns.sessionResolve, { session: guest }))).toHaveLength(1);
    expect(await monitor.roundTripsOf(() => env.svc.send(Patterns.sessionResolve, {}))).toHaveLength(0);
  });

  it('writes nothing for anonymous visitors that hold nothing', async () => {
    const writes = await monitor.roundTripsOf(async () => {
      const first = (await env.svc.send(Patterns.sessionResolve, {})).session!.cookie!.value;
      for (let i = 0; i < 5; i++) await env.svc.send(Patterns.sessionResolve, { session: first });
    });
    // Only the plain read of the missing session: no script, no write.
    expect(writes.length).toBe(5);
    expect(writes.every((l) => /"mget"/i.test(l))).toBe(true);
    expect(monitor.lines.filter((l) => /"(set|pexpire|pexpireat|zadd|hincrby|evalsha)"/i.test(l))).toEqual([]);
  });

  it('never stores a raw session ID: not in keys, not in values', async () => {
    await env.inspect.flushAll();
    const guest = (await env.svc.send(Patterns.sessionResolve, {})).session!;
    await env.svc.send(Patterns.sessionUpdateCustomData, { session: guest.cookie!.value, data: { customData: { x: 1 } } });
    const user = (await env.svc.send(Patterns.sessionLogin, { data: { user: { id: 'u-raw' } } })).session!;
    const secrets = [guest.id!, user.id!, user.id!.split(':')[1]!];

    const keys = await env.inspect.keys('*');
    expect(keys.length).toBeGreaterThanOrEqual(3);
    for (const key of keys) {
      const type = await env.inspect.type(key);
      const content =
        type === 'string' ? await env.inspect.get(key) : type === 'zset' ? (await env.inspect.zRange(key, 0, -1)).join(' ') : '';
      for (const secret of secrets) {
        expect(key).not.toContain(secret);
        expect(content).not.toContain(secret);
      }
    }
  });

  it('keeps a user’s sessions, index and revocation mark in one cluster hash slot', async () => {
    await env.inspect.flushAll();
    await env.svc.send(Patterns.sessionLogin, { data: { user: { id: 'u-slot' } } });
    await env.svc.send(Patterns.sessionLogin, { data: { user: { id: 'u-slot' } } });
    await env.svc.send(Patterns.sessionDestroyForUser, { data: { userId: 'u-slot', sessionsToKeep: [] } });
    await env.svc.send(Patterns.sessionLogin, { data: { user: { id: 'u-slot' } } });
    const keys = await env.inspect.keys('*u-slot*');
    expect(keys.length).toBe(3); // one session, the index, the revocation mark
    const slots = new Set(await Promise.all(keys.map((k) => env.inspect.sendCommand<number>(['CLUSTER', 'KEYSLOT', k]).catch(() => hashTag(k)))));
    expect(slots.size).toBe(1);
  });
});

function hashTag(key: string): string {
  return key.slice(key.indexOf('{') + 1, key.indexOf('}'));
}
