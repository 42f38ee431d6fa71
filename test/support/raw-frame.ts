import { connect } from 'node:net';

export interface RawReply {
  err?: { code: string; message: string; details?: unknown } | string;
  response?: unknown;
}

/**
 * Sends one message as hand-written JSON text over a fresh TCP connection, in the transport's
 * `<length>#<json>` framing, and resolves with the reply frame. For payloads a ClientProxy
 * cannot serialise itself (nested deeper than JSON.stringify's stack allows).
 */
export function sendRawJson(port: number, pattern: string, payloadJson: string, timeoutMs = 10_000): Promise<RawReply> {
  const message = `{"pattern":${JSON.stringify(pattern)},"id":"raw-1","data":${payloadJson}}`;
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`no reply within ${timeoutMs} ms`));
    }, timeoutMs);
    let buffer = '';
    socket.setEncoding('utf8');
    socket.on('connect', () => socket.write(`${Buffer.byteLength(message)}#${message}`));
    socket.on('data', (chunk: string) => {
      buffer += chunk;
      const hash = buffer.indexOf('#');
      if (hash < 0) return;
      const length = Number(buffer.slice(0, hash));
      const body = Buffer.from(buffer.slice(hash + 1));
      if (body.length < length) return;
      clearTimeout(timer);
      socket.destroy();
      resolve(JSON.parse(body.subarray(0, length).toString('utf8')) as RawReply);
    });
    socket.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
  });
}
