import type { SessionEventLog } from '../events/session-event-log.js';
import type { AuthMethod } from '#libs/contracts';
import type { RotateForReauth } from './session-rotation.js';

/**
 * The session store port. The repositories are the only I/O layer for sessions;
 * both backends pass the same contract suite (test/store/session-repository.contract.ts).
 *
 * Keys carry the session *handle* (SHA-256 of the ID), never the raw ID.
 */
export interface SessionKey {
  shopId: string;
  handle: string;
  /** Set for user-bound sessions: they live in the user's hash slot and are indexed. */
  userId: string | null;
}

/** What is stored for one session. `user` and `customData` are JSON text, kept opaque to the store. */
export interface StoredSession {
  createdAt: number;
  absoluteExpiresAt: number;
  /** When the user authenticated; a revocation at or after this instant kills the session. */
  authenticatedAt?: number;
  /** How the user last authenticated (login or re-authentication). */
  authMethod?: AuthMethod;
  user?: string;
  customData?: string;
  /** A guest session that owns a cart or wishlist: it holds something even without custom data. */
  hasBasket?: true;
  /** The shopper's ProviderSession (tokens, cart id, ...), sealed with TokenCipher: never stored in the clear. */
  providerSession?: string;
}

export interface ResolvedSession {
  session: StoredSession;
  /** The idle expiry after this resolve (never past absoluteExpiresAt). */
  expiresAt: number;
  /** True when this resolve moved the expiry (see Clock.touchAfterMs). */
  extended: boolean;
}

export interface SessionFields {
  user?: string;
  /** null removes the custom data. */
  customData?: string | null;
  hasBasket?: true;
  providerSession?: string;
}

export interface UserSessionSummary {
  handle: string;
  createdAt: number;
  lastSeenAt: number;
  expiresAt: number;
}

/** A basket document to write in the same step: `json: null` deletes it (an empty basket is not stored). */
export interface BasketWrite {
  expectedVersion: number;
  json: string | null;
}

/**
 * The guest's baskets merged into the customer's, applied atomically with the login. The
 * merge of one guest session is applied at most once: a marker per (user, guest session)
 * makes a retried or concurrent login skip it.
 */
export interface LoginBasketMerge {
  guestHandle: string;
  cart: BasketWrite;
  wishlist: BasketWrite;
  basketTtlMs: number;
  /** How long the "already merged" marker is kept (the guest session cannot live longer). */
  markerTtlMs: number;
}

export type CreateUserBoundResult =
  | { status: 'created'; merged: boolean }
  | { status: 'revoked' }
  /** The user already holds `limit.max` live sessions and the shop's policy is `refuse`. */
  | { status: 'too-many' }
  /** The customer's cart or wishlist changed since the merge was computed: recompute and retry. */
  | { status: 'conflict' };

/** One shop's live stored sessions, as `stats` counts them. */
export interface SessionCounts {
  loggedIn: number;
  /** Stored guest sessions: a guest holding nothing is never stored. */
  guests: number;
}

/**
 * How many live sessions one user may hold in one shop, and what a login beyond that does:
 * end the user's least recently seen session (`evict-oldest`) or fail (`refuse`).
 */
export interface SessionLimit {
  max: number;
  policy: 'evict-oldest' | 'refuse';
}

export interface CreateUserBoundOptions {
  merge?: LoginBasketMerge;
  /** No limit when absent. */
  limit?: SessionLimit;
  /** Who made the change, for its session event (the calling service's token subject). */
  actor?: string;
}

/**
 * The caller's view of time. `now` is this process's wall clock, which may be off: the Redis
 * store decides expiry and revocation on Redis's own clock, and uses `now` only to translate
 * instants between the two (see redis/server-clock.ts). The memory store has no other clock.
 */
export interface Clock {
  now: number;
  idleTimeoutMs: number;
  /**
   * A resolve slides the idle expiry only when that moves it by at least this much, so a
   * busy session is not rewritten (nor its cookie re-sent) on every call. 0: always.
   */
  touchAfterMs?: number;
}

export interface SessionRepository {
  /**
   * In one store round trip: reads the session, slides its idle timeout (capped by its
   * absolute expiry, and only when that moves it by at least `clock.touchAfterMs`) and, for
   * a user-bound session, checks the user's revocation mark and records last-seen in the
   * user's index when sliding. Null when missing, expired or revoked.
   */
  resolve(key: SessionKey, clock: Clock): Promise<ResolvedSession | null>;

  /** Stores a brand-new guest session whose ID no other request can know yet. */
  create(key: SessionKey, session: StoredSession, clock: Clock, actor?: string): Promise<void>;

  /**
   * Sets fields of an existing session and never re-creates a destroyed one. With `seed`
   * (guests only), a missing session is created from it first. False when nothing was written.
   */
  patch(key: SessionKey, fields: SessionFields, clock: Clock, seed?: StoredSession, actor?: string): Promise<boolean>;

  /**
   * Stores and indexes a new user-bound session, atomically with the check of the user's
   * revocation mark ('revoked' when the user's sessions were destroyed after
   * `session.authenticatedAt`; nothing is written then), with the user's session limit
   * (evicting the least recently seen session, or 'too-many') and with `merge`, if given.
   */
  createUserBound(
    key: SessionKey,
    session: StoredSession,
    clock: Clock,
    absoluteTimeoutMs: number,
    options?: CreateUserBoundOptions,
  ): Promise<CreateUserBoundResult>;

  /** See session-rotation.ts. */
  rotate: RotateForReauth;

  /** Reads a session without touching it (no slide, no last-seen): for operators. */
  peek(key: SessionKey): Promise<{ session: StoredSession; expiresAt: number } | null>;

  /** True when a session was deleted. */
  destroy(key: SessionKey, actor?: string): Promise<boolean>;

  /**
   * Ends every session of (shop, user) except `keepHandles`: first, atomically, sets the
   * revocation mark (from then on no older session resolves, and no login authenticated
   * before it is written) and re-stamps the kept sessions so the mark spares them; then
   * deletes the ended sessions and their index entries in bounded chunks.
   * Returns the number of sessions deleted.
   */
  destroyForUser(
    shopId: string,
    userId: string,
    keepHandles: string[],
    clock: Clock,
    absoluteTimeoutMs: number,
    actor?: string,
  ): Promise<number>;

  /** The user's live sessions in the shop, read in bounded chunks. */
  listForUser(shopId: string, userId: string, clock: Clock): Promise<UserSessionSummary[]>;

  /**
   * Live sessions per shop, from per-shop counts by expiry that the writes above keep up to
   * date. O(shops) to read, never pruned on read. A session is counted until the end of
   * the minute in which it expires, at the latest. Every shop asked for is in the result.
   */
  stats(shopIds: string[], now: number): Promise<Map<string, SessionCounts>>;

  /**
   * The shops' session events, written by the changes above in the same step (see
   * docs/operations.md, "Session events"): created, loggedIn, loggedOut, destroyed, revoked,
   * userUpdated, and expired for the index entries that pruning finds gone.
   */
  readonly events: SessionEventLog;

  /** Throws when the store cannot serve requests. */
  ping(): Promise<void>;

  close(): Promise<void>;
}

export const SESSION_REPOSITORY = Symbol('SESSION_REPOSITORY');
