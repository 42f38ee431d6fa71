import { idleExpiry, isRevoked, pastAbsoluteExpiry, slideDue } from '../../core/session-rules.js';
import type { RedisClients } from './redis-clients.js';
import type { SessionKeys } from '../session-keys.js';
import type {
  Clock,
  CreateUserBoundOptions,
  CreateUserBoundResult,
  ResolvedSession,
  SessionCounts,
  SessionFields,
  SessionKey,
  SessionRepository,
  StoredSession,
  UserSessionSummary,
} from '../session-repository.js';
import type { SessionEventSettings } from '../../events/session-event-settings.js';
import { LuaScript } from './lua-script.js';
import { RedisSessionEvents } from './redis-session-events.js';
import { ServerClock } from './server-clock.js';
import { countScripts, RedisSessionStats } from './session-stats.js';
import type { RedisConnection } from './redis-connection.js';
import * as scripts from './session-scripts.js';
import { rotateCall, rotateOutcome, rotateScript } from './rotate-session.js';
import type { ReauthUpdate, RotateResult } from '../session-rotation.js';
import { BoundedCache } from '../../util/bounded-cache.js';
import { encodeSessionValue } from './session-value.js';
import { fromWire, parseWire, toWire, type Wire } from './session-wire.js';
import { pairs, RedisUserSessions, userSessionsScripts } from './redis-user-sessions.js';

/** A session as one round trip read it: where it lives, its fields, its key's expiry, the user's revocation mark. */
interface Found {
  sessionKey: string;
  /** False for a user's primary session, which has no index entry. */
  indexed: boolean;
  wire: Wire;
  current: number;
  mark: string | null;
}

/** User-bound sessions whose place one instance remembers: about 100 B each. */
const PLACES_REMEMBERED = 50_000;

/**
 * A slide whose target (by this replica's estimate of Redis's now) is this close to the
 * absolute expiry goes to the absolute expiry itself: far more than the estimate's error
 * (half a round trip), so an idle slide on Redis's clock never passes the absolute end.
 */
const ABSOLUTE_MARGIN_MS = 1_000;

const lua = {
  resolve: new LuaScript(scripts.RESOLVE),
  patch: new LuaScript(scripts.PATCH),
  createGuest: new LuaScript(scripts.CREATE_GUEST),
  createUserBound: new LuaScript(scripts.CREATE_USER_BOUND),
  destroy: new LuaScript(scripts.DESTROY),
};

/**
 * Redis backend. Reads are plain commands and every write is a single Lua script, on the
 * node-redis client the cache exposes; the value is session-value.ts's encoding (the former
 * JSON form is still read). A call never hangs: when Redis
 * answers nothing for `commandTimeoutMs`, the connection is reset and pending calls fail
 * with StoreUnavailableError.
 *
 * Expiry and revocation are decided on Redis's clock (TIME in the scripts, PXAT on the keys);
 * this process's clock only serves to translate the caller's instants (ServerClock).
 *
 * A resolve is one round trip: an MGET of the session and its revocation mark, with the key's
 * PEXPIRETIME, so any replica can tell whether a slide is due. A user-bound session may be the
 * user's primary one (session-keys.ts): read() knows where, or reads both places in that MGET.
 * A slide is one more round trip
 * of plain commands (PEXPIRE ... GT, and the index's last-seen), at most once per
 * touchAfter per session; only a session that is ending (revoked, past its absolute end)
 * goes to the resolve script.
 *
 * Each write also keeps the shop's session counts (RedisSessionStats) up to date, with
 * commands sent next to its own and never waited for, and writes its session events with its
 * script (RedisSessionEvents).
 */
