import { createServer, type Server, type Socket } from 'node:net';
import { JsonFrameReader } from './json-frame-reader.js';
import { RpcConnection } from './rpc-connection.js';
import { SessionServiceError } from './session-service.error.js';

interface Peer {
  server: Server;
  port: number;
  /** Every request received, raw frames as they arrived. */
  received: string[];
  requests: Array<{ socket: Socket; message: { pattern: string; data: unknown; id: string } }>;
  sockets: Socket[];
}

/** A bare TCP peer that reads the client's frames and answers only when a test writes to it. */
async function peer(): Promise<Peer> {
  const p = { received: [], requests: [], sockets: [] } as unknown as Peer;
  p.server = createServer((socket) => {
    p.sockets.push(socket);
    const reader = new JsonFrameReader();
    socket.setEncoding('utf8');
    socket.on('data', (text: string) => {
      p.received.push(text);
      reader.push(text, (message) => p.requests.push({ socket, message: message as Peer['requests'][number]['message'] }));
    });
  });
  await new Promise<void>((resolve) => p.server.listen(0, '127.0.0.1', resolve));
  p.port = (p.server.address() as { port: number }).port;
  return p;
}

const frame = (value: unknown): string => {
  const json = JSON.stringify(value);
  return `${json.length}#${json}`;
};
const until = async (condition: () => boolean): Promise<void> => {
  for (let i = 0; i < 500 && !condition(); i++) await new Promise((resolve) => setTimeout(resolve, 10));
  if (!condition()) throw new Error('condition not reached');
};
const failure = (promise: Promise<unknown>): Promise<SessionServiceError> =>
  promise.then(
    () => {
      throw new Error('expected a rejection');
    },
    (e: SessionServiceError) => e,
  );

describe('RpcConnection (the ClientProxy wire protocol)', () => {
  let p: Peer;
  let connection: RpcConnection;
  beforeEach(async () => {
    p = await peer();
    connection = new RpcConnection({ host: '127.0.0.1', port: p.port, timeoutMs: 2000 });
  });
  afterEach(async () => {
    connection.close();
    p.sockets.forEach((s) => s.destroy());
    await new Promise((resolve) => p.server.close(resolve));
  });

  it('sends `<length>#{"pattern","data","id"}` frames, the length in UTF-16 code units, with a distinct id per call', async () => {
    const first = connection.request('session.resolve', { shopId: '1001', name: 'Zoë 🛒' });
    const second = connection.request('cart.get', {});
    await until(() => p.requests.length === 2);
    const [a, b] = p.requests.map((r) => r.message);
    expect(p.received.join('')).toBe(
      frame({ pattern: 'session.resolve', data: { shopId: '1001', name: 'Zoë 🛒' }, id: a!.id }) +
        frame({ pattern: 'cart.get', data: {}, id: b!.id }),
    );
    expect(typeof a!.id).toBe('string');
    expect(a!.id).not.toBe(b!.id);
    // Answered out of order, the second reply split over two writes.
    const reply = frame({ response: { n: 2 }, isDisposed: true, id: b!.id });
    p.sockets[0]!.write(reply.slice(0, 5));
    p.sockets[0]!.write(reply.slice(5) + frame({ response: { n: 1 }, isDisposed: true, id: a!.id }));
    expect(await Promise.all([first, second])).toEqual([{ n: 1 }, { n: 2 }]);
  });

  it('maps replies as ClientProxy does: err rejects, a disposal without a response is no reply, the first response answers', async () => {
    const calls = [connection.request('a', {}), connection.request('b', {}), connection.request('c', {})];
    await until(() => p.requests.length === 3);
    const [a, b, c] = p.requests.map((r) => r.message.id);
    p.sockets[0]!.write(
      frame({ err: { code: 'VALIDATION_FAILED', message: 'bad', details: [{ field: 'x', message: 'y' }] }, isDisposed: true, id: a }) +
        frame({ isDisposed: true, id: b }) +
        frame({ response: 'first', isDisposed: false, id: c }) +
        frame({ response: 'second', isDisposed: true, id: c }) +
        frame({ response: 'unknown call', isDisposed: true, id: 'nobody' }),
    );
    const errA = await failure(calls[0]!);
    expect([errA.code, errA.message, errA.details]).toEqual(['VALIDATION_FAILED', 'bad', [{ field: 'x', message: 'y' }]]);
    const errB = await failure(calls[1]!);
    expect([errB.code, errB.message]).toEqual(['INTERNAL', 'no reply to b']);
    expect(await calls[2]).toBe('first');
  });

  it('fails the calls in flight with UNAVAILABLE when the peer closes, and connects again on the next call', async () => {
    const call = connection.request('a', {});
    await until(() => p.requests.length === 1);
    p.sockets[0]!.destroy();
    expect((await failure(call)).code).toBe('UNAVAILABLE');
    const again = connection.request('b', {});
    await until(() => p.requests.length === 2);
    expect(p.requests[1]!.socket).not.toBe(p.requests[0]!.socket);
    p.requests[1]!.socket.write(frame({ response: 'ok', isDisposed: true, id: p.requests[1]!.message.id }));
    expect(await again).toBe('ok');
  });

  it('drops a connection that sends a corrupt frame, failing its calls with UNAVAILABLE', async () => {
    const call = connection.request('a', {});
    await until(() => p.requests.length === 1);
    p.sockets[0]!.write('oops#{}');
    const error = await failure(call);
    expect([error.code, error.message]).toEqual(['UNAVAILABLE', expect.stringMatching(/corrupt frame/)]);
  });

  it('times out each unanswered call after timeoutMs, while later calls are still answered', async () => {
    connection.close();
    connection = new RpcConnection({ host: '127.0.0.1', port: p.port, timeoutMs: 200 });
    const started = Date.now();
    const silent = connection.request('a', {});
    await new Promise((resolve) => setTimeout(resolve, 100));
    const answered = connection.request('b', {});
    const late = connection.request('c', {});
    await until(() => p.requests.length === 3);
    p.sockets[0]!.write(frame({ response: 'b', isDisposed: true, id: p.requests[1]!.message.id }));
    expect(await answered).toBe('b');
    expect((await failure(silent)).code).toBe('TIMEOUT');
    expect(Date.now() - started).toBeGreaterThanOrEqual(195);
    expect((await failure(late)).code).toBe('TIMEOUT');
    expect(Date.now() - started).toBeGreaterThanOrEqual(295);
  });

  it('fails the calls in flight with UNAVAILABLE on close()', async () => {
    const call = connection.request('a', {});
    connection.close();
    const error = await failure(call);
    expect([error.code, error.message]).toEqual(['UNAVAILABLE', expect.stringMatching(/Connection closed/)]);
  });
});
