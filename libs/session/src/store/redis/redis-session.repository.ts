import type { RedisCache } from './redis-cache.provider.js';
import type { SessionKeys } from '../session-keys.js';
import type {
  Clock, CreateUserBoundResult, LoginBasketMerge, ResolvedSession, SessionCounts, SessionFields, SessionKey, SessionRepository, StoredSession, UserSessionSummary,
} from '../session-repository.js';
import { KnownExpiries } from './known-expiries.js';
import { LuaScript } from './lua-script.js';
import { kindOf, RedisSessionStats } from './session-stats.js';
import type { StoreCalls } from './store-calls.js';
import * as scripts from './session-scripts.js';

/** Compact stored form; `u` and `d` stay JSON text (see session-scripts.ts). */
interface Wire {
  c: number;
  x: number;
  a?: number;
  u?: string;
  d?: string;
  b?: 1;
  p?: string;
}

/** Sessions whose expiry each instance remembers (~150 B each): the busiest ones resolve without a script. */
const KNOWN_EXPIRIES = 50_000;

const lua = {
  resolve: new LuaScript(scripts.RESOLVE),
  patch: new LuaScript(scripts.PATCH),
  createUserBound: new LuaScript(scripts.CREATE_USER_BOUND),
  destroyUserBound: new LuaScript(scripts.DESTROY_USER_BOUND),
  destroyForUser: new LuaScript(scripts.DESTROY_FOR_USER),
  listForUser: new LuaScript(scripts.LIST_FOR_USER),
};

/**
 * Redis backend. A new session is written, and an operator's read made, through
 * cache-manager (plain SET with TTL, GET); everything that must be atomic is a single Lua
 * script on the node-redis client the cache exposes. A call never hangs: when Redis
 * answers nothing for `commandTimeoutMs`, the connection is reset and pending calls fail
 * with StoreUnavailableError.
 *
 * Each write also keeps the shop's session-count sets (RedisSessionStats) up to date, with a
 * command sent next to its own and never waited for: a resolve that does not slide sends
 * nothing more than its one script.
 */
export class RedisSessionRepository implements SessionRepository {
  private readonly keys: SessionKeys;
  private readonly redis: RedisCache;
  private readonly counts: RedisSessionStats;
  private readonly expiries = new KnownExpiries(KNOWN_EXPIRIES);

  constructor(private readonly calls: StoreCalls) {
    this.keys = calls.keys;
    this.redis = calls.redis;
    this.counts = new RedisSessionStats(calls);
    calls.preload(Object.values(lua));
  }

  async resolve(key: SessionKey, clock: Clock): Promise<ResolvedSession | null> {
    const sessionKey = this.keys.session(key);
    const unslidable = this.expiries.unslidable(sessionKey, clock);
    if (unslidable !== undefined) return this.read(key, sessionKey, unslidable, clock.now);
    const keys = [sessionKey];
    if (key.userId !== null) keys.push(this.keys.revoked(key.shopId, key.userId), this.keys.index(key.shopId, key.userId));
    const args = [String(clock.now), String(clock.idleTimeoutMs), key.handle, String(clock.touchAfterMs ?? 0)];
    const reply = (await this.run(lua.resolve, keys, args)) as [string, number, number] | null;
    if (!reply) {
      this.expiries.forget(sessionKey);
      return null;
    }
    const session = fromWire(JSON.parse(reply[0]) as Wire);
    const expiresAt = Number(reply[1]);
    const extended = reply[2] === 1;
    if (extended) this.counts.slid(key, expiresAt);
    this.expiries.saw(sessionKey, expiresAt, session.absoluteExpiresAt);
    return { session, expiresAt, extended };
  }

