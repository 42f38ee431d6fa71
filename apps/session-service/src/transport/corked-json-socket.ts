import type { Socket } from 'node:net';
import { JsonSocket } from '@nestjs/microservices';
import type { ConnectionGuard } from './connection-guard.js';

const HASH = 0x23;
const DIGIT_0 = 0x30;
const DIGIT_9 = 0x39;
const MIN_CAPACITY = 4_096;
/** Replies a peer does not read are held up to this much before its connection is closed. */
const MAX_SEND_BUFFER_BYTES = 16 * 1_048_576;

/**
 * Nest's JsonSocket (frames `<length>#<json>`, the length in UTF-16 code units) with the
 * session service's own reader, and replies batched per tick.
 *
 * The reader looks at every received byte once: the length prefix may have no more digits
 * than the largest frame, and a body is copied into one growing buffer whose bytes count
 * against a budget shared by all connections (ConnectionGuard). A frame must be complete
 * within the guard's deadline from its first byte, which later bytes do not extend. A
 * frame that is not a JSON object closes the connection. Replies that complete in the same
 * tick (Redis answers many calls in one read) leave in one write.
 */
export class CorkedJsonSocket extends JsonSocket {
  /** Calls of this connection that have not been answered yet. */
  inFlight = 0;
  /** When the current frame's first byte arrived (ms), or null between frames. */
  frameStartedAt: number | null = null;
  /** When the connection last finished a frame or a call (ms). */
  lastActiveAt = Date.now();
  /** Set once the connection is being closed: nothing it sends afterwards is executed. */
  closing = false;

  private corked = false;
  private paused = false;
  /** Digits of the length prefix read so far, and their value. */
  private digits = 0;
  private prefixValue = 0;
  /** The current frame's length in characters, or -1 while its prefix is read. */
  private expected = -1;
  private body: Buffer | null = null;
  private bodyBytes = 0;
  private bodyChars = 0;
  /** Continuation bytes still due for the current UTF-8 sequence. */
  private pendingContinuation = 0;

  constructor(
    socket: Socket,
    private readonly guard: ConnectionGuard,
  ) {
    // The parent's reader and timer stay idle: handleData below replaces them.
    super(socket, { incompleteMessageTimeout: 0, maxSendBufferSize: MAX_SEND_BUFFER_BYTES });
    socket.on('close', () => {
      this.closing = true;
      this.releaseBody();
      guard.forget(this);
    });
  }

  /** Closes the connection at once (a hostile or broken peer); `reason` goes to the rate-limited log. */
  abort(reason: string): void {
    if (this.closing) return;
    this.closing = true;
    this.releaseBody();
    this.guard.report(reason);
    this.socket.destroy();
  }

  /** Ends the connection after what was written (idle, or drained at shutdown). */
  finish(): void {
    if (this.closing) return;
    this.closing = true;
    this.socket.end();
  }

  protected override handleData(data: Buffer | string): void {
    if (this.closing) return;
    const chunk = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
    let i = 0;
    while (i < chunk.length && !this.closing) {
      i = this.expected < 0 ? this.readPrefix(chunk, i) : this.readBody(chunk, i);
    }
  }

  protected override handleSend(message: unknown, callback?: (err?: unknown) => void): void {
    if (!this.corked) {
      this.corked = true;
      this.socket.cork();
      process.nextTick(() => {
        this.corked = false;
        this.socket.uncork();
      });
    }
    const json = JSON.stringify(message);
    const flushed = this.socket.write(`${json.length}#${json}`, 'utf8', callback);
    // A peer that sends requests but reads no replies: stop reading it until it catches up,
    // and close it once the replies held for it pass the limit.
    if (!flushed && !this.paused) {
      this.paused = true;
      this.socket.pause();
      this.socket.once('drain', () => {
        this.paused = false;
        this.socket.resume();
      });
    }
    if (this.socket.writableLength > MAX_SEND_BUFFER_BYTES) this.abort('replies not read by the peer');
  }

