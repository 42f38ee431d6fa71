import type { LoggerService } from '@nestjs/common';

type Level = 'log' | 'warn' | 'error';

interface Entry {
  level: Level;
  message: string;
  loggedAt: number;
  suppressed: number;
}

/**
 * At most one line per kind of event per interval, so that a peer repeating a mistake (or
 * thousands of peers) cannot flood the log: the first event of a kind is logged at once,
 * the rest are counted and summed up in one line once the interval has passed (flush()).
 * Kinds are a small fixed set chosen by the caller, never input.
 */
export class RateLimitedLog {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly logger: LoggerService,
    readonly intervalMs = 10_000,
  ) {}

  write(level: Level, kind: string, message: string, now = Date.now()): void {
    const entry = this.entries.get(kind);
    if (entry && now - entry.loggedAt < this.intervalMs) {
      entry.suppressed++;
      entry.message = message;
      return;
    }
    this.logger[level](message);
    this.entries.set(kind, { level, message, loggedAt: now, suppressed: 0 });
  }

  /** Logs the sum of each kind whose interval has passed with events left unlogged. */
  flush(now = Date.now()): void {
    for (const [kind, entry] of this.entries) {
      if (now - entry.loggedAt < this.intervalMs) continue;
      if (entry.suppressed > 0) {
        this.logger[entry.level](
          `${entry.message} (${entry.suppressed} more like it in the last ${Math.round((now - entry.loggedAt) / 1000)} s)`,
        );
        this.entries.set(kind, { ...entry, loggedAt: now, suppressed: 0 });
      } else {
        this.entries.delete(kind);
      }
    }
  }
}