export class RedisSessionRepository implements SessionRepository {
  private readonly keys: SessionKeys;
  private readonly redis: RedisClients;
  private readonly counts: RedisSessionStats;
  private readonly userSessions: RedisUserSessions;
  /** Where user-bound sessions seen lately live (see read()); forgetting one costs a read of both places. */
  private readonly places = new BoundedCache<string, 'own' | 'primary'>(PLACES_REMEMBERED);
  readonly events: RedisSessionEvents;
  private readonly serverClock = new ServerClock();
  private sampling: Promise<void> | null = null;
  /** How resolves went: a plain read only, or on to the script (for the bench and operators). */
  readonly resolvePaths = { read: 0, slide: 0, script: 0 };

  constructor(
    private readonly calls: RedisConnection,
    /** This process's wall clock, the one its callers' `Clock.now` comes from. */
    private readonly wallClock: () => number = Date.now,
    events?: SessionEventSettings,
    /** `primarySessions: false`: logins never take a user's primary key (sessions already there are still served). */
    private readonly layout: { primarySessions: boolean } = { primarySessions: true },
  ) {
    this.events = new RedisSessionEvents(calls, events);
    this.keys = calls.keys;
    this.redis = calls.redis;
    this.counts = new RedisSessionStats(calls);
    this.userSessions = new RedisUserSessions(this.keys, this.events, this.counts);
    calls.preload([...Object.values(lua), ...Object.values(countScripts), ...Object.values(userSessionsScripts), rotateScript]);
  }

  async resolve(key: SessionKey, clock: Clock): Promise<ResolvedSession | null> {
    const offset = await this.offsetAt(clock.now);
    const found = await this.read(key);
    if (!found) return null;
    const { wire, current } = found;
    const redisNow = clock.now + offset;
    // Both stamps are Redis's: no local clock decides a revocation. A revoked session (or one
    // that looks past its absolute end) goes to the script, which decides on Redis's clock and
    // deletes it: one more round trip, for a session that is ending anyway.
    if (isRevoked(wire.a, found.mark == null ? null : Number(found.mark)) || pastAbsoluteExpiry({ absoluteExpiresAt: wire.x }, redisNow)) {
      this.resolvePaths.script++;
      return this.resolveByScript(key, found, clock);
    }
    const session = fromWire(wire, offset);
    const slideTo = idleExpiry(redisNow, clock.idleTimeoutMs, wire.x);
    if (!slideDue(current, slideTo, clock.touchAfterMs)) {
      this.resolvePaths.read++;
      return { session, expiresAt: current - offset, extended: false };
    }
    this.resolvePaths.slide++;
    return this.slide(key, found, session, slideTo, redisNow, clock, offset);
  }

  /**
   * The session, in one round trip: an MGET of the keys it may be in (and a user's revocation
   * mark), with each key's PEXPIRETIME, sent in the same tick so they travel in one write.
   * Redis expires a key at its expiry (PXAT): a value read is not expired.
   *
   * A user-bound session is in its own key or in the user's primary key, which holds the
   * session its value names (`h`; an own key's value names none). Where a session is, once
   * known, it stays (a re-authenticated one keeps its place under its new handle), so
   * `places` remembers it and the read goes to that key alone; a session not remembered is
   * looked for in both.
   */
  private async read(key: SessionKey): Promise<Found | null> {
    const own = this.keys.session(key);
    let where: string[];
    let place: 'own' | 'primary' | undefined;
    let mget: string[];
    if (key.userId === null) {
      where = [own];
      mget = ['MGET', own];
    } else {
      place = this.places.get(key.handle);
      if (place === 'own') where = [own];
      else {
        const primary = this.keys.primarySession(key.shopId, key.userId);
        where = place === 'primary' ? [primary] : [own, primary];
      }
      mget = ['MGET', ...where, this.keys.revoked(key.shopId, key.userId)];
    }
    const commands = [mget];
    for (const k of where) commands.push(['PEXPIRETIME', k]); // Redis >= 7.0
    const replies = await this.calls.commands(where[0]!, commands);
    const values = replies[0] as (string | null)[];
    for (let i = 0; i < where.length; i++) {
      const value = values[i];
      const current = replies[i + 1] as number;
      if (!value || current < 0) continue;
      const wire = parseWire(value);
      if (wire.h !== undefined && wire.h !== key.handle) continue;
      const indexed = key.userId !== null && wire.h === undefined;
      if (key.userId !== null && place === undefined) this.places.set(key.handle, indexed ? 'own' : 'primary');
      const mark = key.userId === null ? null : (values[where.length] ?? null);
      return { sessionKey: where[i]!, indexed, wire, current, mark };
    }
    if (place !== undefined) this.places.delete(key.handle);
    return null;
  }