  /**
   * A resolve that cannot slide (see KnownExpiries) is one plain read, with no script for
   * Redis to run: GET-like MGET of the session and, for a user-bound one, its revocation mark
   * (same hash slot). The checks the script would make happen here; a session they reject
   * is left to its TTL, which ends it by its absolute expiry anyway.
   */
  private async read(key: SessionKey, sessionKey: string, expiresAt: number, now: number): Promise<ResolvedSession | null> {
    const keys = key.userId === null ? [sessionKey] : [sessionKey, this.keys.revoked(key.shopId, key.userId)];
    const [value, mark] = await this.calls.command<(string | null)[]>(sessionKey, ['MGET', ...keys], true);
    const wire = value ? (JSON.parse(value) as Wire) : null;
    if (!wire || wire.x <= now || (mark != null && (wire.a ?? 0) < Number(mark))) {
      this.expiries.forget(sessionKey);
      return null;
    }
    return { session: fromWire(wire), expiresAt, extended: false };
  }

  async create(key: SessionKey, session: StoredSession, clock: Clock): Promise<void> {
    const ttl = Math.min(clock.idleTimeoutMs, session.absoluteExpiresAt - clock.now);
    if (ttl <= 0) return;
    const sessionKey = this.keys.session(key);
    const written = this.calls.bounded(() => this.redis.cache.set(sessionKey, toWire(session), ttl));
    this.counts.added(key, clock.now + ttl);
    await written;
    this.expiries.saw(sessionKey, clock.now + ttl, session.absoluteExpiresAt);
  }

  async patch(key: SessionKey, fields: SessionFields, clock: Clock, seed?: StoredSession): Promise<boolean> {
    const wireFields: Record<string, string | null> = {};
    if (fields.user !== undefined) wireFields.u = fields.user;
    if (fields.customData !== undefined) wireFields.d = fields.customData;
    const wire: Record<string, string | number | null> = wireFields;
    if (fields.hasBasket) wire.b = 1;
    if (fields.providerSession !== undefined) wire.p = fields.providerSession;
    const reply = await this.run(lua.patch, [this.keys.session(key)], [
      String(clock.now),
      String(clock.idleTimeoutMs),
      JSON.stringify(wire),
      seed ? JSON.stringify(toWire(seed)) : '',
    ]);
    if (reply === 2) this.counts.added(key, Math.min(clock.now + clock.idleTimeoutMs, seed!.absoluteExpiresAt));
    return reply === 1 || reply === 2;
  }

  async createUserBound(key: SessionKey, session: StoredSession, clock: Clock, absoluteTimeoutMs: number, merge?: LoginBasketMerge): Promise<CreateUserBoundResult> {
    const userId = requireUser(key);
    const keys = [this.keys.session(key), this.keys.index(key.shopId, userId), this.keys.revoked(key.shopId, userId)];
    const args = [
      String(clock.now),
      String(clock.idleTimeoutMs),
      String(absoluteTimeoutMs),
      key.handle,
      JSON.stringify(toWire(session)),
      String(session.authenticatedAt ?? clock.now),
      String(session.absoluteExpiresAt),
    ];
    if (merge) {
      const customer = { shopId: key.shopId, userId };
      keys.push(this.keys.basket(customer, 'cart'), this.keys.basket(customer, 'wishlist'), this.keys.mergedMarker(key.shopId, userId, merge.guestHandle));
      args.push(
        String(merge.markerTtlMs),
        String(merge.basketTtlMs),
        String(merge.cart.expectedVersion),
        merge.cart.json ?? '',
        String(merge.wishlist.expectedVersion),
        merge.wishlist.json ?? '',
      );
    }
    const reply = Number(await this.run(lua.createUserBound, keys, args));
    if (reply === 0) return { status: 'revoked' };
    if (reply === 2) return { status: 'conflict' };
    const expiresAt = Math.min(clock.now + clock.idleTimeoutMs, session.absoluteExpiresAt);
    this.counts.added(key, expiresAt);
    this.expiries.saw(this.keys.session(key), expiresAt, session.absoluteExpiresAt);
    return { status: 'created', merged: reply === 3 };
  }

