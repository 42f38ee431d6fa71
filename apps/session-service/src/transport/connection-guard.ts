import type { TransportLimits } from '#libs/session';
import type { BatchingJsonSocket } from './batching-json-socket.js';
import type { RateLimitedLog } from './rate-limited-log.js';

/** Partial frames are held in chunks of this size (a read is at most 64 KiB). */
const CHUNK_BYTES = 16 * 1024;
/** A connection we ended is destroyed if it is still open this much later. */
const FINISH_TIMEOUT_MS = 5_000;
/** Chunks the pool keeps between sweeps once no frame needs them (1 MiB). */
const KEPT_FREE_CHUNKS = 64;

/** The transport limits in force, with maxConnections decided. */
export type GuardLimits = Omit<TransportLimits, 'maxConnections' | 'shutdownGraceMs'>;

/**
 * What the connections of one server share: the budget of bytes held for partial frames
 * (a pool of fixed-size chunks), and one timer that closes connections whose frame is
 * overdue or that stay idle. Over the budget, the connections holding the oldest partial frames are closed first:
 * a normal request arrives whole within milliseconds, so it is never the oldest.
 */
export class ConnectionGuard {
  readonly maxFrameChars: number;
  /** The length prefix may have no more digits than the largest frame's length. */
  readonly maxPrefixDigits: number;
  readonly connections = new Set<BatchingJsonSocket>();
  readonly chunkBytes = CHUNK_BYTES;
  /** Connections holding a partial frame, oldest first, with the chunks each was lent. */
  private readonly holders = new Map<BatchingJsonSocket, number>();
  private held = 0;
  /**
   * Chunks returned by finished or closed frames, lent again before any is allocated: under
   * a flood of partial frames memory is reused instead of left to the garbage collector.
   */
  private free: Buffer[] = [];
  private timer: NodeJS.Timeout | null = null;

  constructor(
    readonly limits: GuardLimits,
    private readonly log: RateLimitedLog,
  ) {
    this.maxFrameChars = limits.maxFrameChars;
    this.maxPrefixDigits = String(limits.maxFrameChars).length;
  }

  track(connection: BatchingJsonSocket): void {
    this.connections.add(connection);
  }

  forget(connection: BatchingJsonSocket): void {
    this.connections.delete(connection);
  }

  /**
   * Lends `connection` one chunk for its partial frame. Over the budget, the connections
   * holding the oldest partial frames are closed (their chunks come back) until it fits;
   * null when `connection` itself was the oldest.
   */
  lend(connection: BatchingJsonSocket): Buffer | null {
    this.held += CHUNK_BYTES;
    this.holders.set(connection, (this.holders.get(connection) ?? 0) + 1);
    for (const [oldest] of this.holders) {
      if (this.held <= this.limits.maxBufferedBytes) break;
      oldest.abort('partial frames above the buffer budget');
    }
    if (!this.holders.has(connection)) return null;
    return this.free.pop() ?? Buffer.allocUnsafeSlow(CHUNK_BYTES);
  }

  /** The chunks of a frame that completed or was dropped, back to the pool. */
  takeBack(connection: BatchingJsonSocket, chunks: Buffer[]): void {
    const lent = this.holders.get(connection);
    if (lent === undefined) return;
    this.holders.delete(connection);
    this.held -= lent * CHUNK_BYTES;
    this.free.push(...chunks);
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
      if (c.finishingSince !== null) {
        // Ended by us, but the peer neither closed its side nor read what was left.
        if (now - c.finishingSince > FINISH_TIMEOUT_MS) c.socket.destroy();
      } else if (c.frameStartedAt !== null) {
        if (now - c.frameStartedAt > frameTimeoutMs) c.abort(`a frame not complete within ${frameTimeoutMs} ms of its first byte`);
      } else if (c.inFlight === 0 && now - c.lastActiveAt > idleTimeoutMs) {
        this.log.write('log', 'idle', `closed an idle TCP connection (nothing received for ${idleTimeoutMs} ms)`);
        c.finish();
      }
    }
    if (this.free.length > KEPT_FREE_CHUNKS) this.free.length = KEPT_FREE_CHUNKS;
    this.log.flush(now);
  }
}
