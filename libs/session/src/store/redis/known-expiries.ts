import { BoundedCache } from '../../util/bounded-cache.js';
import type { Clock } from '../session-repository.js';

interface Seen {
  expiresAt: number;
  absoluteExpiresAt: number;
}

/**
 * The expiries this instance last saw, per session key. A session's expiry only ever moves
 * later (slides, capped by its absolute end), so a remembered one is a lower bound: when
 * even that bound says a resolve now would move the expiry by less than `touchAfter`, the
 * resolve cannot slide and a plain read is enough. Another instance's slide only makes the
 * bound staler, which sends the next resolve down the script path, never the wrong way.
 */
export class KnownExpiries {
  private readonly seen: BoundedCache<string, Seen>;

  constructor(capacity: number) {
    this.seen = new BoundedCache(capacity);
  }

  /** The expiry to report when a resolve at `clock.now` cannot slide; undefined when it might. */
  unslidable(sessionKey: string, clock: Clock): number | undefined {
    const seen = this.seen.get(sessionKey);
    if (seen === undefined || seen.expiresAt <= clock.now) return undefined;
    const wouldBe = Math.min(clock.now + clock.idleTimeoutMs, seen.absoluteExpiresAt);
    return wouldBe - seen.expiresAt < (clock.touchAfterMs ?? 0) ? seen.expiresAt : undefined;
  }

  saw(sessionKey: string, expiresAt: number, absoluteExpiresAt: number): void {
    this.seen.set(sessionKey, { expiresAt, absoluteExpiresAt });
  }

  forget(sessionKey: string): void {
    this.seen.delete(sessionKey);
  }
}
