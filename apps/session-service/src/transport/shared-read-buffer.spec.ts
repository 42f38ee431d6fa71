import { once } from 'node:events';
import { connect, createServer, type Server, type Socket } from 'node:net';
import { readIntoSharedBuffer } from './shared-read-buffer.js';

/** The memory each read was made into. */
const buffers = new Set<ArrayBufferLike>();

/** A server whose accepted sockets read into the shared buffer; what each receives is copied out. */
async function startServer(onSocket: (socket: Socket, received: Buffer[]) => void): Promise<{
  server: Server;
  port: number;
  accepted: Promise<{ socket: Socket; received: Buffer[]; shared: boolean; dataEvents: number[] }>;
}> {
  let accept!: (value: { socket: Socket; received: Buffer[]; shared: boolean; dataEvents: number[] }) => void;
  const accepted = new Promise<{ socket: Socket; received: Buffer[]; shared: boolean; dataEvents: number[] }>(
    (resolve) => (accept = resolve),
  );
  const server = createServer((socket) => {
    const received: Buffer[] = [];
    const dataEvents: number[] = [];
    socket.on('data', (d: Buffer) => dataEvents.push(d.length));
    const shared = readIntoSharedBuffer(socket, (data) => {
      buffers.add(data.buffer);
      received.push(Buffer.from(data));
    });
    onSocket(socket, received);
    accept({ socket, received, shared, dataEvents });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return { server, port: (server.address() as { port: number }).port, accepted };
}

describe('readIntoSharedBuffer', () => {
  let server: Server | undefined;
  afterEach(() => server?.close());

  it('hands every byte to the callback, in order, through one reused buffer and no data event, then ends', async () => {
    const started = await startServer(() => undefined);
    server = started.server;
    const client = connect(started.port, '127.0.0.1');
    const { socket, received, shared, dataEvents } = await started.accepted;
    expect(shared).toBe(true);
    const sent = Buffer.alloc(300_000);
    for (let i = 0; i < sent.length; i++) sent[i] = (i * 7) % 251;
    client.end(sent);
    await once(socket, 'end');
    expect(Buffer.concat(received).equals(sent)).toBe(true);
    expect(received.length).toBeGreaterThan(1); // larger than one read
    expect(dataEvents).toEqual([]);
    expect(buffers.size).toBe(1);
  });

  it('stops reading while the socket is paused and goes on after resume', async () => {
    const started = await startServer((socket) => socket.pause());
    server = started.server;
    const client = connect(started.port, '127.0.0.1');
    const { socket, received } = await started.accepted;
    client.write('x'.repeat(1_000));
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(received).toEqual([]);
    socket.resume();
    client.end();
    await once(socket, 'end');
    expect(Buffer.concat(received).toString()).toBe('x'.repeat(1_000));
  });
});
