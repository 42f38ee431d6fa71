import { createConnection, type Socket } from 'node:net';

/** A reply frame as the service writes it. */
export interface ReplyFrame {
  id?: string | number;
  err?: { code: string; message: string; details?: unknown };
  response?: unknown;
  isDisposed?: boolean;
}

/** Frames a JSON value the way Nest's JsonSocket does: `<UTF-16 length>#<json>`. */
export function frame(value: unknown): string {
  const json = JSON.stringify(value);
  return `${json.length}#${json}`;
}

/**
 * A plain TCP connection to the service, for what a stock ClientProxy never sends:
 * it writes raw bytes and collects the reply frames and the moment the service closes it.
 */
export class RawConnection {
  readonly replies: ReplyFrame[] = [];
  readonly closed: Promise<void>;
  private text = '';
  private waiters: (() => void)[] = [];

  private constructor(readonly socket: Socket) {
    socket.on('error', () => undefined);
    socket.on('data', (chunk: Buffer) => {
      this.text += chunk.toString('utf8');
      for (;;) {
        const hash = this.text.indexOf('#');
        if (hash < 0) break;
        const length = Number(this.text.slice(0, hash));
        if (this.text.length < hash + 1 + length) break;
        this.replies.push(JSON.parse(this.text.slice(hash + 1, hash + 1 + length)) as ReplyFrame);
        this.text = this.text.slice(hash + 1 + length);
      }
      for (const wake of this.waiters.splice(0)) wake();
    });
    this.closed = new Promise((resolve) => socket.once('close', () => resolve()));
    void this.closed.then(() => this.waiters.splice(0).forEach((wake) => wake()));
  }

  static open(port: number, localAddress?: string): Promise<RawConnection> {
    return new Promise((resolve, reject) => {
      const socket = createConnection({ port, host: '127.0.0.1', ...(localAddress ? { localAddress } : {}) });
      socket.once('error', reject);
      socket.once('connect', () => {
        socket.off('error', reject);
        resolve(new RawConnection(socket));
      });
    });
  }

  get isClosed(): boolean {
    return this.socket.destroyed || this.socket.readyState === 'closed';
  }

  write(data: string | Buffer): void {
    if (!this.socket.destroyed) this.socket.write(data);
  }

  /** Resolves with the reply for `id` (or the first reply without an id); rejects if the connection closes first. */
  async reply(id?: string | number, timeoutMs = 5_000): Promise<ReplyFrame> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.replies.find((r) => r.id === id);
      if (found) return found;
      if (this.isClosed) throw new Error('the connection closed before the reply');
      if (Date.now() > deadline) throw new Error(`no reply for ${String(id)} within ${timeoutMs} ms`);
      await new Promise<void>((wake) => {
        this.waiters.push(wake);
        setTimeout(wake, 100);
      });
    }
  }

  /** Resolves true if the service closes the connection within `ms`. */
  closesWithin(ms: number): Promise<boolean> {
    return Promise.race([this.closed.then(() => true), new Promise<boolean>((r) => setTimeout(() => r(false), ms))]);
  }

  destroy(): void {
    this.socket.destroy();
  }
}
