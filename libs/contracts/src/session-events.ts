/**
 * The session event stream: one Redis stream per shop, `<keyPrefix>:ev:{<shopId>}`, read with
 * consumer groups (see docs/operations.md). Every entry's fields are strings.
 */
export const SessionEventTypes = {
  /** A guest session was stored for the first time (a login's new session is `loggedIn` instead). */
  created: 'session.created',
  loggedIn: 'session.loggedIn',
  /** A logged-in session was destroyed by its own call (logout, destroy, or a login replacing it). */
  loggedOut: 'session.loggedOut',
  /** A guest session was destroyed, or a session was evicted by the per-user limit (`reason: evicted`). */
  destroyed: 'session.destroyed',
  /** A force-logout of a user in the shop: `count` sessions destroyed, `handle` empty. */
  revoked: 'session.revoked',
  userUpdated: 'session.userUpdated',
  /** A user-bound session found gone by index pruning (login, listing, force-logout): it expired. */
  expired: 'session.expired',
} as const;

export type SessionEventType = (typeof SessionEventTypes)[keyof typeof SessionEventTypes];

/** One stream entry, decoded. Never carries a raw session ID: `handle` is its SHA-256 handle. */
export interface SessionEvent {
  /** The stream entry ID (`<ms>-<seq>`): what a consumer acknowledges. */
  id: string;
  type: SessionEventType;
  shopId: string;
  /** null for a guest session. */
  userId: string | null;
  /** null for `session.revoked`, which concerns all of a user's sessions. */
  handle: string | null;
  /** When the change was made: ms on Redis's clock. */
  at: number;
  /** The `sub` of the calling service's token; empty when the store acted on its own. */
  actor: string;
  /** `session.revoked`: how many sessions were destroyed. */
  count?: number;
  /**
   * `session.destroyed`: `evicted` when the per-user session limit ended it. `session.loggedIn`
   * and `session.loggedOut`: `reauthenticated` for the pair session.reauthenticate writes (the
   * ID rotated: the new handle logged in, the old one out).
   */
  reason?: string;
}

/** The shop's stream key for a key prefix (the service's `keyPrefix`). */
export function sessionEventStreamKey(keyPrefix: string, shopId: string): string {
  return `${keyPrefix}:ev:{${shopId}}`;
}

/** Decodes a stream entry's flat [field, value, ...] list. */
export function decodeSessionEvent(id: string, flat: readonly string[]): SessionEvent {
  const f: Record<string, string> = {};
  for (let i = 0; i + 1 < flat.length; i += 2) f[flat[i]!] = flat[i + 1]!;
  const event: SessionEvent = {
    id,
    type: f.type as SessionEventType,
    shopId: f.shop ?? '',
    userId: f.user ? f.user : null,
    handle: f.handle ? f.handle : null,
    at: Number(f.at),
    actor: f.actor ?? '',
  };
  if (f.count !== undefined) event.count = Number(f.count);
  if (f.reason !== undefined) event.reason = f.reason;
  return event;
}