  /**
   * A slide without a script. Far from the absolute end, `PEXPIRE <idle> GT` puts the expiry at
   * Redis's now + idle; near it (this replica's estimate of Redis's now is within
   * ABSOLUTE_MARGIN_MS of it), `PEXPIREAT <absolute end> GT`: either way on Redis's clock, never
   * past the absolute expiry, and GT only ever moves an expiry later, so replicas racing to slide
   * one session cannot move it back. The key's PEXPIRETIME, read in the same round trip, says
   * where it is now. A session revoked after the read stays so (every later read checks the
   * mark); one deleted after it has no expiry left to move. A user's primary key that another
   * login took over after the read holds a session created then: its expiry is already about
   * where this slide puts it.
   */
  private async slide(
    key: SessionKey,
    { sessionKey, indexed, current }: Found,
    session: StoredSession,
    to: number,
    redisNow: number,
    clock: Clock,
    offset: number,
  ): Promise<ResolvedSession | null> {
    const move =
      to + ABSOLUTE_MARGIN_MS > session.absoluteExpiresAt + offset
        ? ['PEXPIREAT', sessionKey, String(session.absoluteExpiresAt + offset), 'GT']
        : ['PEXPIRE', sessionKey, String(clock.idleTimeoutMs), 'GT'];
    const commands = [move, ['PEXPIRETIME', sessionKey]];
    if (indexed && key.userId !== null)
      commands.push(['ZADD', this.keys.index(key.shopId, key.userId), 'XX', String(redisNow), key.handle]);
    const [moved, now] = (await this.calls.commands(sessionKey, commands)) as number[];
    if (now! < 0) return null;
    if (moved === 1) this.counts.moved(key, current, now!);
    // Extended: the expiry is where this slide aimed (it or another replica moved it there, or later).
    const extended = now! > current || now! >= to;
    return { session, expiresAt: now! - offset, extended };
  }

  /** The resolve script: checks again on Redis's clock, deletes the session when it ended, else slides when that is still due. */
  private async resolveByScript(key: SessionKey, { sessionKey, indexed }: Found, clock: Clock): Promise<ResolvedSession | null> {
    const keys = [sessionKey];
    if (key.userId !== null) keys.push(this.keys.revoked(key.shopId, key.userId));
    if (key.userId !== null && indexed) keys.push(this.keys.index(key.shopId, key.userId));
    const args = [String(clock.idleTimeoutMs), String(clock.touchAfterMs ?? 0), key.handle];
    const reply = (await this.timed(lua.resolve, keys, args)) as [string | 0, string, string, string?, string?] | null;
    if (!reply) return null;
    if (reply[0] === 0) {
      this.counts.moved(key, Number(reply[2]), null);
      return null;
    }
    const [value, , expiresAt, extended, previous] = reply;
    const offset = this.serverClock.offset()!;
    if (Number(extended) === 1) this.counts.moved(key, Number(previous), Number(expiresAt));
    return { session: fromWire(parseWire(value), offset), expiresAt: Number(expiresAt) - offset, extended: Number(extended) === 1 };
  }

  async create(key: SessionKey, session: StoredSession, clock: Clock, actor = ''): Promise<void> {
    const ttl = idleExpiry(clock.now, clock.idleTimeoutMs, session.absoluteExpiresAt) - clock.now;
    if (ttl <= 0) return;
    const offset = await this.offsetAt(clock.now);
    const expiresAt = clock.now + offset + ttl;
    const value = encodeSessionValue(toWire(session, offset));
    const written = this.events.run(lua.createGuest, [this.keys.session(key)], [value, String(ttl)], key, actor);
    this.counts.moved(key, null, expiresAt);
    await written;
  }

