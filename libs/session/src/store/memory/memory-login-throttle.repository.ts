import type {
  AttemptResult,
  FailureResult,
  LockPolicy,
  LoginThrottleRepository,
  ThrottleSubject,
  ThrottleWindow,
} from '../login-throttle-repository.js';

interface SubjectState {
  /** token -> attempt time. */
  attempts: Map<string, number>;
  lockedUntil: number;
  level: number;
  /** When the level (and this entry) is forgotten. */
  forgetAt: number;
}

const SWEEP_EVERY = 1_024;

/** The development store's throttle: the same semantics as Redis's, on this process's clock. */
export class MemoryLoginThrottleRepository implements LoginThrottleRepository {
  private readonly subjects = new Map<string, SubjectState>();
  private calls = 0;

  constructor(private readonly wallClock: () => number = Date.now) {}

  async attempt(subject: ThrottleSubject, window: ThrottleWindow, token: string): Promise<AttemptResult> {
    const now = this.wallClock();
    // Every so often, forget subjects whose window and lock have passed (they expire in Redis).
    if (++this.calls % SWEEP_EVERY === 0) for (const [k, v] of this.subjects) if (v.forgetAt <= now) this.subjects.delete(k);
    const s = this.state(subject, now);
    if (s.lockedUntil > now) return { allowed: false, retryAfterMs: s.lockedUntil - now };
    for (const [t, at] of s.attempts) if (at < now - window.windowMs) s.attempts.delete(t);
    if (s.attempts.size >= window.maxFailures) {
      const oldest = Math.min(...s.attempts.values());
      return { allowed: false, retryAfterMs: oldest + window.windowMs - now };
    }
    s.attempts.set(token, now);
    s.forgetAt = Math.max(s.forgetAt, now + window.windowMs);
    return { allowed: true };
  }

  async failed(subject: ThrottleSubject, window: ThrottleWindow, lock: LockPolicy): Promise<FailureResult> {
    const now = this.wallClock();
    const s = this.state(subject, now);
    if (s.attempts.size < window.maxFailures) return { lockedForMs: null, level: s.level };
    s.level += 1;
    const lockedForMs = Math.min(lock.lockMs * 2 ** (s.level - 1), lock.maxLockMs);
    s.lockedUntil = now + lockedForMs;
    s.forgetAt = s.lockedUntil + window.windowMs;
    s.attempts.clear();
    return { lockedForMs, level: s.level };
  }

  async reset(subject: ThrottleSubject): Promise<void> {
    this.subjects.delete(keyOf(subject));
  }

  async release(subject: ThrottleSubject, token: string): Promise<void> {
    this.subjects.get(keyOf(subject))?.attempts.delete(token);
  }

  private state(subject: ThrottleSubject, now: number): SubjectState {
    const key = keyOf(subject);
    let s = this.subjects.get(key);
    if (!s || s.forgetAt <= now) {
      s = { attempts: new Map(), lockedUntil: 0, level: 0, forgetAt: now };
      this.subjects.set(key, s);
    }
    return s;
  }
}

function keyOf(subject: ThrottleSubject): string {
  return `${subject.shopId}|${subject.kind}|${subject.hash}`;
}