  async peek(key: SessionKey): Promise<{ session: StoredSession; expiresAt: number } | null> {
    const sessionKey = this.keys.session(key);
    // Two commands sent in the same tick travel in one write; cache-manager parses the value.
    const [wire, expiresAt] = await Promise.all([
      this.calls.bounded(() => this.redis.cache.get<Wire>(sessionKey)),
      this.calls.command<number>(sessionKey, ['PEXPIRETIME', sessionKey], true), // Redis >= 7.0
    ]);
    return wire && expiresAt > 0 ? { session: fromWire(wire), expiresAt } : null;
  }

  async destroy(key: SessionKey): Promise<boolean> {
    this.expiries.forget(this.keys.session(key));
    // cache-manager's del() does not report whether the key existed; one DEL does.
    const deleted =
      key.userId === null
        ? this.calls.command<number>(this.keys.session(key), ['DEL', this.keys.session(key)])
        : this.run(lua.destroyUserBound, [this.keys.session(key), this.keys.index(key.shopId, key.userId)], [key.handle]);
    this.counts.removed(key.shopId, kindOf(key), [key.handle]);
    return (await deleted) === 1;
  }

  async destroyForUser(shopId: string, userId: string, keepHandles: string[], clock: Clock, absoluteTimeoutMs: number): Promise<number> {
    const [destroyed, ...removed] = (await this.run(
      lua.destroyForUser,
      [this.keys.index(shopId, userId), this.keys.revoked(shopId, userId)],
      [this.keys.userSessionPrefix(shopId, userId), String(clock.now), String(absoluteTimeoutMs), ...keepHandles],
    )) as [number, ...string[]];
    this.counts.removed(shopId, 'user', removed);
    return Number(destroyed);
  }

  async listForUser(shopId: string, userId: string, clock: Clock): Promise<UserSessionSummary[]> {
    const flat = (await this.run(
      lua.listForUser,
      [this.keys.index(shopId, userId)],
      [this.keys.userSessionPrefix(shopId, userId), String(clock.now), String(clock.idleTimeoutMs)],
    )) as string[];
    const out: UserSessionSummary[] = [];
    for (let i = 0; i < flat.length; i += 4) {
      const lastSeenAt = Number(flat[i + 2]);
      const absoluteExpiresAt = Number(flat[i + 3]);
      out.push({
        handle: flat[i]!,
        createdAt: Number(flat[i + 1]),
        lastSeenAt,
        expiresAt: Math.min(lastSeenAt + clock.idleTimeoutMs, absoluteExpiresAt),
      });
    }
    return out;
  }

  stats(shopIds: string[], now: number): Promise<Map<string, SessionCounts>> {
    return this.counts.read(shopIds, now);
  }

  async ping(): Promise<void> {
    await this.calls.ping();
  }

  close(): Promise<void> {
    this.calls.stop();
    return this.redis.close();
  }

  private run(script: LuaScript, keys: string[], args: string[]): Promise<unknown> {
    return this.calls.run(script, keys, args);
  }
}

function requireUser(key: SessionKey): string {
  if (key.userId === null) throw new Error('a user-bound session key needs a userId');
  return key.userId;
}

function toWire(s: StoredSession): Wire {
  const w: Wire = { c: s.createdAt, x: s.absoluteExpiresAt };
  if (s.authenticatedAt !== undefined) w.a = s.authenticatedAt;
  if (s.user !== undefined) w.u = s.user;
  if (s.customData !== undefined) w.d = s.customData;
  if (s.hasBasket) w.b = 1;
  if (s.providerSession !== undefined) w.p = s.providerSession;
  return w;
}

function fromWire(w: Wire): StoredSession {
  const s: StoredSession = { createdAt: w.c, absoluteExpiresAt: w.x };
  if (w.a !== undefined) s.authenticatedAt = w.a;
  if (w.u !== undefined) s.user = w.u;
  if (w.d !== undefined) s.customData = w.d;
  if (w.b) s.hasBasket = true;
  if (w.p !== undefined) s.providerSession = w.p;
  return s;
}