  async patch(key: SessionKey, fields: SessionFields, clock: Clock, seed?: StoredSession, actor = ''): Promise<boolean> {
    const wire: Record<string, string | number | null> = {};
    if (fields.user !== undefined) wire.u = fields.user;
    if (fields.customData !== undefined) wire.d = fields.customData;
    if (fields.hasBasket) wire.b = 1;
    if (fields.providerSession !== undefined) wire.p = fields.providerSession;
    const offset = seed ? await this.offsetAt(clock.now) : 0;
    const keys = [this.keys.session(key)];
    if (key.userId !== null) keys.push(this.keys.primarySession(key.shopId, key.userId));
    const reply = (await this.timed(
      lua.patch,
      keys,
      [String(clock.idleTimeoutMs), JSON.stringify(wire), seed ? JSON.stringify(toWire(seed, offset)) : '', key.handle],
      key,
      actor,
    )) as [number, string, string?];
    if (reply[0] === 2) this.counts.moved(key, null, Number(reply[2]));
    return reply[0] === 1 || reply[0] === 2;
  }

  async createUserBound(
    key: SessionKey,
    session: StoredSession,
    clock: Clock,
    absoluteTimeoutMs: number,
    options: CreateUserBoundOptions = {},
  ): Promise<CreateUserBoundResult> {
    const userId = requireUser(key);
    const offset = await this.offsetAt(clock.now);
    const wire = toWire({ ...session, authenticatedAt: session.authenticatedAt ?? clock.now }, offset);
    const keys = [
      this.keys.session(key),
      this.keys.index(key.shopId, userId),
      this.keys.revoked(key.shopId, userId),
      this.keys.primarySession(key.shopId, userId),
    ];
    const args = [
      String(clock.idleTimeoutMs),
      String(absoluteTimeoutMs),
      key.handle,
      JSON.stringify(wire),
      String(wire.a),
      String(options.limit?.max ?? 0),
      options.limit?.policy ?? 'evict-oldest',
      this.keys.userSessionPrefix(key.shopId, userId),
      this.layout.primarySessions ? '1' : '0',
    ];
    const merge = options.merge;
    if (merge) {
      const customer = { shopId: key.shopId, userId };
      keys.push(
        this.keys.basket(customer, 'cart'),
        this.keys.basket(customer, 'wishlist'),
        this.keys.mergedMarker(key.shopId, userId, merge.guestHandle),
      );
      args.push(
        String(merge.markerTtlMs),
        String(merge.basketTtlMs),
        String(merge.cart.expectedVersion),
        merge.cart.json ?? '',
        String(merge.wishlist.expectedVersion),
        merge.wishlist.json ?? '',
      );
    }
    const [status, , expiresAt, inPrimary, ...evicted] = (await this.timed(lua.createUserBound, keys, args, key, options.actor ?? '')) as [
      number,
      string,
      string,
      number,
      ...string[],
    ];
    if (status === 0) return { status: 'revoked' };
    if (status === 2) return { status: 'conflict' };
    if (status === 4) return { status: 'too-many' };
    this.counts.ended(key.shopId, 'user', pairs(evicted));
    this.counts.moved(key, null, Number(expiresAt));
    this.places.set(key.handle, inPrimary === 1 ? 'primary' : 'own');
    return { status: 'created', merged: status === 3 };
  }

  async rotate(from: SessionKey, toHandle: string, update: ReauthUpdate, clock: Clock, actor = ''): Promise<RotateResult> {
    const call = rotateCall(this.keys, from, toHandle, update, clock);
    const reply = await this.timed(rotateScript, call.keys, call.args, from, actor);
    const { result, inPrimary } = rotateOutcome(reply, from, toHandle, this.counts, this.serverClock.offset()!);
    this.places.delete(from.handle);
    if (result.status === 'rotated') this.places.set(toHandle, inPrimary ? 'primary' : 'own');
    return result;
  }

