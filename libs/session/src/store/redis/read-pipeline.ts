import { connect, type Socket } from 'node:net';
import { ErrorReply } from 'redis';
import { encodeCommand, RespParser, type RespReply } from './resp.js';
import { reconnectStrategy } from './redis-timing.js';

/** As large as one read of libuv (its suggested size). */
const READ_BUFFER_BYTES = 64 * 1024;

/** What CLIENT LIST calls this connection. */
export const READS_CONNECTION_NAME = 'session-reads';

/**
 * A reads connection to `url`, or null where reads stay with node-redis: a TLS URL
 * (`rediss:`), or reads connections switched off (`store.readsConnection: false`).
 */
export function openReadPipeline(
  url: URL,
  options: { connectTimeoutMs: number; readsConnection?: boolean; onError(error: Error): void },
): ReadPipeline | null {
  if (url.protocol !== 'redis:' || options.readsConnection === false) return null;
  return new ReadPipeline(url, options.connectTimeoutMs, options.onError);
}

/** Commands sent together, answered together. */
interface Batch {
  count: number;
  replies: RespReply[];
  resolve(replies: RespReply[]): void;
  reject(error: Error): void;
}

/**
 * A connection to one Redis node (a single node, or a cluster's master) that carries the
 * resolve path's reads. A batch of commands (a resolve's MGET and PEXPIRETIME) is one queue
 * entry, one promise and one write, where node-redis spends a queue entry, a promise and its
 * bookkeeping per command: about twice the CPU per resolve's read (docs/operations.md,
 * "Connections").
 *
 * It only ever speeds reads up: until it has connected and authenticated, and while it
 * reconnects, RedisClients sends the same commands through node-redis, whose failure handling
 * (no offline queue, reconnect with backoff, the stall watchdog's reset) the outage behaviour
 * rests on. A batch in flight when the connection drops fails like a node-redis command would.
 */
export class ReadPipeline {
  private socket: Socket | null = null;
  private ready = false;
  private closed = false;
  private readonly queue: Batch[] = [];
  private out = '';
  private flushScheduled = false;
  private readonly parser = new RespParser();
  private retries = 0;
  private retryTimer: NodeJS.Timeout | null = null;
  private readonly readBuffer = Buffer.allocUnsafeSlow(READ_BUFFER_BYTES);

  constructor(
    private readonly url: URL,
    private readonly connectTimeoutMs: number,
    private readonly onError: (error: Error) => void,
  ) {
    this.connect();
  }

  /** Connected and authenticated: batches go out now. */
  isReady(): boolean {
    return this.ready;
  }

  /** Sends `commands` in the next write; their replies in order, or the first error reply. Call only when isReady(). */
  batch(commands: readonly string[][]): Promise<RespReply[]> {
    return new Promise((resolve, reject) => {
      this.queue.push({ count: commands.length, replies: [], resolve, reject });
      for (const command of commands) this.out += encodeCommand(command);
      if (!this.flushScheduled) {
        this.flushScheduled = true;
        process.nextTick(this.flush);
      }
    });
  }

  /** Drops the connection (failing what is in flight) and connects again after the backoff. */
  reset(): void {
    this.socket?.destroy();
  }

  close(): void {
    this.closed = true;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.socket?.destroy();
  }

  private readonly flush = (): void => {
    this.flushScheduled = false;
    const out = this.out;
    this.out = '';
    if (out && this.socket && !this.socket.destroyed) this.socket.write(out);
  };

  private connect(): void {
    this.retryTimer = null;
    if (this.closed) return;
    const host = this.url.hostname.replace(/^\[(.*)\]$/, '$1'); // an IPv6 literal comes in brackets
    // Reads land in one buffer of this connection's (the parser copies out what it keeps), not a new one per read.
    const socket = connect({
      host,
      port: Number(this.url.port || 6379),
      noDelay: true,
      keepAlive: true,
      onread: {
        buffer: this.readBuffer,
        callback: (bytes: number) => {
          this.received(this.readBuffer.subarray(0, bytes));
          return true; // keep reading
        },
      },
    });
    this.socket = socket;
    socket.setTimeout(this.connectTimeoutMs, () =>
      socket.destroy(new Error(`redis read connection: not ready within ${this.connectTimeoutMs} ms`)),
    );
    socket.on('connect', () => this.handshake(socket));
    socket.on('error', (e: Error) => this.report(e));
    socket.on('close', () => this.dropped(socket));
  }

  /**
   * AUTH and SELECT as the URL asks, then PING: ready once all answered. The connection is named
   * for CLIENT LIST (a name Redis refuses, e.g. by ACL, is no reason not to read).
   */
  private handshake(socket: Socket): void {
    const setup: string[][] = [];
    const user = decodeURIComponent(this.url.username);
    const password = decodeURIComponent(this.url.password);
    if (password) setup.push(user ? ['AUTH', user, password] : ['AUTH', password]);
    const db = this.url.pathname.slice(1);
    if (db && db !== '0') setup.push(['SELECT', db]);
    const ignore = (): void => {};
    const failed = (e: Error): void => {
      if (socket.destroyed) return; // already dropped: reported then
      this.report(e);
      socket.destroy();
    };
    if (setup.length) this.queue.push({ count: setup.length, replies: [], resolve: ignore, reject: failed });
    this.queue.push({ count: 1, replies: [], resolve: ignore, reject: ignore });
    this.queue.push({
      count: 1,
      replies: [],
      resolve: () => {
        socket.setTimeout(0);
        this.retries = 0;
        this.ready = true;
      },
      reject: failed,
    });
    socket.write([...setup, ['CLIENT', 'SETNAME', READS_CONNECTION_NAME], ['PING']].map(encodeCommand).join(''));
  }

  /** One report per outage: reconnect attempts every second would repeat it. */
  private report(e: Error): void {
    if (this.retries === 0) this.onError(new Error(`redis read connection: ${e.message}`));
  }

  private received(chunk: Buffer): void {
    let replies: RespReply[];
    try {
      replies = this.parser.push(chunk);
    } catch (e) {
      this.socket?.destroy(e as Error);
      return;
    }
    for (const reply of replies) {
      const batch = this.queue[0];
      if (!batch) continue;
      batch.replies.push(reply);
      if (batch.replies.length < batch.count) continue;
      this.queue.shift();
      const error = batch.replies.find((r): r is ErrorReply => r instanceof ErrorReply);
      if (error) batch.reject(error);
      else batch.resolve(batch.replies);
    }
  }

  private dropped(socket: Socket): void {
    if (this.socket !== socket) return;
    this.socket = null;
    this.ready = false;
    this.out = '';
    this.parser.reset();
    const lost = this.queue.splice(0);
    const error = new Error('redis read connection closed');
    for (const batch of lost) batch.reject(error);
    if (!this.closed) this.retryTimer = setTimeout(() => this.connect(), reconnectStrategy(this.retries++)).unref();
  }
}
