import { ErrorCodes, Patterns } from '#libs/contracts';
import type { ShopSettings } from '../config/service-config.js';
import { SessionError } from '../core/session-error.js';
import type { SessionState } from '../core/session-state.js';

/** What REAUTH_REQUIRED carries in `details`. */
export interface ReauthRequiredDetails {
  maxAgeSeconds: number;
  /** Seconds since the last login or re-authentication; null when the session never recorded it. */
  ageSeconds: number | null;
  authenticatedAt: string | null;
}

/** The ways to a fresh login: the shop's patterns never hold them (`session.*` would lock the shopper out). */
const WAYS_IN = new Set<string>([Patterns.sessionLogin, Patterns.sessionReauthenticate]);

/**
 * How recent the login must be for `pattern`, in seconds, or null: the method's own
 * `recentLogin` option, else the shop's `security.recentLogin` when a pattern there matches
 * (never for session.login and session.reauthenticate).
 */
export function recentLoginFor(shop: ShopSettings, pattern: string, own: number | undefined): number | null {
  if (own !== undefined) return own;
  if (WAYS_IN.has(pattern)) return null;
  const { patterns, maxAgeSeconds } = shop.security.recentLogin;
  return patterns.some((p) => matches(p, pattern)) ? maxAgeSeconds : null;
}

/** NOT_LOGGED_IN for a guest; REAUTH_REQUIRED when the last authentication is older than `maxAgeSeconds`. */
export function assertRecentLogin(state: SessionState, maxAgeSeconds: number, now: number): void {
  if (state.userId === null) throw new SessionError(ErrorCodes.notLoggedIn, 'this method needs a logged-in session');
  const at = state.stored?.authenticatedAt;
  const ageMs = at === undefined ? null : Math.max(0, now - at);
  if (ageMs !== null && ageMs <= maxAgeSeconds * 1000) return;
  const details: ReauthRequiredDetails = {
    maxAgeSeconds,
    ageSeconds: ageMs === null ? null : Math.floor(ageMs / 1000),
    authenticatedAt: at === undefined ? null : new Date(at).toISOString(),
  };
  throw new SessionError(
    ErrorCodes.reauthRequired,
    `this method needs a login within the last ${maxAgeSeconds} s: call session.reauthenticate`,
    details,
  );
}

function matches(glob: string, pattern: string): boolean {
  return glob.endsWith('*') ? pattern.startsWith(glob.slice(0, -1)) : glob === pattern;
}
