import { connect } from 'node:net';
import { freePort, spawnChild, waitUntil, type Child } from './processes.js';

export interface RedisServer {
  child: Child;
  port: number;
  url: string;
}

/** A private, non-persistent redis-server on a free loopback port, ready when this resolves; `extraArgs` are added to its command line. */
export async function startRedisServer(extraArgs: string[] = []): Promise<RedisServer> {
  const port = await freePort();
  const child = spawnChild('redis-server', 'redis-server', [
    '--port',
    String(port),
    '--bind',
    '127.0.0.1',
    '--save',
    '',
    '--appendonly',
    'no',
    ...extraArgs,
  ]);
  await waitUntil(child, 'PONG', () => ping(port));
  return { child, port, url: `redis://127.0.0.1:${port}` };
}

/** One inline PING on a fresh connection. */
function ping(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(500, () => done(false));
    socket.once('error', () => done(false));
    socket.once('connect', () => socket.write('PING\r\n'));
    socket.once('data', (d) => done(d.toString().startsWith('+PONG')));
  });
}
