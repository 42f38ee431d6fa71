import { createConnection, type Socket } from 'node:net';

/**
 * Counts the commands clients send to Redis, via MONITOR. Commands that a Lua script runs
 * are marked `[<db> lua]` and are not round trips, so they are listed apart.
 */
export class RedisMonitor {
  private buffer = '';
  readonly lines: string[] = [];

  private constructor(private readonly socket: Socket) {
    socket.on('data', (d) => {
      this.buffer += d.toString();
      const parts = this.buffer.split('\r\n');
      this.buffer = parts.pop()!;
      for (const line of parts) if (line.startsWith('+') && line !== '+OK') this.lines.push(line);
    });
  }

  static async attach(port: number): Promise<RedisMonitor> {
    const socket = createConnection(port, '127.0.0.1');
    const monitor = new RedisMonitor(socket);
    await new Promise<void>((resolve, reject) => {
      socket.once('error', reject);
      socket.once('data', () => resolve());
      socket.write('MONITOR\r\n');
    });
    return monitor;
  }

  /**
   * Top-level commands seen so far (what crossed the network), without the client's own
   * PINGs and the store's clock samples (a TIME sent along with a call about once a minute,
   * never waited for).
   */
  roundTrips(): string[] {
    return this.lines.filter((l) => !/\[\d+ lua\]/.test(l) && !/"(ping|time)"$/i.test(l));
  }

  clear(): void {
    this.lines.length = 0;
  }

  /** Lets MONITOR catch up with commands that were already answered. */
  async settle(): Promise<void> {
    await new Promise((resolve) => setTimeout(resolve, 50));
  }

  /** The top-level commands that `call` sent, and nothing before or after it. */
  async roundTripsOf(call: () => Promise<unknown>): Promise<string[]> {
    await this.settle();
    this.clear();
    await call();
    await this.settle();
    return this.roundTrips();
  }

  close(): void {
    this.socket.destroy();
  }
}
