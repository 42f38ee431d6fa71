import { applyFields, idledOut, idleExpiry, isRevoked, pastAbsoluteExpiry, slideDue } from '../../core/session-rules.js';
import type { SessionEventType } from '#libs/contracts';
import { MemorySessionEvents } from '../../events/memory-session-events.js';
import { SessionKeys } from '../session-keys.js';
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
import type { ReauthUpdate, RotateResult } from '../session-rotation.js';
import { MemoryBasketRepository } from './memory-basket.repository.js';
import { MemorySessionStats } from './memory-session-stats.js';

interface Entry<T> {
  value: T;
  expiresAt: number;
}

const SWEEP_INTERVAL_MS = 60_000;

/**
 * Embedded development store with the same semantics as the Redis one (same contract
 * suite). Every method runs synchronously to completion, which makes each one atomic.
 * Refused when NODE_ENV=production: it is lost on restart and not shared between replicas.
 */
export class MemorySessionRepository implements SessionRepository {
  private readonly keys = new SessionKeys('mem');
  private readonly sessions = new Map<string, Entry<StoredSession>>();
  private readonly indexes = new Map<string, Entry<Map<string, number>>>();
  private readonly revocations = new Map<string, Entry<number>>();
  private readonly mergeMarkers = new Map<string, Entry<true>>();
  private readonly counts = new MemorySessionStats();
  private readonly sweeper: NodeJS.Timeout;

  constructor(
    /** The baskets a login merges into, written in the same synchronous step. */
    readonly baskets = new MemoryBasketRepository(),
    private readonly wallClock: () => number = Date.now,
    /** The shops' session events, appended in the same synchronous step as each change. */
    readonly events = new MemorySessionEvents(undefined, wallClock),
  ) {
    this.sweeper = setInterval(() => this.sweep(), SWEEP_INTERVAL_MS);
    this.sweeper.unref();
  }

  async resolve(key: SessionKey, clock: Clock): Promise<ResolvedSession | null> {
    const k = this.keys.session(key);
    const entry = this.live(this.sessions, k, clock.now);
    if (!entry) return null;
    const s = entry.value;
    const index = key.userId === null ? null : this.index(key.shopId, key.userId, clock.now);
    if (pastAbsoluteExpiry(s, clock.now)) return this.evict(k, index, key);
    if (key.userId !== null) {
      const mark = this.live(this.revocations, this.keys.revoked(key.shopId, key.userId), clock.now);
      if (isRevoked(s.authenticatedAt, mark?.value)) return this.evict(k, index, key);
    }
    const slid = idleExpiry(clock.now, clock.idleTimeoutMs, s.absoluteExpiresAt);
    if (!slideDue(entry.expiresAt, slid, clock.touchAfterMs)) return { session: { ...s }, expiresAt: entry.expiresAt, extended: false };
    entry.expiresAt = slid;
    if (index?.value.has(key.handle)) index.value.set(key.handle, clock.now);
    this.counts.slid(key, slid);
    return { session: { ...s }, expiresAt: slid, extended: true };
  }

  async create(key: SessionKey, session: StoredSession, clock: Clock, actor = ''): Promise<void> {
    const expiresAt = idleExpiry(clock.now, clock.idleTimeoutMs, session.absoluteExpiresAt);
    if (expiresAt <= clock.now) return;
    this.sessions.set(this.keys.session(key), { value: { ...session }, expiresAt });
    this.counts.added(key, expiresAt);
    this.emit('session.created', key, actor);
  }

  async patch(key: SessionKey, fields: SessionFields, clock: Clock, seed?: StoredSession, actor = ''): Promise<boolean> {
    const k = this.keys.session(key);
    let entry = this.live(this.sessions, k, clock.now);
    if (!entry) {
      if (!seed) return false;
      const expiresAt = idleExpiry(clock.now, clock.idleTimeoutMs, seed.absoluteExpiresAt);
      if (expiresAt <= clock.now) return false;
      entry = { value: { ...seed }, expiresAt };
      this.sessions.set(k, entry);
      this.counts.added(key, expiresAt);
      this.emit('session.created', key, actor);
    } else if (fields.user !== undefined) this.emit('session.userUpdated', key, actor);
    entry.value = applyFields(entry.value, fields);
    return true;
  }

