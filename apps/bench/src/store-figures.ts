/**
 * Store figures that need no RPC: how often a resolve takes the script path behind many
 * replicas, and the Redis memory one session costs, everything included. Both run the real
 * repository on a private redis-server.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import RedisStore from 'connect-redis';
import session from 'express-session';
import type { RedisClientType } from 'redis';
import {
  createRedisClients,
  RedisBasketRepository,
  RedisSessionRepository,
  sessionHandle,
  RedisConnection,
  type SessionKey,
} from '#libs/session';

const IDLE_MS = 86_400_000;
const ABSOLUTE_MS = 30 * 86_400_000;

async function replicaRepository(url: string): Promise<{ sessions: RedisSessionRepository; baskets: RedisBasketRepository }> {
  const cache = await createRedisClients({ url, connectTimeoutMs: 2_000, onError: () => {} });
  for (let i = 0; i < 200 && !cache.isReady(); i++) await new Promise((r) => setTimeout(r, 10));
  const calls = new RedisConnection(cache, 'bench', 2_000);
  return { sessions: new RedisSessionRepository(calls), baskets: new RedisBasketRepository(calls) };
}

async function commandCalls(redis: RedisClientType): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  for (const m of (await redis.info('commandstats')).matchAll(/cmdstat_(\w+):calls=(\d+)/g)) out.set(m[1]!, Number(m[2]));
  return out;
}

export interface ReplicaShare {
  replicas: number;
  resolvesPerTouchAfter: number;
  resolves: number;
  scriptRuns: number;
  /** Resolves that slid with plain commands (a second round trip, no script). */
  slides: number;
}

/**
 * `replicas` repositories on one Redis, each resolve sent to the next one (round-robin), as
 * behind a load balancer. Time is scaled down (touchAfter 1 s) so a few seconds cover many
 * touchAfter windows; each session is resolved `resolvesPerTouchAfter` times per window.
 */
export async function scriptShareBehindReplicas(
  url: string,
  redis: RedisClientType,
  replicas: number,
  resolvesPerTouchAfter: number,
  seconds: number,
): Promise<ReplicaShare> {
  const repos = await Promise.all(Array.from({ length: replicas }, () => replicaRepository(url)));
  const touchAfterMs = 1_000;
  const clock = () => ({ now: Date.now(), idleTimeoutMs: 10_000, touchAfterMs });
  const sessions = 50;
  const keys: SessionKey[] = [];
  for (let i = 0; i < sessions; i++) {
    const key = { shopId: 'bench', handle: sessionHandle(`u-${i}:${randomUUID()}`), userId: `u-${i}` };
    const c = clock();
    await repos[i % replicas]!.sessions.createUserBound(
      key,
      { createdAt: c.now, absoluteExpiresAt: c.now + ABSOLUTE_MS, authenticatedAt: c.now, user: '{"id":"u"}' },
      c,
      ABSOLUTE_MS,
    );
    keys.push(key);
  }
  const before = await commandCalls(redis);
  for (const r of repos) Object.assign(r.sessions.resolvePaths, { read: 0, slide: 0, script: 0 });
  const gapMs = touchAfterMs / resolvesPerTouchAfter;
  const end = Date.now() + seconds * 1000;
  let next = 0;
  let resolves = 0;
  let missing = 0;
  while (Date.now() < end) {
    const round = Date.now();
    await Promise.all(
      keys.map(async (key) => {
        const found = await repos[next++ % replicas]!.sessions.resolve(key, clock());
        resolves++;
        if (!found) missing++;
      }),
    );
    const wait = gapMs - (Date.now() - round);
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
  }
  const after = await commandCalls(redis);
  await Promise.all(repos.map((r) => r.sessions.close()));
  if (missing > 0) throw new Error(`${missing} resolves lost their session`);
  const scriptRuns = repos.reduce((n, r) => n + r.sessions.resolvePaths.script, 0);
  const slides = repos.reduce((n, r) => n + r.sessions.resolvePaths.slide, 0);
  const reads = (after.get('mget') ?? 0) - (before.get('mget') ?? 0);
  if (reads !== resolves) throw new Error(`expected one MGET per resolve, saw ${reads} for ${resolves}`);
  return { replicas, resolvesPerTouchAfter, resolves, scriptRuns, slides };
}

export interface MemoryFigures {
  sessions: number;
  loggedInBytes: number;
  guestWithCartBytes: number;
  loggedInMemoryUsage: number;
  guestMemoryUsage: number;
  /** MEMORY USAGE of each key of the samples, and STRLEN of their session values. */
  parts: { userSession: number; userIndex: number; userValue: number; guestSession: number; cart: number; guestValue: number };
  /** A second session of the sample user: its own key, and the index that lists it. */
  secondSession: { session: number; index: number };
  /** The same logged-in sessions stored by express-session + connect-redis, in the same run. */
  expressSession: { memoryUsage: number; bytes: number };
}

