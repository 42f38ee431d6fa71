import { randomUUID } from 'node:crypto';
import { createClient } from 'redis';
import {
  MemoryLoginThrottleRepository,
  RedisLoginThrottleRepository,
  type LoginThrottleRepository,
  type ThrottleSubject,
} from '#libs/session';
import { RedisServer, sleep } from '../support/redis-server.js';
import { connectRedisStore } from '../support/redis-store-connection.js';

const WINDOW = { maxFailures: 3, windowMs: 60_000 };
/** Short locks: the Redis store runs on Redis's real clock. */
const LOCK = { lockMs: 300, maxLockMs: 500 };

interface Backend {
  repo: LoginThrottleRepository;
  /** Lets `ms` pass for the store. */
  advance(ms: number): Promise<void>;
  close(): Promise<void>;
}

/** The LoginThrottleRepository behaviour, on both backends. */
function throttleContract(name: string, open: () => Promise<Backend>): void {
  describe(`LoginThrottleRepository: ${name}`, () => {
    let b: Backend;
    beforeEach(async () => {
      b = await open();
    });
    afterEach(() => b.close());
    const subject = (kind: ThrottleSubject['kind'] = 'account'): ThrottleSubject => ({ shopId: 'shop-a', kind, hash: randomUUID() });
    const fail = async (s: ThrottleSubject) => {
      expect(await b.repo.attempt(s, WINDOW, randomUUID())).toEqual({ allowed: true });
      return b.repo.failed(s, WINDOW, LOCK);
    };

    it('locks after maxFailures failures, refusing with the time left, and never counts refused attempts', async () => {
      const s = subject();
      expect(await fail(s)).toEqual({ lockedForMs: null, level: 0 });
      expect(await fail(s)).toEqual({ lockedForMs: null, level: 0 });
      expect(await fail(s)).toEqual({ lockedForMs: 300, level: 1 });
      const refused = await b.repo.attempt(s, WINDOW, randomUUID());
      expect(refused.allowed).toBe(false);
      if (!refused.allowed) {
        expect(refused.retryAfterMs).toBeGreaterThan(0);
        expect(refused.retryAfterMs).toBeLessThanOrEqual(300);
      }
      // Another subject of the same shop is not affected.
      expect(await b.repo.attempt(subject(), WINDOW, randomUUID())).toEqual({ allowed: true });
    });

    it('counts attempts in flight: no more than maxFailures pass before any of them failed', async () => {
      const s = subject();
      const results = await Promise.all(Array.from({ length: 10 }, () => b.repo.attempt(s, WINDOW, randomUUID())));
      expect(results.filter((r) => r.allowed)).toHaveLength(3);
      const refused = results.find((r) => !r.allowed);
      if (refused && !refused.allowed) expect(refused.retryAfterMs).toBeLessThanOrEqual(WINDOW.windowMs);
    });

    it('doubles the lock at each lock-out in a row, up to maxLockMs', async () => {
      const s = subject();
      for (const [expected, level] of [
        [300, 1],
        [500, 2],
        [500, 3],
      ] as const) {
        await fail(s);
        await fail(s);
        expect(await fail(s)).toEqual({ lockedForMs: expected, level });
        await b.advance(expected + 50);
      }
    });

    it('a reset forgets failures and lock-outs; a release drops one attempt', async () => {
      const s = subject();
      await fail(s);
      await fail(s);
      await b.repo.reset(s);
      await fail(s);
      await fail(s);
      expect((await fail(s)).lockedForMs).toBe(300); // three after the reset, level 1 again

      const c = subject('client');
      const tokens = [randomUUID(), randomUUID(), randomUUID()];
      for (const t of tokens) expect(await b.repo.attempt(c, WINDOW, t)).toEqual({ allowed: true });
      expect((await b.repo.attempt(c, WINDOW, randomUUID())).allowed).toBe(false);
      await b.repo.release(c, tokens[0]!);
      expect(await b.repo.attempt(c, WINDOW, randomUUID())).toEqual({ allowed: true });
    });
  });
}

throttleContract('memory', async () => {
  let now = Date.parse('2026-05-01T08:00:00.000Z');
  return {
    repo: new MemoryLoginThrottleRepository(() => now),
    advance: async (ms) => {
      now += ms;
    },
    close: async () => {},
  };
});

let redis: RedisServer;
beforeAll(async () => {
  redis = await RedisServer.start();
});
afterAll(() => redis.stop());

throttleContract('redis', async () => {
  const store = await connectRedisStore(redis.url);
  return { repo: new RedisLoginThrottleRepository(store.calls), advance: (ms) => sleep(ms), close: () => store.close() };
});

describe('redis login-throttle keys', () => {
  it('are hash-tagged per (shop, subject), carry only the hash, and expire', async () => {
    const store = await connectRedisStore(redis.url);
    const inspect = createClient({ url: redis.url });
    await inspect.connect();
    try {
      const repo = new RedisLoginThrottleRepository(store.calls);
      const s: ThrottleSubject = { shopId: 'shop-k', kind: 'client', hash: 'h4sh' };
      for (let i = 0; i < 3; i++) {
        await repo.attempt(s, WINDOW, randomUUID());
        await repo.failed(s, WINDOW, LOCK);
      }
      const keys = (await inspect.keys('test:lt:{shop-k*')).sort();
      expect(keys).toEqual(['test:lt:{shop-k|k:h4sh}:l']); // the attempts went with the lock-out
      expect(await inspect.pTTL(keys[0]!)).toBeGreaterThan(0);
      expect(await inspect.pTTL(keys[0]!)).toBeLessThanOrEqual(LOCK.lockMs + WINDOW.windowMs);
      await repo.attempt({ ...s, kind: 'account', hash: 'other' }, WINDOW, 't');
      expect(await inspect.pTTL('test:lt:{shop-k|a:other}:n')).toBeGreaterThan(WINDOW.windowMs - 5_000);
    } finally {
      await inspect.quit();
      await store.close();
    }
  });
});
