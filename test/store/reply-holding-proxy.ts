import { createConnection, createServer, type Server, type Socket } from 'node:net';

/**
 * A TCP proxy in front of Redis that can hold back Redis's replies while passing commands
 * through at once. With replies held, whatever a client sends is what it sends without
 * waiting for an answer (one round trip); and a reply can be made to arrive "late".
 */
export class ReplyHoldingProxy {
  private held = false;
  private readonly queued: (() => void)[] = [];
  private readonly sockets = new Set<Socket>();

  private constructor(private readonly server: Server) {}

  static async start(redisPort: number): Promise<ReplyHoldingProxy> {
    const proxy = new ReplyHoldingProxy(createServer((client) => proxy.connect(client, redisPort)));
    await new Promise<void>((resolve) => proxy.server.listen(0, '127.0.0.1', resolve));
    return proxy;
  }

  get url(): string {
    const address = this.server.address();
    if (address === null || typeof address === 'string') throw new Error('the proxy is not listening');
    return `redis://127.0.0.1:${address.port}`;
  }

  hold(): void {
    this.held = true;
  }

  /** Delivers the held replies, in order, and passes replies through again. */
  release(): void {
    this.held = false;
    for (const deliver of this.queued.splice(0)) deliver();
  }

  async close(): Promise<void> {
    this.release();
    for (const socket of this.sockets) socket.destroy();
    await new Promise((resolve) => this.server.close(resolve));
  }

  private connect(client: Socket, redisPort: number): void {
    const upstream = createConnection(redisPort, '127.0.0.1');
    for (const socket of [client, upstream]) {
      this.sockets.add(socket);
      socket.on('error', () => undefined);
      socket.on('close', () => {
        this.sockets.delete(socket);
        client.destroy();
        upstream.destroy();
      });
    }
    client.on('data', (chunk) => upstream.write(chunk));
    upstream.on('data', (chunk) => {
      if (this.held) this.queued.push(() => client.write(chunk));
      else client.write(chunk);
    });
  }
}
