/**
 * The login-throttle store port: sliding windows of credential-login attempts and the
 * lock-outs they lead to, per subject (an account or a client key of one shop, known only by
 * an HMAC). Both backends pass test/store/login-throttle.contract.ts.
 *
 * An attempt is counted *before* it reaches the provider (a reservation), so concurrent
 * attempts cannot overrun the limit: a success releases it (for the account, clears
 * everything), a failure leaves it counted and may lock the subject.
 */
export interface ThrottleSubject {
  shopId: string;
  kind: 'account' | 'client';
  /** base64url HMAC-SHA256 of the normalised email or client key. */
  hash: string;
}

export interface ThrottleWindow {
  maxFailures: number;
  windowMs: number;
}

export interface LockPolicy {
  lockMs: number;
  maxLockMs: number;
}

export type AttemptResult = { allowed: true } | { allowed: false; retryAfterMs: number };

export interface FailureResult {
  /** Set when this failure locked the subject: for how long. */
  lockedForMs: number | null;
  /** Lock-outs in a row (the lock doubles with each): 1 for the first. */
  level: number;
}

export interface LoginThrottleRepository {
  /**
   * Refused while the subject is locked, or while `maxFailures` attempts (failed or in
   * flight) are in the window; otherwise records this attempt as `token`. One store call.
   */
  attempt(subject: ThrottleSubject, window: ThrottleWindow, token: string): Promise<AttemptResult>;

  /**
   * The attempt failed: it stays counted. With `maxFailures` in the window the subject is
   * locked for lockMs × 2^(lock-outs in a row), at most maxLockMs, and its window starts
   * afresh; the lock-out level is remembered for a window after the lock ends.
   */
  failed(subject: ThrottleSubject, window: ThrottleWindow, lock: LockPolicy): Promise<FailureResult>;

  /** Forgets the subject's attempts and lock-out level (an account's successful login). */
  reset(subject: ThrottleSubject): Promise<void>;

  /** Drops one attempt (it was not a failed login: a success for a client key, or not tried). */
  release(subject: ThrottleSubject, token: string): Promise<void>;
}

export const LOGIN_THROTTLE_REPOSITORY = Symbol('LOGIN_THROTTLE_REPOSITORY');
