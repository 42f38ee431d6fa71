import type { AuthMethod } from '#libs/contracts';
import type { Clock, SessionKey } from './session-repository.js';

/** What a re-authentication changes besides the ID. */
export interface ReauthUpdate {
  authMethod: AuthMethod;
  /** A new sealed provider session (fresh tokens); absent keeps the stored one. */
  providerSession?: string;
}

export type RotateResult =
  /** `authenticatedAt` is the store's now (Redis's clock there), translated to the caller's clock. */
  | { status: 'rotated'; authenticatedAt: number; expiresAt: number }
  /** The session is missing, expired or revoked: nothing was written (a revoked one is deleted). */
  | { status: 'gone' };

/**
 * A repository operation: moves a live user-bound session to `toHandle` in one atomic step,
 * stamping `authenticatedAt` with the store's now, keeping its creation time, absolute
 * expiry, user, custom data and baskets (a customer's belong to the user, not the session),
 * and swapping the handle in the user's index. The old handle is dead once it returns. A
 * session the user's revocation mark killed is not rotated; the user's session limit is
 * not involved (the count does not change). Session events: session.loggedIn for the new
 * handle and session.loggedOut for the old, both with `reason: reauthenticated`, under `actor`
 * (the caller's token subject); a session found gone writes none.
 */
export type RotateForReauth = (
  from: SessionKey,
  toHandle: string,
  update: ReauthUpdate,
  clock: Clock,
  actor?: string,
) => Promise<RotateResult>;