  async createUserBound(
    key: SessionKey,
    session: StoredSession,
    clock: Clock,
    absoluteTimeoutMs: number,
    options: CreateUserBoundOptions = {},
  ): Promise<CreateUserBoundResult> {
    const userId = key.userId!;
    const { merge, limit } = options;
    const mark = this.live(this.revocations, this.keys.revoked(key.shopId, userId), clock.now);
    if (isRevoked(session.authenticatedAt ?? clock.now, mark?.value)) return { status: 'revoked' };
    const ixKey = this.keys.index(key.shopId, userId);
    const prefix = this.keys.userSessionPrefix(key.shopId, userId);
    const existing = this.live(this.indexes, ixKey, clock.now);
    if (existing) {
      // Entries of sessions that ended do not count.
      for (const h of [...existing.value.keys()])
        if (!this.live(this.sessions, prefix + h, clock.now)) this.expired(existing, key.shopId, userId, h);
    }
    if (limit?.policy === 'refuse' && (existing?.value.size ?? 0) >= limit.max) return { status: 'too-many' };
    let merged = false;
    if (merge) {
      const customer = { shopId: key.shopId, userId };
      const markerKey = this.keys.mergedMarker(key.shopId, userId, merge.guestHandle);
      if (!this.live(this.mergeMarkers, markerKey, clock.now)) {
        const moved =
          this.baskets.versionOf(customer, 'cart') !== merge.cart.expectedVersion ||
          this.baskets.versionOf(customer, 'wishlist') !== merge.wishlist.expectedVersion;
        if (moved) return { status: 'conflict' };
        this.baskets.put(customer, 'cart', merge.cart.json, merge.basketTtlMs);
        this.baskets.put(customer, 'wishlist', merge.wishlist.json, merge.basketTtlMs);
        this.mergeMarkers.set(markerKey, { value: true, expiresAt: clock.now + merge.markerTtlMs });
        merged = true;
      }
    }
    const index = existing ?? { value: new Map<string, number>(), expiresAt: 0 };
    if (limit) {
      // Evict the least recently seen until there is room for this one.
      const byLastSeen = [...index.value.entries()].sort((a, b) => a[1] - b[1]);
      for (const [h] of byLastSeen.slice(0, Math.max(0, index.value.size - limit.max + 1))) {
        this.sessions.delete(prefix + h);
        index.value.delete(h);
        this.counts.removed(key.shopId, 'user', [h]);
        this.events.append({
          type: 'session.destroyed',
          shopId: key.shopId,
          userId,
          handle: h,
          actor: options.actor ?? '',
          reason: 'evicted',
        });
      }
    }
    const expiresAt = idleExpiry(clock.now, clock.idleTimeoutMs, session.absoluteExpiresAt);
    this.sessions.set(this.keys.session(key), { value: { ...session }, expiresAt });
    this.counts.added(key, expiresAt);
    index.value.set(key.handle, clock.now);
    for (const [h, seen] of index.value) if (idledOut(seen, clock.now, clock.idleTimeoutMs)) this.expired(index, key.shopId, userId, h);
    index.expiresAt = Math.max(index.expiresAt, clock.now + absoluteTimeoutMs);
    this.indexes.set(ixKey, index);
    this.emit('session.loggedIn', key, options.actor ?? '');
    return { status: 'created', merged };
  }

  async rotate(from: SessionKey, toHandle: string, update: ReauthUpdate, clock: Clock, actor = ''): Promise<RotateResult> {
    const userId = from.userId!;
    const k = this.keys.session(from);
    const entry = this.live(this.sessions, k, clock.now);
    const index = this.index(from.shopId, userId, clock.now);
    if (!entry) return { status: 'gone' };
    const mark = this.live(this.revocations, this.keys.revoked(from.shopId, userId), clock.now);
    if (pastAbsoluteExpiry(entry.value, clock.now) || isRevoked(entry.value.authenticatedAt, mark?.value)) {
      this.evict(k, index, from);
      return { status: 'gone' };
    }
    const to = { ...from, handle: toHandle };
    const expiresAt = idleExpiry(clock.now, clock.idleTimeoutMs, entry.value.absoluteExpiresAt);
    const value: StoredSession = { ...entry.value, authenticatedAt: clock.now, authMethod: update.authMethod };
    if (update.providerSession !== undefined) value.providerSession = update.providerSession;
    this.sessions.delete(k);
    this.counts.removed(from.shopId, 'user', [from.handle]);
    this.sessions.set(this.keys.session(to), { value, expiresAt });
    this.counts.added(to, expiresAt);
    index?.value.delete(from.handle);
    index?.value.set(toHandle, clock.now);
    // The same pair as a login replacing the session, marked so consumers can tell.
    this.events.append({ type: 'session.loggedIn', shopId: from.shopId, userId, handle: toHandle, actor, reason: 'reauthenticated' });
    this.events.append({ type: 'session.loggedOut', shopId: from.shopId, userId, handle: from.handle, actor, reason: 'reauthenticated' });
    return { status: 'rotated', authenticatedAt: clock.now, expiresAt };
  }

