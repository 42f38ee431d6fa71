import { isAscii } from 'node:buffer';
import type { Socket } from 'node:net';
import { JsonSocket } from '@nestjs/microservices';
import type { ConnectionGuard } from './connection-guard.js';
import { readIntoSharedBuffer } from './shared-read-buffer.js';

const HASH = 0x23;
const DIGIT_0 = 0x30;
const DIGIT_9 = 0x39;
/** Replies a peer does not read are held up to this much before its connection is closed. */
const MAX_SEND_BUFFER_BYTES = 16 * 1_048_576;

/**
 * Nest's JsonSocket (frames `<length>#<json>`, the length in UTF-16 code units) with the
 * session service's own reader, and replies batched per tick.
 *
 * The reader looks at every received byte once: the length prefix may have no more digits
 * than the largest frame, and a frame that does not arrive whole in one read is copied into
 * fixed-size chunks from a pool shared by all connections (ConnectionGuard); reads go into one
 * buffer shared by all connections (shared-read-buffer.ts), so they leave no garbage. A frame must be
 * complete within the guard's deadline from its first byte, which later bytes do not
 * extend. A frame that is not a JSON object closes the connection. Replies that complete in the same
 * tick (Redis answers many calls in one read) leave in one write.
 */
export class BatchingJsonSocket extends JsonSocket {
  /** Calls of this connection that have not been answered yet. */
  inFlight = 0;
  /** When the current frame's first byte arrived (ms), or null between frames. */
  frameStartedAt: number | null = null;
  /** When the connection last finished a frame or a call (ms). */
  lastActiveAt = Date.now();
  /** Set once the connection is being closed: nothing it sends afterwards is executed. */
  closing = false;
  /** When finish() began a graceful close (ms): a peer that never closes its side is destroyed later. */
  finishingSince: number | null = null;

  /** Reply frames of the current tick, written together when it ends; null when none wait. */
  private pending: string | null = null;
  private paused = false;
  /** Digits of the length prefix read so far, and their value. */
  private digits = 0;
  private prefixValue = 0;
  /** The current frame's length in characters, or -1 while its prefix is read. */
  private expected = -1;
  /** The partial frame's bytes, in chunks lent by the guard (all full but the last). */
  private chunks: Buffer[] = [];
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
    readIntoSharedBuffer(socket, (data) => {
      try {
        this.handleData(data);
      } catch (e) {
        this.handleDataError(e);
      }
    });
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
    this.finishingSince = Date.now();
    this.flush();
    this.socket.end();
  }

  override end(): this {
    this.flush();
    return super.end();
  }

  protected override handleDataError(e: unknown, options: { destroy?: boolean } = {}): void {
    if (!options.destroy) this.flush();
    super.handleDataError(e, options);
  }

  protected override handleData(data: Buffer | string): void {
    if (this.closing) return;
    const chunk = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
    let i = this.betweenFrames() && isAscii(chunk) ? this.readAsciiFrames(chunk) : 0;
    while (i < chunk.length && !this.closing) {
      i = this.expected < 0 ? this.readPrefix(chunk, i) : this.readBody(chunk, i);
    }
  }

  /**
   * Replies are joined into one string and written once at the end of the tick: a write per
   * reply costs a stream entry each and a writev of many small strings, which cost more than
   * the join. (A caller's callback, which Nest's servers never pass, gets a write of its own.)
   */
  protected override handleSend(message: unknown, callback?: (err?: unknown) => void): void {
    const json = JSON.stringify(message);
    const frame = `${json.length}#${json}`;
    if (callback) {
      this.flush();
      this.write(frame, callback);
    } else if (this.pending === null) {
      this.pending = frame;
      process.nextTick(this.flush);
    } else {
      this.pending += frame;
    }
  }

  /** Writes the replies of the tick (nothing once the socket is closed: like unsent writes, they are dropped). */
  private readonly flush = (): void => {
    const frames = this.pending;
    if (frames === null) return;
    this.pending = null;
    if (this.socket.destroyed || this.socket.writableEnded) return;
    this.write(frames);
  };

  private write(text: string, callback?: (err?: unknown) => void): void {
    const flushed = this.socket.write(text, 'utf8', callback);
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

  private betweenFrames(): boolean {
    return this.expected < 0 && this.digits === 0 && this.chunks.length === 0;
  }

  /**
   * The common case, a read of whole ASCII frames (pipelined or not): one decode of the read,
   * then a slice per frame, as Nest's reader does. Returns where the byte-wise reader takes
   * over (a partial or non-ASCII frame, or the end of the read).
   */
  private readAsciiFrames(chunk: Buffer): number {
    const text = chunk.toString('latin1');
    const maxDigits = this.guard.maxPrefixDigits;
    let at = 0;
    while (at < text.length && !this.closing) {
      let length = 0;
      let i = at;
      for (; i < text.length && i - at <= maxDigits; i++) {
        const c = text.charCodeAt(i);
        if (c < DIGIT_0 || c > DIGIT_9) break;
        length = length * 10 + (c - DIGIT_0);
      }
      // Anything unusual (a prefix cut by the read, a malformed one, a frame not all here) goes the byte-wise way.
      if (i - at > maxDigits || i === at || text.charCodeAt(i) !== HASH || length === 0 || length > this.guard.maxFrameChars) return at;
      if (i + 1 + length > text.length) return at;
      this.emitFrame(text.slice(i + 1, i + 1 + length));
      at = i + 1 + length;
    }
    return at;
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
    // Most frames are ASCII JSON: then each byte is one character, checked natively.
    if (continuation === 0 && isAscii(chunk.subarray(start, Math.min(chunk.length, start + expected - chars)))) {
      i = Math.min(chunk.length, start + expected - chars);
      chars += i - start;
    }
    // Otherwise each byte is looked at once: a lead byte starts a character (2 UTF-16 units for a 4-byte sequence).
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
    if (!complete || this.chunks.length > 0) {
      if (!this.append(chunk, start, i)) return chunk.length;
    }
    if (!complete) return i;
    const text = this.chunks.length === 0 ? chunk.toString('utf8', start, i) : this.bodyText();
    this.resetFrame();
    if (text.length !== expected) return this.fail('frame length does not match its prefix', chunk.length);
    this.emitFrame(text);
    return i;
  }

  /** Copies part of a read into the frame's chunks, borrowing more from the guard as needed. */
  private append(chunk: Buffer, from: number, to: number): boolean {
    while (from < to) {
      const used = this.bodyBytes - (this.chunks.length - 1) * this.guard.chunkBytes;
      let last = this.chunks[this.chunks.length - 1];
      let room = last === undefined ? 0 : this.guard.chunkBytes - used;
      if (room === 0) {
        const lent = this.guard.lend(this);
        if (lent === null) {
          this.abort('partial frames above the buffer budget');
          return false;
        }
        this.chunks.push(lent);
        last = lent;
        room = lent.length;
      }
      const n = Math.min(room, to - from);
      chunk.copy(last!, this.guard.chunkBytes - room, from, from + n);
      this.bodyBytes += n;
      from += n;
    }
    return true;
  }

  private bodyText(): string {
    if (this.chunks.length === 1) return this.chunks[0]!.toString('utf8', 0, this.bodyBytes);
    return Buffer.concat(this.chunks, this.bodyBytes).toString('utf8');
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
    const chunks = this.chunks;
    this.chunks = [];
    this.bodyBytes = 0;
    this.guard.takeBack(this, chunks);
  }
}
