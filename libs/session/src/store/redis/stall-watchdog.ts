/**
 * Detects a Redis that stopped answering: while calls are pending and no reply has arrived
 * for `stallMs`, `onStall` runs (the adapter then resets the connection, which fails every
 * pending call at once). It costs two counter updates per call on the hot path, instead of
 * a timer or a wrapping promise per call. One timer checks every stallMs/8.
 */
export class StallWatchdog {
  private inFlight = 0;
  private lastProgressAt = Date.now();
  private readonly timer: NodeJS.Timeout;

  constructor(
    private readonly stallMs: number,
    private readonly onStall: (pending: number, silentMs: number) => void,
  ) {
    this.timer = setInterval(() => this.check(), Math.max(5, Math.floor(stallMs / 8))).unref();
  }

  begin(): void {
    if (this.inFlight++ === 0) this.lastProgressAt = Date.now();
  }

  end(): void {
    this.inFlight--;
    this.lastProgressAt = Date.now();
  }

  stop(): void {
    clearInterval(this.timer);
  }

  private check(): void {
    const silentMs = Date.now() - this.lastProgressAt;
    if (this.inFlight > 0 && silentMs >= this.stallMs) {
      this.lastProgressAt = Date.now();
      this.onStall(this.inFlight, silentMs);
    }
  }
}