  private readPrefix(chunk: Buffer, start: number): number {
    let i = start;
    this.frameStartedAt ??= Date.now();
    while (i < chunk.length) {
      const b = chunk[i++]!;
      if (b >= DIGIT_0 && b <= DIGIT_9) {
        if (++this.digits > this.guard.maxPrefixDigits) return this.fail('length prefix too long', chunk.length);
        this.prefixValue = this.prefixValue * 10 + (b - DIGIT_0);
        continue;
      }
      if (b !== HASH || this.digits === 0) return this.fail('corrupted length prefix', chunk.length);
      const length = this.prefixValue;
      this.digits = 0;
      this.prefixValue = 0;
      if (length > this.guard.maxFrameChars) return this.fail('a frame above the size limit', chunk.length);
      if (length === 0) return this.fail('empty frame', chunk.length);
      this.expected = length;
      return i;
    }
    return i;
  }

  private readBody(chunk: Buffer, start: number): number {
    let i = start;
    let chars = this.bodyChars;
    let continuation = this.pendingContinuation;
    const expected = this.expected;
    // Each byte is looked at once: a lead byte starts a character (2 UTF-16 units for a 4-byte sequence).
    while (i < chunk.length) {
      if (continuation === 0 && chars >= expected) break;
      const b = chunk[i]!;
      if (continuation > 0 && (b & 0xc0) === 0x80) continuation--;
      else {
        chars += b >= 0xf0 ? 2 : 1;
        continuation = b < 0x80 ? 0 : b >= 0xf0 ? 3 : b >= 0xe0 ? 2 : 1;
      }
      i++;
    }
    this.bodyChars = chars;
    this.pendingContinuation = continuation;
    const complete = continuation === 0 && chars >= expected;
    if (!complete || this.body !== null) {
      if (!this.append(chunk, start, i)) return chunk.length;
    }
    if (!complete) return i;
    const text = this.body === null ? chunk.toString('utf8', start, i) : this.body.toString('utf8', 0, this.bodyBytes);
    this.resetFrame();
    if (text.length !== expected) return this.fail('frame length does not match its prefix', chunk.length);
    this.emitFrame(text);
    return i;
  }

  /** Copies part of a read into the frame buffer, growing it within the shared budget. */
  private append(chunk: Buffer, from: number, to: number): boolean {
    const needed = this.bodyBytes + (to - from);
    if (this.body === null || needed > this.body.length) {
      let capacity = Math.max(MIN_CAPACITY, this.body?.length ?? 0);
      while (capacity < needed) capacity *= 2;
      capacity = Math.min(capacity, Math.max(needed, this.expected * 3));
      if (!this.guard.reserve(this, capacity)) {
        this.abort('partial frames above the buffer budget');
        return false;
      }
      const grown = Buffer.allocUnsafe(capacity);
      this.body?.copy(grown, 0, 0, this.bodyBytes);
      this.body = grown;
    }
    chunk.copy(this.body, this.bodyBytes, from, to);
    this.bodyBytes = needed;
    return true;
  }

  private emitFrame(text: string): void {
    let message: unknown;
    try {
      message = JSON.parse(text);
    } catch {
      this.fail('invalid received message: the frame is not JSON', 0);
      return;
    }
    if (message === null || typeof message !== 'object' || Array.isArray(message)) {
      this.fail('invalid received message: the frame is not a JSON object', 0);
      return;
    }
    this.lastActiveAt = Date.now();
    this.socket.emit('message', message);
  }

  private fail(reason: string, resume: number): number {
    this.resetFrame();
    this.abort(reason);
    return resume;
  }

  private resetFrame(): void {
    this.expected = -1;
    this.digits = 0;
    this.prefixValue = 0;
    this.bodyChars = 0;
    this.pendingContinuation = 0;
    this.frameStartedAt = null;
    this.releaseBody();
  }

  private releaseBody(): void {
    this.guard.release(this);
    this.body = null;
    this.bodyBytes = 0;
  }
}
