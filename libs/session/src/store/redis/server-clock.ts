/** How long one window of samples lasts; the offset is the best sample of the last two windows. */
const WINDOW_MS = 60_000;

interface Sample {
  offset: number;
  roundTripMs: number;
}

/**
 * This process's offset to Redis's clock, learned NTP-style from Redis's replies: a reply
 * carrying Redis's time (TIME, or a script's `now`), with this process's clock read just
 * before sending and just after the reply, gives `redisNow - midpoint`, off by at most half
 * the round trip. The sample with the shortest round trip of the last two windows wins
 * (well under a millisecond on a LAN), so the offset follows clock corrections.
 *
 * The store translates the caller's instants (when a shopper authenticated, a session's
 * absolute end) with it, so a replica whose wall clock is off by seconds still compares
 * them correctly with revocation marks Redis set on its own clock.
 */
export class ServerClock {
  private current: Sample | undefined;
  private previous: Sample | undefined;
  private windowStart = -Infinity;
  /** The offset of the better of `current` and `previous`, kept here because every store call reads it. */
  private best: number | undefined;

  observe(sentAt: number, receivedAt: number, redisNow: number): void {
    const sample = { offset: redisNow - (sentAt + receivedAt) / 2, roundTripMs: receivedAt - sentAt };
    if (receivedAt - this.windowStart >= WINDOW_MS) {
      this.previous = this.current;
      this.current = undefined;
      this.windowStart = receivedAt;
    }
    if (this.current === undefined || sample.roundTripMs <= this.current.roundTripMs) this.current = sample;
    const previous = this.previous;
    const winner = previous !== undefined && previous.roundTripMs < this.current.roundTripMs ? previous : this.current;
    this.best = Math.round(winner.offset);
  }

  /** Redis's clock minus this process's, in whole ms; undefined until the first sample. */
  offset(): number | undefined {
    return this.best;
  }

  /** True when no sample arrived in the current window (time to send a TIME along). */
  stale(localNow: number): boolean {
    return this.current === undefined || localNow - this.windowStart >= WINDOW_MS;
  }
}