  async peek(key: SessionKey): Promise<{ session: StoredSession; expiresAt: number } | null> {
    const entry = this.live(this.sessions, this.keys.session(key), this.wallClock());
    return entry ? { session: { ...entry.value }, expiresAt: entry.expiresAt } : null;
  }

  async destroy(key: SessionKey, actor = ''): Promise<boolean> {
    const k = this.keys.session(key);
    const existed = this.live(this.sessions, k, this.wallClock()) !== null;
    if (existed) this.emit(key.userId === null ? 'session.destroyed' : 'session.loggedOut', key, actor);
    this.sessions.delete(k);
    if (key.userId !== null) this.indexes.get(this.keys.index(key.shopId, key.userId))?.value.delete(key.handle);
    this.counts.removed(key.shopId, key.userId === null ? 'guest' : 'user', [key.handle]);
    return existed;
  }

  async destroyForUser(
    shopId: string,
    userId: string,
    keepHandles: string[],
    clock: Clock,
    absoluteTimeoutMs: number,
    actor = '',
  ): Promise<number> {
    const keep = new Set(keepHandles);
    const index = this.index(shopId, userId, clock.now);
    const prefix = this.keys.userSessionPrefix(shopId, userId);
    let destroyed = 0;
    const removed: string[] = [];
    for (const handle of [...(index?.value.keys() ?? [])]) {
      const k = prefix + handle;
      const entry = this.live(this.sessions, k, clock.now);
      if (keep.has(handle) && entry) {
        entry.value.authenticatedAt = clock.now;
        continue;
      }
      if (entry) destroyed++;
      else this.events.append({ type: 'session.expired', shopId, userId, handle, actor: '' });
      this.sessions.delete(k);
      index!.value.delete(handle);
      removed.push(handle);
    }
    this.counts.removed(shopId, 'user', removed);
    const rvKey = this.keys.revoked(shopId, userId);
    const mark = this.live(this.revocations, rvKey, clock.now);
    if (!mark || mark.value < clock.now) this.revocations.set(rvKey, { value: clock.now, expiresAt: clock.now + absoluteTimeoutMs });
    this.events.append({ type: 'session.revoked', shopId, userId, handle: null, actor, count: destroyed });
    return destroyed;
  }

  async listForUser(shopId: string, userId: string, clock: Clock): Promise<UserSessionSummary[]> {
    const index = this.index(shopId, userId, clock.now);
    if (!index) return [];
    const prefix = this.keys.userSessionPrefix(shopId, userId);
    const out: UserSessionSummary[] = [];
    for (const [handle, lastSeenAt] of index.value) {
      const entry = idledOut(lastSeenAt, clock.now, clock.idleTimeoutMs) ? null : this.live(this.sessions, prefix + handle, clock.now);
      if (!entry) {
        this.expired(index, shopId, userId, handle);
        continue;
      }
      if (pastAbsoluteExpiry(entry.value, clock.now)) continue;
      out.push({
        handle,
        createdAt: entry.value.createdAt,
        lastSeenAt,
        expiresAt: entry.expiresAt,
      });
    }
    return out;
  }

  async stats(shopIds: string[], now: number): Promise<Map<string, SessionCounts>> {
    return this.counts.read(shopIds, now);
  }

  async ping(): Promise<void> {}

  async close(): Promise<void> {
    clearInterval(this.sweeper);
  }

  private emit(type: SessionEventType, key: SessionKey, actor: string): void {
    this.events.append({ type, shopId: key.shopId, userId: key.userId, handle: key.handle, actor });
  }

  /** An index entry whose session is gone: pruned, and reported as expired. */
  private expired(index: Entry<Map<string, number>>, shopId: string, userId: string, handle: string): void {
    index.value.delete(handle);
    this.events.append({ type: 'session.expired', shopId, userId, handle, actor: '' });
  }

  private index(shopId: string, userId: string, now: number): Entry<Map<string, number>> | null {
    return this.live(this.indexes, this.keys.index(shopId, userId), now);
  }

  private evict(k: string, index: Entry<Map<string, number>> | null, key: SessionKey): null {
    this.sessions.delete(k);
    index?.value.delete(key.handle);
    this.counts.removed(key.shopId, key.userId === null ? 'guest' : 'user', [key.handle]);
    return null;
  }

  private live<T>(map: Map<string, Entry<T>>, key: string, now: number): Entry<T> | null {
    const entry = map.get(key);
    if (!entry) return null;
    if (entry.expiresAt <= now) {
      map.delete(key);
      return null;
    }
    return entry;
  }

  private sweep(): void {
    const now = this.wallClock();
    for (const map of [this.sessions, this.indexes, this.revocations, this.mergeMarkers] as Map<string, Entry<unknown>>[]) {
      for (const [k, e] of map) if (e.expiresAt <= now) map.delete(k);
    }
    this.counts.sweep(now);
  }
}
