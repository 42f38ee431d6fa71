import type {
  AttemptResult,
  FailureResult,
  LockPolicy,
  LoginThrottleRepository,
  ThrottleSubject,
  ThrottleWindow,
} from '../login-throttle-repository.js';
import { LuaScript } from './lua-script.js';
import { THROTTLE_ATTEMPT, THROTTLE_FAILED } from './login-throttle-scripts.js';
import type { RedisConnection } from './redis-connection.js';

export const throttleScripts = { attempt: new LuaScript(THROTTLE_ATTEMPT), failed: new LuaScript(THROTTLE_FAILED) };

/**
 * Redis backend of the login throttle, on the store's connection. Keys, per subject:
 *
 *   <p>:lt:{<shop>|a:<hmac>}:n   ZSET attempt token -> ms (an account: normalised email)
 *   <p>:lt:{<shop>|a:<hmac>}:l   HASH until, level (its lock-out)
 *   <p>:lt:{<shop>|k:<hmac>}:…   the same per client key
 *
 * Both keys of a subject share a hash tag, so each call is one script on one slot; every
 * key expires (the window, or the lock plus the window).
 */
export class RedisLoginThrottleRepository implements LoginThrottleRepository {
  constructor(private readonly calls: RedisConnection) {
    calls.preload(Object.values(throttleScripts));
  }

  async attempt(subject: ThrottleSubject, window: ThrottleWindow, token: string): Promise<AttemptResult> {
    const [ok, retryAfterMs] = (await this.calls.run(throttleScripts.attempt, this.keys(subject), [
      String(window.windowMs),
      String(window.maxFailures),
      token,
    ])) as [number, string];
    return ok === 1 ? { allowed: true } : { allowed: false, retryAfterMs: Number(retryAfterMs) };
  }

  async failed(subject: ThrottleSubject, window: ThrottleWindow, lock: LockPolicy): Promise<FailureResult> {
    const [lockedForMs, level] = (await this.calls.run(throttleScripts.failed, this.keys(subject), [
      String(window.windowMs),
      String(window.maxFailures),
      String(lock.lockMs),
      String(lock.maxLockMs),
    ])) as [string, string];
    return { lockedForMs: Number(lockedForMs) > 0 ? Number(lockedForMs) : null, level: Number(level) };
  }

  async reset(subject: ThrottleSubject): Promise<void> {
    const keys = this.keys(subject);
    await this.calls.command(keys[0]!, ['DEL', ...keys]);
  }

  async release(subject: ThrottleSubject, token: string): Promise<void> {
    const [attempts] = this.keys(subject);
    await this.calls.command(attempts!, ['ZREM', attempts!, token]);
  }

  private keys(subject: ThrottleSubject): [string, string] {
    return this.calls.keys.throttle(subject);
  }
}
