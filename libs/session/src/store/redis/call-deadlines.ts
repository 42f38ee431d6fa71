import { StoreUnavailableError } from '../store-unavailable.error.js';

interface Pending {
  deadline: number;
  reject(error: Error): void;
}

/**
 * Fails store calls that outlive `timeoutMs`. One shared timer sweeps all pending calls
 * (every timeoutMs/8), instead of a timer and a Promise.race per call on the hot path.
 */
export class CallDeadlines {
  private readonly pending = new Set<Pending>();
  private timer: NodeJS.Timeout | null = null;
  private readonly tickMs: number;

  constructor(private readonly timeoutMs: number) {
    this.tickMs = Math.max(5, Math.floor(timeoutMs / 8));
  }

  run<T>(call: Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const entry: Pending = { deadline: Date.now() + this.timeoutMs, reject };
      this.pending.add(entry);
      this.timer ??= setInterval(() => this.sweep(), this.tickMs).unref();
      call.then(
        (value) => {
          this.pending.delete(entry);
          resolve(value);
        },
        (error: unknown) => {
          this.pending.delete(entry);
          reject(error);
        },
      );
    });
  }

  private sweep(): void {
    const now = Date.now();
    for (const entry of this.pending) {
      if (entry.deadline > now) continue;
      this.pending.delete(entry);
      entry.reject(new StoreUnavailableError(`no answer within ${this.timeoutMs} ms`));
    }
    if (this.pending.size === 0 && this.timer) {
      clearInterval(this.timer);
      this.timer = null;
    }
  }
}
