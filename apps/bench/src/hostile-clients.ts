import { connect, type Socket } from 'node:net';

/** What a hostile client pattern achieved against the service. */
export interface HostileOutcome {
  /** Connections the service accepted. */
  opened: number;
  /** Connections the service closed or refused while the pattern ran. */
  closedByService: number;
  bytesSent: number;
}

const HOST = '127.0.0.1';

function open(port: number): Promise<Socket | null> {
  return new Promise((resolve) => {
    const socket = connect(port, HOST);
    socket.setNoDelay(true);
    socket.once('connect', () => resolve(socket));
    socket.once('error', () => resolve(null));
  });
}

function writeWhenReady(socket: Socket, data: Buffer | string): Promise<boolean> {
  if (socket.destroyed) return Promise.resolve(false);
  if (socket.write(data)) return Promise.resolve(true);
  return new Promise((resolve) => {
    const done = (ok: boolean) => {
      socket.off('drain', onDrain);
      socket.off('close', onClose);
      resolve(ok);
    };
    const onDrain = () => done(true);
    const onClose = () => done(false);
    socket.once('drain', onDrain);
    socket.once('close', onClose);
  });
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * `connections` clients each announce a frame of `frameChars` characters and send all of
 * it but its last 4 KiB (in `chunkBytes` writes, one every `chunkEveryMs` or as fast as the
 * service reads), then one
 * more byte every `trickleEveryMs`, until `durationMs` has passed. The frame never
 * completes: each connection tries to make the service hold ~1 MiB.
 */
export async function tricklePartialFrames(
  port: number,
  options: {
    connections: number;
    frameChars: number;
    chunkBytes: number;
    trickleEveryMs: number;
    durationMs: number;
    chunkEveryMs?: number;
  },
): Promise<HostileOutcome> {
  const outcome: HostileOutcome = { opened: 0, closedByService: 0, bytesSent: 0 };
  const stopAt = Date.now() + options.durationMs;
  const chunk = Buffer.alloc(options.chunkBytes, 'x');
  const one = async () => {
    const socket = await open(port);
    if (!socket) {
      outcome.closedByService++;
      return;
    }
    outcome.opened++;
    socket.on('error', () => undefined);
    let closed = false;
    socket.once('close', () => (closed = true));
    const prefix = `${options.frameChars}#{"pattern":"session.resolve","data":"`;
    // Short of the frame by more than the trickle can add: it never completes.
    let left = options.frameChars - (prefix.length - String(options.frameChars).length - 1) - 4_096;
    let ok = await writeWhenReady(socket, prefix);
    while (ok && left > 0 && Date.now() < stopAt) {
      const n = Math.min(left, chunk.length);
      ok = await writeWhenReady(socket, n === chunk.length ? chunk : chunk.subarray(0, n));
      if (ok) {
        left -= n;
        outcome.bytesSent += n;
        if (options.chunkEveryMs) await sleep(options.chunkEveryMs);
      }
    }
    while (!closed && Date.now() < stopAt) {
      await sleep(options.trickleEveryMs);
      if (!closed) {
        socket.write('x');
        outcome.bytesSent++;
      }
    }
    if (closed) outcome.closedByService++;
    socket.destroy();
  };
  await Promise.all(Array.from({ length: options.connections }, one));
  return outcome;
}

/** Opens `count` connections that never send a byte and keeps them `holdMs`; counts those the service closed. */
export async function silentConnections(port: number, options: { count: number; holdMs: number }): Promise<HostileOutcome> {
  const outcome: HostileOutcome = { opened: 0, closedByService: 0, bytesSent: 0 };
  const sockets: Socket[] = [];
  for (let i = 0; i < options.count; i += 100) {
    const batch = await Promise.all(Array.from({ length: Math.min(100, options.count - i) }, () => open(port)));
    for (const socket of batch) {
      if (!socket) {
        outcome.closedByService++;
        continue;
      }
      outcome.opened++;
      socket.on('error', () => undefined);
      socket.once('close', () => outcome.closedByService++);
      sockets.push(socket);
    }
  }
  await sleep(options.holdMs);
  const result = { ...outcome };
  sockets.forEach((s) => s.destroy());
  return result;
}

/**
 * One client that sends `bytesPerSecond` in small writes every `writeEveryMs`, as the body of
 * frames that never complete, and reconnects whenever the service closes it.
 */
export async function slowSender(
  port: number,
  options: { bytesPerSecond: number; writeEveryMs: number; durationMs: number; frameChars: number },
): Promise<HostileOutcome> {
  const outcome: HostileOutcome = { opened: 0, closedByService: 0, bytesSent: 0 };
  const stopAt = Date.now() + options.durationMs;
  const piece = 'x'.repeat(Math.max(1, Math.round((options.bytesPerSecond * options.writeEveryMs) / 1000)));
  while (Date.now() < stopAt) {
    const socket = await open(port);
    if (!socket) {
      outcome.closedByService++;
      await sleep(options.writeEveryMs);
      continue;
    }
    outcome.opened++;
    socket.on('error', () => undefined);
    let closed = false;
    socket.once('close', () => (closed = true));
    // frameChars 0: no length prefix at all, only bytes that never contain a #.
    socket.write(options.frameChars > 0 ? `${options.frameChars}#{"pattern":"session.resolve","data":"` : '1');
    while (!closed && Date.now() < stopAt) {
      socket.write(piece);
      outcome.bytesSent += piece.length;
      await sleep(options.writeEveryMs);
    }
    if (closed) outcome.closedByService++;
    socket.destroy();
  }
  return outcome;
}