  async peek(key: SessionKey): Promise<{ session: StoredSession; expiresAt: number } | null> {
    const offset = await this.offsetAt(this.wallClock());
    const found = await this.read(key);
    return found ? { session: fromWire(found.wire, offset), expiresAt: found.current - offset } : null;
  }

  async destroy(key: SessionKey, actor = ''): Promise<boolean> {
    const keys = [this.keys.session(key)];
    if (key.userId !== null) keys.push(this.keys.index(key.shopId, key.userId), this.keys.primarySession(key.shopId, key.userId));
    // The reply says whether it existed and, with its expiry, which count it was in.
    const kind = key.userId === null ? 'session.destroyed' : 'session.loggedOut';
    const reply = await this.events.run(lua.destroy, keys, [key.handle], key, actor, kind);
    this.places.delete(key.handle);
    const expiresAt = reply === 0 ? null : Number(reply);
    if (expiresAt !== null) this.counts.moved(key, expiresAt, null);
    return expiresAt !== null;
  }

  destroyForUser(
    shopId: string,
    userId: string,
    keepHandles: string[],
    _clock: Clock,
    absoluteTimeoutMs: number,
    actor = '',
  ): Promise<number> {
    return this.userSessions.destroyAll(shopId, userId, keepHandles, absoluteTimeoutMs, actor);
  }

  async listForUser(shopId: string, userId: string, clock: Clock): Promise<UserSessionSummary[]> {
    return this.userSessions.list(shopId, userId, clock, await this.offsetAt(clock.now));
  }

  async stats(shopIds: string[], now: number): Promise<Map<string, SessionCounts>> {
    return this.counts.read(shopIds, now + (await this.offsetAt(this.wallClock())));
  }

  async ping(): Promise<void> {
    await this.calls.ping();
  }

  close(): Promise<void> {
    this.calls.stop();
    return this.redis.close();
  }

  /**
   * Redis's clock minus this process's. The first call waits for one TIME; later ones use
   * what the scripts' replies taught, and send a TIME along (never waited for) when that is old.
   */
  private async offsetAt(localNow: number): Promise<number> {
    const known = this.serverClock.offset();
    if (known !== undefined && !this.serverClock.stale(localNow)) return known;
    if (!this.sampling) {
      const sentAt = this.wallClock();
      this.sampling = this.command<[string, string]>(['TIME'])
        .then(([s, us]) => this.serverClock.observe(sentAt, this.wallClock(), Number(s) * 1000 + Math.floor(Number(us) / 1000)))
        .finally(() => (this.sampling = null));
    }
    if (known !== undefined) {
      this.sampling.catch(() => {});
      return known;
    }
    await this.sampling;
    return this.serverClock.offset()!;
  }

  /** Runs an evented script whose reply's second element is Redis's `now`: a clock sample. */
  private async timed(script: LuaScript, keys: string[], args: string[], subject?: SessionKey, actor = ''): Promise<unknown> {
    const sentAt = this.wallClock();
    const reply = subject ? await this.events.run(script, keys, args, subject, actor) : await this.run(script, keys, args);
    if (Array.isArray(reply)) this.serverClock.observe(sentAt, this.wallClock(), Number(reply[1]));
    return reply;
  }

  /** One plain command, routed by its first key. */
  private command<T>(args: string[]): Promise<T> {
    return this.calls.command<T>(args[1]!, args);
  }

  private run(script: LuaScript, keys: string[], args: string[]): Promise<unknown> {
    return this.calls.run(script, keys, args);
  }
}

function requireUser(key: SessionKey): string {
  if (key.userId === null) throw new Error('a user-bound session key needs a userId');
  return key.userId;
}