/** used_memory before and after writing `n` sessions, per session: everything included (keys, index, counts, allocator). */
export async function memoryPerSession(url: string, redis: RedisClientType, n: number): Promise<MemoryFigures> {
  const { sessions, baskets } = await replicaRepository(url);
  const used = async () => Number(/used_memory:(\d+)/.exec(await redis.info('memory'))![1]);
  const settle = () => new Promise((r) => setTimeout(r, 300));
  /** A 300-byte user JSON. */
  const user = (id: string) => {
    const base = { id, email: `${id}@example.com`, name: 'Bench Shopper', roles: ['customer'], locale: 'de-DE', bio: '' };
    return JSON.stringify({ ...base, bio: 'x'.repeat(300 - JSON.stringify(base).length) });
  };
  await redis.flushAll();
  await settle();

  let base = await used();
  let sampleUser: SessionKey | undefined;
  for (let i = 0; i < n; i++) {
    const userId = `user-${i}`;
    const key = { shopId: 'shop-a', handle: sessionHandle(`${userId}:${randomUUID()}`), userId };
    const now = Date.now();
    await sessions.createUserBound(
      key,
      { createdAt: now, absoluteExpiresAt: now + ABSOLUTE_MS, authenticatedAt: now, user: user(userId) },
      { now, idleTimeoutMs: IDLE_MS },
      ABSOLUTE_MS,
    );
    sampleUser ??= key;
  }
  await settle();
  const loggedInBytes = ((await used()) - base) / n;

  base = await used();
  let sampleGuest: SessionKey | undefined;
  for (let i = 0; i < n; i++) {
    const key = { shopId: 'shop-a', handle: sessionHandle(randomUUID()), userId: null };
    const now = Date.now();
    await sessions.create(key, { createdAt: now, absoluteExpiresAt: now + ABSOLUTE_MS, hasBasket: true }, { now, idleTimeoutMs: IDLE_MS });
    const cart = { lines: [{ productId: `p-${1000 + (i % 500)}`, variantId: 'v-1', quantity: 1, addedAt: now }] };
    await baskets.write({ shopId: 'shop-a', guestHandle: key.handle }, 'cart', JSON.stringify(cart), 0, IDLE_MS);
    sampleGuest ??= key;
  }
  await settle();
  const guestWithCartBytes = ((await used()) - base) / n;

  const usage = async (...keys: string[]) => {
    let total = 0;
    for (const k of keys) total += Number((await redis.sendCommand(['MEMORY', 'USAGE', k, 'SAMPLES', '0'])) ?? 0);
    return total;
  };
  const prefix = 'bench';
  const u = sampleUser!;
  const g = sampleGuest!;
  // Each user has one session: the user's primary one (session-keys.ts), with no index entry.
  const userSessionKey = `${prefix}:s:{shop-a|u:${u.userId}}`;
  const guestSessionKey = `${prefix}:s:{shop-a|g:${g.handle}}`;
  const parts = {
    userSession: await usage(userSessionKey),
    userIndex: await usage(`${prefix}:ix:{shop-a|u:${u.userId}}`),
    userValue: await redis.strLen(userSessionKey),
    guestSession: await usage(guestSessionKey),
    cart: await usage(`${prefix}:cart:{shop-a|g:${g.handle}}`),
    guestValue: await redis.strLen(guestSessionKey),
  };
  const second = { ...u, handle: sessionHandle(`${u.userId}:${randomUUID()}`) };
  const now = Date.now();
  await sessions.createUserBound(
    second,
    { createdAt: now, absoluteExpiresAt: now + ABSOLUTE_MS, authenticatedAt: now, user: user(u.userId!) },
    { now, idleTimeoutMs: IDLE_MS },
    ABSOLUTE_MS,
  );
  const secondSession = {
    session: await usage(`${prefix}:s:{shop-a|u:${u.userId}}:${second.handle}`),
    index: await usage(`${prefix}:ix:{shop-a|u:${u.userId}}`),
  };
  await sessions.close();
  return {
    sessions: n,
    loggedInBytes,
    guestWithCartBytes,
    parts,
    secondSession,
    expressSession: await expressSessionMemory(redis, n, user, used, settle, usage),
    loggedInMemoryUsage: parts.userSession + parts.userIndex,
    guestMemoryUsage: parts.guestSession + parts.cart,
  };
}

/**
 * The baseline: the same users logged in with express-session + connect-redis (its default
 * `sess:` prefix and 24-byte session IDs, a cookie as express-session saves it).
 */
async function expressSessionMemory(
  redis: RedisClientType,
  n: number,
  user: (id: string) => string,
  used: () => Promise<number>,
  settle: () => Promise<unknown>,
  usage: (...keys: string[]) => Promise<number>,
): Promise<{ memoryUsage: number; bytes: number }> {
  const store = new RedisStore({ client: redis });
  await redis.flushAll();
  await settle();
  const base = await used();
  let sample = '';
  for (let i = 0; i < n; i++) {
    const sid = randomBytes(24).toString('base64url');
    // express-session's own Cookie (its constructor takes the options; the typings omit them).
    const cookie = new (session.Cookie as unknown as new (o: session.CookieOptions) => session.Cookie)({
      httpOnly: true,
      sameSite: 'lax',
      maxAge: IDLE_MS,
    });
    await store.set(sid, { cookie, user: JSON.parse(user(`user-${i}`)) } as unknown as session.SessionData);
    sample ||= sid;
  }
  await settle();
  return { memoryUsage: await usage(`sess:${sample}`), bytes: ((await used()) - base) / n };
}
