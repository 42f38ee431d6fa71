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

  /**
   * A resolve's read, sent in the same write (one round trip): one MGET of where the session may be
   * (a user-bound one: its own key or the user's primary key) and the user's mark, and the expiry of each place.
   */
  const isResolveRead = (trips: string[]) => {
    const read = /"mget" (.*)$/i.exec(trips[0] ?? '');
    if (!read) return false;
    const places = [...read[1]!.matchAll(/"([^"]+)"/g)].map((m) => m[1]!).filter((k) => !k.includes(':rv:'));
    const expiries = trips.slice(1).map((l) => /"pexpiretime" "([^"]+)"$/i.exec(l)?.[1]);
    return expiries.length === places.length && expiries.every((k, i) => k === places[i]);
  };

  it('resolves an existing user-bound session in exactly one round trip: a plain read while it cannot slide', async () => {
    const cookie = (await env.svc.send(Patterns.sessionLogin, { data: { user: { id: 'u-rt' } } })).session!.cookie!.value;
    const trips = await monitor.roundTripsOf(() => env.svc.send(Patterns.sessionResolve, { session: cookie }));
    expect(isResolveRead(trips)).toBe(true);
    // The session and the user's revocation mark, in one command; no script for Redis to run.
    // The service made it, so it knows where it is (the user's primary key) and reads it alone.
    expect(trips[0]).toMatch(/"mget" "[^"]+" "[^"]+:rv:[^"]+"$/i);
    expect(trips).toHaveLength(2);
  });

  it('resolves a stored guest session in one round trip, an empty guest in one, and a new visitor in none', async () => {
    const guest = (await env.svc.send(Patterns.sessionResolve, {})).session!.cookie!.value;
    expect(isResolveRead(await monitor.roundTripsOf(() => env.svc.send(Patterns.sessionResolve, { session: guest })))).toBe(true);
    await env.svc.send(Patterns.sessionUpdateCustomData, { session: guest, data: { customData: { a: 1 } } });
    expect(isResolveRead(await monitor.roundTripsOf(() => env.svc.send(Patterns.sessionResolve, { session: guest })))).toBe(true);
    expect(await monitor.roundTripsOf(() => env.svc.send(Patterns.sessionResolve, {}))).toHaveLength(0);
  });

  it('writes nothing for anonymous visitors that hold nothing', async () => {
    const writes = await monitor.roundTripsOf(async () => {
      const first = (await env.svc.send(Patterns.sessionResolve, {})).session!.cookie!.value;
      for (let i = 0; i < 5; i++) await env.svc.send(Patterns.sessionResolve, { session: first });
    });
    // Only the plain read of the missing session: no script, no write.
    expect(writes.length).toBe(10);
    for (let i = 0; i < 10; i += 2) expect(isResolveRead(writes.slice(i, i + 2))).toBe(true);
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
    await env.svc.send(Patterns.sessionLogin, { data: { user: { id: 'u-slot' } } });
    const keys = await env.inspect.keys('*u-slot*');
    expect(keys.length).toBe(4); // the user's primary session, a second session, the index that lists it, the revocation mark
    const slots = new Set(
      await Promise.all(keys.map((k) => env.inspect.sendCommand<number>(['CLUSTER', 'KEYSLOT', k]).catch(() => hashTag(k)))),
    );
    expect(slots.size).toBe(1);
  });
});

function hashTag(key: string): string {
  return key.slice(key.indexOf('{') + 1, key.indexOf('}'));
}
