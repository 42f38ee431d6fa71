import { connect as netConnect, type Socket } from 'node:net';
import { connect as tlsConnect, type ConnectionOptions } from 'node:tls';
import { JsonFrameReader } from './json-frame-reader.js';
import { SessionServiceError } from './session-service.error.js';

interface PendingCall {
  pattern: string;
  /** performance.now() after which the call fails with TIMEOUT. */
  deadline: number;
  resolve(value: unknown): void;
  reject(error: SessionServiceError): void;
}

interface Reply {
  id?: unknown;
  response?: unknown;
  err?: unknown;
  isDisposed?: boolean;
}

export interface RpcConnectionOptions {
  host: string;
  port: number;
  tls?: ConnectionOptions;
  timeoutMs: number;
}

/**
 * The requesting side of Nest's TCP transport, as a stock ClientProxy speaks it: frames
 * `<length>#<json>`, requests `{ pattern, data, id }`, replies `{ id, response | err, isDisposed }`,
 * and what ClientProxy makes of them (the first `response` answers, an `err` rejects, a
 * disposal without a response is "no reply"). Without the Observable, serializer and
 * per-call timer layers: a web tier makes one of these calls per page.
 *
 * - Connects on the first call, and again on the first call after the connection closed;
 *   a closed or refused connection fails the calls in flight (UNAVAILABLE).
 * - Requests started in the same turn of the event loop go out in one write (one syscall
 *   for all the pages a busy web tier is serving at once).
 * - One timer for all calls: every call has the same timeout, so the oldest pending call is
 *   always the next to expire.
 */
export class RpcConnection {
  private socket: Socket | null = null;
  private readonly reader = new JsonFrameReader();
  private readonly pending = new Map<string, PendingCall>();
  private lastId = 0;
  private outbox = '';
  private flushQueued = false;
  private timer: NodeJS.Timeout | null = null;

  constructor(private readonly options: RpcConnectionOptions) {}

  /** Sends one request; resolves with the reply's `response`, rejects with a SessionServiceError. */
  request(pattern: string, data: unknown): Promise<unknown> {
    return new Promise((resolve, reject) => {
      const id = (++this.lastId).toString(36);
      let frame: string;
      try {
        const json = JSON.stringify({ pattern, data, id });
        frame = json.length + '#' + json;
      } catch (e) {
        return reject(new SessionServiceError('INTERNAL', `the request could not be serialized: ${(e as Error).message}`));
      }
      this.pending.set(id, { pattern, deadline: performance.now() + this.options.timeoutMs, resolve, reject });
      this.outbox += frame;
      if (!this.flushQueued) {
        this.flushQueued = true;
        setImmediate(this.flush);
      }
      if (this.timer === null) this.armTimer();
    });
  }

  /** Fails the calls in flight and closes the connection; a later call connects again. */
  close(): void {
    const socket = this.socket;
    this.drop(new Error('Connection closed'));
    socket?.destroy();
  }

  private readonly flush = (): void => {
    this.flushQueued = false;
    const text = this.outbox;
    if (text === '') return;
    this.outbox = '';
    (this.socket ?? this.open()).write(text);
  };

  private open(): Socket {
    const { host, port, tls } = this.options;
    const socket = tls ? tlsConnect({ ...tls, host, port }) : netConnect({ host, port });
    socket.setNoDelay(true);
    socket.setEncoding('utf8');
    let failure: Error | null = null;
    socket.on('data', (text: string) => {
      if (socket !== this.socket) return;
      try {
        this.reader.push(text, this.onReply);
      } catch (e) {
        socket.destroy(e as Error);
      }
    });
    socket.on('error', (e) => (failure = e));
    socket.on('close', () => {
      if (socket === this.socket) this.drop(failure ?? new Error('Connection closed'));
    });
    this.socket = socket;
    return socket;
  }

  /** Forgets the connection and fails every call in flight on it, and those not sent yet. */
  private drop(cause: Error): void {
    this.socket = null;
    this.outbox = '';
    this.reader.reset();
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    if (this.pending.size === 0) return;
    const calls = [...this.pending.values()];
    this.pending.clear();
    for (const call of calls) call.reject(SessionServiceError.from(cause));
  }

  private readonly onReply = (message: unknown): void => {
    const { id, err, response, isDisposed } = (message ?? {}) as Reply;
    const call = typeof id === 'string' ? this.pending.get(id) : undefined;
    if (!call) return; // an answered or expired call, or not a reply
    this.pending.delete(id as string);
    if (err) call.reject(SessionServiceError.from(err));
    else if (response === undefined && isDisposed) call.reject(new SessionServiceError('INTERNAL', `no reply to ${call.pattern}`));
    else call.resolve(response);
  };

  private armTimer(): void {
    const first = this.pending.values().next();
    if (first.done) return;
    this.timer = setTimeout(this.expire, Math.max(1, Math.ceil(first.value.deadline - performance.now())));
    this.timer.unref(); // a call in flight keeps the process alive through its socket
  }

  private readonly expire = (): void => {
    this.timer = null;
    const now = performance.now();
    for (const [id, call] of this.pending) {
      if (call.deadline > now) break;
      this.pending.delete(id);
      call.reject(new SessionServiceError('TIMEOUT', 'the session service did not answer in time'));
    }
    this.armTimer();
  };
}
