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
  /** The customer's cart or wishlist changed since the merge was computed: recompute and retry. */
  | { status: 'conflict' };

/** One shop's live stored sessions, as `stats` counts them. */
export interface SessionCounts {
  loggedIn: number;
  /** Stored guest sessions: a guest holding nothing is never stored. */
  guests: number;
}

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
  create(key: SessionKey, session: StoredSession, clock: Clock): Promise<void>;

  /**
   * Sets fields of an existing session and never re-creates a destroyed one. With `seed`
   * (guests only), a missing session is created from it first. False when nothing was written.
   */
  patch(key: SessionKey, fields: SessionFields, clock: Clock, seed?: StoredSession): Promise<boolean>;

  /**
   * Stores and indexes a new user-bound session, atomically with the check of the user's
   * revocation mark ('revoked' when the user's sessions were destroyed after
   * `session.authenticatedAt`; nothing is written then) and with `merge`, if given.
   */
  createUserBound(key: SessionKey, session: StoredSession, clock: Clock, absoluteTimeoutMs: number, merge?: LoginBasketMerge): Promise<CreateUserBoundResult>;

  /** Reads a session without touching it (no slide, no last-seen): for operators. */
  peek(key: SessionKey): Promise<{ session: StoredSession; expiresAt: number } | null>;

  /** True when a session was deleted. */
  destroy(key: SessionKey): Promise<boolean>;

  /**
   * Atomically deletes every session of (shop, user) except `keepHandles`, prunes the index
   * and sets the revocation mark so that logins already in flight cannot resurrect one.
   * Returns the number of sessions deleted.
   */
  destroyForUser(shopId: string, userId: string, keepHandles: string[], clock: Clock, absoluteTimeoutMs: number): Promise<number>;

  listForUser(shopId: string, userId: string, clock: Clock): Promise<UserSessionSummary[]>;

  /**
   * Live sessions per shop, from per-shop sets of handle -> expiry that the writes above
   * keep up to date: O(shops) plus the entries that expired since, which are pruned here
   * (nothing listens for expiry). Every shop asked for is in the result.
   */
  stats(shopIds: string[], now: number): Promise<Map<string, SessionCounts>>;

  /** Throws when the store cannot serve requests. */
  ping(): Promise<void>;

  close(): Promise<void>;
}

export const SESSION_REPOSITORY = Symbol('SESSION_REPOSITORY');
