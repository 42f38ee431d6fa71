import type { Socket } from 'node:net';

/** As large as one read of libuv (its suggested size). */
const READ_BUFFER_BYTES = 64 * 1024;
/**
 * The one buffer every connection reads into. A read is handled (its bytes decoded or
 * copied into the partial-frame pool) before the next read of any connection is made,
 * so nothing refers to it between reads.
 */
const readBuffer = Buffer.allocUnsafeSlow(READ_BUFFER_BYTES);

interface StreamHandle {
  useUserBuffer?: (buffer: Uint8Array) => void;
}

/**
 * Makes an accepted socket read into the shared buffer and hand each read to `onRead`
 * (which must not keep it), instead of emitting 'data'. By default every read allocates a
 * buffer of its own that is garbage once handled; V8 collects such external memory late, so
 * a flood of reads left tens of MB of it behind (docs/operations.md#transport-limits).
 *
 * This is what `net.Socket`'s `onread` option does for a socket we create; a server's
 * accepted sockets have no such option, so the socket fields it sets are set here. They
 * are Node internals: if they are not found, the socket keeps the default reads (the same
 * behaviour, more garbage) and false is returned. Must be called before the first read
 * (in the 'connection' handler).
 */
export function readIntoSharedBuffer(socket: Socket, onRead: (data: Buffer) => void): boolean {
  const fields = Object.getOwnPropertySymbols(socket);
  const bufferField = fields.find((s) => s.description === 'kBuffer');
  const callbackField = fields.find((s) => s.description === 'kBufferCb');
  const generatorField = fields.find((s) => s.description === 'kBufferGen');
  const handle = (socket as unknown as { _handle?: StreamHandle | null })._handle;
  const own = socket as unknown as Record<symbol, unknown>;
  if (!bufferField || !callbackField || !generatorField || own[generatorField] !== null || typeof handle?.useUserBuffer !== 'function')
    return false;
  own[bufferField] = readBuffer;
  own[callbackField] = (bytes: number) => {
    onRead(readBuffer.subarray(0, bytes));
  };
  handle.useUserBuffer(readBuffer);
  return true;
}
