import type { SessionFields, StoredSession } from '../store/session-repository.js';

/**
 * The session rules every store path applies, in one place: the memory store, the Redis
 * store's TypeScript side and SessionManager call these (the Redis scripts apply the same
 * rules on Redis's clock). Pure functions of their arguments; no clock of their own.
 */

/** When a session seen at `now` idles out: `idleTimeoutMs` later, never past its absolute expiry. */
export function idleExpiry(now: number, idleTimeoutMs: number, absoluteExpiresAt: number): number {
  return Math.min(now + idleTimeoutMs, absoluteExpiresAt);
}

/** A user's index entry last seen more than the idle timeout ago: its session has idled out. */
export function idledOut(lastSeenAt: number, now: number, idleTimeoutMs: number): boolean {
  return lastSeenAt < now - idleTimeoutMs;
}

/** True once a session's absolute lifetime is over. */
export function pastAbsoluteExpiry(session: Pick<StoredSession, 'absoluteExpiresAt'>, now: number): boolean {
  return session.absoluteExpiresAt <= now;
}

/**
 * A resolve rewrites the expiry only when that moves it by at least `touchAfterMs`, so a busy
 * session is not rewritten (nor its cookie re-sent) on every call.
 */
export function slideDue(currentExpiry: number, nextExpiry: number, touchAfterMs = 0): boolean {
  return nextExpiry - currentExpiry >= touchAfterMs;
}

/**
 * A revocation mark later than the instant a session was authenticated ends it. A session
 * with no `authenticatedAt` (never authenticated) is older than any mark.
 */
export function isRevoked(authenticatedAt: number | undefined, mark: number | null | undefined): boolean {
  return mark !== null && mark !== undefined && (authenticatedAt ?? 0) < mark;
}

/** `session` with `fields` applied, as a patch applies them: `customData: null` removes it; absent fields are kept. */
export function applyFields(session: StoredSession, fields: SessionFields): StoredSession {
  const next: StoredSession = { ...session };
  if (fields.user !== undefined) next.user = fields.user;
  if (fields.customData === null) delete next.customData;
  else if (fields.customData !== undefined) next.customData = fields.customData;
  if (fields.hasBasket) next.hasBasket = true;
  if (fields.providerSession !== undefined) next.providerSession = fields.providerSession;
  return next;
}
