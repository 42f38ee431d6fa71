import type { TransportLimits } from '#libs/session';
import type { CorkedJsonSocket } from './corked-json-socket.js';
import type { RateLimitedLog } from './rate-limited-log.js';

/** The transport limits in force, with maxConnections decided. */
export type GuardLimits = Omit<TransportLimits, 'maxConnections' | 'shutdownGraceMs'>;

/**
 * What the connections of one server share: the budget of bytes held for partial frames,
 * and one timer that closes connections whose frame is overdue or that stay idle.
 * Over the budget, the connections holding the oldest partial frames are closed first:
 * a normal request arrives whole within milliseconds, so it is never the oldest.
 */
export class ConnectionGuard {
  readonly maxFrameChars: number;
  /** The length prefix may have no more digits than the largest frame's length. */
  readonly maxPrefixDigits: number;
  readonly connections = new Set<CorkedJsonSocket>();
  /** Connections holding a partial frame, oldest first, with the bytes each holds. */
  private readonly holders = new Map<CorkedJsonSocket, number>();
  private held = 0;
  private timer: NodeJS.Timeout | null = null;

  constructor(
    readonly limits: GuardLimits,
    private readonly log: RateLimitedLog,
  ) {
    this.maxFrameChars = limits.maxFrameChars;
    this.maxPrefixDigits = String(limits.maxFrameChars).length;
  }

  get heldBytes(): number {
    return this.held;
  }

  track(connection: CorkedJsonSocket): void {
    this.connections.add(connection);
  }

  forget(connection: CorkedJsonSocket): void {
    this.connections.delete(connection);
  }

  /** Sets what `connection` holds to `bytes`; false when that cannot fit even after closing every older holder. */
  reserve(connection: CorkedJsonSocket, bytes: number): boolean {
    this.held += bytes - (this.holders.get(connection) ?? 0);
    this.holders.set(connection, bytes);
    for (const [oldest] of this.holders) {
      if (this.held <= this.limits.maxBufferedBytes) break;
      oldest.abort('partial frames above the buffer budget');
    }
    return this.holders.has(connection);
  }

  release(connection: CorkedJsonSocket): void {
    this.held -= this.holders.get(connection) ?? 0;
    this.holders.delete(connection);
  }

  /** A connection was closed for `reason` (a fixed phrase): logged at a bounded rate. */
  report(reason: string): void {
    this.log.write('warn', reason, `closed a TCP connection: ${reason}`);
  }

  start(): void {
    const limits = this.limits;
    // Deadlines are checked by one timer for all connections, a few times per deadline.
    const every = Math.max(50, Math.min(1_000, Math.floor(Math.min(limits.idleTimeoutMs, limits.frameTimeoutMs) / 4)));
    this.timer ??= setInterval(() => this.sweep(Date.now()), every).unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  sweep(now: number): void {
    const { frameTimeoutMs, idleTimeoutMs } = this.limits;
    for (const c of this.connections) {
      if (c.frameStartedAt !== null) {
        if (now - c.frameStartedAt > frameTimeoutMs) c.abort(`a frame not complete within ${frameTimeoutMs} ms of its first byte`);
      } else if (c.inFlight === 0 && now - c.lastActiveAt > idleTimeoutMs) {
        this.log.write('log', 'idle', `closed an idle TCP connection (nothing received for ${idleTimeoutMs} ms)`);
        c.finish();
      }
    }
    this.log.flush(now);
  }
}
