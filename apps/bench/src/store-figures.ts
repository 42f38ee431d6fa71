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
  SessionKeys,
  type SessionKey,
} from '#libs/session';

const IDLE_MS = 86_400_000;
const ABSOLUTE_MS = 30 * 86_400_000;
const PREFIX = 'bench';
/** The shop of the memory figures. */
const SHOP = 'shop-a';
const keys = new SessionKeys(PREFIX);

async function replicaRepository(url: string): Promise<{ sessions: RedisSessionRepository; baskets: RedisBasketRepository }> {
  const cache = await createRedisClients({ url, connectTimeoutMs: 2_000, onError: () => {} });
  for (let i = 0; i < 200 && !cache.isReady(); i++) await new Promise((r) => setTimeout(r, 10));
  const calls = new RedisConnection(cache, PREFIX, 2_000);
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

const usedMemory = async (redis: RedisClientType) => Number(/used_memory:(\d+)/.exec(await redis.info('memory'))![1]);
/** Lets Redis's memory figures settle after a burst of writes. */
const settle = () => new Promise((r) => setTimeout(r, 300));

/** MEMORY USAGE of the keys, summed (0 for a key that does not exist). */
async function memoryUsage(redis: RedisClientType, ...names: string[]): Promise<number> {
  let total = 0;
  for (const k of names) total += Number((await redis.sendCommand(['MEMORY', 'USAGE', k, 'SAMPLES', '0'])) ?? 0);
  return total;
}

/** A 300-byte user JSON. */
function benchUser(id: string): string {
  const base = { id, email: `${id}@example.com`, name: 'Bench Shopper', roles: ['customer'], locale: 'de-DE', bio: '' };
  return JSON.stringify({ ...base, bio: 'x'.repeat(300 - JSON.stringify(base).length) });
}

/** A login of `userId` (a 300 B user) as SessionManager writes it. */
async function logIn(sessions: RedisSessionRepository, userId: string): Promise<SessionKey> {
  const key = { shopId: SHOP, handle: sessionHandle(`${userId}:${randomUUID()}`), userId };
  const now = Date.now();
  await sessions.createUserBound(
    key,
    { createdAt: now, absoluteExpiresAt: now + ABSOLUTE_MS, authenticatedAt: now, user: benchUser(userId) },
    { now, idleTimeoutMs: IDLE_MS },
    ABSOLUTE_MS,
  );
  return key;
}

/** used_memory before and after writing `n` sessions, per session: everything included (keys, index, counts, allocator). */
export async function memoryPerSession(url: string, redis: RedisClientType, n: number): Promise<MemoryFigures> {
  const { sessions, baskets } = await replicaRepository(url);
  await redis.flushAll();
  await settle();

  let base = await usedMemory(redis);
  let sampleUser: SessionKey | undefined;
  for (let i = 0; i < n; i++) {
    const key = await logIn(sessions, `user-${i}`);
    sampleUser ??= key;
  }
  await settle();
  const loggedInBytes = ((await usedMemory(redis)) - base) / n;

  base = await usedMemory(redis);
  let sampleGuest: SessionKey | undefined;
  for (let i = 0; i < n; i++) {
    const key = { shopId: SHOP, handle: sessionHandle(randomUUID()), userId: null };
    const now = Date.now();
    await sessions.create(key, { createdAt: now, absoluteExpiresAt: now + ABSOLUTE_MS, hasBasket: true }, { now, idleTimeoutMs: IDLE_MS });
    const cart = { lines: [{ productId: `p-${1000 + (i % 500)}`, variantId: 'v-1', quantity: 1, addedAt: now }] };
    await baskets.write({ shopId: SHOP, guestHandle: key.handle }, 'cart', JSON.stringify(cart), 0, IDLE_MS);
    sampleGuest ??= key;
  }
  await settle();
  const guestWithCartBytes = ((await usedMemory(redis)) - base) / n;

  const u = sampleUser!;
  const g = sampleGuest!;
  // Each user has one session: the user's primary one (session-keys.ts), with no index entry.
  const userSessionKey = keys.primarySession(SHOP, u.userId!);
  const userIndexKey = keys.index(SHOP, u.userId!);
  const guestSessionKey = keys.session(g);
  const parts = {
    userSession: await memoryUsage(redis, userSessionKey),
    userIndex: await memoryUsage(redis, userIndexKey),
    userValue: await redis.strLen(userSessionKey),
    guestSession: await memoryUsage(redis, guestSessionKey),
    cart: await memoryUsage(redis, keys.basket({ shopId: SHOP, guestHandle: g.handle }, 'cart')),
    guestValue: await redis.strLen(guestSessionKey),
  };
  const second = await logIn(sessions, u.userId!);
  const secondSession = {
    session: await memoryUsage(redis, keys.session(second)),
    index: await memoryUsage(redis, userIndexKey),
  };
  await sessions.close();
  return {
    sessions: n,
    loggedInBytes,
    guestWithCartBytes,
    parts,
    secondSession,
    expressSession: await expressSessionMemory(redis, n),
    loggedInMemoryUsage: parts.userSession + parts.userIndex,
    guestMemoryUsage: parts.guestSession + parts.cart,
  };
}

/**
 * The baseline: the same users logged in with express-session + connect-redis (its default
 * `sess:` prefix and 24-byte session IDs, a cookie as express-session saves it).
 */
async function expressSessionMemory(redis: RedisClientType, n: number): Promise<{ memoryUsage: number; bytes: number }> {
  const store = new RedisStore({ client: redis });
  await redis.flushAll();
  await settle();
  const base = await usedMemory(redis);
  let sample = '';
  for (let i = 0; i < n; i++) {
    const sid = randomBytes(24).toString('base64url');
    // express-session's own Cookie (its constructor takes the options; the typings omit them).
    const cookie = new (session.Cookie as unknown as new (o: session.CookieOptions) => session.Cookie)({
      httpOnly: true,
      sameSite: 'lax',
      maxAge: IDLE_MS,
    });
    await store.set(sid, { cookie, user: JSON.parse(benchUser(`user-${i}`)) } as unknown as session.SessionData);
    sample ||= sid;
  }
  await settle();
  return { memoryUsage: await memoryUsage(redis, `sess:${sample}`), bytes: ((await usedMemory(redis)) - base) / n };
}
